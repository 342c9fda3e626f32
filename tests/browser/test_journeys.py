"""What people do with the advisor, each journey in a real Chromium against the live server."""

import json
import re

import pytest
from playwright.sync_api import expect

from advisor import models
from advisor.engine import questions
from tests.conftest import complete_answers, editors_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The text of each ranked model's name, without its rank number and score badge.
RANKED_NAMES_JS = """() => Array.from(document.querySelectorAll('.ranking-table .ranked-name'))
  .map(function (cell) { return cell.textContent.trim(); })"""


def ranked_names(page):
    return page.evaluate(RANKED_NAMES_JS)


def answer(page, answers):
    """Tick answers as a visitor would: nothing is chosen until someone chooses it."""
    for key, value in answers.items():
        for item in value if isinstance(value, list) else [value]:
            page.locator(f"input[name='{key}'][value='{item}']").check()


def submit_questionnaire(page):
    page.get_by_role("button", name="Get my recommendation").click()
    page.wait_for_url(re.compile(r"/r/[0-9a-f-]{36}/$"))


def test_newcomer_picks_a_preset_changes_two_answers_and_shares_the_result(
    browser, context, page, live_server, seed, problems
):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open or closed AI models")

    page.get_by_role("link", name="Startups & small teams").click()
    expect(page).to_have_url(re.compile(r"/questionnaire/\?preset=startups$"))
    expect(page.get_by_role("status").first).to_contain_text("Prefilled for “Startups & small teams”")
    preset = models.AudiencePreset.objects.get(slug="startups").answers
    count = page.locator("#answered-count")
    expect(count).to_have_text(f"{len(preset)} of 23 questions answered ({len(preset)} from the preset)")

    # The preset leaves the rest open: this team writes code, in French as well as English.
    page.get_by_role("radio", name="Code generation or review").check()
    page.get_by_role("checkbox", name="French").check()
    team = complete_answers(use_case="coding", languages=["en", "fr"])
    answer(page, {key: value for key, value in team.items() if key not in preset})
    expect(count).to_have_text(f"23 of 23 questions answered ({len(preset)} from the preset)")
    submit_questionnaire(page)

    verdict = page.get_by_role("heading", level=1).inner_text()
    assert verdict
    headline = page.locator("#verdict-heading + p").inner_text()
    expect(page.locator(".verdict-kind")).to_contain_text("Verdict:")
    assert page.locator(".verdict-reasons li").count() >= 1
    names = ranked_names(page)
    assert names, "the result recommends no model"
    # The brief first: the shortlist and the next steps are on the first screen's heels, details folded.
    first_pick = page.locator(".pick").first
    expect(first_pick).to_be_visible()
    assert first_pick.locator(".card-title").inner_text() in verdict
    expect(first_pick).to_contain_text("Licence")
    expect(page.get_by_role("heading", name="Next steps")).to_be_visible()
    assert page.locator(".next-steps li").count() >= 2
    expect(page.locator(".ranking-table")).to_be_hidden()  # folded until asked for
    answers = page.locator("dl.answers")
    expect(answers).to_contain_text("Code generation or review")
    expect(answers).to_contain_text("French")

    # Copy the link: the clipboard holds the permalink, which the page also shows as text.
    permalink = page.url
    expect(page.locator(".permalink-text")).to_have_text(permalink)
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(".copy-status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == permalink

    # Someone else opens the link: no cookies, same result.
    other = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        other_page = problems.watch(other.new_page())
        response = other_page.goto(permalink)
        assert response.status == 200
        assert other.cookies() == []
        expect(other_page.get_by_role("heading", level=1)).to_have_text(verdict)
        assert ranked_names(other_page) == names

        with other_page.expect_navigation() as navigation:
            other_page.get_by_role("link", name="JSON", exact=True).click()
        data = json.loads(navigation.value.text())
    finally:
        other.close()
    assert data["permalink"] == permalink
    assert data["verdict"]["headline"]["text"] == headline
    ranked = sorted(data["ranking"] + data["also_eligible"], key=lambda entry: entry["rank"])
    assert [entry["name"] for entry in ranked] == names
    assert data["answers"]["use_case"] == "coding"
    assert "fr" in data["answers"]["languages"]
    assert not problems.items, f"Problems in the browser:\n{problems}"


def test_bad_input_shows_the_error_beside_the_field_focuses_it_and_saves_nothing(page, live_server, seed, problems):
    page.goto(live_server.url + "/questionnaire/")
    expect(page.locator("#answered-count")).to_have_text("0 of 23 questions answered")
    # Every answer but two: no input, and no place the model may run.
    answer(page, {key: value for key, value in complete_answers().items() if key not in ("modalities", "deployment")})
    expect(page.locator("#answered-count")).to_have_text("21 of 23 questions answered")
    problems.expect_status(live_server.url + "/questionnaire/", 400)
    page.get_by_role("button", name="Get my recommendation").click()
    page.wait_for_load_state()

    summary = page.locator("#form-errors")
    expect(summary).to_contain_text("Some answers need your attention")
    expect(summary.get_by_role("link", name="Which inputs must the model accept?")).to_be_visible()
    expect(summary.get_by_role("link", name="Where may the model run?")).to_be_visible()

    # Each error sits inside its own question, right below the choices.
    for key, message in (("modalities", "Choose at least one."), ("deployment", "Choose one answer.")):
        field = page.locator(f"#div_id_{key}")
        expect(field.locator(".invalid-feedback")).to_have_text(message)
        expect(field.locator(".invalid-feedback")).to_be_visible()
        expect(field.locator("fieldset")).to_have_attribute("aria-describedby", re.compile(f"id_{key}_error"))

    # Focus lands on the first question with an error, scrolled into view.
    focused = page.evaluate("[document.activeElement.name, document.activeElement.type]")
    assert focused == ["modalities", "checkbox"]
    expect(page.locator("#id_modalities_0")).to_be_in_viewport()

    # The summary's link to the other error brings that question into view.
    summary.get_by_role("link", name="Where may the model run?").click()
    expect(page.locator("#id_deployment_0")).to_be_in_viewport()

    assert models.Recommendation.objects.count() == 0
    assert not problems.items, f"Problems in the browser:\n{problems}"


FOCUS_RING_JS = """() => {
  var el = document.activeElement;
  var style = getComputedStyle(el);
  var outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1 &&
    style.outlineColor !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(style.outlineColor);
  return {
    tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', value: el.value || '',
    label: (el.labels && el.labels[0] ? el.labels[0].textContent : el.textContent).trim().slice(0, 60),
    ring: outline || (style.boxShadow && style.boxShadow !== 'none'),
    onScreen: el.getBoundingClientRect().bottom > 0 && el.getBoundingClientRect().top < window.innerHeight,
  };
}"""


def test_keyboard_only_completes_the_questionnaire_with_a_visible_focus_ring_everywhere(page, live_server, seed):
    page.emulate_media(reduced_motion="reduce")  # scroll focused controls into view at once
    page.goto(live_server.url + "/questionnaire/")
    stops, missing = [], []
    radios, ticked = set(), set()
    boxes = {("modalities", "text"), ("languages", "en"), ("languages", "ko")}
    for _ in range(300):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_RING_JS)
        stops.append(focused)
        if not focused["ring"] or not focused["onScreen"]:
            missing.append(focused)
        if focused["type"] == "radio" and focused["name"] not in radios:
            # Nothing is chosen beforehand: the arrow keys choose the next answer, Space the focused one.
            radios.add(focused["name"])
            if focused["name"] == "use_case":
                page.keyboard.press("ArrowDown")  # from "assistant" to "coding"
                focused = page.evaluate(FOCUS_RING_JS)
                assert focused["value"] == "coding" and focused["ring"], focused
            else:
                page.keyboard.press("Space")  # the first answer: "no" for commercial use
        elif focused["type"] == "checkbox" and (focused["name"], focused["value"]) in boxes:
            page.keyboard.press("Space")
            ticked.add((focused["name"], focused["value"]))
        elif focused["type"] == "submit":
            break
    else:
        pytest.fail(f"Tab never reached the submit button; last stops: {stops[-5:]}")
    assert not missing, f"Focused without a visible focus ring (or off screen): {missing}"
    assert radios == {question.key for question in questions.QUESTIONS if not question.multiple}
    assert ticked == boxes
    expect(page.locator("#answered-count")).to_have_text("23 of 23 questions answered")

    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/r/[0-9a-f-]{36}/$"))
    answers = page.locator("dl.answers")
    expect(answers).to_contain_text("Code generation or review")
    expect(answers).to_contain_text("Korean")
    saved = models.Recommendation.objects.get()
    assert saved.answers["use_case"] == "coding"
    assert saved.answers["languages"] == ["en", "ko"]
    assert saved.answers["commercial"] == "no"


