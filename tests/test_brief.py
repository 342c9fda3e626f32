"""The permalink as a decision brief: what a stranger, a chat app unfurling the link and a filing
cabinet get from it."""

import csv
import io
import re
import time
from html import unescape
from html.parser import HTMLParser

import segno
from django.core.cache import cache
from django.template.defaultfilters import floatformat
from django.test import TestCase

from advisor import brief, cards, catalogue, models, presenters, services
from tests.conftest import catalogue_create, complete_answers, editors_group, publish


class MetaTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.tags[attrs.get("property") or attrs.get("name")] = attrs["content"]


def meta_tags(html):
    parser = MetaTags()
    parser.feed(html)
    return parser.tags


def html_text(html):
    """The page's text as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


class BriefTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    @classmethod
    def setUpTestData(cls):
        publish()

    def setUp(self):
        cache.clear()
        self.recommendation = services.recommendation_create(
            answers=complete_answers(deployment="any-api", hardware="none")
        )
        self.url = self.recommendation.get_absolute_url()

    def test_the_summary_comes_before_any_detail_table_and_the_page_is_small(self):
        page = self.client.get(self.url)
        html = page.content.decode()
        assert len(page.content) <= 60 * 1024
        assert html.index('id="next-steps-heading"') < html.index("<table")
        picks = services.recommendation_result(self.recommendation)["picks"]
        heading = re.search(r'<h1 id="verdict-heading"[^>]*>(.*?)</h1>', html, re.S).group(1)
        assert heading.startswith("Start with ") and picks[0]["name"] in heading
        assert html.count('class="card h-100 pick"') == len(picks) <= 3

    def test_the_summary_sentence_reads_for_every_kind_of_first_pick(self):
        start = services.recommendation_result(self.recommendation)["picks"][0]
        assert start["role"] == "start"
        text = html_text(self.client.get(self.url).content.decode())
        assert f"Start with {start['name']}" in text
        # A regulated bank keeping everything in its own cloud account gets a hybrid plan: each part named.
        bank = services.recommendation_create(
            answers=complete_answers(
                deployment="own-cloud", hardware="none", sector="finance", data_sensitivity="regulated"
            )
        )
        picks = services.recommendation_result(bank)["picks"]
        assert picks[0]["role"] == "api-part", [pick["role"] for pick in picks]
        text = html_text(self.client.get(bank.get_absolute_url()).content.decode())
        assert f"For the API part of your plan: {picks[0]['name']}" in text
        assert f"for the open part of your plan: {picks[1]['name']}" in text

    def test_a_single_pick_is_piloted_against_the_next_model_in_the_ranking_which_is_named_as_such(self):
        two = services.recommendation_result(self.recommendation)
        assert len(two["picks"]) == 2
        page = self.client.get(self.url).content.decode()
        first, second = (pick["name"] for pick in two["picks"])
        assert f"Pilot {first} and {second} on 50 to 100" in html_text(page)

        # On-premises only: no closed model can run there, so there is one pick, and no other side.
        alone = services.recommendation_create(answers=complete_answers(deployment="on-premises", hardware="node-8x80"))
        result = services.recommendation_result(alone)
        [pick] = result["picks"]
        runner_up = next(entry["name"] for entry in result["ranking"] if entry["slug"] != pick["slug"])
        page = self.client.get(alone.get_absolute_url()).content.decode()
        assert f"Pilot {pick['name']} against {runner_up}, the next model in your ranking," in html_text(page)
        assert "Compare with the next in your ranking" in page and "Compare the shortlist" not in page

    def test_an_open_pick_kept_in_the_teams_own_cloud_is_described_as_a_marketplace_deployment(self):
        own_cloud = services.recommendation_create(answers=complete_answers(deployment="own-cloud", hardware="none"))
        picks = services.recommendation_result(own_cloud)["picks"]
        assert any(pick["access"] != "closed-api" for pick in picks), "the seed catalogue offers an open pick here"
        text = html_text(self.client.get(own_cloud.get_absolute_url()).content.decode())
        assert "as open weights from a cloud marketplace, in your own cloud account" in text
        assert "Open weights from a cloud marketplace, in your own cloud account" in text
        assert "Choose a hosted provider" not in text
        assert "Through a hosted provider" not in text  # the score rationales say where it runs too

    def test_the_link_unfurls_with_the_verdict_the_picks_and_a_card(self):
        tags = meta_tags(self.client.get(self.url).content.decode())
        top = services.recommendation_result(self.recommendation)["picks"][0]["name"]
        assert top in tags["og:title"] and tags["og:title"].startswith("Start with")
        assert 0 < len(tags["og:description"]) <= 200
        assert tags["twitter:card"] == "summary_large_image"
        assert tags["og:image"].startswith("http://testserver/r/") and tags["og:image"].endswith("/card.png")

        path = tags["og:image"].removeprefix("http://testserver")
        started = time.perf_counter()
        card = self.client.get(path)
        first = time.perf_counter() - started
        assert card.status_code == 200 and card["Content-Type"] == "image/png"
        assert png_size(card.content) == (1200, 630)
        assert "immutable" in card["Cache-Control"] and "max-age=31536000" in card["Cache-Control"]
        # Drawn once: the second request is served from the cache, byte for byte.
        with self.assertNumQueries(1):  # only the check that the result still exists
            again = self.client.get(path)
        assert again.content == card.content
        assert first < 5  # generous: the benchmark, not this test, holds the 150 ms target

    def test_the_printed_brief_carries_a_qr_code_of_the_link(self):
        page = self.client.get(self.url).content.decode()
        qr_path = f"/r/{self.recommendation.code}/qr.svg"
        assert f'<img class="qr-code float-end" src="{qr_path}" alt="QR code of the link to this result">' in page
        qr = self.client.get(qr_path)
        assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
        assert "immutable" in qr["Cache-Control"] and "max-age=31536000" in qr["Cache-Control"]
        svg = qr.content.decode()
        assert svg.startswith("<svg") and "<path" in svg and "testserver" not in svg  # the URL is in the modules
        expected = segno.make(f"http://testserver{self.url}", error="m")
        assert svg == cards.qr_svg(f"http://testserver{self.url}").decode()
        assert f'width="{(expected.symbol_size(scale=3, border=2))[0]}"' in svg
        assert self.client.get("/r/00000000-0000-4000-8000-000000000000/qr.svg").status_code == 404

    def test_the_decision_record_is_markdown_with_the_sections_of_an_adr(self):
        response = self.client.get(f"/r/{self.recommendation.code}.md")
        assert response["Content-Type"] == "text/markdown; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        text = response.content.decode()
        assert text.startswith("# Decision record: Start with")
        number = self.recommendation.catalogue_version_id
        assert f", catalogue version {number} ({self.recommendation.catalogue_fingerprint[:12]})," in text
        page = self.client.get(self.url).content.decode()
        assert f"on catalogue version {number} ({self.recommendation.catalogue_fingerprint[:12]})" in page
        for heading in ("## Context", "## Decision", "## Options considered", "## Consequences and duties"):
            assert f"\n{heading}\n" in text
        assert "<" not in text.replace(f"<http://testserver{self.url}>", "")  # no HTML escapes or tags
        assert "&#x27;" not in text and "&amp;" not in text

    def test_the_ranking_csv_lists_every_eligible_model_in_rank_order(self):
        response = self.client.get(f"/r/{self.recommendation.code}.csv")
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert (
            len(rows)
            == services.recommendation_result(self.recommendation)["counts"]["eligible"]
            - services.recommendation_result(self.recommendation)["counts"]["below_bar"]
        )
        assert [int(row["rank"]) for row in rows] == list(range(1, len(rows) + 1))

    def test_a_csv_cell_never_starts_a_spreadsheet_formula(self):
        result = dict(services.recommendation_result(self.recommendation))
        result["ranking"] = [{**result["ranking"][0], "name": "=HYPERLINK(1)"}]
        result["also_eligible"] = []
        models.Recommendation.objects.filter(pk=self.recommendation.pk).update(result=result)
        rows = list(csv.reader(io.StringIO(self.client.get(f"/r/{self.recommendation.code}.csv").content.decode())))
        assert rows[1][2].startswith("'=")

    def test_an_engine_2_result_has_no_record_card_or_csv_and_unknown_codes_are_404(self):
        old = models.Recommendation.objects.create(
            answers={}, result={"verdict": {}}, catalogue_fingerprint="x", engine_version="2"
        )
        for suffix in (".md", ".csv", "/card.png"):
            assert self.client.get(f"/r/{old.code}{suffix}").status_code == 404
            assert self.client.get(f"/r/00000000-0000-4000-8000-000000000000{suffix}").status_code == 404

    def test_each_pick_shows_its_licence_terms_as_they_stood_with_legal_checks(self):
        pick = services.recommendation_result(self.recommendation)["picks"][0]
        stored = pick["licence_facts"]
        licence = models.Licence.objects.get(slug=stored["slug"])
        page = self.client.get(self.url).content.decode()
        assert f"What the {licence.name} lets you do with {pick['name']}" in page
        assert page.count('class="card h-100 glance-permission"') >= 1

        # An editor changes the live licence afterwards: the permalink keeps the terms it was made on.
        models.Licence.objects.filter(pk=licence.pk).update(commercial_use="no")
        publish()
        cache.clear()
        page = self.client.get(self.url).content.decode()
        terms = page[page.index("lets you do with") :]
        assert "No commercial use" not in terms[: terms.index("</details>")]

        # A conditional grant in the stored terms reads as one that needs a legal check.
        result = services.recommendation_result(self.recommendation)
        result["picks"][0]["licence_facts"] = {**stored, "commercial_use": "conditional"}
        models.Recommendation.objects.filter(pk=self.recommendation.pk).update(result=result)
        cache.clear()
        page = self.client.get(self.url).content.decode()
        terms = page[page.index("lets you do with") :]
        assert "needs a legal check" in terms[: terms.index("</details>")]

    def test_a_duty_of_how_the_model_runs_links_to_the_model_and_a_licence_duty_to_the_licence(self):
        shortlist = brief.shortlist(presenters.with_text(services.recommendation_result(self.recommendation)))
        hosted = next(pick for pick in shortlist if (pick["route"] or {}).get("kind") == "hosted")
        page = self.client.get(self.url).content.decode()
        steps = page[page.index('id="next-steps-heading"') : page.index("Computed on")]
        model_url = f'href="/models/{hosted["slug"]}/"'
        route_duty = re.search(r"<li>Choose a hosted provider for it[^<]*<a [^>]*>", steps).group(0)
        assert model_url in route_duty
        licence = re.escape(hosted["licence"]["name"])
        licence_check = re.search(
            rf"<li>Have someone who can read licences check the {licence} terms[^<]*<a [^>]*>", steps
        )
        licence_check = licence_check.group(0)
        assert f'href="/licenses/{hosted["licence"]["slug"]}/"' in licence_check

    def test_the_shortlist_table_shows_each_rationale_for_new_results_and_those_saved_whole_before(self):
        result = services.recommendation_result(self.recommendation)
        pick = result["picks"][0]["slug"]
        row = next(entry for entry in result["ranking"] if entry["slug"] == pick)["contributions"][0]
        said = row["rationale"]["msgid"] % row["rationale"]["params"]
        table = self.client.get(self.url).content.decode()
        table = html_text(table[table.index("criterion by criterion") :])
        assert said in table

        # A result saved before catalogue versions holds its whole output, with rationales as plain text.
        for entry in result["ranking"]:
            for contribution in entry["contributions"]:
                message = contribution["rationale"]
                contribution["rationale"] = message["msgid"] % message["params"]
        whole = services.recommendation_create(answers=complete_answers(deployment="any-api", hardware="none"))
        models.Recommendation.objects.filter(pk=whole.pk).update(result=result, catalogue_version=None)
        cache.clear()
        table = self.client.get(whole.get_absolute_url()).content.decode()
        assert said in html_text(table[table.index("criterion by criterion") :])

    def test_use_restrictions_the_questions_do_not_cover_are_next_steps_for_the_pick(self):
        pick = services.recommendation_result(self.recommendation)["picks"][0]
        licence = models.Licence.objects.get(slug=pick["licence_facts"]["slug"])
        licence.use_restrictions = [
            {
                "use": "other",
                "rule": "conditional",
                "condition": "only with the rights and consents that applicable law requires",
                "clause": "collecting, processing or inferring health or other sensitive personal information",
            },
            {"use": "other", "rule": "forbidden", "clause": "operating critical infrastructure"},
            {"use": "military", "rule": "forbidden", "clause": "military uses"},  # asked: the team ticked none
        ]
        licence.save()
        publish()
        recommendation = services.recommendation_create(answers=complete_answers(deployment="any-api", hardware="none"))
        assert services.recommendation_result(recommendation)["picks"][0]["slug"] == pick["slug"]

        page = html_text(self.client.get(recommendation.get_absolute_url()).content.decode())
        steps = page[page.index("Next steps") : page.index("Computed on")]
        assert (
            f"Under {licence.name}, “collecting, processing or inferring health or other sensitive personal "
            "information” is allowed only on a condition: only with the rights and consents that applicable law "
            "requires. Check whether it applies to your product."
        ) in steps
        assert (
            f"Under {licence.name}, “operating critical infrastructure” is forbidden: make sure your product does "
            "not do it."
        ) in steps
        assert "military" not in steps.lower()
        record = self.client.get(f"/r/{recommendation.code}.md").content.decode()
        assert f"- [ ] Under {licence.name}, “operating critical infrastructure” is forbidden" in record

        # The result made before the change keeps its steps; its notice names the change.
        page = html_text(self.client.get(self.url).content.decode())
        assert "operating critical infrastructure" not in page[page.index("Next steps") : page.index("Computed on")]
        assert "Use restrictions: added " in page and "operating critical infrastructure (Forbidden)" in page


class TodayPreviewTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    @classmethod
    def setUpTestData(cls):
        publish()

    def test_a_changed_catalogue_says_what_it_means_for_this_result(self):
        recommendation = services.recommendation_create(answers=complete_answers(commercial="yes"))
        start = services.recommendation_result(recommendation)["picks"][0]
        unchanged = self.client.get(recommendation.get_absolute_url()).content.decode()
        assert "If re-evaluated today" not in unchanged

        # An editor gives the pick to start with a non-commercial licence.
        non_commercial = models.Licence.objects.filter(commercial_use="no").first()
        ai_model = models.AIModel.objects.get(slug=start["slug"])
        ai_model.licence = non_commercial
        ai_model.save()
        publish()
        cache.clear()

        page = self.client.get(recommendation.get_absolute_url()).content.decode()
        preview = page[page.index("If re-evaluated today") : page.index("</ul>", page.index("If re-evaluated today"))]
        rank = next(
            e["rank"] for e in services.recommendation_result(recommendation)["ranking"] if e["slug"] == start["slug"]
        )
        assert f"Your #{rank}, {start['name']}, is no longer eligible" in preview
        assert "commercial" in preview.lower()
        assert "The pick to start with would now be" in preview
        # The saved result itself is untouched.
        assert f"Start with {start['name']}" in page


class CostTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    @classmethod
    def setUpTestData(cls):
        publish()

    def test_the_shortlist_shows_costs_and_where_api_and_own_gpus_break_even(self):
        models.GpuPrice.objects.create(
            name="An 80 GB GPU (on demand)",
            memory_gb=80,
            hourly_usd="2.500",
            source_url="https://example.org/gpu-prices",
            as_of="2026-11",
        )
        publish()
        # A team that runs models in its own cloud account on 80 GB GPUs, at over a billion tokens a month.
        recommendation = services.recommendation_create(
            answers=complete_answers(deployment="own-cloud", hardware="gpu-80", mlops="strong", volume="high")
        )
        picks = services.recommendation_result(recommendation)["picks"]
        (own,) = [p for p in picks if p["cost"] and p["cost"].get("gpus")]
        (api,) = [p for p in picks if p["cost"] and p["cost"].get("per_mtok")]
        assert own["cost"]["monthly_usd"] == own["cost"]["gpus"] * 2.5 * 730
        assert api["cost"]["monthly_usd"] == round(api["cost"]["per_mtok"] * 2000, 2)  # 2 billion tokens

        page = self.client.get(recommendation.get_absolute_url()).content.decode()
        assert "An 80 GB GPU (on demand) at $2.50 an hour (as of 2026-11)" in page
        assert 'class="cost-chart"' in page and 'aria-labelledby="break-even-title break-even-text"' in page
        crossing = own["cost"]["monthly_usd"] / api["cost"]["per_mtok"]  # million tokens a month
        text = page[page.index('id="break-even-text"') :]
        assert f"{api['name']} through its API costs more than {own['name']}" in text
        words = f"{crossing / 1000:.3g} billion" if crossing >= 1000 else f"{crossing:.3g} million"
        assert f"above about {words} tokens a month" in " ".join(text.split())


class GpuPriceAdminTests(TestCase):
    def test_an_editor_records_a_gpu_price_with_its_source_and_it_reaches_the_engine(self):
        from django.contrib.auth.models import User

        editor = User.objects.create_user("ed", password="pw-for-tests-only", is_staff=True)
        editor.groups.add(editors_group())  # a transactional test run before this one may have flushed the group
        self.client.force_login(editor)
        url = "/admin/advisor/gpuprice/add/"
        missing_source = self.client.post(url, {"name": "GPU", "memory_gb": 80, "hourly_usd": "2", "as_of": "2026-11"})
        assert missing_source.status_code == 200 and not models.GpuPrice.objects.exists()
        saved = self.client.post(
            url,
            {
                "name": "GPU",
                "memory_gb": 80,
                "hourly_usd": "2",
                "source_url": "https://example.org/prices",
                "as_of": "2026-11",
            },
        )
        assert saved.status_code == 302
        assert catalogue.snapshot_of(*catalogue.latest()[:2])["gpu_prices"] == []  # saved, not yet published
        publish()
        assert catalogue.snapshot_of(*catalogue.latest()[:2])["gpu_prices"][0]["hourly_usd"] == 2.0


class ExcludedTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    @classmethod
    def setUpTestData(cls):
        publish()

    def test_each_ruled_out_model_is_one_row_with_reason_chips_linked_to_the_clause(self):
        recommendation = services.recommendation_create(answers=complete_answers(commercial="yes"))
        result = services.recommendation_result(recommendation)
        page = self.client.get(recommendation.get_absolute_url()).content.decode()
        section = page[page.index('id="excluded-heading"') :]
        assert section.count('class="excluded-model"') == min(result["counts"]["excluded"], section.count("<li"))
        groups = [int(n) for n in re.findall(r"<summary>[^<]*\((\d+)\)</summary>", section)]
        assert sum(groups) == result["counts"]["excluded"] == len(result["excluded"])
        non_commercial = next(item for item in result["excluded"] if item["reasons"][0]["rule"] == "non-commercial")
        assert f'href="/licenses/{non_commercial["licence"]}/#glance-heading"' in section


def ranked_rows(html):
    """The ranking table's rows as (rank, name, access, score) text, in page order."""
    table = html[html.index('class="table table-sm ranking-table"') :]
    table = table[: table.index("</table>")]
    return re.findall(
        r'<tr class="ranked-row[^"]*" id="model-[^"]+"><td>(\d+)</td><th scope="row" class="ranked-name">([^<]*)</th>'
        r"<td>([^<]*)</td><td class=\"text-end\">([^<]*)</td></tr>",
        table,
    )


