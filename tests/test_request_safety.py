"""Requests that must not write: cross-site POSTs without a CSRF token, every GET, and submissions past the limit."""

import json
import re
import uuid

from django.apps import apps
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from advisor import catalogue, models
from advisor.engine import questions
from tests.conftest import complete_answers, publish


def row_counts():
    """Rows in every table of the project: the advisor's, sessions, users, axes, admin log."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def form_data(**overrides):
    return complete_answers(**overrides)


def csrf_token_of(response):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "no CSRF token in the form"
    return match.group(1)


class SeedCatalogue(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    @classmethod
    def setUpTestData(cls):
        # Loading fixtures changes the working catalogue only: publish it, as an editor would.
        publish()
        cls.recommendation = models.Recommendation.objects.create(
            answers=complete_answers(),
            result={"verdict": {"kind": "open"}, "ranking": [], "excluded": []},
            catalogue_fingerprint=catalogue.latest()[1],
            engine_version="test",
        )

    def submit(self, client=None, **answers):
        client = client or self.client
        return client.post(reverse("advisor:questionnaire"), form_data(**answers))


# --- CSRF ---------------------------------------------------------------------


class CsrfTests(SeedCatalogue):
    def setUp(self):
        self.csrf_client = Client(enforce_csrf_checks=True, raise_request_exception=False)

    def test_a_questionnaire_post_without_a_token_is_refused_and_saves_nothing(self):
        before = row_counts()
        response = self.csrf_client.post(reverse("advisor:questionnaire"), form_data())
        assert response.status_code == 403
        assert "Form expired" in response.content.decode()
        assert row_counts() == before

    def test_a_questionnaire_post_with_a_forged_token_is_refused(self):
        self.csrf_client.cookies["csrftoken"] = "a" * 32
        before = row_counts()
        response = self.csrf_client.post(
            reverse("advisor:questionnaire"), {**form_data(), "csrfmiddlewaretoken": "b" * 32}
        )
        assert response.status_code == 403
        assert row_counts() == before

    def test_a_reevaluate_post_without_a_token_is_refused_and_saves_nothing(self):
        url = reverse("advisor:recommendation-reevaluate", args=[self.recommendation.code])
        before = row_counts()
        response = self.csrf_client.post(url)
        assert response.status_code == 403
        assert row_counts() == before

    def test_the_token_from_the_page_is_accepted(self):
        """The control: the same client, with the token the form carries, does get through."""
        page = self.csrf_client.get(reverse("advisor:questionnaire"))
        response = self.csrf_client.post(
            reverse("advisor:questionnaire"), {**form_data(), "csrfmiddlewaretoken": csrf_token_of(page)}
        )
        assert response.status_code == 303
        assert models.Recommendation.objects.count() == 2

    def test_the_api_takes_only_json_so_a_cross_site_form_cannot_post_to_it(self):
        before = row_counts()
        url = reverse("api:recommendations")
        as_form = self.csrf_client.post(url, {"answers": json.dumps(complete_answers())})
        as_text = self.csrf_client.post(url, json.dumps({"answers": complete_answers()}), content_type="text/plain")
        assert (as_form.status_code, as_text.status_code) == (415, 415)
        assert row_counts() == before


# --- GET never writes -----------------------------------------------------------


class GetNeverWritesTests(SeedCatalogue):
    def urls(self):
        code = self.recommendation.code
        model_slug = models.AIModel.objects.published().order_by("slug").values_list("slug", flat=True)[:2]
        first, second = list(model_slug)
        licence = models.Licence.objects.order_by("slug").first()
        questionnaire = reverse("advisor:questionnaire")
        model_list = reverse("advisor:model-list")
        compare = reverse("advisor:compare")
        return [
            "/",
            "/?utm_source=x&x=%00&x=%ff",
            questionnaire,
            questionnaire + "?preset=enterprise-it",
            questionnaire + "?preset=no-such-preset",
            questionnaire + "?preset=%3Cscript%3E&preset=x",
            questionnaire + f"?from={code}",
            questionnaire + f"?from={uuid.uuid4()}",
            questionnaire + "?from=not-a-code&deployment=on-premises&submit=1",
            questionnaire + "?" + "&".join(f"{k}=x" for k in questions.KEYS),
            reverse("advisor:recommendation-detail", args=[code]),
            reverse("advisor:recommendation-detail", args=[uuid.uuid4()]),
            reverse("advisor:recommendation-json", args=[code]),
            reverse("advisor:recommendation-reevaluate", args=[code]),
            reverse("advisor:recommendation-reevaluate", args=[uuid.uuid4()]),
            model_list,
            model_list + "?page=999999",
            model_list + "?page=-1&sort=../../etc&access=nope&access=open-weights",
            model_list + "?language=%00&modality=%ff&commercial=maybe&provider=x" + "&x=1" * 200,
            reverse("advisor:model-detail", args=[first]),
            reverse("advisor:model-detail", args=["no-such-model"]),
            reverse("advisor:licence-list"),
            licence.get_absolute_url(),
            reverse("advisor:licence-detail", args=["no-such-licence"]),
            reverse("advisor:criteria"),
            compare,
            compare + f"?m={first}&m={second}",
            compare + f"?m={first}&m={first}",
            compare + "?m=../../etc/passwd&m=%00",
            compare + "?" + "&".join(f"m=x{n}" for n in range(50)),
            reverse("advisor:healthz"),
            reverse("advisor:readyz"),
            reverse("api:questionnaire"),
            reverse("api:openapi-json"),
            reverse("api:recommendations"),  # 405: POST only
            reverse("admin:login"),
            "/admin/",
            "/no-such-page/?q=%ff",
            "/static/css/app.css",
        ]

    def test_no_get_or_head_request_creates_a_row(self):
        client = Client(raise_request_exception=False)
        before = row_counts()
        statuses = {}
        for url in self.urls():
            for method in ("get", "head"):
                response = getattr(client, method)(url, REMOTE_ADDR="203.0.113.9")
                statuses[method, url] = response.status_code
                assert response.status_code < 500, (method, url, response.status_code)
                assert row_counts() == before, (method, url)
        # The list reaches real pages, not only errors.
        assert sum(status == 200 for (method, _), status in statuses.items() if method == "get") >= 20, statuses

    def test_no_request_publishes_a_version_even_before_any_was_published(self):
        """Only an editor publishes: a site with no published version yet reads an empty catalogue."""
        models.CatalogueVersion.objects.all().delete()
        client = Client(raise_request_exception=False)
        for url in (
            "/",
            reverse("advisor:model-list"),
            reverse("advisor:recommendation-detail", args=[self.recommendation.code]),
        ):
            assert client.get(url).status_code == 200
        assert not models.CatalogueVersion.objects.exists()

    def test_a_get_to_the_questionnaire_with_complete_answers_in_the_query_saves_nothing(self):
        before = row_counts()
        response = self.client.get(reverse("advisor:questionnaire"), form_data())
        assert response.status_code == 200
        assert row_counts() == before


# --- Submission limits ------------------------------------------------------------


@override_settings(ADVISOR_SUBMISSION_LIMIT=3, ADVISOR_SUBMISSION_WINDOW=3600)
class SubmissionLimitTests(SeedCatalogue):
    def setUp(self):
        self.client = Client(raise_request_exception=False, REMOTE_ADDR="198.51.100.20")

    def assert_friendly_429(self, response):
        assert response.status_code == 429
        assert response["Content-Type"].startswith("text/html")
        assert 1 <= int(response["Retry-After"]) <= 3600
        page = response.content.decode()
        assert "Too many requests" in page
        assert "then try again." in page
        assert "Traceback" not in page

    def test_the_questionnaire_refuses_past_the_limit_with_a_429_page_and_saves_nothing(self):
        statuses = [self.submit().status_code for _ in range(3)]
        assert statuses == [303, 303, 303]
        assert models.Recommendation.objects.count() == 4
        for _ in range(3):
            self.assert_friendly_429(self.submit())
        assert models.Recommendation.objects.count() == 4

    def test_an_invalid_submission_is_not_counted(self):
        for _ in range(5):
            assert self.submit(deployment="moon").status_code == 400
        assert [self.submit().status_code for _ in range(4)] == [303, 303, 303, 429]

    def test_reevaluation_shares_the_limit(self):
        url = reverse("advisor:recommendation-reevaluate", args=[self.recommendation.code])
        assert self.client.post(url).status_code == 303
        assert self.submit().status_code == 303
        assert self.client.post(url).status_code == 303
        self.assert_friendly_429(self.client.post(url))
        self.assert_friendly_429(self.submit())
        assert models.Recommendation.objects.count() == 4

    def test_the_api_answers_429_json_with_retry_after(self):
        url = reverse("api:recommendations")
        body = json.dumps({"answers": complete_answers()})
        statuses = [self.client.post(url, body, content_type="application/json").status_code for _ in range(3)]
        assert statuses == [201, 201, 201]
        refused = self.client.post(url, body, content_type="application/json")
        assert refused.status_code == 429
        assert refused["Content-Type"].split(";")[0] == "application/json"
        assert 1 <= int(refused["Retry-After"]) <= 3600
        assert "Too many submissions" in refused.json()["error"]
        assert models.Recommendation.objects.count() == 4

    def test_the_limit_is_per_client(self):
        for _ in range(3):
            self.submit()
        self.assert_friendly_429(self.submit())
        other = Client(raise_request_exception=False, REMOTE_ADDR="198.51.100.21")
        assert self.submit(other).status_code == 303
        api = other.post(
            reverse("api:recommendations"),
            json.dumps({"answers": complete_answers()}),
            content_type="application/json",
        )
        assert api.status_code == 201
        assert models.Recommendation.objects.count() == 6
