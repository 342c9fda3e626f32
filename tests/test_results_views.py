"""The questionnaire, result permalinks, re-evaluation and the JSON API, on the real seed catalogue."""

import json
import re
import uuid

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from advisor import catalogue, models, presenters, services, versions
from advisor.engine import questions
from tests.conftest import catalogue_create, complete_answers, outside_changes_since, publish


def form_data(**overrides):
    """A complete, valid questionnaire submission, with overrides."""
    return complete_answers(**overrides)


def answers_of(response):
    return models.Recommendation.objects.get(code=code_of(response)).answers


def code_of(response):
    match = re.fullmatch(r"/r/([0-9a-f-]{36})/", response["Location"])
    assert match, response["Location"]
    return uuid.UUID(match.group(1))


class QuestionnaireTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    @classmethod
    def setUpTestData(cls):
        publish()

    def test_blank_questionnaire_shows_every_question_with_its_help(self):
        response = self.client.get(reverse("advisor:questionnaire"))
        assert response.status_code == 200
        for question in questions.QUESTIONS:
            self.assertContains(response, f'name="{question.key}"')
            self.assertContains(response, escape(str(question.help_text))[:40])
        self.assertContains(response, "Step 1 of 4")

    def test_head_answers_like_get_and_saves_nothing(self):
        response = self.client.head(reverse("advisor:questionnaire"))
        assert response.status_code == 200
        assert response.content == b""
        assert models.Recommendation.objects.count() == 0

    def test_valid_submission_saves_a_result_and_redirects_to_its_permalink(self):
        response = self.client.post(reverse("advisor:questionnaire"), form_data(languages=["en", "ko"]))
        assert response.status_code == 303
        recommendation = models.Recommendation.objects.get(code=code_of(response))
        assert recommendation.answers["languages"] == ["en", "ko"]
        assert (recommendation.catalogue_version_id, recommendation.catalogue_fingerprint) == catalogue.latest()[:2]
        page = self.client.get(response["Location"])
        assert page.status_code == 200
        top = services.recommendation_result(recommendation)["ranking"][0]
        self.assertContains(page, top["name"])
        self.assertContains(page, "Models ruled out")

    def test_change_answers_prefills_from_the_earlier_result_and_creates_a_new_one(self):
        first = self.client.post(reverse("advisor:questionnaire"), form_data(deployment="on-premises"))
        code = code_of(first)
        response = self.client.get(reverse("advisor:questionnaire"), {"from": str(code)})
        assert response.context["form"].initial["deployment"] == "on-premises"
        second = self.client.post(reverse("advisor:questionnaire"), form_data(deployment="any-api"))
        assert code_of(second) != code
        assert models.Recommendation.objects.get(code=code).answers["deployment"] == "on-premises"


def checked_inputs(response):
    """The (name, value) of every radio and box the page shows as chosen."""
    chosen = []
    for tag in re.findall(r"<input\b[^>]*>", response.content.decode()):
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        if attributes.get("type") in ("radio", "checkbox") and re.search(r"\schecked\b", tag):
            chosen.append((attributes["name"], attributes["value"]))
    return chosen


def progress_text(response):
    match = re.search(r'id="answered-count"[^>]*>([^<]*)</p>', response.content.decode())
    assert match, "no progress count"
    return match.group(1)


