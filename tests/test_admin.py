import pytest
from django.urls import reverse

from advisor import models


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:advisor_licence_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_editor_can_change_a_licence(editor_client):
    licence = models.Licence.objects.create(
        slug="apache-2.0", name="Apache License 2.0", category="permissive", commercial_use="yes"
    )
    url = reverse("admin:advisor_licence_change", args=[licence.pk])
    assert editor_client.get(url).status_code == 200
    data = {
        "name": "Apache License 2.0",
        "slug": "apache-2.0",
        "spdx_id": "Apache-2.0",
        "category": "permissive",
        "commercial_use": "yes",
        "outputs_may_train_models": "yes",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    licence.refresh_from_db()
    assert licence.spdx_id == "Apache-2.0"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["admin:auth_user_changelist", "admin:auth_group_changelist", "admin:auth_user_add"])
def test_editor_cannot_see_users_or_groups(editor_client, name):
    assert editor_client.get(reverse(name)).status_code == 403


@pytest.mark.django_db
def test_editor_cannot_edit_a_saved_recommendation(editor_client):
    recommendation = models.Recommendation.objects.create(
        answers={}, result={}, catalogue_fingerprint="x", engine_version="1"
    )
    url = reverse("admin:advisor_recommendation_change", args=[recommendation.pk])
    assert editor_client.get(url).status_code == 200  # view only
    response = editor_client.post(url, {"engine_version": "2"})
    assert response.status_code == 403
    recommendation.refresh_from_db()
    assert recommendation.engine_version == "1"
