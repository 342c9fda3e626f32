"""Editors change scores in the model's admin page; nothing they type is silently discarded."""

import pytest
from django.urls import reverse

from advisor import catalogue, models, services, versions
from tests.conftest import catalogue_create


def form_values(response):
    """The change form's data as the browser would post it back unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms += list(formset.formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, (list, tuple)):
                data[form.add_prefix(name)] = [str(item) for item in value]
            elif value is True:
                data[form.add_prefix(name)] = "on"
            else:
                formatted = field.widget.format_value(value)
                if formatted is not None:
                    data[form.add_prefix(name)] = formatted
    return data


@pytest.fixture
def model_with_scores(db):
    (ai_model,) = catalogue_create(1)
    services.scores_recompute(ai_model=ai_model)
    return ai_model


def score_row(page, slug):
    """The inline prefix of the score row for a criterion, as the change page shows it."""
    for formset in page.context["inline_admin_formsets"]:
        for form in formset.formset.forms:
            if form.instance.pk and form.instance.criterion.slug == slug:
                return form.prefix
    raise AssertionError(f"no score row for {slug}")


def test_changing_a_computed_score_without_an_override_is_an_error_and_nothing_changes(
    editor_client, model_with_scores
):
    url = reverse("admin:advisor_aimodel_change", args=[model_with_scores.pk])
    page = editor_client.get(url)
    assert "computed from facts" in page.text and "editorial" in page.text
    data = form_values(page)
    row = score_row(page, "data-privacy")
    before = models.Score.objects.get(ai_model=model_with_scores, criterion__slug="data-privacy")
    new_value = 9 if before.value != 9 else 8
    data[f"{row}-value"] = str(new_value)
    data[f"{row}-rationale"] = "Runs on our own servers."

    response = editor_client.post(url, data)

    assert response.status_code == 200  # the form again, with the editor's input kept
    assert "tick “editor override” and give a reason" in response.text
    assert f'value="{new_value}"' in response.text
    assert models.Score.objects.get(pk=before.pk).value == before.value


def test_an_override_with_a_reason_is_kept_through_the_recompute(editor_client, model_with_scores):
    url = reverse("admin:advisor_aimodel_change", args=[model_with_scores.pk])
    page = editor_client.get(url)
    data = form_values(page)
    row = score_row(page, "data-privacy")
    data[f"{row}-value"] = "9"
    data[f"{row}-rationale"] = "Runs on our own servers."
    data[f"{row}-is_override"] = "on"

    without_reason = editor_client.post(url, data)
    assert without_reason.status_code == 200
    assert "An override needs a written reason." in without_reason.text

    data[f"{row}-override_reason"] = "The vendor's data terms changed after the facts were recorded."
    response = editor_client.post(url, data)

    assert response.status_code == 302
    score = models.Score.objects.get(ai_model=model_with_scores, criterion__slug="data-privacy")
    assert (score.value, score.is_override) == (9, True)
    services.scores_recompute(ai_model=model_with_scores)
    assert models.Score.objects.get(pk=score.pk).value == 9
    page = editor_client.get(url)
    assert "The rule gives" in page.text


def test_the_editorial_capability_score_is_changed_directly(editor_client, model_with_scores):
    url = reverse("admin:advisor_aimodel_change", args=[model_with_scores.pk])
    page = editor_client.get(url)
    data = form_values(page)
    row = score_row(page, "capability")
    data[f"{row}-value"] = "8"
    data[f"{row}-rationale"] = "Strong on the public coding benchmarks of its month."

    assert editor_client.post(url, data).status_code == 302
    assert models.Score.objects.get(ai_model=model_with_scores, criterion__slug="capability").value == 8


def test_saving_a_form_unchanged_publishes_nothing_though_the_browser_sends_crlf_line_breaks(
    editor_client, model_with_scores
):
    model_with_scores.strengths = "Strong at code.\nGood at long documents."
    model_with_scores.save()
    versions.publish()
    url = reverse("admin:advisor_aimodel_change", args=[model_with_scores.pk])
    data = form_values(editor_client.get(url))
    # A browser sends every textarea's line breaks as CR LF.
    data = {name: value.replace("\n", "\r\n") if isinstance(value, str) else value for name, value in data.items()}
    assert "\r\n" in data["strengths"]
    history = model_with_scores.history.count()

    assert editor_client.post(url, data).status_code == 302

    model_with_scores.refresh_from_db()
    assert model_with_scores.strengths == "Strong at code.\nGood at long documents."
    assert "Nothing to publish" in editor_client.get(reverse("catalogue-publish")).text
    # The form had not changed: no change to record, none waiting to be published.
    assert "0 edits since the latest version" in editor_client.get(reverse("admin:index")).text
    assert model_with_scores.history.count() == history


def test_a_version_that_kept_crlf_line_breaks_is_not_reworded_by_a_save(editor_client, model_with_scores):
    # Saved before line breaks were normalised, and published so.
    models.AIModel.objects.filter(pk=model_with_scores.pk).update(strengths="Strong at code.\r\nCheap.")
    versions.publish()
    model_with_scores.refresh_from_db()
    model_with_scores.save()
    assert "Nothing to publish" in editor_client.get(reverse("catalogue-publish")).text


def test_a_negative_api_price_is_refused_next_to_its_field_in_words(editor_client, model_with_scores):
    url = reverse("admin:advisor_aimodel_change", args=[model_with_scores.pk])
    data = form_values(editor_client.get(url))
    data["price_input_per_mtok"] = "-3"
    data["price_output_per_mtok"] = "-1"

    response = editor_client.post(url, data)

    assert response.status_code == 200  # the form again, nothing saved
    errors = response.context["adminform"].form.errors
    assert (
        errors["price_input_per_mtok"]
        == errors["price_output_per_mtok"]
        == ["Ensure this value is greater than or equal to 0."]
    )
    assert "not_negative" not in response.text  # no constraint name shown to the editor
    model_with_scores.refresh_from_db()
    assert model_with_scores.price_input_per_mtok != -3


def add_form_values(editor_client, ai_model, **fields):
    """The add page's form for a new model, filled in as an editor would, ``fields`` last."""
    page = editor_client.get(reverse("admin:advisor_aimodel_add"))
    assert page.status_code == 200
    assert "Capability score" in page.text and "Why this score" in page.text
    data = form_values(page)
    data.update(
        name="Newly released model",
        slug="newly-released-model",
        provider=str(ai_model.provider_id),
        licence=str(ai_model.licence_id),
        access="open-weights",
        weights_available="on",
        release_date_precision="day",
        modalities=["text"],
        deployment=["self-host"],
        lifecycle="active",
    )
    data.update(
        {
            "sources-TOTAL_FORMS": "1",
            "sources-0-title": "Model card",
            "sources-0-url": "https://example.org/newly-released-model",
            "sources-0-as_of": "2026-11",
            "sources-0-confidence": "high",
        }
    )
    data.update(fields)
    return data


