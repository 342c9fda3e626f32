"""Operations: health probes, error pages that leak nothing, database reconnects, request logs."""

import io
import json
import logging
import sys
from unittest import mock

import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection, connections
from django.test import Client, RequestFactory
from django.urls import reverse

from advisor.middleware import JsonFormatter
from tests.error_urls import SECRET_DETAIL
from tests.production import _settings_for


def assert_uncached(response):
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "must-revalidate", "max-age=0"} <= cache_control


# --- /healthz and /readyz ----------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("advisor:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert_uncached(response)


@pytest.mark.django_db
def test_readyz_is_ok_when_the_database_answers(client):
    response = client.get(reverse("advisor:readyz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert_uncached(response)


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_is_unreachable(client):
    # The probe runs in a thread of its own, with its own connection: patch every connection.
    with mock.patch.object(type(connections["default"]), "cursor", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("advisor:readyz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert b"refused" not in response.content
    assert_uncached(response)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["advisor:healthz", "advisor:readyz"])
def test_probes_only_answer_get(client, name):
    assert client.post(reverse(name)).status_code == 405


# --- Error pages ------------------------------------------------------------


def assert_leaks_nothing(response):
    page = response.content.decode()
    for leak in (SECRET_DETAIL, "Traceback", "RuntimeError", "advisor/", "site-packages", "DJANGO_", "settings"):
        assert leak not in page, leak
    assert response["Content-Security-Policy"]
    assert 'name="robots" content="noindex"' in page


@pytest.fixture
def failing_client(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    return client


@pytest.mark.django_db
def test_a_crash_shows_the_friendly_500_page(failing_client):
    response = failing_client.get("/test-explode/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert_leaks_nothing(response)


@pytest.mark.django_db
def test_a_forbidden_page_shows_the_friendly_403_page(failing_client):
    response = failing_client.get("/test-forbid/")
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    assert_leaks_nothing(response)


@pytest.mark.django_db
def test_a_suspicious_request_shows_the_friendly_400_page(failing_client):
    response = failing_client.get("/test-suspicious/")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
    assert_leaks_nothing(response)


@pytest.mark.django_db
def test_an_unknown_host_gets_the_friendly_400_page(failing_client):
    response = failing_client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "evil.example" not in response.content.decode()
    assert_leaks_nothing(response)


@pytest.mark.django_db
def test_a_missing_page_shows_the_friendly_404_page(failing_client):
    response = failing_client.get(f"/no-such-page-{SECRET_DETAIL}/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert_leaks_nothing(response)


@pytest.mark.django_db
def test_a_post_without_csrf_token_is_refused_kindly(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "ed", "password": "x"})
    assert response.status_code == 403
    assert "Form expired" in response.content.decode()
    assert_leaks_nothing(response)


# --- PostgreSQL: a restarted backend is survived ------------------------------


def wsgi_get(path):
    """Serve one request the way gunicorn does (the test client skips the connection housekeeping)."""
    environ = RequestFactory().get(path).environ
    status = []
    body = b"".join(WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s)))
    return int(status[0].split()[0]), body


def terminate_backend_of(conn):
    """Kill the server process behind ``conn`` from a second connection, as a database restart would."""
    pid = conn.connection.info.backend_pid
    params = conn.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0] is True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_requests_survive_a_terminated_database_backend():
    """With persistent connections (DJANGO_CONN_MAX_AGE > 0, e.g. behind PgBouncer), a request that
    finds its connection killed by the server reconnects instead of failing."""
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    max_age = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60  # persistent, so a dead one could be reused
    try:
        try:
            # Without health checks, the next request would reuse the dead connection: the friendly 503.
            connection.close()
            connection.settings_dict["CONN_HEALTH_CHECKS"] = False
            assert wsgi_get("/models/")[0] == 200
            terminate_backend_of(connection)
            assert wsgi_get("/models/")[0] == 503
        finally:
            connection.settings_dict["CONN_HEALTH_CHECKS"] = True
            connection.close()

        # ...with them (the setting), the request notices and reconnects.
        assert wsgi_get("/models/")[0] == 200
        old_pid = connection.connection.info.backend_pid
        terminate_backend_of(connection)
        status, body = wsgi_get("/models/")
        assert status == 200, body[:500]
        assert connection.connection.info.backend_pid != old_pid
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = max_age
        connection.close()


# --- Structured request logging ----------------------------------------------


@pytest.fixture
def request_log():
    """The JSON lines the request logger writes, as parsed objects."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("advisor.request")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines()], stream.getvalue()

    yield lines
    logger.removeHandler(handler)
    logger.setLevel(old_level)


FREE_TEXT = "Our secret project Zephyr handles patient records"
SECRET_QUERY = "token-QUERY-9f3a"
SECRET_COOKIE = "cookie-VALUE-77c1"


@pytest.mark.django_db
def test_a_post_is_logged_without_answers_query_or_cookies(client, request_log):
    client.cookies["sessionid"] = SECRET_COOKIE
    client.cookies["csrftoken"] = SECRET_COOKIE + "-csrf"
    response = client.post(
        reverse("admin:login") + f"?next=/admin/&token={SECRET_QUERY}",
        {"username": "zephyr-admin", "password": "hunter2-password", "notes": FREE_TEXT},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 200  # wrong credentials: the form again

    entries, raw = request_log()
    assert len(entries) == 1
    entry = entries[0]
    assert entry["method"] == "POST"
    assert entry["route"] == "admin/login/"
    assert entry["status"] == 200
    assert isinstance(entry["duration_ms"], (int, float))
    assert entry["level"] == "INFO"
    for secret in ("Zephyr", "patient", SECRET_QUERY, SECRET_COOKIE, "hunter2", "zephyr-admin", "198.51.100.7"):
        assert secret not in raw, secret


@pytest.mark.django_db
def test_a_url_with_an_identifier_is_logged_by_its_route_pattern(client, request_log):
    url = reverse("advisor:model-detail", kwargs={"slug": "private-slug-4242"})
    client.get(url)
    (entry,), raw = request_log()
    assert entry["route"] == "models/<str:slug>/"
    assert "private-slug-4242" not in raw


@pytest.mark.django_db
def test_an_unmatched_path_is_logged_without_the_path(client, request_log):
    client.get(f"/nothing-here-{SECRET_QUERY}/")
    (entry,), raw = request_log()
    assert entry["route"] == "(unmatched)"
    assert entry["status"] == 404
    assert SECRET_QUERY not in raw


def test_the_json_formatter_keeps_exception_type_but_not_its_message():
    record = logging.LogRecord("advisor.request", logging.ERROR, __file__, 1, "failed", (), None)
    try:
        raise ValueError(SECRET_DETAIL)
    except ValueError:
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert json.loads(line)["exc_type"] == "ValueError"
    assert SECRET_DETAIL not in line


def test_the_cache_comes_from_cache_url_or_redis_url_and_a_bad_one_is_refused(monkeypatch):
    def backend(**env):
        for name in ("CACHE_URL", "REDIS_URL"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return _settings_for("development")["CACHES"]["default"]["BACKEND"].rsplit(".", 1)[1]

    assert backend() == "LocMemCache"
    assert backend(CACHE_URL="dummy://") == "DummyCache"
    assert backend(REDIS_URL="redis://127.0.0.1:6379/0") == "RedisCache"
    assert backend(CACHE_URL="redis://127.0.0.1:6379/1", REDIS_URL="redis://127.0.0.1:6379/0") == "RedisCache"
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        backend(CACHE_URL="memcached://x")
