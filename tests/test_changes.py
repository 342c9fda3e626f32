"""What changed in the catalogue: /changes/, its Atom feed, each entry's history, a result's "what changed since"."""

import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisor import models, services, vocab
from advisor.history import baseline_all
from tests.conftest import complete_answers


class ChangesTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    def setUp(self):
        # Fixtures load without history; the migration and setup_demo give each row its baseline.
        baseline_all(lambda name: apps.get_model("advisor", name), when=timezone.now() - datetime.timedelta(days=1))
        self.editor = get_user_model().objects.create_user("jane-editor-x9", password="x", is_staff=True)

    def edit(self, instance, **fields):
        for name, value in fields.items():
            setattr(instance, name, value)
        instance._history_user = self.editor
        instance.save()
        return instance

    def published_model(self, **filters):
        return models.AIModel.objects.published().filter(**filters).order_by("slug").first()

    def test_a_fresh_catalogue_lists_no_change(self):
        response = self.client.get(reverse("advisor:changes"))
        self.assertContains(response, "No change since the catalogue was loaded")

    def test_changes_say_what_a_field_said_before_and_after_and_never_who(self):
        model = self.published_model(access="closed-api", lifecycle=vocab.Lifecycle.ACTIVE)
        self.edit(model, lifecycle=vocab.Lifecycle.DEPRECATED, shutdown_date=datetime.date(2027, 3, 1))
        licence = model.licence
        self.edit(licence, notable_clauses=licence.notable_clauses + "\nA new clause about the EU, reworded at length.")
        response = self.client.get(reverse("advisor:changes"))
        self.assertContains(response, model.name)
        self.assertContains(response, "Lifecycle: Active → Deprecated")
        self.assertContains(response, "Shutdown date: none → March 1, 2027")
        self.assertContains(response, "Notable clauses reworded")
        self.edit(licence, spdx_id="TEST-1.0")  # a field whose name ends in _id, not a foreign key
        self.assertContains(self.client.get(reverse("advisor:changes")), "TEST-1.0")
        assert self.editor.username not in response.content.decode().split("<main")[1]
        # Newest first: the licence change was made after the model's.
        content = response.content.decode()
        assert content.index("Notable clauses reworded") < content.index("Lifecycle: Active")

    def test_drafts_stay_out_and_publishing_is_a_change(self):
        draft = models.AIModel.objects.exclude(status=vocab.EditorialStatus.PUBLISHED).first()
        if draft is None:
            draft = self.edit(self.published_model(), status=vocab.EditorialStatus.DRAFT)
        self.edit(draft, notes="A secret draft note.")
        self.assertNotContains(self.client.get(reverse("advisor:changes")), "A secret draft note")
        self.edit(draft, status=vocab.EditorialStatus.PUBLISHED)
        self.assertContains(self.client.get(reverse("advisor:changes")), "Published in the catalogue.")

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
        self.edit(model, parameters="123B")
        page = self.client.get(model.get_absolute_url())
        history_url = reverse("advisor:model-history", kwargs={"slug": model.slug})
        self.assertContains(page, history_url)
        history = self.client.get(history_url)
        self.assertContains(history, "Parameters:")
        self.assertContains(history, "123B")
        licence_url = reverse("advisor:licence-history", kwargs={"slug": model.licence.slug})
        self.assertContains(self.client.get(model.licence.get_absolute_url()), licence_url)
        self.assertContains(self.client.get(licence_url), "No change since")
        assert self.client.get(reverse("advisor:model-history", kwargs={"slug": "no-such-model"})).status_code == 404

    def test_a_removed_model_keeps_its_history(self):
        model = self.published_model()
        name, slug = model.name, model.slug
        model.scores.all().delete()
        model.sources.all().delete()
        model.delete()
        self.assertContains(self.client.get(reverse("advisor:changes")), f"{name}</a>")
        history = self.client.get(reverse("advisor:model-history", kwargs={"slug": slug}))
        self.assertContains(history, "Removed from the catalogue.")
        self.assertContains(history, "no longer in the catalogue")

    def test_the_pages_cost_the_same_queries_for_few_and_many_changes(self):
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
        self.edit(top, context_window=(top.context_window or 0) + 1024)
        page = self.client.get(recommendation.get_absolute_url())
        self.assertContains(page, "What changed since, for the models in this result:")
        self.assertContains(
            page, f"{top.name}: Context window (tokens): {top.context_window - 1024} → {top.context_window}"
        )
