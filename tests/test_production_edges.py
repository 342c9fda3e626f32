"""Operational edges: probes behind TLS, a full disk, what logs may say, IPv6 neighbours, chunked bodies."""

import io
import json
import logging
import shutil
import threading
import time
from collections import namedtuple
from unittest import mock

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from advisor import logs, models, ratelimit
from advisor.middleware import JsonFormatter, client_pseudonym
from advisor.wsgi import with_chunked_bodies
from tests.conftest import complete_answers
from tests.production import production_overrides

Usage = namedtuple("Usage", "total used free")


@pytest.mark.django_db
def test_probes_answer_over_plain_http_in_production_while_pages_redirect():
    with override_settings(**production_overrides()):
        client = Client()
        assert client.get(reverse("advisor:healthz")).status_code == 200
        assert client.get(reverse("advisor:readyz")).status_code == 200
        assert client.get(reverse("advisor:home")).status_code == 301


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_disk_is_full(client):
    from django.db import connections

    database = connections["default"]
    full = Usage(10**9, 10**9 - 1024, 1024)
    with mock.patch.object(shutil, "disk_usage", return_value=full):
        if database.vendor == "sqlite":
            # The probe runs in a thread of its own, with its own connection: patch every connection.
            with mock.patch.object(type(database), "is_in_memory_db", return_value=False):
                response = client.get(reverse("advisor:readyz"))
            assert response.status_code == 503
            assert response.json() == {"status": "unavailable", "database": "read-only"}
        else:
            # PostgreSQL's disk is the server's: it refuses writes itself, and a standby says so.
            assert client.get(reverse("advisor:readyz")).status_code == 200


