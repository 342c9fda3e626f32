"""Backup and restore: every saved result comes back identical, and its permalink renders the same."""

import datetime
import gzip
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisor import models, services, versions
from advisor.management.backup import backed_up_models
from tests.conftest import catalogue_create, complete_answers

BASE_DIR = Path(__file__).resolve().parent.parent


def recommendations_create():
    """Real results, made by the engine on the test catalogue, a few days old."""
    created = timezone.now() - datetime.timedelta(days=3)
    versions.publish()
    variants = [{}, {"deployment": "on-premises", "commercial": "no"}, {"mlops": "none", "time_to_market": "weeks"}]
    made = []
    for n, overrides in enumerate(variants):
        recommendation = services.recommendation_create(answers=complete_answers(**overrides))
        recommendation.created_at = created + datetime.timedelta(minutes=n)
        recommendation.save(update_fields=["created_at"])
        made.append(recommendation)
    return made


def content():
    """Every backed-up row, field by field, in a comparable form."""
    return {model._meta.label: list(model._base_manager.order_by("pk").values()) for model in backed_up_models()}


def permalink_pages():
    """What each permalink serves (HTML and JSON)."""
    client = Client(raise_request_exception=False)
    pages = {}
    for recommendation in models.Recommendation.objects.order_by("code"):
        html = client.get(reverse("advisor:recommendation-detail", kwargs={"code": recommendation.code}))
        pages[str(recommendation.code)] = (html.status_code, html.content, html.get("ETag"))
        data = client.get(reverse("advisor:recommendation-json", kwargs={"code": recommendation.code}))
        pages[f"{recommendation.code}.json"] = (data.status_code, data.content, data.get("ETag"))
    return pages


def wipe():
    """Empty every table a backup covers, like a brand-new database."""
    for model in (
        models.Recommendation,
        models.CatalogueVersion,
        models.AudiencePreset,
        models.Score,
        models.Source,
        models.AIModel,
        models.Criterion,
        models.Licence,
        models.Provider,
        models.SubmissionCounter,
    ):
        model._base_manager.all().delete()
    assert all(not m._base_manager.exists() for m in backed_up_models())


@pytest.fixture
def filled(db):
    catalogue_create(4)
    draft = models.AIModel.objects.order_by("pk").last()
    draft.status = "draft"
    draft.save()
    models.AudiencePreset.objects.create(
        slug="researchers", name="Researchers", description="Teams that study models.", answers={"team": "research"}
    )
    recommendations_create()
    models.SubmissionCounter.objects.create(client="x" * 64, window=1, count=3)


def rows_of(path):
    text = gzip.decompress(path.read_bytes()).decode() if path.name.endswith(".gz") else path.read_text()
    if ".jsonl" in path.name:
        return [json.loads(line) for line in text.splitlines()]
    return json.loads(text)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["backup.jsonl.gz", "backup.json.gz"])
