"""The seed catalogue: it loads, it is complete, its facts hold, and editors' saves keep it consistent."""

import datetime
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from advisor import catalogue, models, scoring, services, versions

ROOT = Path(__file__).resolve().parent.parent
# Without it the tests that compare the fixture with its source fail (FileNotFoundError), never skip.
REFERENCE = Path("/work/shared/reference")


@pytest.fixture(scope="module")
def catalogue_loaded(django_db_setup, django_db_blocker):
    """``loaddata catalogue.json`` once for the module, in a transaction rolled back after its last test.

    Loading it for every test took about a second each on PostgreSQL. Each test still runs in a
    savepoint of its own (pytest-django's ``db``), so what one test changes, the next never sees.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", "catalogue.json", verbosity=0)
        versions.publish()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(catalogue_loaded, db):
    """The seed catalogue as ``loaddata`` saved it, for one test."""


def score_of(slug, criterion):
    return models.Score.objects.get(ai_model__slug=slug, criterion__slug=criterion)


# -- Loading and integrity -----------------------------------------------------------


def test_the_catalogue_loads_into_an_empty_database_with_the_reference_counts(seeded):
    assert models.AIModel.objects.count() == 65
    assert models.Licence.objects.count() == 29
    assert models.Criterion.objects.count() == 13
    assert models.Score.objects.count() == 65 * 13
    assert models.Source.objects.count() == 65 + 29
    assert not models.AudiencePreset.objects.exists()  # presets live in their own fixture


def test_every_published_model_is_complete(seeded):
    criteria = set(models.Criterion.objects.values_list("slug", flat=True))
    published = models.AIModel.objects.published().select_related("provider", "licence")
    assert published.count() == 65
    for ai_model in published:
        assert ai_model.provider_id and ai_model.licence_id
        scores = {score.criterion.slug: score for score in ai_model.scores.select_related("criterion")}
        assert set(scores) == criteria, ai_model.slug
        assert all(score.rationale.strip() for score in scores.values()), ai_model.slug
        assert ai_model.sources.exists(), ai_model.slug
        # Verified when its source was read, not when the fixture was built.
        (source,) = ai_model.sources.all()
        assert ai_model.last_reviewed.isoformat().startswith(source.as_of), ai_model.slug


def test_the_fixture_dates_each_entry_by_its_own_source_so_old_ones_show_as_overdue(seeded):
    stale = [m.slug for m in models.AIModel.objects.published() if m.review_is_stale]
    assert "bloom-176b" in stale  # its facts come from 2022
    assert 0 < len(stale) < models.AIModel.objects.published().count()
    licences = models.Licence.objects.all()
    assert all(licence.last_reviewed for licence in licences)
    assert any(licence.review_is_stale for licence in licences)


def test_every_licence_and_criterion_is_documented(seeded):
    for licence in models.Licence.objects.all():
        assert licence.sources.exists(), licence.slug
    for criterion in models.Criterion.objects.all():
        assert criterion.summary and criterion.open_view_html and criterion.closed_view_html
        assert criterion.scoring_rule_html, criterion.slug
    assert models.Criterion.objects.filter(from_article=True).count() == 9


def test_the_engine_snapshot_has_every_score(seeded):
    snapshot = catalogue.catalogue_snapshot()
    assert len(snapshot["models"]) == 65
    assert all(len(entry["scores"]) == 13 for entry in snapshot["models"])


def test_recomputing_the_seed_changes_nothing(seeded):
    """The fixture builder and the admin compute the same scores from the same facts."""
    assert sum(services.scores_recompute(ai_model=ai_model) for ai_model in models.AIModel.objects.all()) == 0


def test_the_fixture_is_what_the_builder_makes_from_the_reference():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_catalogue
    finally:
        sys.path.pop(0)
    built = json.loads(json.dumps(build_catalogue.build(REFERENCE)))
    assert built == json.loads((ROOT / "fixtures" / "catalogue.json").read_text())


# -- Facts spot-checked against the reference ------------------------------------------


def test_licence_facts(seeded):
    llama_4 = models.Licence.objects.get(slug="llama-4-community")
    assert llama_4.excluded_jurisdictions == ["EU"]
    assert llama_4.jurisdiction_exclusion_multimodal_only
    assert [(t["kind"], t["value"], t["effect"]) for t in llama_4.thresholds] == [
        ("mau", 700_000_000, "separate-licence")
    ]
    assert models.Licence.objects.get(slug="llama-3.1-community").excluded_jurisdictions == []

    kimi_k2 = models.Licence.objects.get(slug="kimi-k2-modified-mit")
    assert [(t["kind"], t["effect"]) for t in kimi_k2.thresholds] == [
        ("mau", "display-duty"),
        ("monthly_revenue_usd", "display-duty"),
    ]
    assert models.Licence.objects.get(slug="grok-2-community-license").thresholds is None  # not verified
    assert models.Licence.objects.get(slug="apache-2.0").thresholds == []

    assert models.Licence.objects.get(slug="tii-falcon-license").hosting_barred
    assert models.Licence.objects.get(slug="gemma-terms-of-use").remote_restriction
    bloom = models.Licence.objects.get(slug="bigscience-bloom-rail-1.0")
    assert [r["use"] for r in bloom.use_restrictions if r["rule"] == "forbidden"] == [
        "medical-advice",
        "automated-legal-decisions",
        "law-enforcement",
    ]
    deepseek = models.Licence.objects.get(slug="deepseek-model-license")
    assert {r["use"] for r in deepseek.use_restrictions if r["rule"] == "forbidden"} == {
        "military",
        "automated-legal-decisions",
    }
    assert deepseek.remote_restriction
    assert models.Licence.objects.get(slug="cc-by-nc-4.0").use_restrictions is None  # not verified
    assert models.Licence.objects.get(slug="mit").use_restrictions == []

    openai = models.Licence.objects.get(slug="openai-api-terms")
    assert (openai.prompts_train_by_default, openai.zero_retention_offered) == ("no", True)
    assert {"use": "competing-models", "rule": "forbidden"}.items() <= next(
        r for r in openai.use_restrictions if r["use"] == "competing-models"
    ).items()
    assert openai.fine_tuning_until == datetime.date(2027, 1, 6)
    assert "2027-01-06" in openai.fine_tuning_until_source
    gemini = models.Licence.objects.get(slug="google-gemini-api-terms")
    assert (gemini.prompts_train_by_default, gemini.zero_retention_offered) == ("free-tier", None)
    apache = models.Licence.objects.get(slug="apache-2.0")
    assert (apache.prompts_train_by_default, apache.zero_retention_offered) == ("", None)
    assert "include licence text" in apache.obligation_list


def test_model_facts(seeded):
    assert models.AIModel.objects.get(slug="claude-3.7-sonnet").lifecycle == "retired"
    assert models.AIModel.objects.get(slug="gemini-2.0-flash").lifecycle == "retired"
    gpt_4o = models.AIModel.objects.get(slug="gpt-4o")
    assert (gpt_4o.lifecycle, gpt_4o.shutdown_date, gpt_4o.replacement) == (
        "deprecated",
        datetime.date(2027, 1, 14),
        "gpt-6-luna",
    )
    assert "OpenAI deprecations page" in gpt_4o.lifecycle_source
    assert gpt_4o.fine_tuning_until == datetime.date(2027, 1, 6)
    sonnet = models.AIModel.objects.get(slug="claude-sonnet-4.5")
    assert (sonnet.lifecycle, sonnet.shutdown_date, sonnet.replacement) == (
        "retired",
        datetime.date(2026, 11, 30),
        "claude-sonnet-5.5",
    )
    assert models.AIModel.objects.get(slug="o3").replacement == ""  # the sources disagree
    assert models.AIModel.objects.get(slug="gpt-6.2-astra").lifecycle == "active"
    assert models.AIModel.objects.get(slug="llama-3.1-8b").lifecycle == "active"  # weights do not retire

    llama = models.AIModel.objects.get(slug="llama-3.1-8b")
    assert llama.language_coverage == "listed"
    assert "ko" not in llama.language_codes and "th" in llama.language_codes
    assert (gpt_4o.language_coverage, gpt_4o.language_codes) == ("broad", ["ko"])
    assert models.AIModel.objects.get(slug="kimi-k3").language_coverage == "unknown"

    assert gpt_4o.price_input_per_mtok == Decimal("2.5")
    assert llama.min_gpu_memory_gb == 16
    assert models.AIModel.objects.get(slug="olmo-2-32b").access == "fully-open"
    # Month-only release dates are stored as the first, with the precision saying so.
    v4 = models.AIModel.objects.get(slug="deepseek-v4-pro")
    assert (v4.release_date, v4.release_date_precision) == (datetime.date(2026, 4, 1), "month")
    assert "month only" not in v4.notes
    assert llama.release_date_precision == "day"
    assert models.Provider.objects.filter(name="Cohere").count() == 1
    assert models.AIModel.objects.get(slug="command-r-plus-08-2024").provider.name == "Cohere"


def test_the_snapshot_gives_the_engine_the_structured_facts(seeded):
    entries = {entry["slug"]: entry for entry in catalogue.catalogue_snapshot()["models"]}
    v4, gemini, gpt_4o = entries["deepseek-v4-pro"], entries["gemini-2.5-pro"], entries["gpt-4o"]
    assert v4["release_date"] == "2026-04"
    assert entries["llama-3.1-8b"]["release_date"] == "2024-07-23"
    assert (gemini["lifecycle"], gemini["shutdown_date"], gemini["replacement"]) == (
        "retired",
        "2026-12-01",
        "gemini-3.8-flash",
    )
    assert (gpt_4o["fine_tuning_until"], gpt_4o["licence"]["fine_tuning_until"]) == ("2027-01-06", "2027-01-06")
    assert (v4["replacement"], v4["fine_tuning_until"]) == (None, None)
    kimi_k3 = entries["kimi-k3"]["licence"]
    assert kimi_k3["thresholds"][0]["effect"] == "separate-licence"
    assert kimi_k3["use_restrictions"] == []
    assert entries["grok-2"]["licence"]["thresholds"] is None
    removed = {"mau_threshold", "revenue_threshold_usd", "threshold_effect", "threshold_hosted_service_only"}
    assert not removed & set(kimi_k3)
    assert "forbidden_uses" not in kimi_k3
    # Each model and licence says how sure its surest source is (licenses.yaml: the Bedrock service
    # terms rest on one secondary source, confidence low; the Apache licence text was read, high).
    assert entries["amazon-nova-pro"]["licence"]["confidence"] == "low"
    assert entries["olmo-2-32b"]["licence"]["slug"] == "apache-2.0"
    assert entries["olmo-2-32b"]["licence"]["confidence"] == "high"
    assert {entry["confidence"] for entry in entries.values()} <= {"high", "medium", "low"}


def test_the_builder_reads_the_structured_reference_fields():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_catalogue
    finally:
        sys.path.pop(0)
    rows = build_catalogue.build(REFERENCE)
    licences = {row["fields"]["slug"]: row["fields"] for row in rows if row["model"] == "advisor.licence"}
    ai_models = {row["fields"]["slug"]: row["fields"] for row in rows if row["model"] == "advisor.aimodel"}

    kimi_k3 = licences["kimi-k3-license"]["thresholds"]
    gates = [t for t in kimi_k3 if t["effect"] == "separate-licence"]
    assert [(t["kind"], t["value"]) for t in gates] == [("maas_group_revenue_12m_usd", 20_000_000)]
    assert [t["kind"] for t in kimi_k3 if t["effect"] == "display-duty"] == ["mau", "monthly_revenue_usd"]
    assert "mau_threshold" not in licences["kimi-k3-license"]

    llama = licences["llama-3.1-community"]["use_restrictions"]
    medical = next(r for r in llama if r["use"] == "medical-advice")
    assert (medical["rule"], medical["condition"]) == (
        "conditional",
        "only within authorised, licensed professional practice",
    )
    military = next(r for r in llama if r["use"] == "military")
    assert military["rule"] == "forbidden" and "condition" not in military
    assert "llama-models" in military["source"]

    gemini = ai_models["gemini-2.5-pro"]
    assert (gemini["lifecycle"], gemini["shutdown_date"], gemini["replacement"]) == (
        "retired",
        "2026-12-01",
        "gemini-3.8-flash",
    )
    assert "aideprecations.com" in gemini["lifecycle_source"]
    assert (ai_models["llama-3.1-8b"]["lifecycle"], ai_models["llama-3.1-8b"]["replacement"]) == ("active", "")
    assert (ai_models["claude-opus-5.5"]["release_date"], ai_models["claude-opus-5.5"]["release_date_precision"]) == (
        "2026-09-01",
        "month",
    )
    assert ai_models["command-a"]["fine_tuning_until"] == "2025-09-15"


def test_a_month_only_release_date_shows_as_a_month(seeded, client):
    content = client.get(reverse("advisor:model-detail", args=["deepseek-v4-pro"])).content.decode()
    assert "April 2026" in content
    assert "April 1, 2026" not in content


def test_a_retired_model_page_names_its_replacement(seeded, client):
    content = " ".join(client.get(reverse("advisor:model-detail", args=["gemini-2.5-pro"])).content.decode().split())
    assert "Retired on Dec. 1, 2026." in content
    assert "Deprecated" not in content
    assert 'The vendor names <a href="/models/gemini-3.8-flash/">Gemini 3.8 Flash</a> as its replacement.' in content
    gpt_4o = " ".join(client.get(reverse("advisor:model-detail", args=["gpt-4o"])).content.decode().split())
    assert "The vendor names gpt-6-luna as its replacement (not in this catalogue)." in gpt_4o


def test_seeded_scores_follow_the_facts(seeded):
    assert score_of("gpt-5", "code-access").value <= 2
    assert score_of("olmo-2-32b", "code-access").value == 10
    assert score_of("command-a", "usage-clarity").value <= 4
    assert score_of("mistral-7b", "usage-clarity").value >= 8
    assert score_of("claude-3.7-sonnet", "maintenance").value == 1
    assert score_of("gemini-2.5-pro", "maintenance").value == 1  # retired, with its replacement named
    assert "2027-01-14" in score_of("gpt-4o", "maintenance").rationale
    # Kimi K3 has a separate-licence gate, Kimi K2 only display duties.
    assert "a user or revenue gate" in score_of("kimi-k3", "control").rationale
    assert "gate" not in score_of("kimi-k2", "control").rationale
    assert "forbidden uses" in score_of("llama-3.1-8b", "control").rationale


# -- Database constraints ---------------------------------------------------------------


@pytest.mark.parametrize(
    "break_it",
    [
        pytest.param(lambda s: models.Score.objects.filter(pk=s.pk).update(value=11), id="score-above-10"),
        pytest.param(
            lambda s: models.Score.objects.create(
                ai_model=s.ai_model, criterion=s.criterion, value=5, rationale="A second score."
            ),
            id="two-scores-for-one-criterion",
        ),
        pytest.param(
            lambda s: models.Score.objects.filter(pk=s.pk).update(is_override=True, override_reason=""),
            id="override-without-reason",
        ),
        pytest.param(
            lambda s: models.AIModel.objects.filter(pk=s.ai_model_id).update(price_input_per_mtok=Decimal("-1")),
            id="negative-price",
        ),
        pytest.param(
            lambda s: models.AIModel.objects.filter(pk=s.ai_model_id).update(
                lifecycle="deprecated", shutdown_date=None
            ),
            id="deprecated-without-shutdown-date",
        ),
    ],
)
def test_the_database_refuses_broken_catalogue_rows(seeded, break_it):
    score = score_of("mistral-7b", "capability")
    with pytest.raises(IntegrityError), transaction.atomic():
        break_it(score)


# -- Editors' saves recompute what follows from the facts ------------------------------


def _post_data(response):
    """The change form's current values, as the browser would post them back."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            if hasattr(field, "prepare_value") and isinstance(value, list) and name == "language_codes":
                value = field.prepare_value(value)
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is None:
                data[key] = ""
            elif isinstance(value, list):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def test_saving_a_model_recomputes_its_scores_but_keeps_overrides(seeded, editor_client):
    ai_model = models.AIModel.objects.get(slug="llama-3.1-8b")
    models.Score.objects.filter(ai_model=ai_model, criterion__slug="code-access").update(
        value=3, is_override=True, override_reason="Checked the repository by hand."
    )
    models.Score.objects.filter(ai_model=ai_model, criterion__slug="transparency").update(value=0, rationale="Stale.")
    url = reverse("admin:advisor_aimodel_change", args=[ai_model.pk])
    data = _post_data(editor_client.get(url))
    data["training_code_available"] = "on"  # Meta publishes its training code (in this test)

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    transparency = score_of("llama-3.1-8b", "transparency")
    assert transparency.value == 7
    assert "training code" in transparency.rationale
    assert score_of("llama-3.1-8b", "customisation").value == 9
    overridden = score_of("llama-3.1-8b", "code-access")
    assert (overridden.value, overridden.override_reason) == (3, "Checked the repository by hand.")
    assert score_of("llama-3.1-8b", "capability").value == 3  # editorial: left alone


def test_saving_a_licence_recomputes_the_scores_of_its_models(seeded, editor_client):
    licence = models.Licence.objects.get(slug="gemma-terms-of-use")
    url = reverse("admin:advisor_licence_change", args=[licence.pk])
    data = _post_data(editor_client.get(url))
    data["category"] = "non-commercial"
    data["commercial_use"] = "no"

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    for slug in ("gemma-2-27b", "gemma-3-27b"):
        assert score_of(slug, "usage-clarity").value == 2
    assert score_of("gemma-4-31b", "usage-clarity").value == 9  # Apache 2.0, untouched


def test_a_new_model_gets_every_score(seeded):
    ai_model = models.AIModel.objects.create(
        name="Tiny test model",
        slug="tiny-test-model",
        provider=models.Provider.objects.get(name="Meta"),
        licence=models.Licence.objects.get(slug="apache-2.0"),
        access="open-weights",
        weights_available=True,
        fine_tuning=["lora"],
        deployment=["self-host"],
        min_gpu_memory_gb=8,
    )
    assert services.scores_recompute(ai_model=ai_model) == 13
    assert ai_model.scores.count() == 13
    assert score_of("tiny-test-model", "capability").rationale == scoring.PLACEHOLDER_RATIONALE