class QuestionnaireFormTests(TestCase):
    """The questionnaire as a visitor meets it, up to the point a result would be computed."""

    fixtures = ["presets.json"]

    @classmethod
    def setUpTestData(cls):
        publish()  # the presets, as readers see them

    def test_blank_questionnaire_has_nothing_chosen_and_counts_zero_answered(self):
        response = self.client.get(reverse("advisor:questionnaire"))
        assert response.status_code == 200
        assert checked_inputs(response) == []
        assert response.context["form"].initial == {"preset": ""}
        total = sum(1 for q in questions.QUESTIONS if q.key != "restricted_uses")
        assert progress_text(response) == f"0 of {total} questions answered"
        self.assertContains(response, 'data-optional="restricted_uses"')
        self.assertNotContains(response, "data-preset=")

    def test_constraining_questions_say_so_in_their_help(self):
        form = self.client.get(reverse("advisor:questionnaire")).context["form"]
        note = "This answer can rule models out or decide which licences fit."
        assert note in str(form["jurisdiction"].help_text)
        assert note not in str(form["mlops"].help_text)

    def test_missing_jurisdiction_rerenders_400_with_the_error_on_it_and_saves_nothing(self):
        data = form_data()
        del data["jurisdiction"]
        response = self.client.post(reverse("advisor:questionnaire"), data)
        assert response.status_code == 400
        assert response.context["form"].errors == {"jurisdiction": ["Choose one answer."]}
        self.assertContains(response, "Some answers need your attention", status_code=400)
        self.assertContains(response, 'href="#id_jurisdiction_0"', status_code=400)
        assert models.Recommendation.objects.count() == 0

    def test_the_question_in_error_is_marked_for_screen_readers_and_the_others_are_not(self):
        data = form_data()
        del data["jurisdiction"]
        page = self.client.post(reverse("advisor:questionnaire"), data).content.decode()
        fieldset = re.search(r'<div id="div_id_jurisdiction".*?</fieldset>', page, re.S).group(0)
        assert re.search(r'<fieldset aria-describedby="id_jurisdiction_helptext id_jurisdiction_error">', fieldset)
        assert re.search(r'id="id_jurisdiction_error"[^>]*>\s*<p[^>]*><strong>Choose one answer\.</strong>', fieldset)
        radios = re.findall(r'<input type="radio"[^>]*name="jurisdiction"[^>]*>', fieldset)
        assert radios and all('aria-invalid="true"' in tag and "is-invalid" in tag for tag in radios)
        assert all(" required" in tag for tag in radios)
        other = re.search(r'<div id="div_id_sector".*?</fieldset>', page, re.S).group(0)
        assert "aria-invalid" not in other and "is-invalid" not in other
        # The answers given stay chosen.
        chosen = data["sector"]
        assert re.search(rf'<input type="radio"[^>]*name="sector" value="{chosen}"[^>]*checked', other)

    def test_an_empty_modalities_or_languages_answer_needs_one_choice(self):
        response = self.client.post(reverse("advisor:questionnaire"), form_data(modalities=[], languages=[]))
        assert response.status_code == 400
        assert response.context["form"].errors == {
            "modalities": ["Choose at least one."],
            "languages": ["Choose at least one."],
        }
        assert models.Recommendation.objects.count() == 0

    def test_tampered_answer_is_refused(self):
        response = self.client.post(
            reverse("advisor:questionnaire"), form_data(deployment="moon-base", languages=["en", "xx"])
        )
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert "deployment" in errors and "languages" in errors
        assert "moon-base" not in response.content.decode()
        assert models.Recommendation.objects.count() == 0

    def test_not_sure_is_refused_for_jurisdiction_but_taken_for_users_and_revenue(self):
        response = self.client.post(
            reverse("advisor:questionnaire"), form_data(jurisdiction="not-sure", users="not-sure", revenue="not-sure")
        )
        assert response.status_code == 400
        assert response.context["form"].errors == {"jurisdiction": ["That is not one of the choices."]}
        assert models.Recommendation.objects.count() == 0

    def test_on_device_needs_a_device_not_a_gpu(self):
        response = self.client.post(
            reverse("advisor:questionnaire"), form_data(deployment="on-device", hardware="gpu-80")
        )
        assert response.status_code == 400
        assert response.context["form"].errors == {"hardware": [str(questions.ERRORS["device-needed"])]}
        assert models.Recommendation.objects.count() == 0

    def test_an_unknown_hardware_value_is_an_error_on_that_field(self):
        response = self.client.post(reverse("advisor:questionnaire"), form_data(hardware="tpu-pod"))
        assert response.status_code == 400
        assert response.context["form"].errors == {"hardware": ["That is not one of the choices."]}
        assert models.Recommendation.objects.count() == 0

    def test_preset_prefills_only_its_own_answers_and_is_carried_in_a_hidden_field(self):
        preset = models.AudiencePreset.objects.get(slug="enterprise-it")
        response = self.client.get(reverse("advisor:questionnaire"), {"preset": "enterprise-it"})
        assert response.status_code == 200
        assert response.context["form"].initial == {**preset.answers, "preset": "enterprise-it"}
        assert sorted(checked_inputs(response)) == sorted(preset.answers.items())
        self.assertContains(response, '<input type="hidden" name="preset" value="enterprise-it"')
        self.assertContains(response, preset.name)
        count = len(preset.answers)
        assert progress_text(response) == f"{count} of 23 questions answered ({count} from the preset)"

    def test_no_preset_fills_jurisdiction_or_the_scale_and_licence_facts(self):
        never = {"jurisdiction", "users", "revenue", "hosted_service", "train_on_outputs"}
        for preset in models.AudiencePreset.objects.all():
            assert not never & set(preset.answers), preset.slug
            response = self.client.get(reverse("advisor:questionnaire"), {"preset": preset.slug})
            assert "jurisdiction" not in response.context["form"].initial
            assert not [name for name, _value in checked_inputs(response) if name == "jurisdiction"]

    def test_a_submission_from_a_preset_records_which_answers_came_from_it(self):
        preset = models.AudiencePreset.objects.get(slug="startups")
        response = self.client.post(
            reverse("advisor:questionnaire"), {**form_data(**preset.answers), "preset": "startups"}
        )
        assert response.status_code == 303
        recommendation = models.Recommendation.objects.get(code=code_of(response))
        recorded = services.recommendation_result(recommendation)["from_preset"]
        assert recorded["slug"] == "startups"
        assert set(recorded["keys"]) == set(preset.answers)

    def test_an_odd_preset_field_means_no_preset(self):
        for value in ["no-such-preset", "<script>", "x\x00y", "a" * 500]:
            response = self.client.post(reverse("advisor:questionnaire"), {**form_data(), "preset": value})
            assert response.status_code == 303, value
            recommendation = models.Recommendation.objects.get(code=code_of(response))
            assert "from_preset" not in services.recommendation_result(recommendation), value

    def test_a_rerendered_form_counts_what_is_still_the_presets(self):
        preset = models.AudiencePreset.objects.get(slug="startups")
        data = {**preset.answers, "budget": "fixed", "preset": "startups"}
        response = self.client.post(reverse("advisor:questionnaire"), data)
        assert response.status_code == 400
        count = len(preset.answers)
        assert progress_text(response) == f"{count} of 23 questions answered ({count - 1} from the preset)"
        self.assertContains(response, 'value="startups"', status_code=400)

    def test_unknown_preset_says_so_and_starts_blank(self):
        response = self.client.get(reverse("advisor:questionnaire"), {"preset": "<script>nope"})
        assert response.status_code == 200
        self.assertContains(response, "There is no such audience preset")
        self.assertNotContains(response, "<script>nope")
        assert checked_inputs(response) == []

    def test_bad_from_code_is_a_message_not_an_error(self):
        response = self.client.get(reverse("advisor:questionnaire"), {"from": "not-a-code"})
        assert response.status_code == 200
        self.assertContains(response, "That result was not found")

    def test_a_v2_result_prefills_what_still_exists_and_names_the_new_questions(self):
        earlier = v2_result_create()
        response = self.client.get(reverse("advisor:questionnaire"), {"from": str(earlier.code)})
        initial = response.context["form"].initial
        assert initial["transparency"] == "weights"
        assert initial["deployment"] == "on-premises"
        assert "quality" not in initial and "hardware" not in initial
        self.assertContains(response, "How good must the answers be?")
        self.assertContains(response, "What can you run models on?")
        assert progress_text(response) == "21 of 23 questions answered"

    def test_reevaluating_a_v2_result_sends_the_visitor_to_the_prefilled_form(self):
        earlier = v2_result_create()
        url = reverse("advisor:recommendation-reevaluate", args=[earlier.code])
        response = self.client.post(url, follow=True)
        assert response.redirect_chain == [(reverse("advisor:questionnaire") + f"?from={earlier.code}", 302)]
        self.assertContains(response, "cannot be re-evaluated as it is")
        self.assertContains(response, "“How good must the answers be?”, “What can you run models on?”")
        assert models.Recommendation.objects.count() == 1

    def test_the_cached_questions_differ_for_each_set_of_initial_answers(self):
        blank = self.client.get(reverse("advisor:questionnaire"))
        keys = {blank.context["fields_key"]}
        for preset in models.AudiencePreset.objects.all():
            keys.add(self.client.get(reverse("advisor:questionnaire"), {"preset": preset.slug}).context["fields_key"])
        keys.add(
            self.client.get(reverse("advisor:questionnaire"), {"from": str(v2_result_create().code)}).context[
                "fields_key"
            ]
        )
        assert len(keys) == 6
        again = self.client.get(reverse("advisor:questionnaire"))
        assert checked_inputs(again) == []


