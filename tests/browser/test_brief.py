"""The result as a decision brief, in a real browser: summary first, a short print, records to download."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def hybrid_code(seed):
    """A team whose shortlist has a pick on each side (two picks)."""
    from advisor import services
    from tests.conftest import complete_answers

    return services.recommendation_create(answers=complete_answers(deployment="any-api", hardware="none")).code


@pytest.mark.parametrize(("viewport", "screens"), [(DESKTOP, 1), (PHONE, 2)])
def test_the_summary_and_shortlist_come_first(page, live_server, hybrid_code, viewport, screens):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/r/{hybrid_code}/")
    limit = viewport["height"] * screens
    sentence = page.get_by_role("heading", level=1)
    assert sentence.inner_text().startswith("Start with")
    first_pick = page.locator(".pick").first
    assert first_pick.bounding_box()["y"] < limit, "the first pick is below the first screen(s)"
    assert first_pick.locator(".card-title").inner_text() in sentence.inner_text()
    details = page.locator("#details-heading").bounding_box()["y"]
    steps = page.locator("#next-steps-heading").bounding_box()["y"]
    assert steps < details, "the next steps come before the details"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_the_print_summary_is_at_most_two_a4_pages_and_no_column_is_lost(page, live_server, hybrid_code):
    page.goto(f"{live_server.url}/r/{hybrid_code}/")
    page.emulate_media(media="print")
    expect(page.locator(".sign-off")).to_be_visible()
    # Every column of the shortlist comparison is inside the printed page width.
    page.evaluate("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")
    page.set_viewport_size({"width": 718, "height": 1000})  # A4 at default margins, in CSS pixels
    overflow = page.evaluate(
        """() => Array.from(document.querySelectorAll('.shortlist-comparison th, .shortlist-comparison td'))
             .filter(function (cell) {
               return cell.getBoundingClientRect().right > document.documentElement.clientWidth + 1;
             }).length"""
    )
    assert overflow == 0
    whole = page.pdf(format="A4")
    page.evaluate(
        "document.querySelectorAll('.details-section, .details-section ~ *').forEach(function (e) { e.remove(); })"
    )
    summary = page.pdf(format="A4")
    assert pdf_pages(summary) <= 2
    assert pdf_pages(whole) > pdf_pages(summary)  # the details follow after a page break


def pdf_pages(document):
    return len(re.findall(rb"/Type\s*/Page[^s]", document))


def test_the_decision_record_and_the_ranking_download(page, live_server, hybrid_code):
    page.goto(f"{live_server.url}/r/{hybrid_code}/")
    with page.expect_download() as record:
        page.get_by_role("link", name="Download decision record").click()
    text = record.value.path().read_text(encoding="utf-8")
    assert record.value.suggested_filename.endswith(".md")
    for heading in (
        "# Decision record: Start with",
        "## Context",
        "## Decision",
        "## Options considered",
        "## Consequences and duties",
        "## Sign-off",
    ):
        assert heading in text
    assert f"/r/{hybrid_code}/" in text and "- [ ] " in text

    with page.expect_download() as ranking:
        page.get_by_role("link", name="Ranking as CSV").click()
    rows = list(csv.DictReader(io.StringIO(ranking.value.path().read_text(encoding="utf-8"))))
    assert rows and [int(row["rank"]) for row in rows] == list(range(1, len(rows) + 1))
    shortlist = [name.strip() for name in page.locator(".pick .card-title").all_inner_texts()]
    assert shortlist[0] in {row["name"] for row in rows}


def test_a_pasted_link_unfurls_with_the_verdict_the_picks_and_a_card(page, live_server, hybrid_code):
    page.goto(f"{live_server.url}/r/{hybrid_code}/")

    def meta(key):
        return page.locator(f'meta[property="{key}"], meta[name="{key}"]').get_attribute("content")

    first_pick = page.locator(".pick .card-title").first.inner_text()
    assert first_pick in meta("og:title")
    assert len(meta("og:description")) <= 200
    assert meta("twitter:card") == "summary_large_image"
    card = page.request.get(meta("og:image"))
    assert card.ok and card.headers["content-type"] == "image/png"
    body = card.body()
    assert (int.from_bytes(body[16:20], "big"), int.from_bytes(body[20:24], "big")) == (1200, 630)
