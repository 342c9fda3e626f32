"""Audience presets answer only what their audience implies, and editors can keep it that way."""

import importlib
import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from advisor import forms, models

PRESETS = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "presets.json").read_text())
NEVER_IMPLIED = {"jurisdiction", "users", "revenue", "hosted_service", "train_on_outputs"}
migration = importlib.import_module("advisor.migrations.0004_presets_answer_only_what_the_audience_implies")


def preset_fields(slug):
    return next(entry["fields"] for entry in PRESETS if entry["fields"]["slug"] == slug)


@pytest.mark.parametrize("entry", PRESETS, ids=lambda entry: entry["fields"]["slug"])
def test_seed_presets_are_valid_partial_answers(entry):
    answers = entry["fields"]["answers"]
    assert forms.preset_problems(answers) == []
    assert not NEVER_IMPLIED & set(answers)
    assert "The preset leaves open" in entry["fields"]["description"]


def test_the_migration_gives_existing_seed_rows_the_fixture_answers():
    for slug in migration.SEED:
        assert migration.SEED[slug]["answers"] == preset_fields(slug)["answers"]
        seed = migration.SEED[slug]
        assert seed["description"] + seed["leaves_open"] == preset_fields(slug)["description"]


@pytest.mark.parametrize(
    ("slug", "before", "after"),
    [
        (
            "researchers",
            {"use_case": "research", "transparency": "high", "mlops": "some", "jurisdiction": "US", "budget": "fixed"},
            {"use_case": "research", "transparency": "weights", "customisation": "fine-tune", "mlops": "some"},
        ),
        (
            "enterprise-it",
            {"deployment": "on-premises", "sector": "finance", "users": "1m-100m"},
            {
                "data_sensitivity": "regulated",
                "deployment": "on-premises",
                "hardware": "none",
                "mlops": "none",
                "outages": "critical",
                "commercial": "yes",
            },
        ),
        (
            "an-editors-own",
            {"transparency": "high", "commercial": "no", "jurisdiction": "EU", "revenue": "under-20m", "users": "x"},
            {"transparency": "weights", "commercial": "no"},
        ),
    ],
)
def test_the_migration_keeps_what_the_audience_implies(slug, before, after):
    assert migration.answers_for(slug, before) == after


@pytest.fixture
def executor(transactional_db):
    executor = MigrationExecutor(connection)
    yield executor
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_migration_updates_existing_presets(executor):
    before, after = [("advisor", "0003_reference_schema_2")], [("advisor", migration.__name__.rsplit(".", 1)[1])]
    executor.migrate(before)
    AudiencePreset = executor.loader.project_state(before).apps.get_model("advisor", "AudiencePreset")
    v2 = {
        "use_case": "research",
        "modalities": ["text"],
        "transparency": "high",
        "customisation": "fine-tune",
        "mlops": "strong",
        "commercial": "no",
        "jurisdiction": "US",
    }
    AudiencePreset.objects.create(
        slug="researchers", name="Researchers", description=migration.SEED["researchers"]["description"], answers=v2
    )
    AudiencePreset.objects.create(slug="lawyers", name="Lawyers", description="Ours.", answers=v2)

    executor.loader.build_graph()
    executor.migrate(after)

    AudiencePreset = executor.loader.project_state(after).apps.get_model("advisor", "AudiencePreset")
    researchers = AudiencePreset.objects.get(slug="researchers")
    assert researchers.answers == preset_fields("researchers")["answers"]
    assert researchers.description == preset_fields("researchers")["description"]
    lawyers = AudiencePreset.objects.get(slug="lawyers")
    expected = {key: value for key, value in v2.items() if key != "jurisdiction"}
    assert lawyers.answers == {**expected, "transparency": "weights"}
    assert lawyers.description == "Ours."


def admin_form(answers):
    data = {
        "slug": "team",
        "name": "A team",
        "position": 1,
        "description": "Who it is for.",
        "answers": json.dumps(answers),
    }
    return forms.AudiencePresetForm(data=data)


@pytest.mark.django_db
def test_the_admin_form_takes_partial_answers():
    form = admin_form({"deployment": "on-device", "languages": ["ko"], "restricted_uses": []})
    assert form.is_valid(), form.errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"colour": "blue"}, "colour: There is no such question."),
        ({"transparency": "high"}, "transparency: That is not one of the choices."),
        ({"modalities": []}, "modalities: Choose at least one."),
        ({"languages": "en"}, "languages: Give a list of choices."),
        ({"jurisdiction": ""}, "jurisdiction: Choose one answer."),
        ({"deployment": "on-device", "hardware": "gpu-80"}, "hardware: For a model on users' devices"),
    ],
)
def test_the_admin_form_checks_each_answer_against_the_questions(answers, message):
    form = admin_form(answers)
    assert not form.is_valid()
    assert any(error.startswith(message) for error in form.errors["answers"]), form.errors


@pytest.mark.django_db
def test_the_admin_form_refuses_answers_that_are_not_an_object():
    form = admin_form(["use_case"])
    assert not form.is_valid()
    assert "answers" in form.errors


@pytest.mark.django_db
def test_the_seed_presets_load():
    from django.core.management import call_command

    call_command("loaddata", "presets.json", verbosity=0)
    assert models.AudiencePreset.objects.count() == 4


@pytest.mark.django_db
def test_the_preset_admin_refuses_an_answer_the_questionnaire_does_not_offer(editor_client):
    preset = models.AudiencePreset.objects.create(slug="team", name="Team", description="A team.", answers={})
    url = reverse("admin:advisor_audiencepreset_change", args=[preset.pk])
    data = {
        "name": "Team",
        "slug": "team",
        "position": 0,
        "description": "A team.",
        "answers": '{"hardware": "gpu-999"}',
    }

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "hardware" in response.content.decode()
    preset.refresh_from_db()
    assert preset.answers == {}
