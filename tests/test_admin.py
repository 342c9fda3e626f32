import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisor import models, versions


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
def test_editors_see_catalogue_content_only_not_saved_results(editor_client):
    recommendation = models.Recommendation.objects.create(
        answers={}, result={}, catalogue_fingerprint="x", engine_version="1"
    )
    index = editor_client.get(reverse("admin:index"))
    assert "AI models" in index.text and "Recommendations" not in index.text
    assert editor_client.get(reverse("admin:advisor_recommendation_changelist")).status_code == 403
    assert (
        editor_client.get(reverse("admin:advisor_recommendation_change", args=[recommendation.pk])).status_code == 403
    )


@pytest.mark.django_db
def test_the_migrated_groups_give_result_viewing_to_a_separate_empty_group():
    from django.contrib.auth.models import Group

    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    viewers = Group.objects.get(name="Result viewers")
    assert "change_aimodel" in editors and "view_recommendation" not in editors
    assert set(viewers.permissions.values_list("codename", flat=True)) == {"view_recommendation"}
    assert not viewers.user_set.exists()


@pytest.mark.django_db
def test_a_result_viewer_may_view_a_saved_result_but_never_edit_it(client, django_user_model):
    from django.contrib.auth.models import Group

    viewer = django_user_model.objects.create_user(username="viewer", password="pw-for-tests-only", is_staff=True)
    viewer.groups.add(Group.objects.get(name="Result viewers"))
    client.force_login(viewer)
    recommendation = models.Recommendation.objects.create(
        answers={}, result={}, catalogue_fingerprint="x", engine_version="1"
    )
    url = reverse("admin:advisor_recommendation_change", args=[recommendation.pk])
    assert client.get(url).status_code == 200  # view only
    assert client.post(url, {"engine_version": "2"}).status_code == 403
    recommendation.refresh_from_db()
    assert recommendation.engine_version == "1"


def _licence_post(**fields):
    return {
        "name": "Community Licence",
        "slug": "community-licence",
        "category": "open-weights-restricted",
        "commercial_use": "conditional",
        "outputs_may_train_models": "yes",
        "thresholds": "[]",
        "use_restrictions": "null",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        **fields,
    }


@pytest.mark.django_db
def test_editor_saves_structured_thresholds_and_use_restrictions(editor_client):
    thresholds = [{"kind": "mau", "value": 700000000, "effect": "separate-licence", "note": "Ask Meta."}]
    restrictions = [
        {"use": "legal-advice", "rule": "conditional", "condition": "human review", "clause": "c", "source": "s"}
    ]
    response = editor_client.post(
        reverse("admin:advisor_licence_add"),
        _licence_post(thresholds=json.dumps(thresholds), use_restrictions=json.dumps(restrictions)),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    licence = models.Licence.objects.get(slug="community-licence")
    assert (licence.thresholds, licence.use_restrictions) == (thresholds, restrictions)
    change = editor_client.get(reverse("admin:advisor_licence_change", args=[licence.pk])).content.decode()
    assert "&quot;effect&quot;: &quot;separate-licence&quot;" in change  # indented JSON, one key a line
    changelist = editor_client.get(reverse("admin:advisor_licence_changelist")).content.decode()
    assert "1 gate" in changelist


@pytest.mark.django_db
def test_facts_cannot_be_dated_after_today_by_an_editor(editor_client):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).strftime("%Y-%m")
    sources = {
        "sources-TOTAL_FORMS": "1",
        "sources-0-url": "https://example.org/licence",
        "sources-0-title": "The licence text",
        "sources-0-confidence": "high",
    }
    future = _licence_post(last_reviewed=tomorrow.isoformat(), **sources, **{"sources-0-as_of": next_month})

    response = editor_client.post(reverse("admin:advisor_licence_add"), future)

    assert response.status_code == 200
    assert "This date is in the future: use the day the facts were checked." in response.text
    assert "This date is in the future: use the date of what was read." in response.text
    assert not models.Licence.objects.filter(slug="community-licence").exists()
    # A date that does not exist is said to be one, not to be in the future.
    unreal = _licence_post(**sources, **{"sources-0-as_of": f"{today.year - 1}-13-45"})
    response = editor_client.post(reverse("admin:advisor_licence_add"), unreal)
    assert "This is not a real date: check the month and the day." in response.text
    assert "in the future" not in response.text
    # Today, at each precision, is fine.
    present = _licence_post(last_reviewed=today.isoformat(), **sources, **{"sources-0-as_of": today.strftime("%Y-%m")})
    assert editor_client.post(reverse("admin:advisor_licence_add"), present).status_code == 302
    assert models.Licence.objects.get(slug="community-licence").last_reviewed == today


