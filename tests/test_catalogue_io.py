"""Import and export of the catalogue in the reference format (schema 2 of /work/shared/reference)."""

import io
import re
from pathlib import Path

import pytest
import yaml
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from advisor import catalogue, models, reference, versions
from tests.conftest import catalogue_create

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path("/work/shared/reference")  # missing: these tests fail, never skip
EDITORIAL = ROOT / "tools" / "editorial_scores.yaml"
CATALOGUE_MODELS = [models.Score, models.Source, models.AIModel, models.Licence, models.Provider, models.Criterion]

PAGES = [
    reverse("advisor:model-list"),
    reverse("advisor:model-detail", args=["gpt-4o"]),  # deprecated, fine-tuning end, replacement outside
    reverse("advisor:model-detail", args=["deepseek-v4-pro"]),  # month-only release date
    reverse("advisor:model-detail", args=["command-a"]),  # the provider the reference names two ways
    reverse("advisor:licence-list"),
    reverse("advisor:licence-detail", args=["llama-4-community"]),  # thresholds, use restrictions, EU carve-out
    reverse("advisor:licence-detail", args=["openai-api-terms"]),
    reverse("advisor:criteria"),
]


def public_pages(client):
    cache.clear()
    pages = {}
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        # The CSP nonce changes with every response; nothing else may.
        pages[url] = re.sub(r'nonce="[^"]*"', 'nonce=""', response.content.decode())
    return pages


def catalogue_empty():
    for model in CATALOGUE_MODELS:
        model.objects.all().delete()


def import_reference(folder=REFERENCE, **options):
    call_command("catalogue_import", str(folder), stdout=io.StringIO(), **options)


def reference_copy(tmp_path, change=None):
    """The reference and the repository's editorial file in ``tmp_path``, after ``change(...)`` edits them."""
    licences = reference.parse((REFERENCE / "licenses.yaml").read_text())
    ai_models = reference.parse((REFERENCE / "models.yaml").read_text())
    editorial = reference.parse(EDITORIAL.read_text())
    if change:
        change(licences["licenses"], ai_models["models"], editorial)
    for name, document in [("licenses.yaml", licences), ("models.yaml", ai_models)]:
        (tmp_path / name).write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    (tmp_path / "editorial_scores.yaml").write_text(yaml.safe_dump(editorial, sort_keys=False))
    return tmp_path


def counts():
    return [model.objects.count() for model in CATALOGUE_MODELS]


def sources():
    """Every recorded source as (entry id, url, title, as_of, confidence)."""
    rows = models.Source.objects.select_related("ai_model", "licence")
    return sorted(((row.ai_model or row.licence).slug, row.url, row.title, row.as_of, row.confidence) for row in rows)


def source_entry(rows, slug, title):
    """One of ``sources()`` as the editorial file writes it."""
    (row,) = [row for row in rows if row[0] == slug and row[2] == title]
    return {"url": row[1], "source": row[2], "as_of": row[3], "confidence": row[4]}


def mark_verified(editor_client, entry, url, title):
    """An editor's "Mark as verified" on one model or licence: it records a source dated today."""
    changelist = reverse(f"admin:advisor_{entry._meta.model_name}_changelist")
    data = {"action": "mark_verified", "_selected_action": [entry.pk], "apply": "1"}
    fields = {"source_url": url, "title": title, "confidence": "high"}
    response = editor_client.post(changelist, {**data, **fields}, follow=True)  # shows, and so uses, the message
    assert "1 entry marked verified today." in response.text


@pytest.mark.django_db
def test_the_real_reference_imports_into_an_empty_database_as_the_fixture_builds_it(client):
    import_reference()
    assert counts() == [65 * 13, 65 + 29, 65, 29, 21, 13]
    imported, imported_pages = catalogue.catalogue_snapshot(), public_pages(client)

    catalogue_empty()
    call_command("loaddata", "catalogue.json", verbosity=0)
    with pytest.raises(versions.NothingToPublish):  # the same public rows and snapshot as the import published
        versions.publish()
    assert catalogue.catalogue_snapshot() == imported
    assert public_pages(client) == imported_pages


@pytest.mark.django_db
def test_export_then_import_into_an_empty_database_gives_the_same_public_pages(client, tmp_path):
    call_command("loaddata", "catalogue.json", verbosity=0)
    # Editors' changes the reference has no field for travel in the editorial file.
    provider = models.Provider.objects.get(name="Mistral AI")
    provider.country = "France"
    provider.save()
    draft = models.AIModel.objects.get(slug="mistral-7b")
    draft.status = "draft"
    draft.save()
    score = models.Score.objects.get(ai_model__slug="gpt-4o", criterion__slug="lock-in")
    score.value, score.is_override, score.override_reason = 4, True, "Checked the Azure route by hand."
    score.save()
    versions.publish()
    before, pages = catalogue.catalogue_snapshot(), public_pages(client)

    call_command("catalogue_export", str(tmp_path / "out"), stdout=io.StringIO())
    catalogue_empty()
    import_reference(tmp_path / "out")

    assert catalogue.catalogue_snapshot() == before
    assert public_pages(client) == pages
    assert models.AIModel.objects.get(slug="mistral-7b").status == "draft"
    score = models.Score.objects.get(ai_model__slug="gpt-4o", criterion__slug="lock-in")
    assert (score.value, score.is_override, score.override_reason) == (4, True, "Checked the Azure route by hand.")


