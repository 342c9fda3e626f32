"""Publishing the catalogue and what changed: /admin/publish/, /changes/, its feed, histories, "what changed since"."""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisor import catalogue, models, services, versions, vocab
from tests.conftest import complete_answers, editors_group
from tests.test_brief import html_text


class FirstPublishTests(TestCase):
    """The publish page before anything is public, and once the catalogue is the latest version."""

    fixtures = ["catalogue.json", "presets.json"]

    def test_the_page_says_the_first_publish_makes_the_catalogue_public_and_then_that_nothing_waits(self):
        editor = get_user_model().objects.create_user("first-publisher", password="x", is_staff=True)
        editor.groups.add(editors_group())
        self.client.force_login(editor)
        first = self.client.get(reverse("catalogue-publish"))
        self.assertContains(first, "No model or licence has been published yet")
        self.assertNotContains(first, "Nothing to publish")
        self.client.post(reverse("catalogue-publish"), {"note": "First public catalogue."})
        assert models.CatalogueVersion.objects.filter(note="First public catalogue.").exists()
        after = self.client.get(reverse("catalogue-publish"))
        self.assertContains(after, "Nothing to publish: the working catalogue is the latest version.")
        self.assertNotContains(after, "No model or licence has been published yet")


class PublishingTests(TestCase):
    """An editor changes the working catalogue, previews what publishing would change, and publishes."""

    fixtures = ["catalogue.json", "presets.json"]

    def setUp(self):
        versions.publish()  # the seed catalogue as readers first see it
        self.editor = get_user_model().objects.create_user("jane-editor-x9", password="x", is_staff=True)
        self.editor.groups.add(editors_group())
        preset = models.AudiencePreset.objects.get(slug="startups")
        self.saved = services.recommendation_create(answers=complete_answers(), preset=preset)
        self.top = services.recommendation_result(self.saved)["picks"][0]

    def publish_page(self):
        self.client.force_login(self.editor)
        page = self.client.get(reverse("catalogue-publish"))
        self.client.logout()
        return page

    def test_an_edit_reaches_readers_and_the_engine_only_when_published(self):
        model = models.AIModel.objects.get(slug=self.top["slug"])
        model.status = vocab.EditorialStatus.DRAFT
        model.save()
        # Not published yet: readers still see the model and new results still start with it.
        self.assertContains(self.client.get(reverse("advisor:model-list")), model.name)
        assert self.client.get(model.get_absolute_url()).status_code == 200
        again = services.recommendation_result(services.recommendation_create(answers=complete_answers()))
        assert again["picks"][0]["slug"] == model.slug
        # The editor previews it: the diff and what it does to saved results, per preset.
        preview = self.publish_page()
        self.assertContains(preview, f"{model.name}</a>")
        self.assertContains(preview, "Removed from the catalogue.")
        self.assertContains(preview, "would start with a different model.")
        content = preview.content.decode()
        assert "Startups &amp; small teams" in content
        assert f"{self.top['name']} →" in content
        # Published: readers no longer see it, new results no longer pick it, the old permalink holds.
        self.client.force_login(self.editor)
        response = self.client.post(reverse("catalogue-publish"), {"note": "Withdrawn pending review."})
        version = versions.latest_published()
        assert response.status_code == 302 and response["Location"].endswith(f"#version-{version.pk}")
        assert version.published_by == self.editor.username
        self.client.logout()
        assert self.client.get(model.get_absolute_url()).status_code == 404
        self.assertNotContains(self.client.get(reverse("advisor:model-list")), f">{model.name}<")
        after = services.recommendation_result(services.recommendation_create(answers=complete_answers()))
        assert after["picks"][0]["slug"] != model.slug
        assert services.recommendation_result(self.saved)["picks"][0]["slug"] == model.slug
        changes = self.client.get(reverse("advisor:changes"))
        self.assertContains(changes, f"Version {version.pk}")
        self.assertContains(changes, "Withdrawn pending review.")
        assert self.editor.username not in changes.content.decode().split("<main")[1]

    def test_nothing_to_publish_is_said_and_publishes_nothing(self):
        self.assertContains(self.publish_page(), "Nothing to publish")
        count = models.CatalogueVersion.objects.count()
        self.client.force_login(self.editor)
        response = self.client.post(reverse("catalogue-publish"), {"note": ""}, follow=True)
        self.assertContains(response, "Nothing to publish")
        assert models.CatalogueVersion.objects.count() == count

    def test_a_note_too_long_is_refused_with_a_message_and_publishes_nothing(self):
        model = models.AIModel.objects.published().first()
        model.parameters = "999B"
        model.save()
        count = models.CatalogueVersion.objects.count()
        self.client.force_login(self.editor)
        response = self.client.post(reverse("catalogue-publish"), {"note": "x" * 2001})
        assert response.status_code == 400
        self.assertContains(response, "at most 2000 characters", status_code=400)
        assert models.CatalogueVersion.objects.count() == count

    def test_only_editors_may_publish(self):
        assert self.client.get(reverse("catalogue-publish")).status_code == 302  # to the sign-in page
        staff = get_user_model().objects.create_user("staff-no-perms", password="x", is_staff=True)
        self.client.force_login(staff)
        assert self.client.get(reverse("catalogue-publish")).status_code == 403
        assert self.client.post(reverse("catalogue-publish"), {"note": ""}).status_code == 403
        self.client.force_login(self.editor)
        self.assertContains(self.client.get(reverse("admin:index")), reverse("catalogue-publish"))

    def test_the_admin_index_counts_the_edits_waiting_to_be_published(self):
        self.client.force_login(self.editor)
        self.assertContains(self.client.get(reverse("admin:index")), "0 edits since the latest version")
        model = models.AIModel.objects.published().first()
        model.parameters = "321B"
        model.save()
        self.assertContains(self.client.get(reverse("admin:index")), "1 edit since the latest version")
        versions.publish()
        self.assertContains(self.client.get(reverse("admin:index")), "0 edits since the latest version")

    def test_editors_read_the_published_versions_in_the_admin_and_cannot_alter_them(self):
        model = models.AIModel.objects.published().first()
        model.parameters = "654B"
        model.save()
        version = versions.publish(user=self.editor, note="Parameters corrected.")
        self.client.force_login(self.editor)
        listing = self.client.get(reverse("admin:advisor_catalogueversion_changelist"))
        self.assertContains(listing, "Parameters corrected.")
        self.assertContains(listing, self.editor.username)
        page = self.client.get(reverse("admin:advisor_catalogueversion_change", args=[version.pk]))
        self.assertContains(page, f"{model.name}: Parameters:")
        assert self.client.get(reverse("admin:advisor_catalogueversion_add")).status_code == 403
        delete = self.client.post(reverse("admin:advisor_catalogueversion_delete", args=[version.pk]), {"post": "yes"})
        assert delete.status_code == 403
        assert models.CatalogueVersion.objects.filter(pk=version.pk).exists()

    def test_an_upgrade_that_changes_only_what_the_engine_reads_is_shown_and_can_be_published(self):
        # The latest version as an older app built it: its snapshot without the sources' confidence.
        latest = versions.latest_published()
        content = latest.content
        content.snapshot = {
            **content.snapshot,
            "models": [{k: v for k, v in entry.items() if k != "confidence"} for entry in content.snapshot["models"]],
        }
        content.save()
        models.CatalogueVersion.objects.filter(pk=latest.pk).update(
            fingerprint=catalogue.fingerprint_of(content.snapshot)
        )
        self.assertContains(self.publish_page(), "No entry changed, but an upgrade of the app changed")
        assert versions.publish().summary == []
        page = self.publish_page()
        self.assertContains(page, "Nothing to publish: the working catalogue is the latest version.")
        self.assertNotContains(page, "No entry changed")

    def test_the_impact_counts_what_this_publish_changes_not_what_an_earlier_one_did(self):
        model = models.AIModel.objects.get(slug=self.top["slug"])
        model.status = vocab.EditorialStatus.DRAFT
        model.save()
        assert services.catalogue_impact()["top_changed"] == 1  # the saved result would start elsewhere
        versions.publish()
        # Published: the saved result still says what it said, but publishing again changes nothing.
        found = services.catalogue_impact()
        assert (found["compared"], found["top_changed"], found["verdict_changed"]) == (1, 0, 0)
        self.assertContains(self.publish_page(), "0 would start with a different model.")

    def test_when_time_runs_out_the_impact_says_it_sampled(self):
        ticks = iter(range(100))
        found = services.catalogue_impact(budget_seconds=0.5, clock=lambda: next(ticks))
        assert (found["total"], found["compared"], found["sampled"]) == (1, 0, True)


class ChangesTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    def setUp(self):
        versions.publish()  # the first content of the catalogue: where its record starts

    def edit(self, instance, **fields):
        """An editor's change, published."""
        for name, value in fields.items():
            setattr(instance, name, value)
        instance.save()
        return versions.publish()

    def published_model(self, **filters):
        return models.AIModel.objects.published().filter(**filters).order_by("slug").first()

    def test_a_fresh_catalogue_lists_no_change(self):
        response = self.client.get(reverse("advisor:changes"))
        self.assertContains(response, "The catalogue as first published")
        self.assertNotContains(response, "Added to the catalogue.")
        # The empty catalogue a new database starts with is no news: one version is listed.
        assert models.CatalogueVersion.objects.filter(published_at__isnull=False).count() == 2
        assert response.content.decode().count('<section class="mb-4" id="version-') == 1

    def test_changes_say_what_a_field_said_before_and_after(self):
        model = self.published_model(access="closed-api", lifecycle=vocab.Lifecycle.ACTIVE)
        self.edit(model, lifecycle=vocab.Lifecycle.DEPRECATED, shutdown_date=datetime.date(2027, 3, 1))
        licence = model.licence
        self.edit(licence, notable_clauses=licence.notable_clauses + "\nA new clause about the EU, reworded at length.")
        score = model.scores.get(criterion__slug="capability")
        old_value = score.value
        score.value = 10 if score.value != 10 else 9
        score.rationale = "Re-rated after the vendor's new evaluation."
        score.is_override = True
        score.override_reason = "The vendor's new evaluation."
        score.save()
        versions.publish()
        response = self.client.get(reverse("advisor:changes"))
        self.assertContains(response, model.name)
        self.assertContains(response, "Lifecycle: Active → Deprecated")
        self.assertContains(response, "Shutdown date: none → March 1, 2027")
        self.assertContains(response, "Notable clauses reworded")
        self.assertContains(response, f"score: {old_value} → {score.value}")
        self.edit(licence, spdx_id="TEST-1.0")  # a field whose name ends in _id, not a foreign key
        self.assertContains(self.client.get(reverse("advisor:changes")), "TEST-1.0")
        # Newest version first: the licence change was published after the model's.
        content = response.content.decode()
        assert content.index("Notable clauses reworded") < content.index("Lifecycle: Active")

    def test_licence_gates_and_use_restrictions_read_as_on_the_licence_page(self):
        licence = models.Licence.objects.get(slug="llama-3.1-community")
        gate = {"kind": "mau", "value": 700_000_000, "effect": "separate-licence", "note": "Ask Meta for a licence."}
        self.edit(licence, thresholds=[gate], use_restrictions=[])
        self.edit(
            licence,
            thresholds=[{**gate, "value": 1_000_000}],
            use_restrictions=[{"use": "biometric-identification", "rule": "forbidden", "clause": "face recognition"}],
        )
        self.edit(licence, thresholds=[{**gate, "value": 1_000_000, "note": "Reworded note."}])
        self.edit(licence, use_restrictions=None)  # no longer verified

        content = html_text(self.client.get(reverse("advisor:changes")).content.decode())
        assert (
            "User and revenue thresholds: added More than 1 million monthly active users (Separate licence "
            "needed), removed More than 700 million monthly active users (Separate licence needed)"
        ) in content
        assert "Use restrictions: added Biometric identification (Forbidden)" in content
        assert "User and revenue thresholds reworded" in content
        assert "Use restrictions: Biometric identification (Forbidden) → not verified" in content
        assert "separate-licence" not in content and "kind mau" not in content

    def test_drafts_stay_out_and_publishing_a_model_adds_it(self):
        draft = self.published_model()
        self.edit(draft, status=vocab.EditorialStatus.DRAFT)
        self.assertContains(self.client.get(reverse("advisor:changes")), "Removed from the catalogue.")
        draft.notes = "A secret draft note."
        draft.save()  # a draft's note is nothing readers see: nothing to publish
        self.assertRaises(versions.NothingToPublish, versions.publish)
        self.assertNotContains(self.client.get(reverse("advisor:changes")), "A secret draft note")
        self.edit(draft, status=vocab.EditorialStatus.PUBLISHED)
        self.assertContains(self.client.get(reverse("advisor:changes")), "Added to the catalogue.")

    def test_the_atom_feed_carries_the_same_changes(self):
        model = self.published_model(access="closed-api")
        self.edit(model, context_window=(model.context_window or 1000) + 1000)
        response = self.client.get(reverse("advisor:changes-feed"))
        assert response["Content-Type"].startswith("application/atom+xml")
        content = response.content.decode()
        assert f"<title>{model.name}: Context window (tokens)" in content
        assert reverse("advisor:model-history", kwargs={"slug": model.slug}) in content
        self.assertContains(self.client.get(reverse("advisor:changes")), reverse("advisor:changes-feed"))

    def test_each_model_and_licence_links_its_own_history(self):
        model = self.published_model()
        version = self.edit(model, parameters="123B")
        page = self.client.get(model.get_absolute_url())
        history_url = reverse("advisor:model-history", kwargs={"slug": model.slug})
        self.assertContains(page, history_url)
        history = self.client.get(history_url)
        self.assertContains(history, "Parameters:")
        self.assertContains(history, "123B")
        self.assertContains(history, f"Version {version.pk}")
        licence_url = reverse("advisor:licence-history", kwargs={"slug": model.licence.slug})
        self.assertContains(self.client.get(model.licence.get_absolute_url()), licence_url)
        self.assertContains(self.client.get(licence_url), "No change since")
        assert self.client.get(reverse("advisor:model-history", kwargs={"slug": "no-such-model"})).status_code == 404

    def test_a_removed_model_keeps_its_history(self):
        model = self.published_model()
        name, slug = model.name, model.slug
        model.delete()
        versions.publish()
        self.assertContains(self.client.get(reverse("advisor:changes")), f"{name}</a>")
        history = self.client.get(reverse("advisor:model-history", kwargs={"slug": slug}))
        self.assertContains(history, "Removed from the catalogue.")
        self.assertContains(history, "no longer in the catalogue")

    def test_the_pages_cost_the_same_queries_for_few_and_many_versions(self):
        counts = []
        for rounds in (2, 12):
            for model in models.AIModel.objects.published()[:rounds]:
                self.edit(model, notes=f"{model.notes} {rounds}")
            for url in (reverse("advisor:changes"), reverse("advisor:changes-feed")):
                with CaptureQueriesContext(connection) as queries:
                    assert self.client.get(url, {"r": rounds}).status_code == 200
                counts.append((url, len(queries)))
        assert counts[0][1] == counts[2][1] and counts[1][1] == counts[3][1], counts

    def test_an_older_permalink_says_what_changed_since_for_its_models(self):
        recommendation = services.recommendation_create(answers=complete_answers())
        result = services.recommendation_result(recommendation)
        top = models.AIModel.objects.get(slug=result["picks"][0]["slug"])
        before = top.context_window or 0
        top.context_window = before + 1024
        top.save()
        self.assertNotContains(self.client.get(recommendation.get_absolute_url()), "What changed since")
        versions.publish()
        page = self.client.get(recommendation.get_absolute_url())
        self.assertContains(page, "What changed since, for the models in this result:")
        self.assertContains(page, f"{top.name}: Context window (tokens): {before} → {before + 1024}")
