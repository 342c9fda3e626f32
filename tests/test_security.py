"""Security headers, cookies and deployment checks, as a visitor's browser sees them."""

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse

from tests import observatory
from tests.production import production_overrides

BASE_DIR = Path(__file__).resolve().parent.parent

# Every public page without arguments.
PUBLIC_URL_NAMES = [
    "advisor:home",
    "advisor:questionnaire",
    "advisor:model-list",
    "advisor:licence-list",
    "advisor:criteria",
    "advisor:compare",
    "advisor:healthz",
    "advisor:readyz",
    "admin:login",
]


def public_urls():
    return [*(reverse(name) for name in PUBLIC_URL_NAMES), "/no-such-page/"]


def csp_of(response):
    return observatory.parse_csp(response["Content-Security-Policy"])


@pytest.fixture
def production():
    with override_settings(**production_overrides()):
        yield


@pytest.fixture
def https_client(production):
    """A client made inside the production settings, so its middleware reads them."""
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize("url", public_urls())
def test_every_page_carries_the_strict_headers(url):
    # Only the headers are asserted here: each page's own tests cover its content.
    response = Client(raise_request_exception=False).get(url)

    csp = csp_of(response)
    assert csp["default-src"] == {"'none'"}
    assert csp["script-src"] == {"'self'"}
    assert csp["style-src"] == {"'self'"}
    assert csp["frame-ancestors"] == {"'none'"}
    assert csp["base-uri"] == {"'none'"}
    assert csp["object-src"] == {"'none'"}
    assert csp["form-action"] == {"'self'"}
    assert "unsafe-" not in response["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response.headers

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_404_page_is_friendly_and_headed(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert response["X-Frame-Options"] == "DENY"


class _InlineCodeFinder(HTMLParser):
    """Everything a strict CSP would block: inline scripts and styles, handlers, foreign origins."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=...> inline style")
            if name in ("href", "src", "action") and value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:...>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            data_only = attributes.get("type", "").lower() in ("application/json", "application/ld+json")
            if not attributes.get("src") and not data_only:
                self._in_script = True
            elif attributes.get("src") and urlsplit(attributes["src"]).netloc:
                self.problems.append(f"script from another origin: {attributes['src']}")
        if tag == "link" and "stylesheet" in attributes.get("rel", "") and urlsplit(attributes.get("href", "")).netloc:
            self.problems.append(f"stylesheet from another origin: {attributes['href']}")

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def csp_blockers(response):
    finder = _InlineCodeFinder()
    finder.feed(response.content.decode())
    return finder.problems


@pytest.mark.django_db
def test_admin_login_needs_nothing_the_csp_blocks(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert csp_blockers(response) == []
    # The nonces Django's admin templates print are harmless: the policy does not list one.
    assert "nonce" not in response["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["admin:index", "admin:advisor_aimodel_changelist", "admin:advisor_aimodel_add"])
def test_editors_admin_pages_need_nothing_the_csp_blocks(editor_client, name):
    response = editor_client.get(reverse(name))
    assert response.status_code == 200
    assert csp_blockers(response) == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", [u for u in public_urls() if not u.startswith("/admin/")])
def test_public_pages_need_nothing_the_csp_blocks(client, url):
    response = Client(raise_request_exception=False).get(url)
    if response["Content-Type"].startswith("text/html"):
        assert csp_blockers(response) == []


@pytest.mark.django_db
def test_the_questionnaire_from_a_preset_needs_nothing_the_csp_blocks(client):
    """The progress count reads its wording and the preset's answers from data attributes, never inline code."""
    from django.core.management import call_command

    call_command("loaddata", "presets.json", verbosity=0)
    call_command("publish_catalogue", verbosity=0)
    response = client.get(reverse("advisor:questionnaire"), {"preset": "enterprise-it"})
    assert response.status_code == 200
    assert csp_blockers(response) == []
    page = response.content.decode()
    assert 'data-preset="' in page and 'data-template-preset="' in page
    assert re.search(r'<script src="[^"]*/js/app\.js" defer>', page)


def test_the_csp_checker_catches_what_it_should():
    page = HttpResponse(
        '<p style="color:red" onclick="x()">x</p><style>p{}</style><script>alert(1)</script>'
        '<script src="https://cdn.example/x.js"></script><a href="javascript:alert(1)">x</a>'
        '<script type="application/json">{"ok": true}</script>'
    )
    assert len(csp_blockers(page)) == 6


# --- Production: HTTPS only, HSTS, __Host- cookies -------------------------


@pytest.mark.django_db
def test_production_redirects_http_to_https_on_the_same_host(https_client):
    response = https_client.get("/", secure=False)
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


@pytest.mark.django_db
def test_production_sends_two_years_of_hsts_with_preload(https_client):
    response = https_client.get("/", secure=True)
    assert response.status_code == 200
    hsts = [part.strip() for part in response["Strict-Transport-Security"].split(";")]
    assert "max-age=63072000" in hsts
    assert "includeSubDomains" in hsts
    assert "preload" in hsts


def assert_host_cookie(morsel):
    """A __Host- cookie: Secure, Path=/, no Domain (browsers reject it otherwise)."""
    assert morsel.key.startswith("__Host-")
    assert morsel["secure"]
    assert morsel["path"] == "/"
    assert not morsel["domain"]
    assert morsel["samesite"] == "Lax"


@pytest.mark.django_db
def test_production_cookies_are_host_only_secure_httponly_samesite(https_client, django_user_model):
    django_user_model.objects.create_user(username="ed", password="pw-for-tests-only", is_staff=True)
    login = https_client.get(reverse("admin:login"), secure=True)
    csrf = login.cookies["__Host-csrftoken"]
    assert_host_cookie(csrf)
    assert csrf["httponly"]

    signed_in = https_client.post(
        reverse("admin:login"), {"username": "ed", "password": "pw-for-tests-only", "next": "/admin/"}, secure=True
    )
    assert signed_in.status_code == 302
    session = signed_in.cookies["__Host-sessionid"]
    assert_host_cookie(session)
    assert session["httponly"]
    assert "sessionid" not in signed_in.cookies
    assert "csrftoken" not in signed_in.cookies


# --- The MDN HTTP Observatory's score ---------------------------------------


def observatory_scan(client, url, cookie_responses=()):
    response = client.get(url, secure=True)
    assert response.status_code == 200, url
    return observatory.scan(response, http_response=client.get(url, secure=False), cookie_responses=cookie_responses)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["advisor:home", "advisor:criteria"])
def test_production_pages_score_a_plus_on_the_observatory(https_client, name):
    # (/healthz and /readyz answer plain HTTP on purpose: tests/test_production_edges.py.)
    result = observatory_scan(https_client, reverse(name))
    assert result.penalties() == {}
    assert result.score >= 100, result.results
    assert result.grade == "A+"


@pytest.mark.django_db
def test_production_admin_login_with_its_cookies_scores_a_plus(https_client, django_user_model):
    django_user_model.objects.create_user(username="ed", password="pw-for-tests-only", is_staff=True)
    signed_in = https_client.post(
        reverse("admin:login"), {"username": "ed", "password": "pw-for-tests-only", "next": "/admin/"}, secure=True
    )
    https_client.logout()
    result = observatory_scan(https_client, reverse("admin:login"), cookie_responses=[signed_in])
    assert result.results["cookies"][0] == "cookies-secure-with-httponly-sessions-and-samesite"
    assert result.results["content-security-policy"][0] == "csp-implemented-with-no-unsafe-default-src-none"
    assert result.results["x-frame-options"][0] == "x-frame-options-implemented-via-csp"
    assert result.results["referrer-policy"][0] == "referrer-policy-private"
    assert result.penalties() == {}
    assert result.score >= 100, result.results


@pytest.mark.django_db
def test_development_settings_would_not_score_a_plus(client):
    """The production switch is what earns the grade: plain HTTP loses HSTS and redirect points."""
    result = observatory.scan(client.get("/"), http_response=client.get("/"), https=True)
    assert result.score < 100
    assert set(result.penalties()) == {"redirection", "strict-transport-security"}


def test_observatory_port_penalises_a_bare_site():
    bare = HttpResponse("<p>hi</p>")
    bare.set_cookie("sessionid", "x")
    result = observatory.scan(bare, http_response=HttpResponse("plain"))
    expected = {
        "content-security-policy": -25,
        "cookies": -40,  # session cookie without Secure, over a site without HSTS
        "redirection": -20,
        "strict-transport-security": -20,
        "x-content-type-options": -5,
        "x-frame-options": -20,
    }
    assert {name: modifier for name, (_, modifier) in result.penalties().items()} == expected
    assert result.score == 0
    assert result.grade == "F"


@pytest.mark.parametrize(
    ("policy", "expectation"),
    [
        ("default-src 'none'; script-src 'self'", "csp-implemented-with-no-unsafe-default-src-none"),
        ("default-src 'self'", "csp-implemented-with-no-unsafe"),
        ("default-src 'self'; script-src 'self' 'unsafe-inline'", "csp-implemented-with-unsafe-inline"),
        ("default-src 'self'; script-src 'self' 'nonce-abc' 'unsafe-inline'", "csp-implemented-with-no-unsafe"),
        ("default-src 'self'; script-src 'self' 'unsafe-eval'", "csp-implemented-with-unsafe-eval"),
        (
            "default-src 'self'; style-src 'self' 'unsafe-inline'",
            "csp-implemented-with-unsafe-inline-in-style-src-only",
        ),
        ("default-src 'self'; object-src https:", "csp-implemented-with-unsafe-inline"),
        ("default-src 'self'; script-src http://cdn.example", "csp-implemented-with-insecure-scheme"),
        (
            "default-src 'self'; img-src http://img.example",
            "csp-implemented-with-insecure-scheme-in-passive-content-only",
        ),
        ("script-src 'self'", "csp-implemented-with-unsafe-inline"),  # object-src falls back to *
    ],
)
def test_observatory_port_grades_csp_like_the_observatory(policy, expectation):
    response = HttpResponse()
    response["Content-Security-Policy"] = policy
    assert observatory.csp_test(response)[0] == expectation


# --- check --deploy ----------------------------------------------------------


def test_check_deploy_is_clean_in_production(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "AXES_", "ADVISOR_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="advisor.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="advisor.example.org",
        DJANGO_VAR_DIR=str(tmp_path),
    )
    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "System check identified no issues" in output
    assert not re.search(r"\(\w+\.W\d+\)", output), output
