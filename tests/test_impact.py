"""Editors see what their changes do to the results teams saved: /admin/impact/."""

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from advisor import catalogue, models, services
from tests.conftest import complete_answers, editors_group


class ImpactTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    def setUp(self):
        self.editor = get_user_model().objects.create_user("editor-impact", password="x", is_staff=True)
        self.editor.groups.add(editors_group())
        self.client.force_login(self.editor)
        preset = models.AudiencePreset.objects.get(slug="startups")
        self.saved = services.recommendation_create(answers=complete_answers(), preset=preset)
        self.top = services.recommendation_result(self.saved)["picks"][0]

    def withdraw_the_top_pick(self):
        models.AIModel.objects.filter(slug=self.top["slug"]).update(status="draft")
        catalogue.catalogue_refresh()  # what the on-commit signal does after an editor's change

    def test_an_unchanged_catalogue_changes_no_result(self):
        page = self.client.get(reverse("catalogue-impact"))
        self.assertContains(page, "Compared 1 of the 1 results saved in the last 90 days")
        self.assertContains(page, "0 would start with a different model.")

    def test_a_change_that_moves_the_top_pick_is_counted_per_preset_with_an_example(self):
        self.withdraw_the_top_pick()
        page = self.client.get(reverse("catalogue-impact"))
        self.assertContains(page, "1 would start with a different model.")
        content = page.content.decode()
        assert "Startups &amp; small teams" in content
        assert f"{self.top['name']} →" in content
        assert self.saved.get_absolute_url() in content
        self.assertContains(self.client.get(reverse("admin:index")), reverse("catalogue-impact"))

    def test_when_time_runs_out_it_says_it_sampled(self):
        self.withdraw_the_top_pick()
        ticks = iter(range(100))
        found = services.catalogue_impact(budget_seconds=0.5, clock=lambda: next(ticks))
        assert (found["total"], found["compared"], found["sampled"]) == (1, 0, True)

    def test_only_editors_see_it(self):
        self.client.logout()
        assert self.client.get(reverse("catalogue-impact")).status_code == 302  # to the sign-in page
        staff = get_user_model().objects.create_user("staff-no-perms", password="x", is_staff=True)
        self.client.force_login(staff)
        assert self.client.get(reverse("catalogue-impact")).status_code == 403