class OldResultTests(TestCase):
    def test_a_v2_result_shows_its_transparency_answer_as_v2_did(self):
        earlier = v2_result_create()
        response = self.client.get(earlier.get_absolute_url())
        assert response.status_code == 200
        self.assertContains(response, "We must inspect weights, code or training data")

    def test_answers_are_shown_in_questionnaire_order_with_their_labels(self):
        rows = presenters.answers_for_display({**V2_ANSWERS, "languages": ["ko", "en"], "retired": "x"})
        assert [row["key"] for row in rows] == [q.key for q in questions.QUESTIONS if q.key in V2_ANSWERS]
        shown = {row["key"]: row["answers"] for row in rows}
        assert shown["transparency"] == ["We must inspect weights, code or training data"]
        assert shown["languages"] == ["Korean", "English"]
        assert shown["restricted_uses"] == ["None"]
        assert rows[0]["label"] == "What will the model mainly do?"


V2_ANSWERS = {
    "use_case": "assistant",
    "modalities": ["text"],
    "languages": ["en"],
    "context": "any",
    "data_sensitivity": "internal",
    "sector": "general",
    "restricted_uses": [],
    "deployment": "on-premises",
    "transparency": "high",
    "customisation": "light",
    "mlops": "some",
    "budget": "either",
    "volume": "medium",
    "time_to_market": "months",
    "lock_in": "medium",
    "outages": "tolerable",
    "commercial": "yes",
    "users": "under-1m",
    "revenue": "under-20m",
    "jurisdiction": "US",
    "hosted_service": "no",
    "train_on_outputs": "no",
}