def test_an_editor_adds_and_publishes_a_new_model_in_one_save(editor_client, model_with_scores):
    versions.publish()
    data = add_form_values(
        editor_client,
        model_with_scores,
        status="published",
        capability="7",
        capability_rationale="Close to the best open models\r\non the benchmarks its card cites.",
    )

    response = editor_client.post(reverse("admin:advisor_aimodel_add"), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    added = models.AIModel.objects.get(slug="newly-released-model")
    assert added.status == "published"
    capability = added.scores.get(criterion__slug="capability")
    assert (capability.value, capability.rationale) == (
        7,
        "Close to the best open models\non the benchmarks its card cites.",
    )
    assert added.scores.count() == models.Criterion.objects.count()  # the computed ones too
    versions.publish()
    assert "Newly released model" in editor_client.get(reverse("advisor:model-list")).text
    # Not verified by an editor yet: the engine's snapshot says so (its caveat is tested in test_engine).
    snapshot = catalogue.catalogue_snapshot()["models"]
    assert next(entry for entry in snapshot if entry["slug"] == "newly-released-model")["verified"] is False
    # On the model's own page, capability is edited under Scores, not twice.
    change = editor_client.get(reverse("admin:advisor_aimodel_change", args=[added.pk])).text
    assert "Capability score" not in change


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"status": "published"}, "status", "Publish it once an editor has rated its Capability"),
        ({"status": "draft", "capability": "7"}, "capability_rationale", "a capability score needs its reason"),
        ({"status": "draft", "capability_rationale": "Strong."}, "capability", "Give the score this reason is for"),
        ({"status": "draft", "capability": "11", "capability_rationale": "x"}, "capability", "less than or equal"),
    ],
)
def test_a_new_model_is_refused_with_its_rating_incomplete_and_nothing_is_saved(
    editor_client, model_with_scores, fields, field, message
):
    data = add_form_values(editor_client, model_with_scores, **fields)

    response = editor_client.post(reverse("admin:advisor_aimodel_add"), data)

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors[field])
    assert 'value="Newly released model"' in response.text  # the editor's input is kept
    assert not models.AIModel.objects.filter(slug="newly-released-model").exists()