def test_editor_makes_a_model_non_commercial_and_results_follow(
    browser, page, live_server, seed, django_user_model, problems
):
    editor = django_user_model.objects.create_user(username="editor", password="pw-for-tests-only", is_staff=True)
    editor.groups.add(editors_group())

    # A commercial team's result before the change.
    page.goto(live_server.url + "/questionnaire/")
    answer(page, complete_answers(commercial="yes"))
    submit_questionnaire(page)
    first_url = page.url
    before = ranked_names(page)
    top = before[0]

    # The editor signs in through the admin login form and gives the top model a non-commercial licence.
    admin = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        editor_page = admin.new_page()
        editor_page.goto(live_server.url + "/admin/")
        editor_page.get_by_label("Username").fill("editor")
        editor_page.get_by_label("Password").fill("pw-for-tests-only")
        editor_page.get_by_role("button", name="Log in").click()
        expect(editor_page.get_by_role("heading", name="Catalogue")).to_be_visible()

        editor_page.get_by_role("link", name="AI models").first.click()
        editor_page.get_by_role("searchbox").fill(top)
        editor_page.get_by_role("searchbox").press("Enter")
        editor_page.locator("#result_list").get_by_role("link", name=top, exact=True).click()
        expect(editor_page.get_by_role("heading", level=2, name=top)).to_be_visible()
        # The score rows fit the 1280 px screen: no column (the override and its reason) off to the side.
        fits = editor_page.evaluate(
            """() => document.querySelector('#scores-group table').getBoundingClientRect().right
                 <= document.querySelector('#scores-group').getBoundingClientRect().right + 1"""
        )
        assert fits, "the score inline is wider than its box at 1280 px"

        editor_page.locator("#select2-id_licence-container").click()
        editor_page.locator(".select2-search__field").fill("BY-NC")
        editor_page.locator(".select2-results__option", has_text="Attribution-NonCommercial 4.0").click()
        expect(editor_page.locator("#select2-id_licence-container")).to_contain_text("NonCommercial")
        editor_page.get_by_role("button", name="Save", exact=True).click()
        expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")
        editor_page.goto(live_server.url + "/admin/publish/")
        # On a phone the publish page fits: its note box does not push the page sideways.
        editor_page.set_viewport_size({"width": 375, "height": 800})
        assert editor_page.evaluate("document.documentElement.scrollWidth") <= 375
        editor_page.set_viewport_size({"width": 1280, "height": 900})
        editor_page.get_by_role("button", name="Publish a new version").click()
        expect(editor_page.get_by_text(re.compile("Published catalogue version"))).to_be_visible()
    finally:
        admin.close()
    ai_model = models.AIModel.objects.select_related("licence").get(name=top)
    assert ai_model.licence.commercial_use == "no"
    licence_name = ai_model.licence.name

    # A new commercial-use result rules the model out, with the licence as the reason.
    page.goto(live_server.url + "/questionnaire/")
    answer(page, complete_answers(commercial="yes"))
    submit_questionnaire(page)
    assert top not in ranked_names(page)
    ruled_out = page.locator("details", has=page.locator("summary", has_text="Licence forbids commercial use"))
    ruled_out.locator("summary").click()
    reason = ruled_out.locator("li", has_text=top)
    expect(reason).to_contain_text(f"{licence_name} does not allow commercial use")

    # The earlier permalink keeps its ranking and says the catalogue changed since.
    page.goto(first_url)
    assert ranked_names(page) == before
    notice = page.get_by_role("status").filter(has_text="The catalogue has changed")
    expect(notice).to_be_visible()

    # Re-evaluating the same answers shows what changed.
    notice.get_by_role("link", name="Re-evaluate the same answers on today's catalogue").click()
    page.get_by_role("button", name="Re-evaluate").click()
    page.wait_for_url(re.compile(r"/r/[0-9a-f-]{36}/$"))
    assert page.url != first_url
    changes = page.get_by_role("region", name="Re-evaluated on today's catalogue")
    expect(changes).to_contain_text(f"{top} (was #1) is no longer recommended.")
    assert top not in ranked_names(page)
    assert not problems.items, f"Problems in the browser:\n{problems}"


