"""Two app servers, one PostgreSQL and one Redis: what one changes, the other serves at once."""

import http.client
import json
import re
import secrets
from urllib.parse import urlencode

import psycopg
import pytest
import redis

from tests.conftest import complete_answers
from tests.gunicorn_server import GunicornServer
from tests.staticbuild import collected_static_root

POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"


class Browser:
    """Keeps cookies (the production ones are Secure; these servers speak plain HTTP behind no proxy)."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.read().decode()
        finally:
            conn.close()

    def form_post(self, path, fields):
        token = next(value for name, value in self.cookies.items() if name.endswith("csrftoken"))
        body = urlencode({**fields, "csrfmiddlewaretoken": token}, doseq=True)
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


@pytest.fixture
def database():
    name = f"advisor_two_{secrets.token_hex(4)}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{POSTGRES}/{name}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_a_change_through_one_instance_is_served_by_the_other_and_the_limit_is_shared(tmp_path, database):
    prefix = f"advisor-test-{secrets.token_hex(4)}"
    shared = {
        "DATABASE_URL": database,
        "REDIS_URL": REDIS,
        "DJANGO_CACHE_KEY_PREFIX": prefix,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_STATIC_ROOT": str(collected_static_root()),
        "ADVISOR_SUBMISSION_LIMIT": "3",
        "ADVISOR_SUBMISSION_WINDOW": "3600",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "4",
    }
    servers = [GunicornServer(tmp_path / f"var{n}", **shared) for n in range(2)]
    first = servers[0]
    first.manage("migrate", "--noinput", "--verbosity", "0")
    first.manage("loaddata", "catalogue.json", "presets.json", "--verbosity", "0")
    first.manage("publish_catalogue", "--verbosity", "0")
    password = secrets.token_urlsafe(16)
    first.manage(
        "createsuperuser", "--noinput", "--username", "lead", "--email", "l@x.org", DJANGO_SUPERUSER_PASSWORD=password
    )
    with psycopg.connect(database) as conn:
        pk, slug, name = conn.execute(
            "SELECT id, slug, name FROM advisor_aimodel WHERE status = 'published' ORDER BY slug LIMIT 1"
        ).fetchone()

    try:
        for server in servers:
            server.start()
        one, other = Browser(servers[0].port), Browser(servers[1].port)

        # The other instance renders (and caches, in the shared Redis) the model list and page.
        listed = other.request("GET", "/models/")[1]
        assert name in listed
        assert re.search(rf'href="/models/{re.escape(slug)}/"', listed)
        assert other.request("GET", f"/models/{slug}/")[0] == 200
        assert redis.Redis.from_url(REDIS).keys(f"{prefix}:*"), "the pages are cached in Redis"

        # An editor withdraws the model through the first instance ...
        one.request("GET", "/admin/login/")
        status, _ = one.form_post("/admin/login/?next=/admin/", {"username": "lead", "password": password})
        assert status == 302
        status, _ = one.form_post(
            "/admin/advisor/aimodel/", {"action": "unpublish", "_selected_action": pk, "index": 0}
        )
        assert status == 302
        # ... which readers see only once it is published ...
        assert other.request("GET", f"/models/{slug}/")[0] == 200
        status, _ = one.form_post("/admin/publish/", {"note": "Withdrawn."})
        assert status == 302
        # ... and the very next request to the other instance no longer shows it.
        status, page = other.request("GET", "/models/")
        assert status == 200
        assert not re.search(rf'href="/models/{re.escape(slug)}/"', page)
        assert other.request("GET", f"/models/{slug}/")[0] == 404

        # The submission limit (3 an hour) counts across both instances.
        body = json.dumps({"answers": complete_answers()})
        headers = {"Content-Type": "application/json"}
        statuses = [
            browser.request("POST", "/api/v1/recommendations", body, headers)[0]
            for browser in (one, other, one, other, one)
        ]
        assert statuses == [201, 201, 201, 429, 429]
    finally:
        for server in servers:
            server.stop()
        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