@pytest.mark.django_db
def test_an_overlong_text_is_refused_with_its_limit_and_the_box_says_the_limit(editor_client):
    page = editor_client.get(reverse("admin:advisor_licence_add")).text
    assert 'maxlength="20000"' in page  # the browser stops a stray paste there

    response = editor_client.post(reverse("admin:advisor_licence_add"), _licence_post(obligations="x" * 20_001))

    assert response.status_code == 200
    assert "Ensure this value has at most 20000 characters (it has 20001)." in response.text
    assert not models.Licence.objects.filter(slug="community-licence").exists()


@pytest.mark.django_db
def test_editor_is_told_what_is_wrong_with_a_threshold(editor_client):
    bad = [{"kind": "users", "value": -5, "effect": "gate"}]
    response = editor_client.post(reverse("admin:advisor_licence_add"), _licence_post(thresholds=json.dumps(bad)))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["thresholds"]
    assert "Threshold 1: kind must be one of mau, monthly_revenue_usd, annual_revenue_usd, " in errors[0]
    assert "Threshold 1: value must be a positive whole number." in errors
    assert any(error.startswith("Threshold 1: effect must be one of separate-licence") for error in errors)
    assert not models.Licence.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("thresholds", {"kind": "mau"}, "Thresholds must be a list"),
        ("thresholds", [{"kind": "mau", "value": True, "effect": "display-duty"}], "value must be a positive"),
        ("thresholds", [{"kind": "mau", "value": 10, "effect": "other", "note": ""}], "needs a note"),
        ("thresholds", [{"kind": "mau", "value": 10, "effect": "display-duty", "limit": 1}], "unknown keys: limit"),
        ("use_restrictions", [{"use": "legal-advice", "rule": "conditional"}], "a conditional rule needs a condition"),
        ("use_restrictions", [{"use": "military", "rule": "banned"}], "rule must be one of forbidden, conditional"),
        ("use_restrictions", [{"use": "spying", "rule": "forbidden"}], "use must be one of medical-advice"),
        (
            "use_restrictions",
            [{"use": "military", "rule": "forbidden", "condition": "approval"}],
            "a forbidden use takes no condition",
        ),
    ],
)
def test_licence_clean_rejects_a_malformed_entry(field, value, message):
    licence = models.Licence(slug="x", name="X", category="permissive", commercial_use="yes", **{field: value})
    with pytest.raises(ValidationError) as caught:
        licence.clean()
    assert any(message in error for error in caught.value.message_dict[field]), caught.value.message_dict


@pytest.mark.parametrize("value", [None, []])
def test_licence_clean_accepts_none_and_not_verified(value):
    models.Licence(
        slug="x", name="X", category="permissive", commercial_use="yes", thresholds=value, use_restrictions=value
    ).clean()


# -- The model list's actions and filters, as an editor uses them ------------------------------


@pytest.fixture
def three_models(db):
    import datetime

    from tests.conftest import catalogue_create

    ai_models = catalogue_create(3)
    models.AIModel.objects.filter(pk=ai_models[0].pk).update(last_reviewed=datetime.date(2020, 1, 1))
    models.AIModel.objects.filter(pk=ai_models[1].pk).update(last_reviewed=None, status="draft")
    return ai_models


def changelist_action(editor_client, action, ai_models):
    return editor_client.post(
        reverse("admin:advisor_aimodel_changelist"),
        {"action": action, "_selected_action": [m.pk for m in ai_models]},
        follow=True,
    )


def test_an_editor_publishes_and_unpublishes_from_the_list(editor_client, three_models):
    draft = three_models[1]
    response = changelist_action(editor_client, "publish", [draft])
    assert "1 model will be in the next catalogue version: publish the catalogue to make it public." in response.text
    assert models.AIModel.objects.get(pk=draft.pk).status == "published"
    response = changelist_action(editor_client, "unpublish", three_models)
    assert "3 models will be left out of the next catalogue version." in response.text
    assert not models.AIModel.objects.published().exists()
    assert draft.name not in Client().get(reverse("advisor:model-list")).text  # gone for visitors


def test_a_model_whose_capability_nobody_rated_is_not_published(editor_client, three_models):
    from django.core.exceptions import ValidationError

    from advisor import scoring

    draft = three_models[1]
    draft.scores.filter(criterion__slug="capability").update(rationale=scoring.PLACEHOLDER_RATIONALE, value=5)
    response = changelist_action(editor_client, "publish", [draft])
    assert "Not included, no editor has rated their capability with a rationale yet: " + draft.name in response.text
    assert "0 models will be in the next catalogue version" in response.text
    assert models.AIModel.objects.get(pk=draft.pk).status == "draft"
    draft.status = "published"
    with pytest.raises(ValidationError, match="rated its Capability with a rationale"):
        draft.full_clean()
    # Once rated, it publishes.
    draft.scores.filter(criterion__slug="capability").update(rationale="Strong on the benchmarks its card cites.")
    assert "1 model will be in the next catalogue version" in changelist_action(editor_client, "publish", [draft]).text


