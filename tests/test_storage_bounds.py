"""What a stranger can make the server store: results that stay small, and a retention period."""

import datetime
import io
import json
import types

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast, Length
from django.urls import reverse
from django.utils import timezone

from advisor import models, ratelimit
from tests.conftest import catalogue_create, complete_answers, outside_changes_since, publish

RESULT_BYTES = 10 * 1024


def submit(client, **overrides):
    # The synthetic catalogue's models are self-hosted: a team with its own GPUs can run them.
    answers = {"deployment": "on-premises", "hardware": "gpu-80", **overrides}
    return client.post(
        reverse("api:recommendations"),
        {"answers": complete_answers(**answers)},
        content_type="application/json",
    )


def stored_bytes():
    """Bytes the saved results hold in their JSON columns, as the database stores them as text."""
    sizes = models.Recommendation.objects.annotate(
        size=Length(Cast("answers", TextField())) + Length(Cast("result", TextField()))
    ).values_list("size", flat=True)
    return list(sizes)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [6, 400])
def test_a_saved_result_stays_under_10_kb_whatever_the_catalogue_size(client, size):
    catalogue_create(size)
    publish()
    response = submit(client)
    assert response.status_code == 201, response.content
    whole = json.dumps(response.json())
    (saved,) = stored_bytes()
    assert saved <= RESULT_BYTES, saved
    assert response.json()["ranking"], "some models must be eligible for the size to mean anything"
    if size == 400:
        # The whole result the permalink shows is many times larger than what is stored.
        assert len(whole) > 5 * saved


@pytest.mark.django_db
def test_a_permalink_says_what_it_said_after_the_catalogue_changes(client):
    versions_before = models.CatalogueVersion.objects.count()
    ai_models = catalogue_create(12)
    publish()
    code = submit(client).json()["code"]
    url = reverse("advisor:recommendation-json", kwargs={"code": code})
    before = client.get(url).json()
    top = before["ranking"][0]["slug"]

    renamed = models.AIModel.objects.get(slug=top)
    renamed.name = "Renamed Later"
    renamed.save()
    models.AIModel.objects.filter(pk=ai_models[-1].pk).delete()
    publish()

    after = client.get(url).json()
    assert after == before
    page = client.get(reverse("advisor:recommendation-detail", kwargs={"code": code}))
    assert "Renamed Later" not in outside_changes_since(page.content.decode())
    assert "The catalogue has changed since this result was computed" in page.content.decode()
    # The version it was computed on is kept, and the next result is computed on a new one.
    second = models.Recommendation.objects.get(code=submit(client).json()["code"])
    first = models.Recommendation.objects.get(code=code)
    assert second.catalogue_version_id != first.catalogue_version_id
    assert models.CatalogueVersion.objects.count() == versions_before + 2


@pytest.mark.django_db
def test_a_result_that_no_longer_reproduces_says_so_instead_of_passing_for_the_old_one(client):
    catalogue_create(6)
    publish()
    code = submit(client).json()["code"]
    recommendation = models.Recommendation.objects.get(code=code)
    recommendation.result = {**recommendation.result, "digest": "0" * 64}
    recommendation.save()
    page = client.get(reverse("advisor:recommendation-detail", kwargs={"code": code}))
    assert page.status_code == 200
    assert "the engine no longer gives exactly what it gave" in page.content.decode()


@pytest.mark.django_db
def test_a_client_at_the_limit_for_a_whole_day_stores_no_more_than_the_stated_bound(client, settings, monkeypatch):
    """The bound: ADVISOR_SUBMISSION_LIMIT results per window, 86,400 / window windows a day, 10 KB each."""
    settings.ADVISOR_SUBMISSION_LIMIT = 2
    settings.ADVISOR_SUBMISSION_WINDOW = 3600
    catalogue_create(40)
    publish()
    clock = types.SimpleNamespace(now=1_800_000_000.0)
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: clock.now))
    before = database_bytes()
    statuses = []
    for _window in range(24):
        for _attempt in range(settings.ADVISOR_SUBMISSION_LIMIT + 1):
            statuses.append(submit(client).status_code)
        clock.now += settings.ADVISOR_SUBMISSION_WINDOW
    assert statuses.count(201) == 48
    assert statuses.count(429) == 24
    sizes = stored_bytes()
    bound = settings.ADVISOR_SUBMISSION_LIMIT * (86_400 // settings.ADVISOR_SUBMISSION_WINDOW) * RESULT_BYTES
    assert len(sizes) == 48
    assert sum(sizes) <= bound
    assert max(sizes) <= RESULT_BYTES
    # What the database itself grew by: rows, indexes and the limit's counters, in whole pages.
    assert database_bytes() - before <= bound, (database_bytes() - before, bound)


def database_bytes():
    """The database's size on disk (SQLite: its pages; PostgreSQL: its files)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return pages * cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def age(code, days, *, opened_days_ago=None):
    today = timezone.localdate()
    models.Recommendation.objects.filter(code=code).update(
        created_at=timezone.now() - datetime.timedelta(days=days),
        last_opened=None if opened_days_ago is None else today - datetime.timedelta(days=opened_days_ago),
    )


@pytest.mark.django_db
def test_purge_results_deletes_only_results_not_opened_within_the_retention(client, settings):
    settings.ADVISOR_RESULT_RETENTION_DAYS = 30
    catalogue_create(6)
    publish()
    never_opened, opened_lately, new = (submit(client).json()["code"] for _ in range(3))
    age(never_opened, 31)
    age(opened_lately, 90, opened_days_ago=2)

    call_command("purge_results", "--dry-run", stdout=(out := io.StringIO()))
    assert "1 results would be deleted" in out.getvalue()
    assert models.Recommendation.objects.count() == 3

    call_command("purge_results", stdout=(out := io.StringIO()))
    assert "Deleted 1 results" in out.getvalue()
    assert set(models.Recommendation.objects.values_list("code", flat=True).iterator()) == {
        models.Recommendation.objects.get(code=opened_lately).code,
        models.Recommendation.objects.get(code=new).code,
    }
    assert client.get(reverse("advisor:recommendation-detail", kwargs={"code": never_opened})).status_code == 404


@pytest.mark.django_db
def test_opening_a_permalink_keeps_it_from_being_purged(client, settings):
    settings.ADVISOR_RESULT_RETENTION_DAYS = 30
    catalogue_create(6)
    publish()
    code = submit(client).json()["code"]
    age(code, 400)
    assert client.get(reverse("advisor:recommendation-detail", kwargs={"code": code})).status_code == 200
    call_command("purge_results", stdout=io.StringIO())
    assert models.Recommendation.objects.filter(code=code).exists()


@pytest.mark.django_db
def test_without_a_retention_period_nothing_is_purged_or_tracked(client, settings):
    settings.ADVISOR_RESULT_RETENTION_DAYS = None
    catalogue_create(6)
    publish()
    code = submit(client).json()["code"]
    age(code, 4000)
    client.get(reverse("advisor:recommendation-detail", kwargs={"code": code}))
    out = io.StringIO()
    call_command("purge_results", stdout=out)
    assert "every result is kept" in out.getvalue()
    assert models.Recommendation.objects.get(code=code).last_opened is None