def test_a_model_is_published_only_with_a_source_and_a_release_date_not_in_the_future(editor_client, model_with_scores):
    unsourced = add_form_values(
        editor_client, model_with_scores, status="published", capability="6", capability_rationale="Mid-size."
    )
    unsourced["sources-TOTAL_FORMS"] = "0"
    response = editor_client.post(reverse("admin:advisor_aimodel_add"), unsourced)
    assert response.status_code == 200
    assert "A published model needs at least one source" in response.text
    assert not models.AIModel.objects.filter(slug="newly-released-model").exists()

    future = add_form_values(
        editor_client,
        model_with_scores,
        status="published",
        release_date="2099-01-01",
        capability="6",
        capability_rationale="Mid-size.",
    )
    response = editor_client.post(reverse("admin:advisor_aimodel_add"), future)
    assert response.status_code == 200
    assert "This date is in the future: keep the model a draft until it is released." in str(
        response.context["adminform"].form.errors["release_date"]
    )
    assert not models.AIModel.objects.filter(slug="newly-released-model").exists()
    # An announced model may wait as a draft; the list's action leaves it out until its day.
    announced = {**future, "status": "draft", "slug": "announced-model"}
    assert editor_client.post(reverse("admin:advisor_aimodel_add"), announced).status_code == 302
    response = editor_client.post(
        reverse("admin:advisor_aimodel_changelist"),
        {"action": "publish", "_selected_action": [models.AIModel.objects.get(slug="announced-model").pk]},
        follow=True,
    )
    assert "Not included, not released yet: Newly released model." in response.text

    # A draft may wait for its source; the list's action then leaves it out, saying why.
    draft = add_form_values(
        editor_client, model_with_scores, status="draft", capability="6", capability_rationale="Mid."
    )
    draft["sources-TOTAL_FORMS"] = "0"
    assert editor_client.post(reverse("admin:advisor_aimodel_add"), draft).status_code == 302
    added = models.AIModel.objects.get(slug="newly-released-model")
    response = editor_client.post(
        reverse("admin:advisor_aimodel_changelist"),
        {"action": "publish", "_selected_action": [added.pk]},
        follow=True,
    )
    assert "Not included, no source is recorded for: Newly released model." in response.text
    assert models.AIModel.objects.get(pk=added.pk).status == "draft"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"access": "closed-api"}, "weights_available", "A closed API model has no published weights"),
        ({"weights_available": ""}, "weights_available", "Open weights are published"),
        ({"lifecycle": "retired"}, "lifecycle", "Published weights do not retire"),
    ],
)
def test_facts_that_contradict_each_other_are_refused_next_to_the_field(
    editor_client, model_with_scores, fields, field, message
):
    data = add_form_values(editor_client, model_with_scores, status="draft", **fields)

    response = editor_client.post(reverse("admin:advisor_aimodel_add"), data)

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors[field])
    assert not models.AIModel.objects.filter(slug="newly-released-model").exists()


def test_the_scores_own_page_keeps_a_published_models_capability_rated(editor_client, model_with_scores):
    from advisor import scoring

    capability = models.Score.objects.get(ai_model=model_with_scores, criterion__slug="capability")
    url = reverse("admin:advisor_score_change", args=[capability.pk])
    data = form_values(editor_client.get(url))
    data["rationale"] = scoring.PLACEHOLDER_RATIONALE  # put back the stand-in of an unrated model

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["rationale"] == [
        "A published model's Capability needs an editor's rationale: say what the score rests on."
    ]
    assert models.Score.objects.get(pk=capability.pk).rationale == capability.rationale


def test_a_new_draft_may_wait_for_its_rating(editor_client, model_with_scores):
    data = add_form_values(editor_client, model_with_scores, status="draft")

    response = editor_client.post(reverse("admin:advisor_aimodel_add"), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    capability = models.AIModel.objects.get(slug="newly-released-model").scores.get(criterion__slug="capability")
    assert capability.value == 5 and capability.rationale.startswith("Not rated by an editor yet")


def test_the_scores_own_admin_page_refuses_a_computed_change_without_an_override(editor_client, model_with_scores):
    score = models.Score.objects.get(ai_model=model_with_scores, criterion__slug="control")
    url = reverse("admin:advisor_score_change", args=[score.pk])
    data = form_values(editor_client.get(url))
    data["value"] = str(3 if score.value != 3 else 4)

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "tick “editor override” and give a reason" in response.text
    assert models.Score.objects.get(pk=score.pk).value == score.value

    data.update(is_override="on", override_reason="The vendor restricts use by region; checked on its site.")
    assert editor_client.post(url, data).status_code == 302
    kept = models.Score.objects.get(pk=score.pk)
    assert (kept.value, kept.is_override) == (int(data["value"]), True)


def test_a_draft_is_rated_in_its_scores_table_and_published_in_the_same_save(editor_client, model_with_scores):
    from advisor import scoring

    models.AIModel.objects.filter(pk=model_with_scores.pk).update(status="draft")
    model_with_scores.scores.filter(criterion__slug="capability").update(
        value=5, rationale=scoring.PLACEHOLDER_RATIONALE
    )
    url = reverse("admin:advisor_aimodel_change", args=[model_with_scores.pk])
    page = editor_client.get(url)
    data = form_values(page)
    row = score_row(page, "capability")
    data["status"] = "published"

    refused = editor_client.post(url, data)  # the placeholder is not a rating
    assert refused.status_code == 200
    assert "Publish it once an editor has rated its Capability" in refused.text
    assert models.AIModel.objects.get(pk=model_with_scores.pk).status == "draft"

    data[f"{row}-value"] = "8"
    data[f"{row}-rationale"] = "Leads the open models on the benchmarks its card cites."
    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert models.AIModel.objects.get(pk=model_with_scores.pk).status == "published"
    capability = model_with_scores.scores.get(criterion__slug="capability")
    assert (capability.value, capability.rationale) == (8, "Leads the open models on the benchmarks its card cites.")