def v2_result_create():
    """A result saved by the v2 questionnaire: "high" transparency, no quality or hardware answer."""
    return models.Recommendation.objects.create(
        answers=V2_ANSWERS,
        result={"verdict": {"kind": "open"}, "ranking": [], "excluded": []},
        catalogue_fingerprint="v2",
        engine_version="2",
    )


class PermalinkTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    @classmethod
    def setUpTestData(cls):
        publish()

    def submit(self, **answers):
        response = self.client.post(reverse("advisor:questionnaire"), form_data(**answers))
        assert response.status_code == 303
        return models.Recommendation.objects.get(code=code_of(response))

    def test_permalink_is_a_private_capability_url(self):
        recommendation = self.submit()
        response = self.client.get(recommendation.get_absolute_url())
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Referrer-Policy"] == "no-referrer"
        self.assertContains(response, '<meta name="robots" content="noindex, nofollow">')
        self.assertContains(response, 'property="og:title"')
        assert "<form" not in response.content.decode()
        assert "csrftoken" not in response.cookies

    def test_permalink_keeps_its_ranking_after_editors_change_and_delete_models(self):
        recommendation = self.submit()
        top = services.recommendation_result(recommendation)["ranking"][0]
        before = self.client.get(recommendation.get_absolute_url())
        self.assertNotContains(before, "The catalogue has changed")
        second = services.recommendation_result(recommendation)["ranking"][1]
        ai_model = models.AIModel.objects.get(slug=top["slug"])
        ai_model.name = "Renamed by an editor"
        ai_model.save()
        models.AIModel.objects.get(slug=second["slug"]).delete()
        publish()

        after = self.client.get(recommendation.get_absolute_url())
        assert after.status_code == 200
        self.assertContains(after, "The catalogue has changed since this result was computed")
        self.assertContains(after, top["name"])
        self.assertContains(after, second["name"])
        # The result shows the names it was computed with; only "what changed since" says more.
        assert "Renamed by an editor" not in outside_changes_since(after.content.decode())

    def test_reevaluate_creates_a_new_result_and_says_what_changed(self):
        recommendation = self.submit()
        top = services.recommendation_result(recommendation)["ranking"][0]
        models.AIModel.objects.filter(slug=top["slug"]).update(status="draft")
        publish()

        url = reverse("advisor:recommendation-reevaluate", args=[recommendation.code])
        assert self.client.get(url).status_code == 200
        response = self.client.post(url)
        assert response.status_code == 303
        new = models.Recommendation.objects.get(code=code_of(response))
        assert new.code != recommendation.code
        assert services.recommendation_result(new)["reevaluation"]["previous_code"] == str(recommendation.code)
        assert top["slug"] not in [entry["slug"] for entry in services.recommendation_result(new)["ranking"]]
        page = self.client.get(new.get_absolute_url())
        self.assertContains(page, "is no longer recommended")
        recommendation.refresh_from_db()
        assert services.recommendation_result(recommendation)["ranking"][0]["slug"] == top["slug"]

    def test_reevaluate_needs_a_post_with_a_csrf_token(self):
        recommendation = self.submit()
        csrf_client = self.client_class(enforce_csrf_checks=True)
        url = reverse("advisor:recommendation-reevaluate", args=[recommendation.code])
        response = csrf_client.post(url)
        assert response.status_code == 403
        assert models.Recommendation.objects.count() == 1

    def test_json_has_the_same_result(self):
        recommendation = self.submit(commercial="yes")
        response = self.client.get(reverse("advisor:recommendation-json", args=[recommendation.code]))
        assert response.status_code == 200
        data = response.json()
        assert data["code"] == str(recommendation.code)
        assert data["verdict"]["kind"] == services.recommendation_result(recommendation)["verdict"]["kind"]
        assert data["verdict"]["headline"]["text"]
        assert [e["slug"] for e in data["ranking"]] == [
            e["slug"] for e in services.recommendation_result(recommendation)["ranking"]
        ]
        first = data["ranking"][0]
        for key in ("slug", "name", "access", "licence", "score", "contributions", "reasons", "obligations"):
            assert key in first
        assert data["excluded"] and data["excluded"][0]["reasons"][0]["message"]["text"]
        assert data["answers"] == recommendation.answers
        assert data["engine_version"] == recommendation.engine_version
        assert data["catalogue_fingerprint"] == recommendation.catalogue_fingerprint

    def test_unknown_code_is_a_friendly_404(self):
        code = uuid.uuid4()
        response = self.client.get(reverse("advisor:recommendation-detail", args=[code]))
        assert response.status_code == 404
        self.assertContains(response, "Page not found", status_code=404)
        assert self.client.get(reverse("advisor:recommendation-json", args=[code])).status_code == 404
        assert self.client.get(f"/r/{code.hex[:10]}/").status_code == 404

    def test_unchanged_permalink_answers_304_with_one_query(self):
        recommendation = self.submit()
        url = recommendation.get_absolute_url()
        first = self.client.get(url)
        assert "public" in first["Cache-Control"]
        with CaptureQueriesContext(connection) as queries:
            second = self.client.get(url, headers={"if-none-match": first["ETag"]})
        assert second.status_code == 304
        assert len(queries) <= 1
        assert second["ETag"] == first["ETag"] and "no-cache" in second["Cache-Control"]
        # A cache that weakened the tag (W/"…") is answered the same way.
        weak = self.client.get(url, headers={"if-none-match": f'W/{first["ETag"]}, "other"'})
        assert weak.status_code == 304
        models.Criterion.objects.get(slug="capability").save()  # saved, but nothing changed
        with pytest.raises(versions.NothingToPublish):
            publish()
        assert self.client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
        ai_model = models.AIModel.objects.published().first()
        ai_model.context_window = (ai_model.context_window or 0) + 1
        ai_model.save()
        # An edit reaches readers only when it is published.
        assert self.client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
        publish()
        third = self.client.get(url, headers={"if-none-match": first["ETag"]})
        assert third.status_code == 200


class EditorChangeTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    @classmethod
    def setUpTestData(cls):
        publish()

    def test_licence_change_to_non_commercial_excludes_the_model_with_the_licence_as_reason(self):
        first = self.client.post(reverse("advisor:questionnaire"), form_data(commercial="yes"))
        old = models.Recommendation.objects.get(code=code_of(first))
        top = services.recommendation_result(old)["ranking"][0]
        non_commercial = models.Licence.objects.filter(commercial_use="no").first()
        ai_model = models.AIModel.objects.get(slug=top["slug"])
        ai_model.licence = non_commercial
        ai_model.save()
        publish()

        second = self.client.post(reverse("advisor:questionnaire"), form_data(commercial="yes"))
        new = models.Recommendation.objects.get(code=code_of(second))
        excluded = {item["slug"]: item for item in services.recommendation_result(new)["excluded"]}
        assert top["slug"] in excluded
        page = self.client.get(new.get_absolute_url())
        self.assertContains(page, non_commercial.name)
        old_page = self.client.get(old.get_absolute_url())
        self.assertContains(old_page, "The catalogue has changed")
        assert old_page.context["result"]["ranking"][0]["slug"] == top["slug"]


class ApiTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    @classmethod
    def setUpTestData(cls):
        publish()

    def post(self, payload, content_type="application/json"):
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
        return self.client.post(reverse("api:recommendations"), body, content_type=content_type)

    def test_round_trip_creates_a_result_like_the_form(self):
        response = self.post({"answers": form_data(deployment="air-gapped")})
        assert response.status_code == 201
        data = response.json()
        assert response["Location"].endswith(f"/r/{data['code']}/")
        assert all(entry["access"] != "closed-api" for entry in data["ranking"])
        page = self.client.get(reverse("advisor:recommendation-json", args=[data["code"]])).json()
        assert page["ranking"] == data["ranking"]

    def test_not_sure_is_accepted_for_users(self):
        response = self.post({"answers": form_data(users="not-sure", revenue="not-sure")})
        assert response.status_code == 201
        assert models.Recommendation.objects.get().answers["users"] == "not-sure"


