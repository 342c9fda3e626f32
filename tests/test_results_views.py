"""The questionnaire, result permalinks, re-evaluation and the JSON API, on the real seed catalogue."""

import json
import re
import uuid

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisor import catalogue, models, questions
from tests.conftest import catalogue_create


def form_data(**overrides):
    """A complete, valid questionnaire submission (the defaults), with overrides."""
    data = {}
    for key, value in {**questions.default_answers(), **overrides}.items():
        data[key] = value
    return data


def answers_of(response):
    return models.Recommendation.objects.get(code=code_of(response)).answers


def code_of(response):
    match = re.fullmatch(r"/r/([0-9a-f-]{36})/", response["Location"])
    assert match, response["Location"]
    return uuid.UUID(match.group(1))


class QuestionnaireTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    def test_blank_questionnaire_shows_every_question_with_its_help(self):
        response = self.client.get(reverse("advisor:questionnaire"))
        assert response.status_code == 200
        for question in questions.QUESTIONS:
            self.assertContains(response, f'name="{question.key}"')
            self.assertContains(response, str(question.help_text)[:40])
        self.assertContains(response, "Step 1 of 4")

    def test_preset_prefills_the_answers(self):
        preset = models.AudiencePreset.objects.get(slug="enterprise-it")
        response = self.client.get(reverse("advisor:questionnaire"), {"preset": "enterprise-it"})
        assert response.status_code == 200
        form = response.context["form"]
        for key, value in preset.answers.items():
            assert form.initial[key] == value, key
        self.assertContains(response, preset.name)

    def test_head_answers_like_get_and_saves_nothing(self):
        response = self.client.head(reverse("advisor:questionnaire"))
        assert response.status_code == 200
        assert response.content == b""
        assert models.Recommendation.objects.count() == 0

    def test_unknown_preset_says_so_and_starts_blank(self):
        response = self.client.get(reverse("advisor:questionnaire"), {"preset": "<script>nope"})
        assert response.status_code == 200
        self.assertContains(response, "There is no such audience preset")
        self.assertNotContains(response, "<script>nope")

    def test_valid_submission_saves_a_result_and_redirects_to_its_permalink(self):
        response = self.client.post(reverse("advisor:questionnaire"), form_data(languages=["en", "ko"]))
        assert response.status_code == 303
        recommendation = models.Recommendation.objects.get(code=code_of(response))
        assert recommendation.answers["languages"] == ["en", "ko"]
        assert recommendation.catalogue_fingerprint == catalogue.current_fingerprint()
        page = self.client.get(response["Location"])
        assert page.status_code == 200
        top = recommendation.result["ranking"][0]
        self.assertContains(page, top["name"])
        self.assertContains(page, "Models ruled out")

    def test_missing_answer_rerenders_with_the_error_beside_the_field_and_saves_nothing(self):
        data = form_data()
        del data["deployment"]
        response = self.client.post(reverse("advisor:questionnaire"), data)
        assert response.status_code == 400
        assert response.context["form"].errors["deployment"] == ["Choose one answer."]
        self.assertContains(response, "Some answers need your attention", status_code=400)
        assert models.Recommendation.objects.count() == 0

    def test_tampered_answer_is_refused(self):
        response = self.client.post(
            reverse("advisor:questionnaire"), form_data(deployment="moon-base", languages=["en", "xx"])
        )
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert "deployment" in errors and "languages" in errors
        assert models.Recommendation.objects.count() == 0

    def test_change_answers_prefills_from_the_earlier_result_and_creates_a_new_one(self):
        first = self.client.post(reverse("advisor:questionnaire"), form_data(deployment="on-premises"))
        code = code_of(first)
        response = self.client.get(reverse("advisor:questionnaire"), {"from": str(code)})
        assert response.context["form"].initial["deployment"] == "on-premises"
        second = self.client.post(reverse("advisor:questionnaire"), form_data(deployment="any-api"))
        assert code_of(second) != code
        assert models.Recommendation.objects.get(code=code).answers["deployment"] == "on-premises"

    def test_bad_from_code_is_a_message_not_an_error(self):
        response = self.client.get(reverse("advisor:questionnaire"), {"from": "not-a-code"})
        assert response.status_code == 200
        self.assertContains(response, "That result was not found")


class PermalinkTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

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
        top = recommendation.result["ranking"][0]
        before = self.client.get(recommendation.get_absolute_url())
        self.assertNotContains(before, "The catalogue has changed")
        second = recommendation.result["ranking"][1]
        with self.captureOnCommitCallbacks(execute=True):
            ai_model = models.AIModel.objects.get(slug=top["slug"])
            ai_model.name = "Renamed by an editor"
            ai_model.save()
            models.AIModel.objects.get(slug=second["slug"]).delete()

        after = self.client.get(recommendation.get_absolute_url())
        assert after.status_code == 200
        self.assertContains(after, "The catalogue has changed since this result was computed")
        self.assertContains(after, top["name"])
        self.assertContains(after, second["name"])
        self.assertNotContains(after, "Renamed by an editor")

    def test_reevaluate_creates_a_new_result_and_says_what_changed(self):
        recommendation = self.submit()
        top = recommendation.result["ranking"][0]
        models.AIModel.objects.filter(slug=top["slug"]).update(status="draft")
        catalogue.catalogue_refresh()  # .update() skips signals

        url = reverse("advisor:recommendation-reevaluate", args=[recommendation.code])
        assert self.client.get(url).status_code == 200
        response = self.client.post(url)
        assert response.status_code == 303
        new = models.Recommendation.objects.get(code=code_of(response))
        assert new.code != recommendation.code
        assert new.result["reevaluation"]["previous_code"] == str(recommendation.code)
        assert top["slug"] not in [entry["slug"] for entry in new.result["ranking"]]
        page = self.client.get(new.get_absolute_url())
        self.assertContains(page, "is no longer recommended")
        recommendation.refresh_from_db()
        assert recommendation.result["ranking"][0]["slug"] == top["slug"]

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
        assert data["verdict"]["kind"] == recommendation.result["verdict"]["kind"]
        assert data["verdict"]["headline"]["text"]
        assert [e["slug"] for e in data["ranking"]] == [e["slug"] for e in recommendation.result["ranking"]]
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
        # Django's test case never commits, so refresh by hand as the commit would.
        models.Criterion.objects.get(slug="capability").save()  # saved, but nothing changed
        catalogue.catalogue_refresh()
        assert self.client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
        ai_model = models.AIModel.objects.published().first()
        ai_model.context_window = (ai_model.context_window or 0) + 1
        ai_model.save()
        catalogue.catalogue_refresh()
        third = self.client.get(url, headers={"if-none-match": first["ETag"]})
        assert third.status_code == 200


class EditorChangeTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    def test_licence_change_to_non_commercial_excludes_the_model_with_the_licence_as_reason(self):
        first = self.client.post(reverse("advisor:questionnaire"), form_data(commercial="yes"))
        old = models.Recommendation.objects.get(code=code_of(first))
        top = old.result["ranking"][0]
        non_commercial = models.Licence.objects.filter(commercial_use="no").first()
        with self.captureOnCommitCallbacks(execute=True):
            ai_model = models.AIModel.objects.get(slug=top["slug"])
            ai_model.licence = non_commercial
            ai_model.save()

        second = self.client.post(reverse("advisor:questionnaire"), form_data(commercial="yes"))
        new = models.Recommendation.objects.get(code=code_of(second))
        excluded = {item["slug"]: item for item in new.result["excluded"]}
        assert top["slug"] in excluded
        page = self.client.get(new.get_absolute_url())
        self.assertContains(page, non_commercial.name)
        old_page = self.client.get(old.get_absolute_url())
        self.assertContains(old_page, "The catalogue has changed")
        assert old_page.context["result"]["ranking"][0]["slug"] == top["slug"]


class ApiTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    def post(self, payload, content_type="application/json"):
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
        return self.client.post(reverse("advisor:api-recommendations"), body, content_type=content_type)

    def test_questionnaire_description_lists_questions_choices_and_presets(self):
        data = self.client.get(reverse("advisor:api-questionnaire")).json()
        keys = [q["key"] for q in data["questions"]]
        assert keys == [q.key for q in questions.QUESTIONS]
        deployment = next(q for q in data["questions"] if q["key"] == "deployment")
        assert "air-gapped" in [c["value"] for c in deployment["choices"]]
        assert {p["slug"] for p in data["presets"]} == {"researchers", "enterprise-it", "startups", "educators"}

    def test_round_trip_creates_a_result_like_the_form(self):
        response = self.post({"answers": form_data(deployment="air-gapped")})
        assert response.status_code == 201
        data = response.json()
        assert response["Location"].endswith(f"/r/{data['code']}/")
        assert all(entry["access"] != "closed-api" for entry in data["ranking"])
        page = self.client.get(reverse("advisor:recommendation-json", args=[data["code"]])).json()
        assert page["ranking"] == data["ranking"]

    def test_invalid_answers_get_per_field_errors_and_nothing_is_saved(self):
        response = self.post({"answers": {**form_data(), "deployment": "moon", "colour": "blue", "languages": "en"}})
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert "deployment" in errors and "languages" in errors and "__all__" in errors
        assert models.Recommendation.objects.count() == 0

    @pytest.mark.filterwarnings("ignore")
    def test_malformed_requests_are_clear_4xx(self):
        assert self.post(b"{not json").status_code == 400
        assert self.post(b"\xff\xfe").status_code == 400
        assert self.post({"answers": form_data(), "extra": 1}).status_code == 400
        assert self.post([1, 2]).status_code == 400
        assert self.post("answers=1", content_type="application/x-www-form-urlencoded").status_code == 415
        assert self.client.get(reverse("advisor:api-recommendations")).status_code == 405
        assert models.Recommendation.objects.count() == 0

    def test_openapi_describes_both_endpoints_from_the_questions(self):
        spec = self.client.get(reverse("advisor:api-openapi")).json()
        assert spec["openapi"].startswith("3.")
        assert set(spec["paths"]) == {reverse("advisor:api-questionnaire"), reverse("advisor:api-recommendations")}
        answers = spec["components"]["schemas"]["Answers"]
        assert answers["properties"]["deployment"]["enum"] == questions.QUESTIONS_BY_KEY["deployment"].values


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 50, 500])
def test_questionnaire_and_result_use_a_fixed_number_of_queries(client, size):
    catalogue_create(size)
    catalogue.catalogue_refresh()
    with CaptureQueriesContext(connection) as get_queries:
        assert client.get(reverse("advisor:questionnaire")).status_code == 200
    response = client.post(reverse("advisor:questionnaire"), form_data())
    assert response.status_code == 303
    with CaptureQueriesContext(connection) as page_queries:
        page = client.get(response["Location"])
    assert page.status_code == 200
    assert len(page.content) < 50_000, len(page.content)  # stays small however many models fit
    # Fixed numbers, whatever the catalogue size.
    assert len(get_queries) == 1, [q["sql"] for q in get_queries]
    assert len(page_queries) == 2, [q["sql"] for q in page_queries]