def test_an_editor_marks_models_verified_against_a_source_and_the_review_filter_follows(editor_client, three_models):
    changelist = reverse("admin:advisor_aimodel_changelist")
    stale = editor_client.get(changelist, {"review": "stale"}).text
    assert three_models[0].name in stale and three_models[1].name in stale and three_models[2].name not in stale

    chosen = {"action": "mark_verified", "_selected_action": [m.pk for m in three_models[:2]]}
    asked = editor_client.post(changelist, chosen)
    assert asked.status_code == 200
    assert "Source checked" in asked.text and three_models[0].name in asked.text
    # A source is required: without one nothing is marked.
    refused = editor_client.post(changelist, {**chosen, "apply": "1", "title": "Model card"})
    assert "This field is required." in refused.text
    assert editor_client.get(changelist, {"review": "stale"}).text.count("field-name") == 2

    done = editor_client.post(
        changelist,
        {
            **chosen,
            "apply": "1",
            "source_url": "https://example.org/checked",
            "title": "Model card",
            "confidence": "high",
        },
        follow=True,
    )
    assert "2 entries marked verified today." in done.text
    assert "0 AI models" in editor_client.get(changelist, {"review": "stale"}).text
    fresh = editor_client.get(changelist, {"review": "fresh"}).text
    assert all(m.name in fresh for m in three_models)
    recorded = models.Source.objects.filter(url="https://example.org/checked")
    assert sorted(recorded.values_list("ai_model", flat=True)) == sorted(m.pk for m in three_models[:2])
    assert {source.as_of for source in recorded} == {timezone.localdate().isoformat()}
    versions.publish()
    page = Client().get(reverse("advisor:model-detail", args=[three_models[0].slug])).text
    assert f"Facts last verified {timezone.localdate():%B %Y}" in page
    assert "Review overdue" not in page


def test_the_admin_index_counts_the_review_queue_and_links_it_oldest_first(editor_client, three_models):
    import datetime

    models.AIModel.objects.filter(pk=three_models[2].pk).update(last_reviewed=datetime.date(2024, 6, 1))
    index = editor_client.get(reverse("admin:index")).text
    assert "Review queue" in index
    queue = index[index.index("Review queue") :]
    assert '?review=stale">3</a>' in queue  # all three models are overdue
    stale = editor_client.get(reverse("admin:advisor_aimodel_changelist"), {"review": "stale"}).text
    never, oldest, older = three_models[1], three_models[0], three_models[2]  # None, 2020, 2024
    assert stale.index(never.name) < stale.index(oldest.name) < stale.index(older.name)
    assert 'href="/static/css/admin.css"' in index  # the queue's column headers keep their width

    # The low-confidence column links each kind of entry to its own list of entries that only such
    # sources back; another low one beside a surer source does not count.
    models.Source.objects.filter(ai_model=three_models[0]).update(confidence="low")
    models.Source.objects.create(
        ai_model=three_models[2], url="https://example.org/blog", title="A blog post", as_of="2025-01", confidence="low"
    )
    queue = editor_client.get(reverse("admin:index")).text
    queue = queue[queue.index("Review queue") :]
    models_url = reverse("admin:advisor_aimodel_changelist") + "?sources=low"
    assert f'href="{models_url}">1</a>' in queue
    assert f'href="{reverse("admin:advisor_licence_changelist")}?sources=low">0</a>' in queue
    low = editor_client.get(models_url).text
    assert three_models[0].name in low and three_models[1].name not in low and three_models[2].name not in low

    # Verified against a surer source, it leaves the queue.
    changelist = reverse("admin:advisor_aimodel_changelist")
    editor_client.post(
        changelist,
        {
            "action": "mark_verified",
            "_selected_action": [three_models[0].pk],
            "apply": "1",
            "source_url": "https://example.org/model-card",
            "title": "Model card",
            "confidence": "high",
        },
    )
    queue = editor_client.get(reverse("admin:index")).text
    assert f'href="{models_url}">0</a>' in queue[queue.index("Review queue") :]


def test_editors_export_models_and_scores_as_csv(editor_client, three_models):
    import csv
    import io

    models.AIModel.objects.filter(pk=three_models[0].pk).update(name="=HYPERLINK(1)")
    response = editor_client.post(
        reverse("admin:advisor_aimodel_changelist"),
        {"action": "export_csv", "_selected_action": [m.pk for m in three_models]},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["slug", "name", "provider__name"]
    assert [row[0] for row in rows[1:]] == [m.slug for m in three_models]
    assert rows[1][1] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet

    scores = editor_client.post(
        reverse("admin:advisor_score_changelist"),
        {"action": "export_csv", "_selected_action": list(three_models[0].scores.values_list("pk", flat=True))},
    )
    score_rows = list(csv.reader(io.StringIO(scores.content.decode())))
    assert score_rows[0] == [
        "ai_model__slug",
        "criterion__slug",
        "value",
        "is_override",
        "override_reason",
        "rationale",
    ]
    assert len(score_rows) == 1 + three_models[0].scores.count()