def several_errors(licences, ai_models, editorial):
    licences[0]["category"] = "very-permissive"
    licences[1]["osi_aproved"] = True  # misspelt
    del licences[2]["as_of"]
    llama = ai_models[0]
    llama["release_date"] = "2024-13"
    llama["license"] = "no-such-licence"
    ai_models[1]["modalities"] = ["text", "smell"]
    gpt_4o = next(entry for entry in ai_models if entry["id"] == "gpt-4o")
    gpt_4o["lifecycle"]["status"] = "sunset"
    ai_models[3]["id"] = ai_models[4]["id"]
    editorial["capability"]["qwen3-30b-a3b"]["value"] = 11
    misdated = {"url": "https://example.org/card", "source": "Model card", "as_of": "2026-13-01", "confidence": "high"}
    editorial["more_sources"] = {"models": {"gpt-4o": [misdated], "no-such-model": []}}


@pytest.mark.django_db
def test_an_import_with_several_errors_reports_each_with_entry_and_field_and_changes_nothing(tmp_path):
    call_command("loaddata", "catalogue.json", verbosity=0)
    before, snapshot = counts(), catalogue.catalogue_snapshot()
    folder = reference_copy(tmp_path, several_errors)

    with pytest.raises(CommandError) as raised:
        import_reference(folder)

    message = str(raised.value)
    expected = [
        "licenses.yaml: apache-2.0: category: must be one of permissive, ",
        "licenses.yaml: mit: osi_aproved: unknown field",
        ": as_of: missing",
        "models.yaml: llama-3.1-8b: release_date: '2024-13-01' is not a real date",
        "models.yaml: llama-3.1-8b: license: 'no-such-licence' is not an id in licenses.yaml",
        "models.yaml: llama-3.1-70b: modalities: unknown value(s) 'smell'",
        "models.yaml: gpt-4o: lifecycle.status: must be one of active, deprecated, retired, not 'sunset'",
        ": id: used by another entry of this file",
        "editorial_scores.yaml: qwen3-30b-a3b: capability: the score: value must be a whole number from 0 to 10",
        "editorial_scores.yaml: gpt-4o: more_sources.models: item 1: as_of '2026-13-01' is not a real date",
        "editorial_scores.yaml: no-such-model: more_sources.models: is not an id in models.yaml",
    ]
    missing = [line for line in expected if line not in message]
    assert not missing, message
    # The duplicate id also leaves llama-3.3-70b's rating pointing at no model, and the model it became unrated.
    assert "editorial_scores.yaml: llama-3.3-70b: capability: is not a model id in models.yaml" in message
    assert message.startswith("13 problem(s) found; nothing was imported.")
    assert counts() == before
    assert catalogue.catalogue_snapshot() == snapshot


@pytest.mark.django_db
def test_a_problem_only_the_database_finds_rolls_the_whole_import_back(tmp_path):
    def too_long(licences, ai_models, editorial):
        licences[0]["name"] = "Apache License 2.0 (edited)"
        ai_models[-1]["name"] = "x" * 201  # the last model: everything before it was already written

    with pytest.raises(CommandError) as raised:
        import_reference(reference_copy(tmp_path, too_long))

    assert "models.yaml: amazon-nova-pro: name: Ensure this value has at most 200 characters" in str(raised.value)
    assert counts() == [0] * len(CATALOGUE_MODELS)


@pytest.mark.django_db
def test_importing_again_updates_entries_by_id(client, tmp_path):
    import_reference()
    # Loading an empty catalogue is its starting point, not a change.
    first = client.get(reverse("advisor:changes")).content.decode()
    assert "The catalogue as first published" in first and "Added to the catalogue." not in first

    def renamed(licences, ai_models, editorial):
        ai_models[0]["api_price_usd_per_mtok_input"] = 0.1

    import_reference(reference_copy(tmp_path, renamed))
    assert counts() == [65 * 13, 65 + 29, 65, 29, 21, 13]
    llama = models.AIModel.objects.get(slug="llama-3.1-8b")
    assert str(llama.price_input_per_mtok) == "0.100"
    # Importing changed facts is a change to the working catalogue, listed once it is published.
    assert "0.100" not in client.get(reverse("advisor:changes")).content.decode()
    call_command("publish_catalogue", stdout=io.StringIO())
    changes = client.get(reverse("advisor:changes")).content.decode()
    assert "API price in (USD / M tokens):" in changes and "0.100" in changes


