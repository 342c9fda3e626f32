"""Readers report inaccuracies on model and licence pages; editors close them in the admin."""

import pytest
from django.core import mail
from django.urls import reverse

from advisor import models
from tests.conftest import catalogue_create, publish

REPORT = {
    "what_is_wrong": "The context window is 128K, not 32K, since the March update.",
    "source_url": "https://example.org/model-card",
    "email": "reader@example.org",
}


@pytest.fixture
def ai_model(db):
    (ai_model,) = catalogue_create(1)
    publish()
    return ai_model


@pytest.fixture
def editor_with_email(editor):
    editor.email = "editor@example.org"
    editor.save()
    return editor


def test_a_reader_reports_from_the_model_page_and_the_editors_are_told(client, ai_model, editor_with_email):
    page = client.get(ai_model.get_absolute_url()).content.decode()
    report_url = reverse("advisor:model-report", args=[ai_model.slug])
    assert f'href="{report_url}"' in page

    response = client.post(report_url, REPORT, follow=True)

    assert "Thank you: the editors will check your report." in response.content.decode()
    report = models.InaccuracyReport.objects.get()
    assert (report.ai_model, report.status, report.email) == (ai_model, "new", "reader@example.org")
    assert [message.to for message in mail.outbox] == [["editor@example.org"]]
    assert "128K" in mail.outbox[0].body and "reader@example.org" not in mail.outbox[0].body
    assert "reader@example.org" not in client.get(ai_model.get_absolute_url()).content.decode()


def test_licence_pages_take_reports_too(client, ai_model):
    url = reverse("advisor:licence-report", args=[ai_model.licence.slug])
    assert client.post(url, {**REPORT, "email": ""}).status_code == 302
    assert models.InaccuracyReport.objects.get().licence == ai_model.licence


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"what_is_wrong": ""}, "what_is_wrong"),
        ({"what_is_wrong": "x" * 2001}, "what_is_wrong"),
        ({"source_url": "not a link"}, "source_url"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_a_bad_report_is_shown_again_with_the_error_and_nothing_saved(client, ai_model, changes, field):
    response = client.post(reverse("advisor:model-report", args=[ai_model.slug]), {**REPORT, **changes})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not models.InaccuracyReport.objects.exists()


def test_a_bot_filling_the_honeypot_is_thanked_and_ignored(client, ai_model):
    response = client.post(reverse("advisor:model-report", args=[ai_model.slug]), {**REPORT, "website": "spam"})
    assert response.status_code == 302
    assert not models.InaccuracyReport.objects.exists()


def test_reports_are_limited_per_client(client, ai_model, settings):
    settings.ADVISOR_REPORT_LIMIT = 2
    url = reverse("advisor:model-report", args=[ai_model.slug])
    statuses = [client.post(url, REPORT).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert models.InaccuracyReport.objects.count() == 2


def test_reports_need_a_csrf_token(ai_model):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("advisor:model-report", args=[ai_model.slug]), REPORT)
    assert response.status_code == 403
    assert not models.InaccuracyReport.objects.exists()


def test_an_editor_closes_a_report_and_the_reporters_email_is_deleted(client, editor_client, ai_model):
    client.post(reverse("advisor:model-report", args=[ai_model.slug]), REPORT)
    report = models.InaccuracyReport.objects.get()
    changelist = editor_client.get(reverse("admin:advisor_inaccuracyreport_changelist"), {"status": "new"})
    assert REPORT["what_is_wrong"][:30] in changelist.content.decode()

    url = reverse("admin:advisor_inaccuracyreport_change", args=[report.pk])
    page = editor_client.get(url).content.decode()
    assert ai_model.get_absolute_url() in page
    response = editor_client.post(url, {"status": "accepted", "editor_note": "Corrected the context window."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.email, report.editor_note) == ("accepted", "", "Corrected the context window.")