def tier_entries(result):
    """Every eligible model of a result by tier, in rank order."""
    tiers = {}
    for entry in sorted([*result["ranking"], *result["also_eligible"]], key=lambda e: e["rank"]):
        tiers.setdefault(entry["tier"], []).append(entry)
    return tiers


ACCESS_TEXT = {"closed-api": "Closed API", "fully-open": "Fully open", "open-weights": "Open weights"}


class LongRankingTests(TestCase):
    """A result with many eligible models: each tier shows its first rows, the CSV lists every model."""

    def setUp(self):
        catalogue_create(120)
        publish()
        self.recommendation = services.recommendation_create(
            answers=complete_answers(deployment="on-premises", hardware="gpu-80")
        )
        self.result = services.recommendation_result(self.recommendation)
        self.html = self.client.get(self.recommendation.get_absolute_url()).content.decode()

    def test_each_tier_shows_its_first_rows_and_says_how_many_more_the_csv_lists(self):
        tiers = tier_entries(self.result)
        eligible = sum(len(entries) for entries in tiers.values())
        assert max(len(entries) for entries in tiers.values()) > brief.TIER_ROWS_SHOWN  # the cap applies
        shown = [entry for entries in tiers.values() for entry in entries[: brief.TIER_ROWS_SHOWN]]
        assert [row[:2] for row in ranked_rows(self.html)] == [(str(e["rank"]), e["name"]) for e in shown]
        csv_link = f'<a href="/r/{self.recommendation.code}.csv">the CSV of the ranking</a>'
        assert f"Each tier shows its first {brief.TIER_ROWS_SHOWN} models; {csv_link} lists all {eligible}." in (
            self.html
        )
        for entries in tiers.values():
            more = len(entries) - brief.TIER_ROWS_SHOWN
            if more > 0:
                assert f"And {more} more in this tier, listed in {csv_link}." in self.html

        rows = list(csv.DictReader(io.StringIO(self.client.get(f"/r/{self.recommendation.code}.csv").content.decode())))
        assert [row["slug"] for row in rows] == [e["slug"] for entries in tiers.values() for e in entries]
        assert len(rows) == eligible

    def test_a_row_shows_rank_name_access_and_the_score_to_one_decimal(self):
        entries = {str(e["rank"]): e for entries in tier_entries(self.result).values() for e in entries}
        for rank, name, access, score in ranked_rows(self.html):
            entry = entries[rank]
            expected = (entry["name"], ACCESS_TEXT[entry["access"]], floatformat(entry["score"], 1))
            assert (name, access, score) == expected