def test_a_restored_backup_is_identical_and_renders_every_permalink_the_same(filled, tmp_path, name):
    before, pages_before = content(), permalink_pages()
    assert len(before["advisor.Recommendation"]) == 3
    backup = tmp_path / name

    call_command("export_backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert backup.stat().st_mode & 0o777 == 0o600
    labels = {row["model"] for row in rows_of(backup)}
    assert "advisor.submissioncounter" not in labels
    assert "advisor.cataloguestate" not in labels
    assert {"advisor.recommendation", "advisor.aimodel", "advisor.audiencepreset"} <= labels

    wipe()
    call_command("import_backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert content() == before
    assert len(pages_before) == 6
    assert all(status == 200 for status, _, _ in pages_before.values()), pages_before
    assert permalink_pages() == pages_before
    # New rows get fresh ids after the restore (PostgreSQL sequences were moved past the restored ones).
    models.Recommendation.objects.create(answers={}, result={}, catalogue_fingerprint="x", engine_version="1")
    models.Provider.objects.create(name="New", slug="new")


@pytest.mark.django_db
def test_import_refuses_a_database_that_is_not_empty(filled, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("export_backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    before = content()
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_backup", str(backup))
    assert content() == before


@pytest.mark.django_db
def test_export_checks_the_file_name(tmp_path):
    with pytest.raises(CommandError, match="must end in"):
        call_command("export_backup", str(tmp_path / "backup.txt"))
    existing = tmp_path / "old.json"
    existing.write_text("[]")
    with pytest.raises(CommandError, match="already exists"):
        call_command("export_backup", str(existing))
    with pytest.raises(CommandError, match="no backup file"):
        call_command("import_backup", str(tmp_path / "missing.json"))


@pytest.mark.django_db
def test_a_backup_restores_into_a_fresh_database_from_the_command_line(filled, tmp_path):
    """The documented procedure end to end: migrate a new database, import, export again: same content."""
    backup = tmp_path / "backup.json"
    call_command("export_backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "AXES_", "ADVISOR_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="advisor.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_VAR_DIR=str(tmp_path / "fresh"),
    )

    def manage(*arguments):
        return subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert manage("migrate", "--noinput", "--verbosity", "0").returncode == 0
    # The new SQLite database (DATABASE_URL is not passed on) holds every answer: its owner's only.
    assert (tmp_path / "fresh" / "db.sqlite3").stat().st_mode & 0o777 == 0o600
    restored = manage("import_backup", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout
    again = manage("import_backup", str(backup))
    assert again.returncode != 0
    assert "not empty" in again.stderr
    assert manage("export_backup", str(tmp_path / "again.json")).returncode == 0

    def rows(path):
        return sorted(json.loads(path.read_text()), key=lambda row: (row["model"], str(row["pk"])))

    assert rows(tmp_path / "again.json") == rows(backup)


def crafted(tmp_path, *rows):
    path = tmp_path / "crafted.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


PROVIDER_ROW = {
    "model": "advisor.provider",
    "pk": 1,
    "fields": {
        "name": "P",
        "slug": "p",
        "country": "",
        "website": "",
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    },
}


@pytest.mark.django_db
def test_a_backup_cannot_create_users_or_groups(tmp_path, django_user_model):
    superuser = {
        "model": "auth.user",
        "pk": 99,
        "fields": {
            "username": "intruder",
            "password": "x",
            "is_superuser": True,
            "is_staff": True,
            "is_active": True,
            "email": "",
            "first_name": "",
            "last_name": "",
            "date_joined": "2026-01-01T00:00:00Z",
            "groups": [],
            "user_permissions": [],
        },
    }
    with pytest.raises(CommandError, match=r"auth\.User rows"):
        call_command("import_backup", str(crafted(tmp_path, PROVIDER_ROW, superuser)))
    assert not django_user_model.objects.exists()
    assert not models.Provider.objects.exists(), "nothing is half-imported"


@pytest.mark.django_db
def test_restored_rich_text_is_sanitised_again(tmp_path, client):
    criterion = {
        "model": "advisor.criterion",
        "pk": 1,
        "fields": {
            "slug": "x",
            "name": "X",
            "position": 1,
            "summary": "s",
            "open_view": "Fine <script>alert(1)</script> [link](javascript:alert(2))",
            "closed_view": "",
            "scoring_rule": "",
            "from_article": True,
            "open_view_html": "<img src=x onerror=alert(3)>",
            "closed_view_html": "<script>alert(4)</script>",
            "scoring_rule_html": "",
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
        },
    }
    call_command("import_backup", str(crafted(tmp_path, criterion)), stdout=open(os.devnull, "w"))  # noqa: SIM115
    restored = models.Criterion.objects.get()
    for html in (restored.open_view_html, restored.closed_view_html):
        assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "Fine" in restored.open_view_html
    page = client.get(reverse("advisor:criteria")).content.decode()
    assert "alert(" not in page


@pytest.mark.django_db
def test_a_damaged_backup_is_refused_with_nothing_imported(tmp_path):
    path = crafted(tmp_path, PROVIDER_ROW)
    path.write_text(path.read_text() + '{"model": "advisor.provider", "pk": 2, "fiel\n')
    with pytest.raises(CommandError, match="not a backup this version can read"):
        call_command("import_backup", str(path))
    assert not models.Provider.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["old.jsonl", "old.json"])
def test_a_backup_written_before_created_at_restores_each_creation_time(filled, tmp_path, name):
    """Older backups name a recommendation's creation time ``created`` (now ``created_at``)."""
    created = dict(models.Recommendation.objects.values_list("code", "created_at"))
    pages_before = permalink_pages()
    backup = tmp_path / name
    call_command("export_backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    rows = rows_of(backup)
    old = [row for row in rows if row["model"] == "advisor.recommendation"]
    for row in old:
        row["fields"]["created"] = row["fields"].pop("created_at")
    assert len(old) == 3
    if name.endswith(".jsonl"):
        backup.write_text("".join(json.dumps(row) + "\n" for row in rows))
    else:
        backup.write_text(json.dumps(rows, indent=1))

    wipe()
    call_command("import_backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert dict(models.Recommendation.objects.values_list("code", "created_at")) == created
    assert permalink_pages() == pages_before  # the JSON still says "created", at the same moment


@pytest.mark.django_db
@pytest.mark.parametrize(
    "row",
    [
        {**PROVIDER_ROW, "pk": 2, "fields": {**PROVIDER_ROW["fields"], "slug": "q", "founded": 1999}},
        {"model": "advisor.provider", "pk": 2},
        ["advisor.provider", 2],
    ],
    ids=["unknown field", "no fields", "not an object"],
)
def test_a_row_that_is_not_a_model_instance_is_refused_with_nothing_imported(tmp_path, row):
    with pytest.raises(CommandError, match="not a backup this version can read"):
        call_command("import_backup", str(crafted(tmp_path, PROVIDER_ROW, row)))
    assert not models.Provider.objects.exists()


@pytest.mark.django_db
def test_a_backup_written_when_versions_held_their_content_restores_it(filled, tmp_path):
    """Older backups keep a version's snapshot and records in the version's row (now a table of their own)."""
    before, pages_before = content(), permalink_pages()
    backup = tmp_path / "old.jsonl"
    call_command("export_backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    rows = rows_of(backup)
    held = {row["pk"]: row["fields"] for row in rows if row["model"] == "advisor.catalogueversioncontent"}
    old = [row for row in rows if row["model"] != "advisor.catalogueversioncontent"]
    for row in old:
        if row["model"] == "advisor.catalogueversion":
            row["fields"].update(held.pop(row["pk"]))
    assert not held
    backup.write_text("".join(json.dumps(row) + "\n" for row in old))

    wipe()
    call_command("import_backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert content() == before
    assert permalink_pages() == pages_before
