"""Rendered pages kept in the per-process cache are never stale and never personal."""

import re

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisor import catalogue, models, services
from tests.conftest import outside_changes_since, publish
from tests.test_results_views import code_of, form_data


def csrf_value(response):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "no CSRF token in the page"
    return match.group(1)


class PermalinkCacheTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    def setUp(self):
        cache.clear()
        publish()  # what an editor does after loading the catalogue
        response = self.client.post(reverse("advisor:questionnaire"), form_data())
        assert response.status_code == 303
        self.recommendation = models.Recommendation.objects.get(code=code_of(response))
        self.url = self.recommendation.get_absolute_url()

    def test_a_cached_permalink_is_byte_identical_to_a_fresh_render_and_costs_one_query(self):
        fresh = self.client.get(self.url)
        with CaptureQueriesContext(connection) as queries:
            cached = self.client.get(self.url)
        assert len(queries) == 1
        assert cached.status_code == 200
        assert cached.content == fresh.content
        for header in ("ETag", "Cache-Control", "Vary", "X-Robots-Tag", "Referrer-Policy", "Content-Type"):
            assert cached[header] == fresh[header], header
        cache.clear()
        assert self.client.get(self.url).content == cached.content

    def test_with_the_page_cache_off_every_view_renders_afresh(self):
        with self.settings(ADVISOR_PAGE_CACHE=False):
            self.client.get(self.url)
            with CaptureQueriesContext(connection) as queries:
                again = self.client.get(self.url)
            assert again.status_code == 200 and len(queries) > 1  # rendered, not served from the cache
            questionnaire = self.client.get(reverse("advisor:questionnaire"))
        assert questionnaire.status_code == 200
        assert not [key for key in cache._cache if "questionnaire_fields" in key]

    def test_a_cached_permalink_says_the_catalogue_changed_after_an_edit(self):
        self.assertNotContains(self.client.get(self.url), "The catalogue has changed")
        self.client.get(self.url)  # now from the cache
        top = models.AIModel.objects.get(slug=services.recommendation_result(self.recommendation)["ranking"][0]["slug"])
        top.name = "Renamed by an editor"
        top.save()
        publish()
        after = self.client.get(self.url)
        self.assertContains(after, "The catalogue has changed since this result was computed")
        assert "Renamed by an editor" not in outside_changes_since(after.content.decode())

    def test_an_unknown_code_is_still_not_found(self):
        url = reverse("advisor:recommendation-detail", args=["00000000-0000-4000-8000-000000000000"])
        assert self.client.get(url).status_code == 404
        assert self.client.get(url).status_code == 404

    def test_a_deleted_result_is_not_served_from_the_cache(self):
        assert self.client.get(self.url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert self.client.get(self.url).status_code == 200
        assert len(queries) == 1  # served from the cache
        version = catalogue.latest()
        self.recommendation.delete()  # as the retention purge does: nothing else changes
        assert catalogue.latest() == version
        assert self.client.get(self.url).status_code == 404


class QuestionnaireCacheTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    @classmethod
    def setUpTestData(cls):
        publish()

    def test_every_session_gets_its_own_csrf_token_when_the_fields_come_from_the_cache(self):
        cache.clear()
        first = self.client_class(enforce_csrf_checks=True)
        second = self.client_class(enforce_csrf_checks=True)
        first_page = first.get(reverse("advisor:questionnaire"))
        fields_key = first_page.context["fields_key"]
        assert cache.get(make_template_fragment_key("questionnaire_fields", [fields_key, "en"]))
        second_page = second.get(reverse("advisor:questionnaire"))
        assert second_page.context["fields_key"] == fields_key
        assert first_page.content.count(b"csrfmiddlewaretoken") == 1
        assert second.cookies["csrftoken"].value != first.cookies["csrftoken"].value
        # The token in the second visitor's page works for that visitor, and not for the first.
        token = csrf_value(second_page)
        data = {**form_data(), "csrfmiddlewaretoken": token}
        assert first.post(reverse("advisor:questionnaire"), data).status_code == 403
        response = second.post(reverse("advisor:questionnaire"), data)
        assert response.status_code == 303
        self.assertContains(second_page, "Step 1 of 4")
        self.assertContains(second_page, 'id="questionnaire"')

    def test_prefilled_answers_are_not_shared_with_the_blank_questionnaire(self):
        blank = self.client.get(reverse("advisor:questionnaire"))
        preset = self.client.get(reverse("advisor:questionnaire"), {"preset": "enterprise-it"})
        assert blank.context["fields_key"] != preset.context["fields_key"]
        again = self.client.get(reverse("advisor:questionnaire"))
        assert csrf_value(again)
        body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", again.content)
        assert body == re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", blank.content)

    def test_a_form_with_errors_is_rendered_afresh(self):
        data = form_data()
        del data["deployment"]
        response = self.client.post(reverse("advisor:questionnaire"), data)
        self.assertContains(response, "Choose one answer.", status_code=400)
        self.assertContains(response, "Some answers need your attention", status_code=400)


class CatalogueCacheTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    @classmethod
    def setUpTestData(cls):
        publish()

    def setUp(self):
        cache.clear()
        self.ai_model = models.AIModel.objects.published().order_by("name").first()
        self.editor = get_user_model().objects.create_user(username="ed", password="pw-for-tests-only", is_staff=True)

    def test_a_cached_models_list_shows_an_editors_edit_once_published(self):
        url = reverse("advisor:model-list") + "?sort=name"
        first = self.client.get(url)
        self.assertContains(first, self.ai_model.name)
        assert self.client.get(url).content == first.content
        self.ai_model.name = "Aaa Renamed by an editor"
        self.ai_model.save()
        assert self.client.get(url).content == first.content  # the working catalogue: not public yet
        publish()
        self.assertContains(self.client.get(url), self.ai_model.name)

    def test_publishing_a_draft_edit_moves_the_version_on(self):
        before = catalogue.latest()
        models.AIModel.objects.filter(pk=self.ai_model.pk).update(status="draft")
        self.ai_model.refresh_from_db()
        self.ai_model.save()
        assert catalogue.latest() == before  # nothing changes for readers until publishing
        publish()
        number, fingerprint, _published_at = catalogue.latest()
        assert number != before[0]
        assert fingerprint == catalogue.fingerprint_of(catalogue.catalogue_snapshot())
        assert self.ai_model.slug not in catalogue.published_catalogue().model_by_slug

    def assert_publishing_an_edit_moves_the_version_on(self, instance, field):
        """An edit the engine does not read still makes a new version, so cached pages show it."""
        before = catalogue.latest()
        setattr(instance, field, getattr(instance, field) + " (edited)")
        instance.save()
        publish()
        assert catalogue.latest()[0] != before[0]
        return catalogue.published_catalogue()

    def test_publishing_a_source_edit_moves_the_version_on(self):
        source = models.Source.objects.filter(ai_model__status="published").first()
        published = self.assert_publishing_an_edit_moves_the_version_on(source, "title")
        titles = [s.title for s in published.model_by_slug[source.ai_model.slug].source_list]
        assert source.title in titles

    def test_publishing_a_preset_edit_moves_the_version_on(self):
        preset = models.AudiencePreset.objects.first()
        published = self.assert_publishing_an_edit_moves_the_version_on(preset, "name")
        assert preset.name in [p.name for p in published.presets]

    def test_a_version_number_that_comes_back_is_not_served_from_an_older_page(self):
        """After a database restore a number may be published again, with other content."""
        source = models.Source.objects.filter(ai_model__status="published").first()
        url = reverse("advisor:model-detail", args=[source.ai_model.slug])

        class Restored(Exception):
            pass

        try:
            with transaction.atomic():
                models.Source.objects.filter(pk=source.pk).update(title="Read before the restore")
                before = publish()
                self.assertContains(self.client.get(url), "Read before the restore")
                raise Restored
        except Restored:
            pass
        models.Source.objects.filter(pk=source.pk).update(title="Read after the restore")
        after = publish()
        # A restore gives the number back (SQLite reuses it after the rollback; PostgreSQL's sequence does not).
        models.CatalogueVersion.objects.filter(pk=after.pk).update(id=before.pk)
        models.CatalogueVersionContent.objects.filter(pk=after.pk).update(version_id=before.pk)
        assert after.fingerprint == before.fingerprint  # the engine's catalogue is the same
        page = self.client.get(url)
        self.assertContains(page, "Read after the restore")
        self.assertNotContains(page, "Read before the restore")

    def test_staff_and_public_pages_are_kept_apart(self):
        self.ai_model.status = "draft"
        self.ai_model.save()
        publish()
        others = models.AIModel.objects.published().order_by("name").values_list("slug", flat=True)[:1]
        url = reverse("advisor:compare") + f"?m={self.ai_model.slug}&m={others[0]}"
        assert self.client.get(url).status_code == 400  # a draft: unknown to the public
        self.client.force_login(self.editor)
        assert self.client.get(url).status_code == 200
        self.client.logout()
        assert self.client.get(url).status_code == 400
