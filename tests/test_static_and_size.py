"""Static assets as production serves them, page weight, and no third-party requests."""

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import brotli
import pytest
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from advisor import models
from tests.conftest import complete_answers, publish
from tests.staticbuild import collected_static_root

BASE_DIR = Path(__file__).resolve().parent.parent
ONE_YEAR_IMMUTABLE = "max-age=31536000, public, immutable"
PAGE_LIMIT = 50 * 1024
RESULT_PAGE_LIMIT = 60 * 1024  # the decision brief: summary, next steps and folded details


@pytest.fixture(scope="module")
def static_root():
    return collected_static_root()


@pytest.fixture
def production_static(static_root):
    """The production storage and WhiteNoise serving collectstatic's output (no finders)."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        STATIC_ROOT=static_root,
        STORAGES=storages,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
        DEBUG=False,
    ):
        yield Client()  # made inside the override, so its WhiteNoise reads these settings


def asset_urls(html):
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


@pytest.mark.django_db
def test_pages_link_hashed_assets_served_immutable_for_a_year(production_static):
    page = production_static.get("/").content.decode()
    assets = asset_urls(page)
    assert any(url.endswith(".css") for url in assets) and any(url.endswith(".js") for url in assets), assets
    for url in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg|png|ico|woff2?)$", url), f"not hashed: {url}"
        response = production_static.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == ONE_YEAR_IMMUTABLE, url
        assert response.get("Content-Encoding") is None  # the client did not ask for compression


@pytest.mark.django_db
def test_assets_are_brotli_compressed_when_asked(production_static, static_root):
    css = next(url for url in asset_urls(production_static.get("/").content.decode()) if "/css/app." in url)
    original = (static_root / css.removeprefix("/static/")).read_bytes()

    brotli_response = production_static.get(css, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert brotli_response["Content-Encoding"] == "br"
    assert brotli_response["Cache-Control"] == ONE_YEAR_IMMUTABLE
    assert "Accept-Encoding" in brotli_response["Vary"]
    body = b"".join(brotli_response.streaming_content)
    assert brotli.decompress(body) == original
    assert len(body) < len(original)

    gzip_response = production_static.get(css, HTTP_ACCEPT_ENCODING="gzip")
    assert gzip_response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(gzip_response.streaming_content)) == original


@pytest.mark.django_db
def test_unhashed_names_are_not_cached_forever(production_static):
    response = production_static.get("/static/css/app.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


def test_stylesheets_and_scripts_fetch_nothing_from_other_origins():
    for path in [*(BASE_DIR / "static").rglob("*.css"), *(BASE_DIR / "static").rglob("*.js")]:
        text = path.read_text()
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
        assert not re.search(r"@import\s+(url\()?\s*['\"]?(https?:)?//", text), path
        assert 'fetch("http' not in text and "fetch('http" not in text, path


# --- Page weight and third-party requests, with the seed catalogue -----------------


class _ThirdParty(HTMLParser):
    """Absolute URLs the browser would fetch by itself (anything but a followed <a> link)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value or name not in ("src", "href", "srcset", "action", "poster", "data", "formaction"):
                continue
            if tag == "a" and name == "href":
                continue  # outbound links are followed only on a click
            if tag == "link" and name == "href" and dict(attrs).get("rel") in ("canonical", "alternate"):
                continue
            if re.match(r"\s*(https?:)?//", value):
                self.found.append(f"<{tag} {name}={value}>")

    handle_startendtag = handle_starttag


def third_party_requests(html):
    parser = _ThirdParty()
    parser.feed(html)
    return parser.found


class PublicPagesTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    @classmethod
    def setUpTestData(cls):
        publish()

    def result_pages(self):
        """A result for a complete set of answers and for each audience preset completed with it."""
        urls = []
        answer_sets = [complete_answers()] + [
            complete_answers(**preset.answers) for preset in models.AudiencePreset.objects.all()
        ]
        for answers in answer_sets:
            response = self.client.post(reverse("advisor:questionnaire"), answers)
            assert response.status_code == 303, response.content.decode()[:500]
            urls.append(response["Location"])
        return urls

    def public_pages(self):
        slugs = list(models.AIModel.objects.published().order_by("name").values_list("slug", flat=True))
        results = self.result_pages()
        code = results[0].strip("/").split("/")[-1]
        pages = [
            reverse("advisor:home"),
            reverse("advisor:questionnaire"),
            reverse("advisor:questionnaire") + "?preset=enterprise-it",
            reverse("advisor:model-list"),
            reverse("advisor:model-list") + "?page=2",
            reverse("advisor:licence-list"),
            reverse("advisor:criteria"),
            reverse("advisor:compare"),
            reverse("advisor:compare") + "?" + "&".join(f"m={slug}" for slug in slugs[:4]),
            reverse("advisor:recommendation-reevaluate", args=[code]),
            "/no-such-page/",
            *[reverse("advisor:model-detail", args=[slug]) for slug in slugs],
            *[licence.get_absolute_url() for licence in models.Licence.objects.all()],
        ]
        return pages, results

    def test_every_page_is_under_50_kb_a_result_under_60_kb_and_requests_nothing_from_other_sites(self):
        pages, results = self.public_pages()
        too_big, third_party = {}, {}
        for url in pages + results:
            response = self.client.get(url)
            assert response.status_code in (200, 404), (url, response.status_code)
            assert response["Content-Type"].startswith("text/html"), url
            html = response.content.decode()
            if len(response.content) >= (RESULT_PAGE_LIMIT if url in results else PAGE_LIMIT):
                too_big[url] = len(response.content)
            if found := third_party_requests(html):
                third_party[url] = found
        assert third_party == {}
        assert too_big == {}, f"pages over their limit (bytes): {too_big}"

    def test_the_third_party_check_catches_what_it_should(self):
        html = (
            '<link rel="stylesheet" href="https://cdn.example/b.css"><script src="//cdn.example/x.js"></script>'
            '<img src="http://img.example/a.png"><a href="https://ok.example/">fine</a>'
            '<link rel="stylesheet" href="/static/css/app.css">'
        )
        assert len(third_party_requests(html)) == 3
