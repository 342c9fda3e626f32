"""The documented scoring rules, checked without a database."""

import json
from pathlib import Path

import pytest

from advisor import scoring

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "catalogue.json"

PERMISSIVE = {
    "name": "Apache License 2.0",
    "spdx_id": "Apache-2.0",
    "category": "permissive",
    "osi_approved": True,
    "commercial_use": "yes",
    "may_modify": True,
    "may_fine_tune": True,
    "acceptable_use_policy": False,
}
NON_COMMERCIAL = {**PERMISSIVE, "category": "non-commercial", "osi_approved": False, "commercial_use": "no"}
LLAMA_4 = {
    **PERMISSIVE,
    "category": "open-weights-restricted",
    "osi_approved": False,
    "commercial_use": "conditional",
    "acceptable_use_policy": True,
    "thresholds": [{"kind": "mau", "value": 700_000_000, "effect": "separate-licence", "note": ""}],
    "excluded_jurisdictions": ["EU"],
    "use_restrictions": [
        {"use": "military", "rule": "forbidden", "clause": "", "source": ""},
        {"use": "medical-advice", "rule": "conditional", "condition": "licensed practice", "clause": "", "source": ""},
    ],
}
API_TERMS = {
    "name": "Vendor API terms",
    "category": "proprietary-api",
    "commercial_use": "yes",
    "may_modify": False,
    "may_fine_tune": False,
    "acceptable_use_policy": True,
    "prompts_train_by_default": "no",
    "zero_retention_offered": True,
}


def open_model(**overrides):
    facts = {
        "access": "open-weights",
        "weights_available": True,
        "training_code_available": False,
        "training_data_available": False,
        "fine_tuning": ["full", "lora"],
        "deployment": ["self-host", "managed-api"],
        "min_gpu_memory_gb": 16,
        "price_input_per_mtok": None,
        "price_output_per_mtok": None,
        "lifecycle": "active",
        "shutdown_date": None,
        "licence": PERMISSIVE,
    }
    return {**facts, **overrides}


def closed_model(**overrides):
    facts = {
        "access": "closed-api",
        "weights_available": False,
        "training_code_available": False,
        "training_data_available": False,
        "fine_tuning": ["none"],
        "deployment": ["managed-api", "cloud-marketplace"],
        "min_gpu_memory_gb": None,
        "price_input_per_mtok": 3.0,
        "price_output_per_mtok": 15.0,
        "lifecycle": "active",
        "shutdown_date": None,
        "licence": API_TERMS,
    }
    return {**facts, **overrides}


FULLY_OPEN = open_model(training_code_available=True, training_data_available=True, access="fully-open")
SELF_HOST_ONLY_BIG = open_model(deployment=["self-host"], min_gpu_memory_gb=360)


@pytest.mark.parametrize(
    ("facts", "slug", "low", "high"),
    [
        # code accessibility follows what is published
        (closed_model(), "code-access", 0, 2),
        (open_model(), "code-access", 5, 7),
        (FULLY_OPEN, "code-access", 10, 10),
        # a non-commercial licence cannot read as clear for a business
        (open_model(licence=NON_COMMERCIAL), "usage-clarity", 0, 4),
        (open_model(), "usage-clarity", 8, 10),
        (closed_model(), "usage-clarity", 7, 9),
        (open_model(licence=LLAMA_4), "usage-clarity", 3, 5),
        # fine-tuning from the options and the licence
        (closed_model(), "fine-tuning", 0, 2),
        (
            closed_model(fine_tuning=["api-fine-tuning"], licence={**API_TERMS, "may_fine_tune": True}),
            "fine-tuning",
            4,
            6,
        ),
        (open_model(), "fine-tuning", 9, 10),
        (open_model(licence={**PERMISSIVE, "may_fine_tune": False}), "fine-tuning", 0, 2),
        # transparency and security: closed is low, fully open is high
        (closed_model(), "transparency", 0, 2),
        (FULLY_OPEN, "transparency", 10, 10),
        (closed_model(), "security", 0, 4),
        (open_model(), "security", 8, 9),
        # maintenance: the vendor runs closed models; big self-host-only models are heavy
        (closed_model(), "maintenance", 8, 10),
        (SELF_HOST_ONLY_BIG, "maintenance", 0, 3),
        (closed_model(lifecycle="retired"), "maintenance", 0, 1),
        # data privacy: self-hosting keeps prompts in; API terms matter otherwise
        (open_model(), "data-privacy", 9, 10),
        (closed_model(), "data-privacy", 6, 7),
        (
            closed_model(licence={**API_TERMS, "prompts_train_by_default": "yes", "zero_retention_offered": None}),
            "data-privacy",
            0,
            3,
        ),
        # lock-in: closed models tie you to the vendor
        (closed_model(), "lock-in", 0, 3),
        (open_model(), "lock-in", 7, 10),
        (open_model(licence=NON_COMMERCIAL), "lock-in", 0, 5),
        # control: licence restrictions take control away
        (open_model(), "control", 8, 10),
        (open_model(licence=NON_COMMERCIAL), "control", 0, 4),
        (closed_model(), "control", 0, 3),
        # fast development and customisation
        (closed_model(), "fast-development", 7, 8),
        (SELF_HOST_ONLY_BIG, "fast-development", 4, 5),
        (open_model(), "customisation", 8, 9),
        (closed_model(), "customisation", 0, 3),
    ],
)
def test_rule_ranges(facts, slug, low, high):
    value, rationale = scoring.compute_scores(facts)[slug]
    assert low <= value <= high, rationale
    assert rationale.endswith(".")


