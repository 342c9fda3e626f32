"""A team decides together, in real Chromium browsers: a lead, three members, and a stranger."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, screenshot_dir
from tests.browser.test_journeys import answer
from tests.conftest import complete_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def member_answers(browser, problems, answer_link, name, **overrides):
    """One member, in a browser context of their own, answers through the room's answer link."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = problems.watch(context.new_page())
    page.goto(answer_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Support assistant model")
    page.get_by_label("Your name (optional)").fill(name)
    answer(page, complete_answers(**overrides))
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(re.compile(r"/rooms/member/[A-Za-z0-9_-]{43}/$"))
    expect(page.locator(".alert-success")).to_contain_text("Your answers are in")
    return context, page


def test_a_lead_and_three_members_decide_and_a_stranger_reads_the_record(browser, page, live_server, seed, problems):
    # The lead opens a room from the home page.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Open a decision room").click()
    page.get_by_label("What are you deciding?").fill("Support assistant model")
    page.get_by_label("Context for the members (optional)").fill("Answers customer emails in English.")
    page.get_by_role("button", name="Open the room").click()
    page.wait_for_url(re.compile(r"/rooms/manage/[A-Za-z0-9_-]{43}/$"))
    manage_url = page.url
    expect(page.locator(".keep-link")).to_contain_text(manage_url)
    answer_link = page.locator("#answer-link").input_value()
    view_link = page.locator("#view-link").input_value()
    assert "/rooms/answer/" in answer_link and "/rooms/view/" in view_link

    # Three members answer in browsers of their own; two disagree on where the model may run.
    contexts = [
        member_answers(browser, problems, answer_link, "Ada (ML lead)", deployment="any-api")[0],
        member_answers(
            browser, problems, answer_link, "Sam (security)", deployment="on-premises", hardware="node-8x80"
        )[0],
        member_answers(browser, problems, answer_link, "Pat (product)", deployment="any-api", volume="high")[0],
    ]

    # The lead sees who answered and that the deployment question decides the outcome, first.
    page.reload()
    expect(page.get_by_role("heading", name="3 members answered")).to_be_visible()
    deciding = page.locator(".disagreement.deciding").first
    expect(deciding).to_contain_text("Where may the model run?")
    expect(deciding).to_contain_text("changes the")
    expect(deciding).to_contain_text("Sam (security)")
    expect(deciding).to_contain_text("Ada (ML lead), Pat (product)")
    expect(page.locator("#answer-deployment")).to_contain_text("On our own servers")

    # The lead replaces the merged volume with a reason.
    row = page.locator("#answer-volume")
    row.get_by_text("Replace this answer").click()
    row.get_by_role("radio", name="Over 1 billion tokens a month: heavy use").check()
    row.get_by_label("Why").fill("The launch plan doubles traffic in spring.")
    row.get_by_role("button", name="Use this answer").click()
    expect(page.locator("#answer-volume .override-reason")).to_contain_text("The launch plan doubles traffic")

    # At phone width the room reads without sideways scrolling.
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(screenshot_dir() / "room-manage-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 800})

    # The lead closes the decision.
    page.get_by_role("button", name="Close the decision").click()
    expect(page.locator(".room-status")).to_contain_text("Closed by the lead")
    expect(page.get_by_role("button", name="Close the decision")).to_have_count(0)

    # A member who comes back finds the decision closed, with a link to the record.
    late = contexts[0].new_page()
    late.goto(answer_link)
    expect(late.get_by_role("status")).to_contain_text("This decision was closed")
    expect(late.get_by_role("link", name="Read the decision record")).to_be_visible()

    # A stranger with the view link reads the record, then the team's full recommendation.
    stranger = browser.new_context()
    record = problems.watch(stranger.new_page())
    record.goto(view_link)
    expect(record.get_by_text("Decision record", exact=True)).to_be_visible()
    expect(record.get_by_role("heading", name="Dissent")).to_be_visible()
    expect(record.locator(".members-table")).to_contain_text("Sam (security)")
    assert record.locator("form").count() == 0
    record.get_by_role("link", name="The team's recommendation, in full").click()
    record.wait_for_url(re.compile(r"/r/[0-9a-f-]{36}/$"))
    expect(record.get_by_role("heading", name="A team decision")).to_be_visible()
    expect(record.locator(".overrides")).to_contain_text("The launch plan doubles traffic in spring.")
    expect(record.locator(".dissent")).to_contain_text("Sam (security)")
    for context in [*contexts, stranger]:
        context.close()
    assert str(problems) == "none", problems
