"""Concurrent submissions against a real gunicorn: nothing lost, nothing broken.

gunicorn runs with the repository's ``gunicorn.conf.py`` (4 sync workers) and
production settings over plain HTTP on loopback, on a *file* SQLite database
(then on a fresh PostgreSQL database), migrated and loaded with the seed
catalogue. 2,000 real submissions go in at concurrency 16 (mostly through the
JSON API, 200 as questionnaire form POSTs with the CSRF cookie and token of a
fetched form). Then: no response >= 500, exactly one saved result per
success, every returned permalink answers 200, and SQLite's
``PRAGMA integrity_check`` is ok.

Showing what our SQLite options are for: ``DJANGO_SQLITE_DEFAULT_OPTIONS=1``
makes the settings drop them (WAL journal, ``BEGIN IMMEDIATE``, a 20 s busy
timeout) and use Django's defaults (rollback journal, deferred transactions,
5 s timeout); this test passes the variable on to the server, and
``ADVISOR_CONCURRENCY_WORKERS`` sets its worker count (default 4)::

    DJANGO_SQLITE_DEFAULT_OPTIONS=1 ADVISOR_CONCURRENCY_WORKERS=16 \
        .venv/bin/pytest tests/test_concurrency.py -k sqlite

Measured on this 2-core machine (busy with other work at the time): with
Django's defaults and 16 workers, 11 of the 2,000 submissions ended in a 500
(``OperationalError``, "database is locked": the 5 s timeout ran out while
writers queued); with 4 workers, 0 of 800. With our options: 0 of 2,000
either way. Django's defaults fail far less often here than first feared
expected (about a fifth) because every write transaction in this app
*starts* with its write (the rate-limit UPDATE, the result INSERT): none
reads first and then upgrades its lock, which is the case where SQLite gives
up at once instead of waiting ("deadlock" avoidance). So the failure is rare
and timing-dependent, and no test asserts it; the options stay, so that a
future read-then-write transaction or a slower disk cannot bring it back.
"""

import http.client
import json
import os
import re
import sqlite3
import subprocess
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from advisor.engine import questions
from tests.gunicorn_server import GUNICORN, GunicornServer
from tests.staticbuild import collected_static_root

pytestmark = pytest.mark.slow

CONCURRENCY = 16
SQLITE_DEFAULTS = os.environ.get("DJANGO_SQLITE_DEFAULT_OPTIONS") == "1"
WORKERS = os.environ.get("ADVISOR_CONCURRENCY_WORKERS", "4")
SUBMISSIONS = 2000
FORM_SUBMISSIONS = 200
PG_HOST = "127.0.0.1"


class Server(GunicornServer):
    """gunicorn with gunicorn.conf.py on a database of its own, migrated and loaded with the seed catalogue."""

    def __init__(self, tmp_path, database_url, extra_env=None):
        env = {
            "DATABASE_URL": database_url,
            "ADVISOR_SUBMISSION_LIMIT": 10**9,
            "ADVISOR_REQUEST_LOG_LEVEL": "WARNING",
            "GUNICORN_WORKERS": WORKERS,
            "GUNICORN_LOG_LEVEL": "warning",
            "DJANGO_STATIC_ROOT": collected_static_root(),
        }
        if SQLITE_DEFAULTS:
            env["DJANGO_SQLITE_DEFAULT_OPTIONS"] = "1"
        super().__init__(tmp_path, **env, **(extra_env or {}))

    def __enter__(self):
        self.manage("migrate", "--noinput", "--verbosity", "0")
        self.manage("loaddata", "catalogue.json", "presets.json", "--verbosity", "0")
        self.manage("publish_catalogue", "--verbosity", "0")
        return self.start()


def request(port, method, path, body=None, headers=None, timeout=60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def api_submission(port, answers):
    status, _headers, body = request(
        port,
        "POST",
        "/api/v1/recommendations",
        json.dumps({"answers": answers}),
        {"Content-Type": "application/json"},
    )
    permalink = json.loads(body)["permalink"] if status == 201 else None
    return status, permalink and urlsplit(permalink).path


def form_submission(port, answers):
    """A browser's round trip: fetch the form (cookie + token), post it back."""
    status, headers, page = request(port, "GET", "/questionnaire/")
    if status != 200:
        return status, None
    cookie = re.search(r"((?:__Host-)?csrftoken)=([^;]+)", headers.get("Set-Cookie", ""))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    pairs = [("csrfmiddlewaretoken", token.group(1).decode())]
    for key, value in answers.items():
        pairs += [(key, item) for item in value] if isinstance(value, list) else [(key, value)]
    status, headers, _ = request(
        port,
        "POST",
        "/questionnaire/",
        urlencode(pairs),
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"{cookie.group(1)}={cookie.group(2)}"},
    )
    return status, headers.get("Location") if status == 303 else None


