"""The change history of catalogue content: who changed what, field by field, and reverting one change."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from advisor import models
from tests.test_admin import _licence_post


@pytest.fixture
def licence(editor_client):
    """A licence created through the admin, then changed once: two entries in its history."""
    add = editor_client.post(reverse("admin:advisor_licence_add"), _licence_post())
    assert add.status_code == 302
    licence = models.Licence.objects.get(slug="community-licence")
    change = editor_client.post(
        reverse("admin:advisor_licence_change", args=[licence.pk]),
        _licence_post(name="Community Licence v2", excluded_jurisdictions=["EU"]),
    )
    assert change.status_code == 302, change.context["adminform"].form.errors if change.context else ""
    return licence


@pytest.mark.django_db
def test_every_change_is_recorded_with_who_when_and_the_fields_before_and_after(editor_client, editor, licence):
    page = editor_client.get(reverse("admin:advisor_licence_history", args=[licence.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count(editor.username) >= 2
    assert "Community Licence" in text and "Community Licence v2" in text
    # Field-level before and after for the change, not only "changed".
    records = list(licence.history.order_by("history_date"))
    assert [record.history_type for record in records] == ["+", "~"]
    assert all(record.history_user == editor for record in records)
    delta = records[1].diff_against(records[0])
    assert {change.field for change in delta.changes} == {"name", "excluded_jurisdictions"}
    changes = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    assert "Jurisdictions without a grant:</strong> none → European Union" in changes
    # Editors are not sent to user pages they may not open.
    assert reverse("admin:auth_user_change", args=[editor.pk]) not in text
    # A change made outside the admin (an import, a command) says so, never "None".
    licence.notable_clauses = "Changed by a command."
    licence.save()
    text = editor_client.get(reverse("admin:advisor_licence_history", args=[licence.pk])).text
    assert "Not recorded (an import or a command)" in text
    assert ">None<" not in re.sub(r"\s+", "", text)


@pytest.mark.django_db
def test_an_editor_reverts_a_single_change_from_the_history(editor_client, licence):
    before = licence.history.order_by("history_date").first()
    form = editor_client.get(reverse("admin:advisor_licence_simple_history", args=[licence.pk, before.history_id]))
    assert form.status_code == 200
    assert 'value="Community Licence"' in form.content.decode()
    # The page says what a revert restores, and what it leaves as it is.
    assert "restore this entry's own fields as they were in this version" in form.text
    assert "Its sources, and the scores editors set, stay as they are now" in " ".join(form.text.split())
    assert '<ol class="breadcrumbs">' in form.text
    reverted = editor_client.post(
        reverse("admin:advisor_licence_simple_history", args=[licence.pk, before.history_id]), _licence_post()
    )
    assert reverted.status_code == 302
    licence.refresh_from_db()
    assert licence.name == "Community Licence"
    assert licence.excluded_jurisdictions == []
    # The revert is itself a change in the history, said to be one, and the public page shows the restored name.
    assert licence.history.count() == 3
    reason = licence.history.order_by("-history_date").first().history_change_reason
    assert reason.startswith("Reverted to the version of ")
    assert reason in editor_client.get(reverse("admin:advisor_licence_history", args=[licence.pk])).text
    assert "Community Licence v2" not in editor_client.get(licence.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_visitor_cannot_see_the_history(licence):
    response = Client().get(reverse("admin:advisor_licence_history", args=[licence.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