@pytest.mark.django_db
def test_every_source_of_every_entry_survives_export_then_import_into_an_empty_database(editor_client, tmp_path):
    first = catalogue_create(2)[0]
    licence = first.licence
    models.Source.objects.create(licence=licence, url=licence.url, title="Licence text", as_of="2025-01-15")
    mark_verified(editor_client, first, "https://example.org/card-v2", "Model card, second revision")
    mark_verified(editor_client, licence, "https://example.org/faq", "Licence FAQ")
    before = sources()
    assert [row[0] for row in before].count(first.slug) == 2
    reviewed = {ai_model.slug: ai_model.last_reviewed for ai_model in models.AIModel.objects.all()}

    call_command("catalogue_export", str(tmp_path / "out"), stdout=io.StringIO())
    catalogue_empty()
    import_reference(tmp_path / "out")

    assert sources() == before
    page = editor_client.get(reverse("advisor:model-detail", args=[first.slug])).text
    assert "Model card, second revision" in page and f"{first.name} model card" in page
    # The facts were last checked when the latest source was read.
    assert models.AIModel.objects.get(slug=first.slug).last_reviewed == reviewed[first.slug]
    # The reference format states one source per entry; the others travel in the editorial file.
    editorial = yaml.safe_load((tmp_path / "out" / "editorial_scores.yaml").read_text())
    assert editorial["more_sources"] == {
        "licences": {licence.slug: [source_entry(before, licence.slug, "Licence FAQ")]},
        "models": {first.slug: [source_entry(before, first.slug, "Model card, second revision")]},
    }


@pytest.mark.django_db
def test_a_re_import_of_the_reference_keeps_the_sources_editors_added_and_changes_nothing_else(editor_client):
    import_reference()
    mark_verified(editor_client, models.AIModel.objects.get(slug="gpt-4o"), "https://example.org/gpt-4o", "Pricing")
    llama = models.Licence.objects.get(slug="llama-4-community")
    mark_verified(editor_client, llama, "https://example.org/llama-4", "Licence, re-read")
    before = sources(), counts(), catalogue.catalogue_snapshot(), public_pages(editor_client)
    changes = editor_client.get(reverse("advisor:changes")).text
    llama.refresh_from_db()
    reviewed = [models.AIModel.objects.get(slug="gpt-4o").last_reviewed, llama.last_reviewed]
    assert reviewed == [timezone.localdate()] * 2

    output = io.StringIO()
    call_command("catalogue_import", str(REFERENCE), stdout=output)

    assert ("gpt-4o", "https://example.org/gpt-4o", "Pricing") in [row[:3] for row in sources()]
    assert (sources(), counts(), catalogue.catalogue_snapshot(), public_pages(editor_client)) == before
    assert editor_client.get(reverse("advisor:changes")).text == changes
    llama.refresh_from_db()
    assert [models.AIModel.objects.get(slug="gpt-4o").last_reviewed, llama.last_reviewed] == reviewed
    assert "kept the recorded source" not in output.getvalue()


@pytest.mark.django_db
def test_a_re_import_adds_a_newer_source_and_names_a_recorded_one_it_words_differently(tmp_path):
    (ai_model,) = catalogue_create(1)
    licence = ai_model.licence
    models.Source.objects.create(licence=licence, url=licence.url, title="Licence text", as_of="2025-01-15")
    folder = tmp_path / "out"
    call_command("catalogue_export", str(folder), stdout=io.StringIO())
    for name, key, change in [
        ("models.yaml", "models", {"as_of": "2026-11-30", "source": "Model card, re-read"}),
        ("licenses.yaml", "licenses", {"source": "Licence text (reworded)", "confidence": "low"}),
    ]:
        document = yaml.safe_load((folder / name).read_text())
        document[key][0].update(change)
        (folder / name).write_text(yaml.safe_dump(document, sort_keys=False))
    before = sources()

    output = io.StringIO()
    call_command("catalogue_import", str(folder), stdout=output)

    added = (ai_model.slug, "https://example.org/card", "Model card, re-read", "2026-11-30", "medium")
    assert sources() == sorted([*before, added])
    assert (
        f"{licence.slug}: kept the recorded source {licence.url} as of 2025-01-15 ('Licence text', medium); "
        "the file says 'Licence text (reworded)', low." in output.getvalue()
    )


@pytest.mark.django_db
def test_the_export_refuses_a_licence_whose_url_no_source_has(tmp_path):
    (ai_model,) = catalogue_create(1)
    models.Source.objects.create(licence=ai_model.licence, url="https://example.org/faq", title="FAQ", as_of="2025-01")

    with pytest.raises(CommandError) as raised:
        call_command("catalogue_export", str(tmp_path / "out"), stdout=io.StringIO())

    assert "no source of these licences has that URL: apache-2.0" in str(raised.value)
    assert not (tmp_path / "out").exists()