def varied_answers(n):
    """Different valid answers per submission, so results (and engine paths) differ."""
    answers = {}
    for offset, question in enumerate(questions.QUESTIONS):
        values = question.values
        pick = values[(n + offset) % len(values)]
        if question.multiple:
            answers[question.key] = [pick] if question.key in ("languages", "modalities") or n % 3 else []
            if question.key == "languages":
                answers[question.key] = ["en"]
            if question.key == "modalities":
                answers[question.key] = ["text"]
        else:
            answers[question.key] = pick
    if answers["deployment"] == "on-device" and answers["hardware"] not in questions.DEVICES:
        answers["hardware"] = "laptop"
    return answers


def fire(port, total, form_total):
    """``total`` submissions at CONCURRENCY, ``form_total`` of them through the form."""

    def one(n):
        submit = form_submission if n % (total // form_total) == 0 else api_submission
        try:
            return submit(port, varied_answers(n))
        except (OSError, http.client.HTTPException) as error:
            return f"{type(error).__name__}", None

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        return list(pool.map(one, range(total)))


def check_permalinks(port, permalinks):
    def get(path):
        return request(port, "GET", path)[0]

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        return Counter(pool.map(get, permalinks))


def assert_nothing_lost(server, outcomes, saved_count):
    statuses = Counter(status for status, _ in outcomes)
    successes = [path for status, path in outcomes if status in (201, 303)]
    assert not [s for s in statuses if not isinstance(s, int) or s >= 500], (statuses, server.output()[-3000:])
    assert set(statuses) <= {201, 303}, statuses
    assert len(successes) == len(outcomes) == SUBMISSIONS
    assert sum(1 for status, _ in outcomes if status == 303) >= FORM_SUBMISSIONS
    assert saved_count() == len(successes)
    assert len(set(successes)) == len(successes)  # every result its own permalink
    assert all(re.fullmatch(r"/r/[0-9a-f-]{36}/", path) for path in successes)
    started = time.monotonic()
    assert check_permalinks(server.port, successes) == Counter({200: len(successes)})
    print(f"\n{len(successes)} permalinks checked in {time.monotonic() - started:.1f} s")
    assert "Traceback" not in server.output(), server.output()[-3000:]


def sqlite_count(path, sql):
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchone()[0]


def test_file_sqlite_database_loses_nothing_under_concurrent_submissions(tmp_path):
    db_path = tmp_path / "concurrency.sqlite3"
    with Server(tmp_path, f"sqlite:///{db_path}") as server:
        started = time.monotonic()
        outcomes = fire(server.port, SUBMISSIONS, FORM_SUBMISSIONS)
        elapsed = time.monotonic() - started
        assert_nothing_lost(
            server, outcomes, lambda: sqlite_count(db_path, "SELECT count(*) FROM advisor_recommendation")
        )
    assert sqlite_count(db_path, "PRAGMA integrity_check") == "ok"
    assert sqlite_count(db_path, "PRAGMA journal_mode") == ("delete" if SQLITE_DEFAULTS else "wal")
    print(f"\nSQLite: {SUBMISSIONS} submissions at concurrency {CONCURRENCY} in {elapsed:.1f} s, no errors")


# --- PostgreSQL ------------------------------------------------------------------


def postgres_available():
    try:
        return (
            subprocess.run(["pg_isready", "-h", PG_HOST, "-p", "5432", "-q"], timeout=10, check=False).returncode == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture
def fresh_postgres_database():
    if not postgres_available():
        pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432: start it (see .ci/run) to run the slow tier")
    name = f"advisor_conc_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    subprocess.run(["createdb", "-h", PG_HOST, "-U", "postgres", name], check=True, timeout=30)
    try:
        yield f"postgres://postgres@{PG_HOST}:5432/{name}", name
    finally:
        subprocess.run(["dropdb", "-h", PG_HOST, "-U", "postgres", "--force", name], check=False, timeout=60)


def psql(database, sql):
    completed = subprocess.run(
        ["psql", "-h", PG_HOST, "-U", "postgres", "-d", database, "-Atc", sql],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return completed.stdout.strip()


def test_postgresql_loses_nothing_under_concurrent_submissions(tmp_path, fresh_postgres_database):
    url, name = fresh_postgres_database
    with Server(tmp_path, url) as server:
        started = time.monotonic()
        outcomes = fire(server.port, SUBMISSIONS, FORM_SUBMISSIONS)
        elapsed = time.monotonic() - started
        assert_nothing_lost(server, outcomes, lambda: int(psql(name, "SELECT count(*) FROM advisor_recommendation")))
    print(f"\nPostgreSQL: {SUBMISSIONS} submissions at concurrency {CONCURRENCY} in {elapsed:.1f} s, no errors")


def test_the_load_generator_varies_valid_answers():
    from advisor.forms import validate_answers

    seen = set()
    for n in range(60):
        answers, errors = validate_answers(varied_answers(n))
        assert errors == {}, errors
        seen.add(json.dumps(answers, sort_keys=True))
    assert len(seen) > 10
    assert Path(GUNICORN).exists()