@pytest.mark.parametrize(
    ("price_in", "price_out", "memory", "expected"),
    [
        (0.10, 0.40, None, 9),  # cheap API
        (8.0, 40.0, None, 3),  # premium API
        (None, None, 16, 9),  # one consumer GPU
        (None, None, 1342, 3),  # a multi-GPU cluster
        (2.5, 10.0, 208, 6),  # both routes: the cheaper one counts
    ],
)
def test_cost_takes_the_cheaper_route(price_in, price_out, memory, expected):
    weights = memory is not None
    facts = open_model(
        weights_available=weights,
        min_gpu_memory_gb=memory,
        price_input_per_mtok=price_in,
        price_output_per_mtok=price_out,
    )
    assert scoring.cost_at_scale(facts)[0] == expected


def test_cost_without_facts_is_a_middle_score_that_says_so():
    value, rationale = scoring.cost_at_scale(closed_model(price_input_per_mtok=None, price_output_per_mtok=None))
    assert value == 5
    assert "No API price" in rationale


def test_deprecated_model_carries_its_shutdown_date_into_maintenance():
    value, rationale = scoring.maintenance(closed_model(lifecycle="deprecated", shutdown_date="2026-12-11"))
    assert value == 6
    assert "2026-12-11" in rationale


def test_only_a_separate_licence_threshold_is_a_gate():
    restricted = {**PERMISSIVE, "category": "open-weights-restricted", "osi_approved": False}
    duty = [{"kind": "mau", "value": 100_000_000, "effect": "display-duty", "note": ""}]
    gate = [{"kind": "maas_group_revenue_12m_usd", "value": 20_000_000, "effect": "separate-licence", "note": ""}]
    for thresholds in ([], None, duty):
        facts = open_model(licence={**restricted, "thresholds": thresholds})
        assert scoring.usage_clarity(facts)[0] == 6
        assert "gate" not in scoring.control(facts)[1]
    gated = open_model(licence={**restricted, "thresholds": duty + gate})
    assert scoring.usage_clarity(gated) == (
        5,
        "The custom vendor licence has a user or revenue threshold above which a separate licence is needed "
        "to check before commercial use.",
    )
    assert scoring.control(gated)[1].endswith("a user or revenue gate.")


def test_only_uses_forbidden_outright_cost_control():
    conditional = [
        {"use": "legal-advice", "rule": "conditional", "condition": "human review", "clause": "", "source": ""}
    ]
    forbidden = [{"use": "other", "rule": "forbidden", "clause": "malware", "source": ""}]
    for restrictions in (None, [], conditional):
        assert scoring.control(open_model(licence={**PERMISSIVE, "use_restrictions": restrictions}))[0] == 9
    value, rationale = scoring.control(open_model(licence={**PERMISSIVE, "use_restrictions": conditional + forbidden}))
    assert value == 8
    assert "forbidden uses" in rationale


def test_every_computed_criterion_is_scored_and_documented():
    scores = scoring.compute_scores(open_model())
    assert set(scores) == set(scoring.COMPUTED)
    assert set(scoring.RULES) == set(scoring.COMPUTED) | set(scoring.EDITORIAL)
    for value, rationale in scores.values():
        assert isinstance(value, int)
        assert scoring.SCORE_MIN <= value <= scoring.SCORE_MAX
        assert 0 < len(rationale) <= 500


def test_a_fact_that_helps_never_lowers_a_score():
    before = scoring.compute_scores(open_model())
    after = scoring.compute_scores(open_model(training_code_available=True, training_data_available=True))
    assert all(after[slug][0] >= before[slug][0] for slug in scoring.COMPUTED)


def test_scoring_module_stays_pure():
    source = Path(scoring.__file__).read_text()
    assert "django" not in source.lower().replace("no django imports", "")


def _fixture_scores():
    rows = json.loads(FIXTURE.read_text())
    licences = {row["pk"]: row["fields"] for row in rows if row["model"] == "advisor.licence"}
    criteria = {row["pk"]: row["fields"]["slug"] for row in rows if row["model"] == "advisor.criterion"}
    ai_models = {row["pk"]: row["fields"] for row in rows if row["model"] == "advisor.aimodel"}
    for row in rows:
        if row["model"] == "advisor.score":
            ai_model = ai_models[row["fields"]["ai_model"]]
            licence = licences[ai_model["licence"]]
            yield ai_model, licence, criteria[row["fields"]["criterion"]], row["fields"]["value"]


def test_seeded_scores_are_defensible():
    for ai_model, licence, slug, value in _fixture_scores():
        if ai_model["access"] == "closed-api" and slug in {"code-access", "transparency", "lock-in"}:
            assert value <= 3, (ai_model["slug"], slug, value)
        if licence["commercial_use"] == "no" and slug == "usage-clarity":
            assert value <= 4, (ai_model["slug"], value)
        if ai_model["access"] == "fully-open" and slug == "code-access":
            assert value == 10, ai_model["slug"]