def test_compare_three_models_from_the_catalogue_highlights_the_differences(page, live_server, seed, problems):
    page.goto(live_server.url + "/models/")
    chosen = ["GPT-5", "Llama 3.3 70B Instruct", "Mistral Large 3 (2512)"]
    table = page.locator("table.catalogue-table")
    for name in chosen:
        row = table.locator("tbody tr", has=page.get_by_role("link", name=name, exact=True))
        row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Compare selected models").click()
    page.wait_for_url(re.compile(r"/compare/\?m=.+&m=.+&m=.+"))

    facts = page.locator("table.compare-table").first
    headers = [text.strip() for text in facts.locator("thead th").all_inner_texts()[1:]]
    assert headers == chosen

    rows = page.locator("table.compare-table tbody tr")
    assert rows.count() > 10
    differing = same = 0
    for index in range(rows.count()):
        row = rows.nth(index)
        values = [text.strip() for text in row.locator("td").all_inner_texts()]
        highlighted = "row-differs" in (row.get_attribute("class") or "")
        label = row.locator("th").inner_text()
        assert highlighted == (len(set(values)) > 1), f"{label}: {values}"
        if highlighted:
            differing += 1
            assert "(differs)" in label
            background = row.locator("th").evaluate("el => getComputedStyle(el).backgroundColor")
            assert background not in {"rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"}, background
        else:
            same += 1
    assert differing and same, (differing, same)
    expect(page.get_by_role("img", name="Criterion scores of the compared models")).to_be_visible()
    assert not problems.items, f"Problems in the browser:\n{problems}"
