"""The public catalogue: home, models, licences, criteria and compare."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from advisor import models
from tests.conftest import (
    ai_model_build,
    catalogue_create,
    criteria_create,
    licence_create,
    provider_create,
    publish,
    scores_create,
)

pytestmark = pytest.mark.django_db


def rows_of(response):
    """Model names in the catalogue table, in page order."""
    return re.findall(r'<th scope="row">\s*<a href="/models/[^"]+/">([^<]+)</a>', response.content.decode())


@pytest.fixture
def criteria():
    return criteria_create()


@pytest.fixture
def mixed_catalogue(criteria):
    """Four published models that differ on every filter, and one draft."""
    apache = licence_create()
    research = licence_create(
        slug="research-only",
        name="Research Only Licence",
        spdx_id="",
        category="non-commercial",
        osi_approved=False,
        commercial_use="no",
        may_redistribute=False,
        may_fine_tune=False,
        outputs_may_train_models="no",
        obligations="",
        notable_clauses="",
    )
    api_terms = licence_create(
        slug="vendor-api-terms",
        name="Vendor API Terms",
        spdx_id="",
        category="proprietary-api",
        osi_approved=False,
        commercial_use="yes",
        may_modify=False,
        may_redistribute=False,
        may_fine_tune=True,
        outputs_may_train_models="no",
        prompts_train_by_default="no",
        zero_retention_offered=True,
        use_restrictions=[
            {
                "use": "competing-models",
                "rule": "forbidden",
                "clause": "no training of competing models on outputs",
                "source": "Vendor terms section 3",
            }
        ],
        obligations="",
        notable_clauses="",
    )
    acme = provider_create()
    vendor = provider_create(name="Vendor Inc", slug="vendor-inc", country="United States")
    built = [
        ai_model_build(
            1,
            name="Alpha Open",
            slug="alpha-open",
            provider=acme,
            licence=apache,
            access="fully-open",
            training_code_available=True,
            training_data_available=True,
            release_date=datetime.date(2024, 3, 1),
            context_window=4096,
        ),
        ai_model_build(
            2,
            name="Beta Research",
            slug="beta-research",
            provider=acme,
            licence=research,
            fine_tuning=["none"],
            modalities=["text", "image"],
            language_codes=["en", "ko"],
            release_date=datetime.date(2025, 1, 1),
            context_window=32768,
        ),
        ai_model_build(
            3,
            name="Gamma API",
            slug="gamma-api",
            provider=vendor,
            licence=api_terms,
            access="closed-api",
            weights_available=False,
            deployment=["managed-api"],
            fine_tuning=["api-fine-tuning"],
            modalities=["text", "image", "audio"],
            language_codes=["en", "ko", "ja"],
            price_input_per_mtok=Decimal("3.000"),
            price_output_per_mtok=Decimal("15.000"),
            min_gpu_memory_gb=None,
            release_date=datetime.date(2025, 6, 1),
            context_window=200000,
        ),
        ai_model_build(
            4,
            name="Delta API",
            slug="delta-api",
            provider=vendor,
            licence=api_terms,
            access="closed-api",
            weights_available=False,
            deployment=["managed-api"],
            fine_tuning=["none"],
            price_input_per_mtok=Decimal("0.150"),
            price_output_per_mtok=Decimal("0.600"),
            release_date=None,
            context_window=128000,
        ),
        ai_model_build(5, name="Epsilon Draft", slug="epsilon-draft", provider=acme, licence=apache, status="draft"),
    ]
    ai_models = models.AIModel.objects.bulk_create(built)
    scores_create(ai_models, criteria)
    publish()
    return {m.slug: m for m in ai_models}


# --- Home -----------------------------------------------------------------


def test_home_shows_presets_and_the_open_closed_table(client, criteria):
    models.AudiencePreset.objects.create(slug="researchers", name="Researchers", description="People who study.")
    publish()
    response = client.get(reverse("advisor:home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Researchers" in content
    assert "<strong>transparency</strong>" in content  # editors' Markdown, sanitised HTML
    assert reverse("advisor:model-list") in content
    questionnaire = reverse("advisor:questionnaire")
    assert f'href="{questionnaire}?preset=researchers"' in content
    assert f'href="{questionnaire}"' in content


def test_navigation_links_every_catalogue_page(client):
    content = client.get(reverse("advisor:home")).content.decode()
    for name in ("advisor:model-list", "advisor:licence-list", "advisor:criteria"):
        assert f'href="{reverse(name)}"' in content


# --- Model list -----------------------------------------------------------


def test_model_list_shows_published_models_with_a_count(client, mixed_catalogue):
    response = client.get(reverse("advisor:model-list"))
    assert response.status_code == 200
    assert rows_of(response) == ["Alpha Open", "Beta Research", "Delta API", "Gamma API"]
    assert "4 models match." in response.content.decode()
    assert "Epsilon Draft" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"access": "fully-open"}, ["Alpha Open"]),
        ({"access": "closed-api"}, ["Delta API", "Gamma API"]),
        ({"category": "non-commercial"}, ["Beta Research"]),
        ({"commercial": "on"}, ["Alpha Open", "Delta API", "Gamma API"]),
        ({"self_host": "on"}, ["Alpha Open", "Beta Research"]),
        ({"fine_tune": "on"}, ["Alpha Open", "Gamma API"]),
        ({"provider": "vendor-inc"}, ["Delta API", "Gamma API"]),
        ({"modality": "image"}, ["Beta Research", "Gamma API"]),
        ({"modality": "audio"}, ["Gamma API"]),
        ({"language": "ko"}, ["Beta Research", "Gamma API"]),
        ({"language": "ja"}, ["Gamma API"]),
    ],
)
def test_each_filter_narrows_the_list(client, mixed_catalogue, params, expected):
    response = client.get(reverse("advisor:model-list"), params)
    assert response.status_code == 200
    assert rows_of(response) == expected


def test_filters_combine_and_stay_in_the_form(client, mixed_catalogue):
    params = {"commercial": "on", "language": "ko", "modality": "image", "sort": "-release"}
    response = client.get(reverse("advisor:model-list"), params)
    assert rows_of(response) == ["Gamma API"]
    content = response.content.decode()
    assert "1 model matches." in content
    assert re.search(r'<option value="ko" selected>', content)
    assert re.search(r'name="commercial"[^>]*checked', content)


def test_no_match_says_so(client, mixed_catalogue):
    response = client.get(reverse("advisor:model-list"), {"access": "fully-open", "provider": "vendor-inc"})
    assert response.status_code == 200
    assert "No published model matches all these filters." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"access": "bogus"},
        {"sort": "DROP TABLE"},
        {"provider": "nobody"},
        {"language": "<script>"},
        {"category": "x" * 5000},
    ],
)
def test_bad_filter_gives_a_clear_message_not_a_500(client, mixed_catalogue, params):
    response = client.get(reverse("advisor:model-list"), params)
    assert response.status_code == 400
    content = response.content.decode()
    assert "were not understood and are ignored" in content
    assert "Select a valid choice." in content
    assert "<script>" not in content
    assert len(rows_of(response)) == 4  # the other filters still apply; here there are none


def test_a_bad_filter_is_marked_on_its_control_for_sighted_and_screen_reader_users(client, mixed_catalogue):
    response = client.get(reverse("advisor:model-list"), {"access": "bogus", "provider": "vendor-inc"})
    content = response.content.decode()
    access = re.search(r"<select[^>]*name=\"access\"[^>]*>", content).group(0)
    assert 'class="form-select is-invalid"' in access
    assert 'aria-invalid="true"' in access and 'aria-describedby="id_access_error"' in access
    assert re.search(r'id="id_access_error"[^>]*>Select a valid choice', content)
    provider = re.search(r"<select[^>]*name=\"provider\"[^>]*>", content).group(0)
    assert "is-invalid" not in provider and "aria-invalid" not in provider


def test_a_bad_filter_leaves_the_valid_ones_applied(client, mixed_catalogue):
    response = client.get(reverse("advisor:model-list"), {"access": "closed-api", "sort": "nope"})
    assert response.status_code == 400
    assert rows_of(response) == ["Delta API", "Gamma API"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alpha Open", "Beta Research", "Delta API", "Gamma API"]),
        ("-release", ["Gamma API", "Beta Research", "Alpha Open", "Delta API"]),  # unknown date last
        ("release", ["Alpha Open", "Beta Research", "Gamma API", "Delta API"]),
        ("-context", ["Gamma API", "Delta API", "Beta Research", "Alpha Open"]),
        ("price", ["Delta API", "Gamma API", "Alpha Open", "Beta Research"]),  # no price last
    ],
)
def test_sorting(client, mixed_catalogue, sort, expected):
    assert rows_of(client.get(reverse("advisor:model-list"), {"sort": sort})) == expected


def test_prices_show_without_trailing_zeros(client, mixed_catalogue):
    content = client.get(reverse("advisor:model-list"), {"access": "closed-api"}).content.decode()
    assert "0.15 / 0.6" in content
    assert "3 / 15" in content


def test_pagination_keeps_the_filters(client, criteria):
    catalogue_create(120, criteria=criteria)
    publish()
    url = reverse("advisor:model-list")
    first = client.get(url, {"access": "open-weights"})
    assert len(rows_of(first)) == 50
    assert "120 models match." in first.content.decode()
    assert "Page 1 of 3" in first.content.decode()
    assert 'href="?access=open-weights&amp;page=2"' in first.content.decode()
    last = client.get(url, {"access": "open-weights", "page": "3"})
    assert rows_of(last) == [f"Model {i:04d}" for i in range(100, 120)]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999999999999999999999"])
def test_a_bad_page_number_shows_a_page_not_an_error(client, criteria, page):
    catalogue_create(60, criteria=criteria)
    publish()
    response = client.get(reverse("advisor:model-list"), {"page": page})
    assert response.status_code == 200
    assert len(rows_of(response)) in (50, 10)


def test_catalogue_rows_can_be_ticked_for_comparison(client, mixed_catalogue):
    content = client.get(reverse("advisor:model-list")).content.decode()
    assert f'action="{reverse("advisor:compare")}"' in content
    assert 'type="checkbox" class="form-check-input" name="m" value="alpha-open"' in " ".join(content.split())
    assert '<label class="visually-hidden" for="compare-alpha-open">' in content


# --- Model page -----------------------------------------------------------


def test_model_page_shows_facts_scores_sources_and_compare_form(client, mixed_catalogue):
    gamma = mixed_catalogue["gamma-api"]
    models.Source.objects.create(
        ai_model=gamma, url="https://vendor.example/docs", title="Vendor docs", as_of="2025-06"
    )
    publish()
    response = client.get(gamma.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Gamma API · Model Strategy Advisor</title>" in content
    assert f'<a href="{reverse("advisor:licence-detail", args=["vendor-api-terms"])}">Vendor API Terms</a>' in content
    assert "200,000 tokens" in content
    assert "US$3 per million tokens" in content
    assert "Weights: not published" in content
    assert "transparency rationale for gamma-api." in content
    assert content.count('class="score-fill"') == 13
    assert "Vendor docs" in content
    assert "as of 2025-06" in content
    assert '<input type="hidden" name="m" value="gamma-api">' in content
    assert '<option value="alpha-open">Alpha Open</option>' in content
    assert "epsilon-draft" not in content
    assert "Review overdue" not in content


def test_model_page_flags_a_stale_review(client, mixed_catalogue):
    alpha = mixed_catalogue["alpha-open"]
    models.AIModel.objects.filter(pk=alpha.pk).update(
        last_reviewed=datetime.date.today() - datetime.timedelta(days=181)
    )
    publish()
    content = client.get(alpha.get_absolute_url()).content.decode()
    assert "Review overdue: verified more than 180 days ago" in content


def test_a_model_never_verified_says_so_without_claiming_an_age(client, mixed_catalogue):
    alpha = mixed_catalogue["alpha-open"]
    models.AIModel.objects.filter(pk=alpha.pk).update(last_reviewed=None)
    publish()
    content = client.get(alpha.get_absolute_url()).content.decode()
    assert "Facts never verified by an editor." in content and "Review overdue" in content
    assert "180 days" not in content


def test_a_month_only_release_date_shows_as_a_month(client, mixed_catalogue):
    models.AIModel.objects.filter(slug="gamma-api").update(
        release_date=datetime.date(2026, 4, 1), release_date_precision="month"
    )
    publish()
    content = client.get(reverse("advisor:model-detail", args=["gamma-api"])).content.decode()
    assert "April 2026" in content
    assert "April 1" not in content
    listing = client.get(reverse("advisor:model-list")).content.decode()
    assert '<time datetime="2026-04">Apr 2026</time>' in listing
    compare = client.get(reverse("advisor:compare") + "?m=gamma-api&m=alpha-open").content.decode()
    assert "April 2026" in compare


@pytest.mark.parametrize(
    ("lifecycle", "days", "says", "badge"),
    [
        ("deprecated", 400, "Deprecated: shutdown announced for", "Deprecated"),
        ("deprecated", 250, "Deprecated: shutdown within a year, on", "Deprecated"),
        ("deprecated", 30, "Shutting down on", "Shutting down"),
        ("deprecated", -3, "Retired on", "Retired"),  # a past shutdown is never shown as deprecated
        ("retired", -30, "Retired on", "Retired"),
    ],
)
def test_model_page_states_the_lifecycle_and_names_the_replacement(
    client, mixed_catalogue, lifecycle, days, says, badge
):
    shutdown = datetime.date.today() + datetime.timedelta(days=days)
    models.AIModel.objects.filter(slug="gamma-api").update(
        lifecycle=lifecycle,
        shutdown_date=shutdown,
        replacement="delta-api",
        lifecycle_source="Vendor deprecations page",
    )
    publish()
    content = " ".join(client.get(reverse("advisor:model-detail", args=["gamma-api"])).content.decode().split())
    assert says in content
    if days < 0:
        assert "Deprecated:" not in content
    assert 'The vendor names <a href="/models/delta-api/">Delta API</a> as its replacement.' in content
    assert "Lifecycle source: Vendor deprecations page" in content
    listing = client.get(reverse("advisor:model-list")).content.decode()
    assert f'<span class="badge text-bg-warning">{badge}</span>' in listing


def test_a_replacement_outside_the_catalogue_is_named_not_linked(client, mixed_catalogue):
    models.AIModel.objects.filter(slug="gamma-api").update(
        lifecycle="deprecated", shutdown_date=datetime.date(2099, 1, 1), replacement="gamma-next"
    )
    publish()
    content = " ".join(client.get(reverse("advisor:model-detail", args=["gamma-api"])).content.decode().split())
    assert "The vendor names gamma-next as its replacement (not in this catalogue)." in content
    assert 'href="/models/gamma-next/"' not in content


def test_model_page_gives_the_end_of_hosted_fine_tuning(client, mixed_catalogue):
    models.AIModel.objects.filter(slug="gamma-api").update(
        fine_tuning_until=datetime.date(2020, 1, 6), fine_tuning_until_source="Vendor notice"
    )
    publish()
    content = " ".join(client.get(reverse("advisor:model-detail", args=["gamma-api"])).content.decode().split())
    assert "Hosted fine-tuning ended on Jan. 6, 2020: no new jobs can be created." in content
    assert "Fine-tuning source: Vendor notice" in content


def test_draft_is_hidden_from_the_public(client, mixed_catalogue):
    assert client.get(reverse("advisor:model-detail", args=["epsilon-draft"])).status_code == 404


def test_draft_is_visible_to_editors_with_a_warning(editor_client, mixed_catalogue):
    response = editor_client.get(mixed_catalogue["epsilon-draft"].get_absolute_url())
    assert response.status_code == 200
    assert "Draft: only editors can see this page." in response.content.decode()


def test_unknown_model_is_404(client, mixed_catalogue):
    assert client.get(reverse("advisor:model-detail", args=["no-such-model"])).status_code == 404


# --- Licences -------------------------------------------------------------


def test_licence_list_counts_published_models_only(client, mixed_catalogue):
    response = client.get(reverse("advisor:licence-list"))
    assert response.status_code == 200
    content = " ".join(response.content.decode().split())
    assert "Apache License 2.0" in content
    assert "Research Only Licence" in content
    # Alpha is published under Apache; the Epsilon draft is not counted.
    assert re.search(r"Apache License 2\.0</a>.*?<td class=\"text-end\">1</td>", content)


def test_licences_are_listed_by_name_on_every_database(client, mixed_catalogue):
    # Created out of name order, so that insertion order cannot pass for name order.
    licence_create(slug="zz-last", name="Zeta Licence")
    licence_create(slug="aa-first", name="Aardvark Licence")
    publish()
    content = client.get(reverse("advisor:licence-list")).content.decode()
    names = re.findall(r'<a href="/licenses/[^"]+/">([^<]+)</a>', content)
    assert names == sorted(names, key=str.lower) and len(names) >= 4


def test_licence_page_shows_permissions_conditions_and_limitations(client, mixed_catalogue):
    response = client.get(reverse("advisor:licence-detail", args=["apache-2.0"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Approved by the Open Source Initiative" in content
    for text in ("Permissions", "Conditions", "Limitations", "Commercial use", "Modification", "Keep the NOTICE file"):
        assert text in content
    assert "Grants a patent licence." in content
    assert "Alpha Open" in content
    assert "Epsilon Draft" not in content


def test_licence_page_lists_limitations_and_thresholds(client, mixed_catalogue):
    licence_create(
        slug="community-licence",
        name="Community Licence",
        spdx_id="",
        category="open-weights-restricted",
        osi_approved=False,
        commercial_use="conditional",
        thresholds=[
            {"kind": "mau", "value": 700_000_000, "effect": "separate-licence", "note": "Ask the licensor."},
            {"kind": "monthly_revenue_usd", "value": 1_500_000, "effect": "display-duty", "note": ""},
        ],
        excluded_jurisdictions=["EU"],
        jurisdiction_exclusion_multimodal_only=True,
        hosting_barred=True,
    )
    models.Source.objects.create(
        licence=models.Licence.objects.get(slug="community-licence"),
        url="https://example.org/licence",
        title="Licence file at commit abc",
        as_of="2025-04-05",
    )
    publish()
    content = " ".join(
        client.get(reverse("advisor:licence-detail", args=["community-licence"])).content.decode().split()
    )
    assert "<strong>More than 700 million monthly active users</strong>" in content
    assert "Separate licence needed: above it the licence no longer grants the use." in content
    assert "Ask the licensor." in content
    assert "<strong>More than US$1.5 million revenue a month</strong>" in content
    assert "Display duty: the use stays licensed, with a branding duty added." in content
    assert "European Union (multimodal models only)" in content
    assert "No hosted service" in content
    assert "Not approved by the Open Source Initiative" in content
    assert "Licence file at commit abc" in content
    assert "No published model in the catalogue uses this licence." in content
    # use_restrictions left at its default: not verified, and the page says so.
    assert "Not verified: the licence's use policy was not found in a stored source." in content


def test_licence_page_shows_each_use_restriction_with_its_condition(client, mixed_catalogue):
    licence_create(
        slug="policy-licence",
        name="Policy Licence",
        thresholds=None,
        use_restrictions=[
            {
                "use": "medical-advice",
                "rule": "conditional",
                "condition": "a licensed professional reviews the output",
                "clause": "health advice is a high-risk use",
                "source": "Usage Policy, section 4",
            },
            {"use": "military", "rule": "forbidden", "clause": "weapons development", "source": "Usage Policy, 2"},
        ],
    )
    publish()
    content = " ".join(client.get(reverse("advisor:licence-detail", args=["policy-licence"])).content.decode().split())
    assert "Allowed on a condition: a licensed professional reviews the output" in content
    assert "Health advice is a high-risk use" in content
    assert "Usage Policy, section 4" in content
    assert '<span class="badge text-bg-danger">Forbidden</span>' in content
    assert "Weapons development" in content
    # The glance sorts them: forbidden uses limit, conditional ones are conditions.
    assert 'Forbidden uses</span> <span class="d-block small">Military use</span>' in content
    assert 'Uses allowed only under a condition</span> <span class="d-block small">Medical advice' in content
    assert "Not verified: the sources read do not say whether user or revenue thresholds apply." in content


def test_unknown_licence_is_404(client):
    assert client.get(reverse("advisor:licence-detail", args=["nope"])).status_code == 404


# --- Criteria -------------------------------------------------------------


def test_criteria_page_explains_each_criterion_and_its_questions(client, criteria):
    publish()
    response = client.get(reverse("advisor:criteria"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="criterion mb-5"') == 13
    assert 'id="data-privacy"' in content
    assert "<em>data-privacy</em>" in content  # sanitised Markdown of the closed view
    assert "How sensitive is the data the model will see?" in content  # weighs data-privacy


# --- Compare --------------------------------------------------------------


def compare_url(*slugs):
    return reverse("advisor:compare") + "?" + "&".join(f"m={slug}" for slug in slugs)


def test_compare_two_models_marks_differences(client, mixed_catalogue):
    response = client.get(compare_url("gamma-api", "delta-api"))
    assert response.status_code == 200
    content = " ".join(response.content.decode().split())
    assert "<title>Compare: Gamma API · Delta API · Model Strategy Advisor</title>" in content
    # Same provider: no marker; different context windows: highlighted and marked.
    assert '<tr > <th scope="row"> Provider </th>' in content
    assert '<tr class="row-differs"> <th scope="row"> Context window <span class="differs-marker">(differs)</span>' in (
        content
    )
    assert content.count('<rect class="series-0"') == 13 + 1  # 13 bars and the legend swatch
    assert content.count('<rect class="series-1"') == 13 + 1
    assert 'role="img"' in content


def test_compare_keeps_the_order_given(client, mixed_catalogue):
    content = client.get(compare_url("delta-api", "alpha-open", "gamma-api")).content.decode()
    assert content.index(">Delta API</a>") < content.index(">Alpha Open</a>") < content.index(">Gamma API</a>")
    assert "Remove Alpha Open" in content


def test_compare_page_without_models_explains_how_to_pick(client, mixed_catalogue):
    response = client.get(reverse("advisor:compare"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choose models to compare" in content
    assert '<label class="form-label" for="compare-first">First model</label>' in content


@pytest.mark.parametrize(
    ("slugs", "message"),
    [
        (["alpha-open"], "Choose at least 2 models to compare."),
        (["alpha-open", "alpha-open"], "Each model can be compared only once"),
        (["alpha-open", "beta-research", "gamma-api", "delta-api", "model-0099"], "Compare at most 4 models"),
        (["alpha-open", "Not A Slug!"], "Use lowercase letters"),
        (["alpha-open", "x" * 300], "A model identifier is too long."),
    ],
)
def test_compare_bad_parameters_get_a_clear_message(client, mixed_catalogue, slugs, message):
    response = client.get(reverse("advisor:compare"), {"m": slugs})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_compare_unknown_and_draft_models_are_named(client, mixed_catalogue):
    response = client.get(compare_url("alpha-open", "no-such-model", "epsilon-draft"))
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is no published model “no-such-model”." in content
    assert "There is no published model “epsilon-draft”." in content


def test_compare_escapes_what_the_visitor_typed(client, mixed_catalogue):
    response = client.get(reverse("advisor:compare"), {"m": ["alpha-open", "<b>x</b>"]})
    assert response.status_code == 400
    assert "<b>x</b>" not in response.content.decode()


def test_compare_rejects_other_methods(client):
    assert client.post(reverse("advisor:compare")).status_code == 405


# --- Fixed number of queries, whatever the catalogue size -----------------


@pytest.mark.parametrize("size", [1, 50, 500])
def test_every_catalogue_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    models.AudiencePreset.objects.create(slug="researchers", name="Researchers", description="People who study.")
    ai_models = catalogue_create(size)
    provider, licence = ai_models[0].provider, ai_models[0].licence
    if size == 1:
        ai_models += models.AIModel.objects.bulk_create([ai_model_build(9999, provider=provider, licence=licence)])
    publish()
    pages = [
        # The latest version, then its rows: the first page builds the version's catalogue, once per process.
        (reverse("advisor:home"), 2),
        # From then on every page reads the latest version's number only.
        (reverse("advisor:model-list"), 1),
        (reverse("advisor:model-list") + "?self_host=on&language=en&sort=-release&page=2", 1),
        (ai_models[0].get_absolute_url(), 1),
        (reverse("advisor:licence-list"), 1),
        (reverse("advisor:licence-detail", args=[licence.slug]), 1),
        (reverse("advisor:criteria"), 1),
        (compare_url(ai_models[0].slug, ai_models[1].slug), 1),
        (reverse("advisor:compare"), 1),
    ]
    for url, expected in pages:
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200, url
    # Rendered pages come from the cache: the latest version's number only.
    for url in (reverse("advisor:model-list"), compare_url(ai_models[0].slug, ai_models[1].slug)):
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200, url


# --- Seed content -----------------------------------------------------------


def test_every_page_renders_with_the_seed_catalogue(client):
    from django.core.management import call_command

    call_command("loaddata", "catalogue", verbosity=0)
    publish()
    published = list(models.AIModel.objects.published().values_list("slug", flat=True))
    assert published
    urls = [
        reverse(name) for name in ("advisor:home", "advisor:model-list", "advisor:licence-list", "advisor:criteria")
    ]
    urls += [reverse("advisor:model-detail", args=[slug]) for slug in published]
    urls += [
        reverse("advisor:licence-detail", args=[slug]) for slug in models.Licence.objects.values_list("slug", flat=True)
    ]
    urls.append(compare_url(*published[:4]))
    for url in urls:
        assert client.get(url).status_code == 200, url


# --- Freshness that is true -----------------------------------------------------------


def recent(days, precision):
    """An ``as_of`` value ``days`` before today, and how a page writes it."""
    from django.utils import formats, timezone

    date = timezone.localdate() - datetime.timedelta(days=days)
    if precision == "month":
        return date.strftime("%Y-%m"), formats.date_format(date.replace(day=1), "YEAR_MONTH_FORMAT")
    return date.isoformat(), formats.date_format(date)


@pytest.mark.parametrize(
    ("as_of", "confidence", "stale", "low"),
    [
        (("2022-07", "July 2022"), "low", True, True),
        (recent(40, "month"), "high", False, False),
        (recent(10, "day"), "medium", False, False),
        (recent(400, "day"), "high", True, False),
    ],
)
def test_model_and_licence_pages_say_how_old_and_how_sure_their_facts_are(client, as_of, confidence, stale, low):
    as_of, shown = as_of
    (ai_model,) = catalogue_create(1)
    models.Source.objects.filter(ai_model=ai_model).update(as_of=as_of, confidence=confidence)
    models.Source.objects.create(
        licence=ai_model.licence, url="https://example.org/l", title="Text", as_of=as_of, confidence=confidence
    )
    publish()
    for url in (reverse("advisor:model-detail", args=[ai_model.slug]), ai_model.licence.get_absolute_url()):
        page = " ".join(client.get(url).content.decode().split())
        assert f"Facts as of {shown} (source confidence: {confidence.capitalize()})." in page
        assert ("May be out of date" in page) is stale
        assert ("Low confidence" in page) is low