class ShortRankingTests(TestCase):
    fixtures = ["catalogue.json", "presets.json"]

    def setUp(self):
        publish()

    def test_a_short_ranking_lists_every_eligible_model_without_a_notice(self):
        recommendation = services.recommendation_create(answers=complete_answers())
        result = services.recommendation_result(recommendation)
        html = self.client.get(recommendation.get_absolute_url()).content.decode()
        tiers = tier_entries(result)
        # The seed catalogue fills no tier past the cap for these answers (else this test needs others).
        assert max(len(entries) for entries in tiers.values()) <= brief.TIER_ROWS_SHOWN
        assert len(ranked_rows(html)) == sum(len(entries) for entries in tiers.values())
        assert "Each tier shows its first" not in html and "more in this tier" not in html


def test_a_score_reads_as_floatformat_shows_it():
    # Scores are stored to two decimals: every one from 0 to 100, and a few outside, rounded half up.
    for hundredths in [*range(0, 10001), -4, -5, -15, 123456]:
        score = hundredths / 100
        assert brief.score_text(score) == floatformat(score, 1), score
    for score in (0, 7, 100):
        assert brief.score_text(score) == floatformat(score, 1)


def test_a_long_group_of_ruled_out_models_lists_ten_with_reasons_then_names_then_a_count():
    excluded = [
        {
            "slug": f"model-{index:03d}",
            "name": f"Model {index:03d}",
            "licence": "cc-by-nc-4.0",
            "reasons": [{"rule": "non-commercial", "message": {"text": "No commercial use."}, "clause": "§ 3"}],
        }
        for index in range(100)
    ] + [{"slug": "solo", "name": "Solo", "reasons": [{"rule": "odd", "message": {"text": "An odd reason."}}]}]
    big, small = presenters.excluded_groups(excluded, presenters.rule_titles())
    assert (big["title"], len(big["models"]), small["title"], len(small["models"])) == (
        "Licence forbids commercial use",
        100,
        "An odd reason.",
        1,
    )
    assert [item["name"] for item in big["shown"]] == [f"Model {index:03d}" for index in range(10)]
    assert big["shown"][0]["message"] == "No commercial use." and big["shown"][0]["clause"] == "§ 3"
    assert big["shown"][0]["chips"] == [
        {"label": "Licence forbids commercial use", "url": "/licenses/cc-by-nc-4.0/#glance-heading"}
    ]
    assert big["more"] == [f"Model {index:03d}" for index in range(10, 70)] and big["unnamed"] == 30