@pytest.fixture
def django_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(logs.RoutePatternFilter())
    loggers = [logging.getLogger(name) for name in ("django.security.csrf", "django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield stream
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_csrf_refusal_and_a_server_error_log_the_route_not_the_permalink_code(django_log, monkeypatch):
    code = "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed"
    # A result that exists: the permalink checks that before it renders (an unknown code is a 404).
    models.Recommendation.objects.create(
        code=code, answers=complete_answers(), result={}, catalogue_fingerprint="x", engine_version="test"
    )
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    assert client.post(f"/r/{code}/reevaluate/").status_code == 403

    from advisor.views import results

    monkeypatch.setattr(results, "_permalink_render", mock.Mock(side_effect=RuntimeError("broken")))
    monkeypatch.setattr(results.pagecache, "get", lambda request, key: None)
    assert client.get(f"/r/{code}/").status_code == 500

    written = django_log.getvalue()
    assert "Forbidden" in written and "Internal Server Error" in written
    assert code not in written
    assert "r/<uuid:code>/" in written


def request_from(address):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_the_client_pseudonym_is_keyed_and_ipv6_neighbours_share_one(settings):
    first = client_pseudonym(request_from("2001:db8:1:2::1"))
    assert first == client_pseudonym(request_from("2001:db8:1:2:ffff::9"))  # the same /64
    assert first != client_pseudonym(request_from("2001:db8:1:3::1"))
    assert client_pseudonym(request_from("192.0.2.1")) != client_pseudonym(request_from("192.0.2.2"))
    before = client_pseudonym(request_from("192.0.2.1"))
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert client_pseudonym(request_from("192.0.2.1")) != before  # not a plain hash anyone can recompute


@pytest.mark.django_db
def test_the_submission_limit_counts_an_ipv6_64_as_one_client(client, settings):
    settings.ADVISOR_SUBMISSION_LIMIT = 2
    url = reverse("api:recommendations")
    body = json.dumps({"answers": complete_answers()})
    statuses = [
        client.post(url, body, content_type="application/json", REMOTE_ADDR=f"2001:db8:1:2::{n}").status_code
        for n in range(1, 4)
    ]
    assert statuses[:2] != [429, 429] and statuses[2] == 429
    assert ratelimit.client_key(request_from("2001:db8:1:2::7")) == ratelimit.client_key(
        request_from("2001:db8:1:2::8")
    )


@pytest.mark.django_db
def test_a_chunked_json_body_is_read():
    body = json.dumps({"answers": {"use_case": "assistant"}}).encode()
    environ = RequestFactory().generic("POST", "/api/v1/recommendations").environ
    environ.pop("CONTENT_LENGTH", None)
    environ.update(CONTENT_TYPE="application/json", HTTP_TRANSFER_ENCODING="chunked")
    environ["wsgi.input"] = io.BytesIO(body)  # what gunicorn hands on: the chunks already decoded
    status = []
    content = b"".join(with_chunked_bodies(WSGIHandler())(environ, lambda s, h, e=None: status.append(s)))
    assert status[0].startswith("400"), (status, content[:300])
    assert "not valid JSON" not in content.decode()
    assert "quality" in json.loads(content)["errors"]  # the body was read: the missing answers are named


def test_gunicorn_keeps_no_control_socket_in_the_home_directory(monkeypatch):
    import runpy
    from pathlib import Path

    config = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    assert runpy.run_path(str(config))["control_socket_disable"] is True
    monkeypatch.setenv("GUNICORN_CONTROL_SOCKET", "var/gunicorn.ctl")
    settings = runpy.run_path(str(config))
    assert settings["control_socket"] == "var/gunicorn.ctl" and "control_socket_disable" not in settings


@pytest.mark.django_db
def test_readyz_answers_503_on_time_when_the_database_hangs(client, settings):
    from django.db import connections

    settings.ADVISOR_READYZ_TIMEOUT = 0.3
    release = threading.Event()

    def hang(*args, **kwargs):
        release.wait(5)
        raise OSError("gave up")

    try:
        with mock.patch.object(type(connections["default"]), "cursor", side_effect=hang):
            started = time.monotonic()
            first = client.get(reverse("advisor:readyz"))
            assert time.monotonic() - started < 1.5
            # While that check still hangs, the next probe waits for the same check, not behind it.
            second = client.get(reverse("advisor:readyz"))
            assert time.monotonic() - started < 1.5
    finally:
        release.set()
    for response in (first, second):
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "database": "not answering"}


@pytest.mark.django_db
def test_an_unreachable_database_gives_the_friendly_503_page(client):
    from django.db import OperationalError, connections

    with mock.patch.object(type(connections["default"]), "cursor", side_effect=OperationalError("timeout expired")):
        page = client.get(reverse("advisor:model-list"))
        api = client.post(
            reverse("api:recommendations"), {"answers": complete_answers()}, content_type="application/json"
        )
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert "cannot reach its database" in page.content.decode()
    assert "timeout expired" not in page.content.decode()
    assert api.status_code == 503
    assert api["Content-Type"] == "application/json"
    assert "timeout expired" not in api.content.decode()


@pytest.mark.django_db
def test_probes_at_the_same_moment_share_one_check_and_all_answer_200(client, settings):
    from concurrent.futures import ThreadPoolExecutor

    from django.test import Client

    def probe(_):
        response = Client().get(reverse("advisor:readyz"))
        return response.status_code, response.json()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(probe, range(16)))
    assert answers == [(200, {"status": "ok", "database": "ok"})] * 16


@pytest.mark.django_db
def test_sqlite_syncs_every_commit_and_waits_for_a_lock():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL: an acknowledged result survives a power loss
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] > 0


def test_redis_url_shares_the_cache_and_the_sessions_through_djangos_redis_backend(monkeypatch):
    from tests.production import _settings_for

    monkeypatch.delenv("CACHE_URL", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    configured = _settings_for("production")
    assert configured["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert configured["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


@pytest.mark.django_db
def test_postgresql_connects_and_runs_statements_under_timeouts():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "10s"
    assert connection.connection.info.get_parameters()["connect_timeout"] == "2"
