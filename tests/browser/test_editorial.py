"""An editor keeps the catalogue true, in a real browser: change a licence, preview its impact, publish it,
find it on /changes/ and on an older permalink, revert it; a reader reports an inaccuracy and the editor closes it."""

import re

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from advisor import models, services
from advisor.history import baseline_all
from tests.conftest import complete_answers, editors_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests-only")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Catalogue")).to_be_visible()


def test_an_editor_changes_a_licence_sees_its_impact_and_reverts_it(
    browser, page, live_server, seed, django_user_model, problems
):
    # The catalogue as setup_demo leaves it: every entry with its baseline in the history.
    baseline_all(lambda name: apps.get_model("advisor", name), when=timezone.now())
    editor = django_user_model.objects.create_user(username="editor", password="pw-for-tests-only", is_staff=True)
    editor.groups.add(editors_group())
    saved = services.recommendation_create(answers=complete_answers(commercial="yes"))
    top = services.recommendation_result(saved)["picks"][0]
    licence = models.AIModel.objects.select_related("licence").get(slug=top["slug"]).licence
    assert licence.commercial_use == "yes"

    # The editor makes the top pick's licence non-commercial.
    admin = browser.new_context(viewport={"width": 1280, "height": 900})
    editor_page = problems.watch(admin.new_page())
    sign_in(editor_page, live_server, "editor")
    editor_page.goto(f"{live_server.url}/admin/advisor/licence/{licence.pk}/change/")
    editor_page.locator("#id_commercial_use").select_option("no")
    editor_page.get_by_role("button", name="Save", exact=True).click()
    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")

    # Not published yet: readers still see the licence as it was.
    page.goto(live_server.url + saved.get_absolute_url())
    expect(page.locator(".changed-since")).to_have_count(0)

    # The preview: what publishing would change, and its impact on the saved result.
    editor_page.goto(live_server.url + "/admin/")
    editor_page.get_by_role("link", name=re.compile("Publish the catalogue")).click()
    expect(editor_page.locator("#content-main")).to_contain_text("Commercial use: Yes → No")
    expect(editor_page.locator("#content-main")).to_contain_text("Compared 1 of the 1 results")
    expect(editor_page.locator("#content-main")).to_contain_text("1 would start with a different model.")
    editor_page.get_by_label("Note for readers (optional)").fill("Licence terms re-read.")
    editor_page.get_by_role("button", name="Publish a new version").click()
    expect(editor_page.get_by_role("heading", name="What changed in the catalogue")).to_be_visible()

    # The public sees the change on /changes/ and on the older permalink.
    page.goto(live_server.url + "/changes/")
    entry = page.locator(".change-list li", has_text=licence.name).first
    expect(entry).to_contain_text("Commercial use: Yes → No")
    page.goto(live_server.url + saved.get_absolute_url())
    since = page.locator(".changed-since")
    expect(since).to_contain_text(f"{licence.name}: Commercial use: Yes → No")

    # The editor reverts that change from the entry's history.
    editor_page.goto(f"{live_server.url}/admin/advisor/licence/{licence.pk}/history/")
    editor_page.locator("#change-history tbody tr").nth(1).get_by_role("link").first.click()
    editor_page.get_by_role("button", name="Revert").first.click()
    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")
    licence.refresh_from_db()
    assert licence.commercial_use == "yes"
    editor_page.goto(live_server.url + "/admin/publish/")
    editor_page.get_by_role("button", name="Publish a new version").click()
    page.goto(live_server.url + "/changes/")
    expect(page.locator(".change-list li").first).to_contain_text("Commercial use: No → Yes")

    # A reader reports an inaccuracy on the model's page; the editor closes it.
    page.goto(live_server.url + f"/models/{top['slug']}/")
    page.get_by_role("link", name="Report an inaccuracy").click()
    page.get_by_label("What is wrong?").fill("The context window is 256K tokens since the last release.")
    page.get_by_label("Where can we check the right fact? (a link)").fill("https://example.org/model-card")
    page.get_by_role("button", name=re.compile("Send")).click()
    expect(page.get_by_role("status").first).to_contain_text("Thank you")
    report = models.InaccuracyReport.objects.get()
    editor_page.goto(f"{live_server.url}/admin/advisor/inaccuracyreport/{report.pk}/change/")
    editor_page.locator("#id_status").select_option("accepted")
    editor_page.locator("#id_editor_note").fill("Corrected from the model card.")
    editor_page.get_by_role("button", name="Save", exact=True).click()
    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")
    report.refresh_from_db()
    assert report.status == "accepted"
    admin.close()
    assert not problems.items, f"Problems in the browser:\n{problems}"
