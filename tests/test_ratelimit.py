"""Per-client submission limits, counted in the database and shared by every worker."""

import threading
from unittest import mock

import pytest
from django.db import IntegrityError, connections
from django.test import RequestFactory, override_settings

from advisor import ratelimit
from advisor.models import SubmissionCounter

WINDOW = 60
T0 = 1_800_000_000.0  # a window boundary: 1_800_000_000 is a multiple of 60


def request_from(address, **meta):
    return RequestFactory().post("/questionnaire/", REMOTE_ADDR=address, **meta)


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.ADVISOR_SUBMISSION_LIMIT = 3
    settings.ADVISOR_SUBMISSION_WINDOW = WINDOW


@pytest.mark.django_db
def test_a_client_may_submit_up_to_the_limit_then_is_refused():
    request = request_from("198.51.100.1")
    assert [ratelimit.submission_allowed(request) for _ in range(5)] == [True, True, True, False, False]


@pytest.mark.django_db
def test_clients_are_counted_separately():
    first, second = request_from("198.51.100.1"), request_from("198.51.100.2")
    for _ in range(3):
        assert ratelimit.submission_allowed(first)
    assert not ratelimit.submission_allowed(first)
    assert ratelimit.submission_allowed(second)


@pytest.mark.django_db
def test_a_new_window_starts_afresh_and_finished_windows_are_pruned():
    key, other = "a" * 64, "b" * 64
    assert [ratelimit.hit(key, now=T0 + s) for s in (0, 1, 59)] == [1, 2, 3]
    ratelimit.hit(other, now=T0 + 30)
    assert SubmissionCounter.objects.count() == 2

    assert ratelimit.hit(key, now=T0 + 60) == 1
    # The first hit of the new window removed every finished window, the other client's too.
    assert list(SubmissionCounter.objects.values_list("window", "count")) == [(int(T0 // WINDOW) + 1, 1)]


@pytest.mark.django_db
def test_the_address_is_not_stored():
    ratelimit.submission_allowed(request_from("198.51.100.1"))
    stored = SubmissionCounter.objects.get()
    assert "198.51.100.1" not in stored.client
    assert len(stored.client) == 64


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_does_not_reset_the_count():
    for n in range(3):
        assert ratelimit.submission_allowed(request_from("198.51.100.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"))
    assert not ratelimit.submission_allowed(request_from("198.51.100.1", HTTP_X_FORWARDED_FOR="192.0.2.99"))


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_visitor_has_their_own_count():
    via_proxy = {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for _ in range(3):
        assert ratelimit.submission_allowed(request_from("10.0.0.2", **via_proxy))
    assert not ratelimit.submission_allowed(request_from("10.0.0.2", **via_proxy))
    assert ratelimit.submission_allowed(request_from("10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.6"))


@pytest.mark.django_db
def test_a_row_created_by_another_process_in_between_is_counted_on():
    """The create-on-miss race: the UPDATE found no row, but another process inserted it first."""
    key = "c" * 64
    window = ratelimit.current_window(T0)
    real_increment = ratelimit._increment
    calls = []

    def increment_after_a_rival_insert(client, counted_window):
        calls.append(1)
        if len(calls) == 1:
            SubmissionCounter.objects.create(client=key, window=window, count=5)
            return None  # what the UPDATE saw just before the rival's INSERT
        return real_increment(client, counted_window)

    with mock.patch.object(ratelimit, "_increment", increment_after_a_rival_insert):
        assert ratelimit.hit(key, now=T0) == 6
    assert SubmissionCounter.objects.get().count == 6
    # The database connection is still usable after the IntegrityError (PostgreSQL aborts a transaction).
    assert ratelimit.hit(key, now=T0) == 7


@pytest.mark.parametrize(("offset", "expected"), [(0, 60), (0.2, 60), (1, 59), (59.5, 1), (59.99, 1)])
def test_retry_after_counts_down_to_the_end_of_the_window(offset, expected):
    assert ratelimit.retry_after(now=T0 + offset) == expected


@pytest.mark.django_db
def test_the_429_page_is_friendly_with_retry_after():
    response = ratelimit.ratelimited(request_from("198.51.100.1"))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= WINDOW
    page = response.content.decode()
    assert "Too many requests" in page
    assert "Wait a minute, then try again." in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_a_long_wait_is_said_in_minutes():
    response = ratelimit.too_many_requests(request_from("198.51.100.1"), retry_seconds=600)
    assert response["Retry-After"] == "600"
    assert "Wait 10 minutes, then try again." in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_are_each_counted_exactly_once():
    threads, per_thread = 12, 25
    key = "d" * 64
    counts, errors = [], []
    barrier = threading.Barrier(threads)

    def submit():
        try:
            barrier.wait()
            for _ in range(per_thread):
                counts.append(ratelimit.hit(key, now=T0))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=submit) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    # Every caller saw its own count: no two were told the same number, none was lost.
    assert sorted(counts) == list(range(1, threads * per_thread + 1))
    assert SubmissionCounter.objects.get(client=key).count == threads * per_thread


@pytest.mark.django_db
def test_a_counter_row_that_vanishes_between_update_and_insert_is_counted_again():
    """Under load, another request creates the row (our insert fails) and a request already in the next
    window prunes it before we count: the count is retried, never lost and never an error."""
    real_create = SubmissionCounter.objects.create
    calls = []

    def create_lost_the_race(**fields):
        calls.append(fields)
        if len(calls) == 1:
            raise IntegrityError("duplicate key value violates unique constraint")
        return real_create(**fields)

    with mock.patch.object(SubmissionCounter.objects, "create", side_effect=create_lost_the_race):
        assert ratelimit.hit("client", now=1_000_000) == 1
    assert ratelimit.hit("client", now=1_000_000) == 2
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_late_request_in_an_old_window_never_prunes_the_next_windows_counts(settings):
    length = settings.ADVISOR_SUBMISSION_WINDOW
    assert ratelimit.hit("early", now=10 * length) == 1  # the next window already counts
    assert ratelimit.hit("late", now=9 * length) == 1  # a straggler still counting in the old one
    assert SubmissionCounter.objects.filter(client="early", window=10).get().count == 1