class ApiValidationTests(TestCase):
    """What the API refuses or describes, before any engine run: no catalogue needed."""

    fixtures = ["presets.json"]

    @classmethod
    def setUpTestData(cls):
        publish()

    def post(self, payload, content_type="application/json"):
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
        return self.client.post(reverse("api:recommendations"), body, content_type=content_type)

    def test_questionnaire_description_lists_questions_choices_and_presets(self):
        data = self.client.get(reverse("api:questionnaire")).json()
        keys = [q["key"] for q in data["questions"]]
        assert keys == [q.key for q in questions.QUESTIONS]
        deployment = next(q for q in data["questions"] if q["key"] == "deployment")
        assert "air-gapped" in [c["value"] for c in deployment["choices"]]
        assert {p["slug"] for p in data["presets"]} == {"researchers", "enterprise-it", "startups", "educators"}

    def test_invalid_answers_get_per_field_errors_and_nothing_is_saved(self):
        response = self.post({"answers": {**form_data(), "deployment": "moon", "colour": "blue", "languages": "en"}})
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert errors == {
            "deployment": ["That is not one of the choices."],
            "languages": ["Give a list of choices."],
            "colour": ["There is no such question."],
        }
        assert models.Recommendation.objects.count() == 0

    @pytest.mark.filterwarnings("ignore")
    def test_malformed_requests_are_clear_4xx(self):
        assert self.post(b"{not json").status_code == 400
        assert self.post(b"\xff\xfe").status_code == 400
        assert self.post({"answers": form_data(), "extra": 1}).status_code == 400
        assert self.post([1, 2]).status_code == 400
        assert self.post("answers=1", content_type="application/x-www-form-urlencoded").status_code == 415
        assert self.client.get(reverse("api:recommendations")).status_code == 405
        assert models.Recommendation.objects.count() == 0

    def test_openapi_describes_both_endpoints_from_the_questions(self):
        spec = self.client.get(reverse("api:openapi-json")).json()
        assert spec["openapi"].startswith("3.")
        assert set(spec["paths"]) == {
            reverse("api:questionnaire"),
            reverse("api:recommendations"),
            "/api/v1/rooms",
            "/api/v1/rooms/{token}",
            "/api/v1/rooms/{token}/members",
            "/api/v1/rooms/{token}/close",
            "/api/v1/members/{token}",
        }
        answers = spec["components"]["schemas"]["Answers"]
        assert answers["properties"]["deployment"]["enum"] == list(questions.BY_KEY["deployment"].values)

    def test_openapi_requires_every_question_and_at_least_one_modality_and_language(self):
        answers = self.client.get(reverse("api:openapi-json")).json()["components"]["schemas"]["Answers"]
        assert answers["required"] == [q.key for q in questions.QUESTIONS]
        assert answers["properties"]["modalities"]["minItems"] == 1
        assert answers["properties"]["languages"]["minItems"] == 1
        assert "minItems" not in answers["properties"]["restricted_uses"]
        assert answers["properties"]["hardware"]["enum"] == list(questions.BY_KEY["hardware"].values)
        assert "not-sure" in answers["properties"]["users"]["enum"]
        assert "not-sure" not in answers["properties"]["jurisdiction"]["enum"]

    def test_questionnaire_description_has_no_defaults_and_says_what_is_required(self):
        data = self.client.get(reverse("api:questionnaire")).json()
        described = {q["key"]: q for q in data["questions"]}
        assert all("default" not in q for q in described.values())
        assert [key for key, q in described.items() if not q["required"]] == ["restricted_uses"]
        assert described["users"]["not_sure"] == "not-sure"
        assert described["jurisdiction"]["not_sure"] is None
        assert described["jurisdiction"]["constraining"] is True
        assert described["mlops"]["constraining"] is False

    def test_presets_in_the_description_are_partial_and_list_what_they_leave_open(self):
        presets = {p["slug"]: p for p in self.client.get(reverse("api:questionnaire")).json()["presets"]}
        enterprise = presets["enterprise-it"]
        assert enterprise["answers"]["deployment"] == "own-cloud"
        assert enterprise["answers"]["hardware"] == "none"
        for preset in presets.values():
            assert "jurisdiction" not in preset["answers"]
            assert "jurisdiction" in preset["open"]
            assert set(preset["answers"]) | set(preset["open"]) == set(questions.KEYS)
            assert not set(preset["answers"]) & set(preset["open"])

    def test_every_question_is_required_even_restricted_uses(self):
        answers = form_data()
        del answers["restricted_uses"]
        response = self.post({"answers": answers})
        assert response.status_code == 400
        assert response.json()["errors"] == {"restricted_uses": ["Give a list of choices."]}
        assert models.Recommendation.objects.count() == 0

    def test_not_sure_is_refused_for_jurisdiction(self):
        response = self.post({"answers": form_data(jurisdiction="not-sure")})
        assert response.status_code == 400
        assert response.json()["errors"] == {"jurisdiction": ["That is not one of the choices."]}
        assert models.Recommendation.objects.count() == 0

    def test_a_device_is_needed_for_on_device_deployment(self):
        response = self.post({"answers": form_data(deployment="on-device", hardware="gpu-80")})
        assert response.status_code == 400
        assert response.json()["errors"] == {"hardware": [str(questions.ERRORS["device-needed"])]}
        assert models.Recommendation.objects.count() == 0

    def test_an_unknown_hardware_value_is_an_error_on_that_field(self):
        response = self.post({"answers": form_data(hardware="tpu-pod", jurisdiction=None)})
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "hardware": ["That is not one of the choices."],
            "jurisdiction": ["Choose one answer."],
        }
        assert models.Recommendation.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 50, 500])
def test_questionnaire_and_result_use_a_fixed_number_of_queries(client, size):
    catalogue_create(size)
    publish()
    with CaptureQueriesContext(connection) as first_queries:
        assert client.get(reverse("advisor:questionnaire")).status_code == 200
        assert len(first_queries) == 2, [q["sql"] for q in first_queries]  # the version's rows, once per process
    # Fixed numbers, whatever the catalogue size (counted inside: a new request resets the count).
    with CaptureQueriesContext(connection) as get_queries:
        assert client.get(reverse("advisor:questionnaire")).status_code == 200
        assert len(get_queries) == 1, [q["sql"] for q in get_queries]
    response = client.post(reverse("advisor:questionnaire"), form_data())
    assert response.status_code == 303
    with CaptureQueriesContext(connection) as page_queries:
        page = client.get(response["Location"])
        assert len(page_queries) == 2, [q["sql"] for q in page_queries]
    assert page.status_code == 200
    assert len(page.content) < 50_000, len(page.content)  # stays small however many models fit
