"""The recommendation engine, without the database: hand-built snapshots in, results out."""

import json
import random
from pathlib import Path

import pytest

from advisor import engine, questions, scoring
from bench.engine_bench import synthetic_snapshot

ROOT = Path(__file__).resolve().parent.parent

# -- Builders ---------------------------------------------------------------------------------


def licence(**fields):
    values = {
        "slug": "apache-2.0",
        "name": "Apache License 2.0",
        "category": "permissive",
        "osi_approved": True,
        "commercial_use": "yes",
        "may_modify": True,
        "may_redistribute": True,
        "may_fine_tune": True,
        "outputs_may_train_models": "yes",
        "mau_threshold": None,
        "revenue_threshold_usd": None,
        "threshold_effect": "",
        "threshold_hosted_service_only": False,
        "excluded_jurisdictions": [],
        "jurisdiction_exclusion_multimodal_only": False,
        "hosting_barred": False,
        "remote_restriction": False,
        "forbidden_uses": [],
        "acceptable_use_policy": False,
        "attribution_required": True,
        "prompts_train_by_default": "",
        "zero_retention_offered": None,
        "obligations": ["Include the licence text"],
        "url": "https://www.apache.org/licenses/LICENSE-2.0",
    }
    values.update(fields)
    return values


API_TERMS = licence(
    slug="vendor-api-terms",
    name="Vendor API Terms",
    category="proprietary-api",
    osi_approved=False,
    may_modify=False,
    may_redistribute=False,
    may_fine_tune=False,
    outputs_may_train_models="no",
    acceptable_use_policy=True,
    attribution_required=False,
    forbidden_uses=["competing-models"],
    prompts_train_by_default="no",
    zero_retention_offered=True,
    obligations=[],
    url="https://vendor.example/terms",
)


def model(slug, *, name=None, scores=None, value=5, **fields):
    """A snapshot entry: open weights under Apache 2.0 unless fields say otherwise."""
    closed = fields.get("access") == "closed-api"
    values = {
        "slug": slug,
        "name": name or slug.replace("-", " ").title(),
        "provider": "Vendor" if closed else "Lab",
        "provider_country": "",
        "access": "open-weights",
        "release_date": "2025-01-01",
        "parameters": "" if closed else "8B",
        "context_window": 131072,
        "modalities": ["text"],
        "languages": "English, French",
        "language_codes": ["en", "fr"],
        "language_coverage": "listed",
        "weights_available": not closed,
        "training_code_available": False,
        "training_data_available": False,
        "fine_tuning": [] if closed else ["full", "lora"],
        "deployment": ["managed-api", "cloud-marketplace"] if closed else ["self-host", "managed-api"],
        "min_gpu_memory_gb": None if closed else 16,
        "price_input_per_mtok": 1.0 if closed else None,
        "price_output_per_mtok": 4.0 if closed else None,
        "strengths": [],
        "lifecycle": "available",
        "shutdown_date": None,
        "licence": API_TERMS if closed else licence(),
    }
    values.update(fields)
    if scores is None:
        scores = dict.fromkeys(engine.CRITERIA, value)
    values["scores"] = {slug: {"value": v, "rationale": f"{slug} is {v}."} for slug, v in scores.items()}
    return values


def closed_model(slug, **fields):
    return model(slug, access="closed-api", **fields)


def snapshot(*models):
    return {
        "criteria": [{"slug": s, "name": s.title(), "summary": ""} for s in engine.CRITERIA],
        "models": list(models),
    }


def run(answers, *models):
    return engine.recommend(answers, engine.prepare(snapshot(*models))).as_json()


def excluded_rules(result):
    return {entry["slug"]: [reason["rule"] for reason in entry["reasons"]] for entry in result["excluded"]}


def ranked(result):
    return [entry["slug"] for entry in result["ranking"]] + [entry["slug"] for entry in result["also_eligible"]]


def entry_for(result, slug):
    return next(entry for entry in result["ranking"] if entry["slug"] == slug)


def texts(messages):
    return [message["msgid"] % message["params"] for message in messages]


# -- The engine's mirror of the questionnaire -------------------------------------------------


def test_engine_mirror_matches_the_questionnaire():
    assert tuple(question.key for question in questions.QUESTIONS) == engine.QUESTION_KEYS
    assert {
        key: tuple(value) if isinstance(value, list) else value for key, value in questions.default_answers().items()
    } == engine.DEFAULTS
    for question in questions.QUESTIONS:
        assert engine.QUESTION_LABELS[question.key] == str(question.label)
        assert engine.CHOICE_LABELS[question.key] == {value: str(label) for value, label in question.choices}
        assert (question.key in engine.MULTIPLE) == (question.kind == questions.MULTIPLE)


@pytest.mark.parametrize("key", sorted(engine.WEIGHTS))
def test_weights_only_raise_criteria_the_question_says_it_weighs(key):
    question = questions.QUESTIONS_BY_KEY[key]
    assert set(engine.WEIGHTS[key]) == set(question.values)
    raised = {slug for points in engine.WEIGHTS[key].values() for slug in points}
    assert raised <= set(question.weighs)


# -- Hard constraints ------------------------------------------------------------------------

GATED = licence(
    slug="community",
    name="Community Licence",
    category="open-weights-restricted",
    commercial_use="conditional",
    mau_threshold=700_000_000,
    threshold_effect="gate",
)

CONSTRAINTS = [
    # (rule, entry, answers, clause fragment)
    ("retired", model("m", lifecycle="retired", shutdown_date="2026-02-19"), {}, "retired"),
    ("api-only", closed_model("m"), {"deployment": "on-premises"}, "API only"),
    ("api-only", closed_model("m"), {"deployment": "air-gapped"}, "API only"),
    ("api-only", closed_model("m"), {"deployment": "on-device"}, "API only"),
    ("no-self-hosting", model("m", deployment=["managed-api"]), {"deployment": "air-gapped"}, "deployment options"),
    ("no-on-device", model("m", deployment=["self-host"]), {"deployment": "on-device"}, "deployment options"),
    ("not-in-own-cloud", closed_model("m", deployment=["managed-api"]), {"deployment": "own-cloud"}, "managed-api"),
    (
        "non-commercial",
        model("m", licence=licence(name="Research Only", category="non-commercial", commercial_use="no")),
        {"commercial": "yes"},
        "Research Only: commercial use is not granted",
    ),
    ("user-threshold", model("m", licence=GATED), {"users": "over-700m"}, "700 million monthly active users"),
    (
        "user-threshold",
        model(
            "m", licence=licence(mau_threshold=100_000_000, threshold_effect="gate", threshold_hosted_service_only=True)
        ),
        {"users": "100m-700m", "hosted_service": "yes"},
        "offering the model as a service",
    ),
    (
        "revenue-threshold",
        model("m", licence=licence(revenue_threshold_usd=20_000_000, threshold_effect="gate")),
        {"revenue": "20m-240m"},
        "USD 20 million revenue",
    ),
    (
        "jurisdiction",
        model("m", licence=licence(excluded_jurisdictions=["EU"])),
        {"jurisdiction": "EU"},
        "no grant in EU",
    ),
    (
        "jurisdiction",
        model(
            "m",
            modalities=["text", "image"],
            licence=licence(excluded_jurisdictions=["EU"], jurisdiction_exclusion_multimodal_only=True),
        ),
        {"jurisdiction": "EU"},
        "image, audio or video",
    ),
    ("hosting-barred", model("m", licence=licence(hosting_barred=True)), {"hosted_service": "yes"}, "hosted"),
    (
        "outputs-training",
        model("m", licence=licence(outputs_may_train_models="no")),
        {"train_on_outputs": "yes"},
        "outputs may not be used to train",
    ),
    (
        "forbidden-use",
        model("m", licence=licence(forbidden_uses=["military"])),
        {"restricted_uses": ["military"]},
        "forbidden use: Serve military purposes",
    ),
    ("no-fine-tuning", model("m", fine_tuning=["none"]), {"customisation": "fine-tune-required"}, "none recorded"),
    (
        "no-fine-tuning",
        model("m", licence=licence(may_fine_tune=False)),
        {"customisation": "fine-tune-required"},
        "fine-tuning not allowed",
    ),
    (
        "no-fine-tuning",
        model("m", fine_tuning=["api-fine-tuning"], deployment=["self-host", "managed-api"]),
        {"customisation": "fine-tune-required", "deployment": "on-premises"},
        "api-fine-tuning",
    ),
    ("modality", model("m"), {"modalities": ["text", "audio"]}, "input modalities text"),
    ("context", model("m", context_window=8192), {"context": "32k"}, "8,192 tokens"),
    ("language", model("m"), {"languages": ["en", "ko"]}, "English, French"),
]


# A model every constraint above lets through.
ANYWHERE = model(
    "fine",
    name="Fine",
    modalities=["text", "image", "audio", "video"],
    language_coverage="broad",
    deployment=["self-host", "managed-api", "cloud-marketplace", "on-device"],
)


@pytest.mark.parametrize(("rule", "entry", "answers", "clause"), CONSTRAINTS)
def test_constraint_excludes_model_and_says_why_with_the_clause(rule, entry, answers, clause):
    result = run(answers, entry, ANYWHERE)

    excluded = {item["slug"]: item for item in result["excluded"]}
    assert "m" in excluded
    reason = next(reason for reason in excluded["m"]["reasons"] if reason["rule"] == rule)
    assert clause in reason["clause"]
    message = reason["message"]["msgid"] % reason["message"]["params"]
    assert message.endswith(".")
    assert ranked(result) == ["fine"]
    assert result["counts"] == {"considered": 2, "eligible": 1, "excluded": 1}


@pytest.mark.parametrize(
    ("entry", "answers"),
    [
        (closed_model("m"), {"deployment": "own-cloud"}),  # sold on a cloud marketplace
        (model("m", deployment=["self-host"]), {"deployment": "own-cloud"}),
        (model("m", licence=GATED), {"users": "100m-700m"}),  # below the gate
        (
            model(
                "m",
                licence=licence(mau_threshold=100_000_000, threshold_effect="gate", threshold_hosted_service_only=True),
            ),
            {"users": "over-700m"},
        ),
        (model("m", licence=licence(mau_threshold=100_000_000, threshold_effect="duty")), {"users": "over-700m"}),
        (
            model("m", licence=licence(excluded_jurisdictions=["EU"], jurisdiction_exclusion_multimodal_only=True)),
            {"jurisdiction": "EU"},
        ),
        (model("m", licence=licence(outputs_may_train_models="conditional")), {"train_on_outputs": "yes"}),
        (
            closed_model("m", licence=API_TERMS | {"outputs_may_train_models": "conditional"}),
            {"train_on_outputs": "yes"},
        ),
        (
            closed_model("m", fine_tuning=["api-fine-tuning"], licence=API_TERMS | {"may_fine_tune": True}),
            {"customisation": "fine-tune-required"},
        ),
        (model("m", context_window=None), {"context": "1m"}),
        (model("m", language_coverage="broad", language_codes=["fr"]), {"languages": ["en", "ko"]}),
        (model("m", lifecycle="deprecated", shutdown_date="2027-03-01"), {}),
    ],
)
def test_model_is_kept_when_no_constraint_applies(entry, answers):
    result = run(answers, entry)

    assert ranked(result) == ["m"]


def test_deprecated_model_is_kept_with_its_shutdown_date_as_a_caveat():
    result = run({}, model("m", lifecycle="deprecated", shutdown_date="2027-03-01"))

    assert "Deprecated: Lab shuts it down on 2027-03-01, so plan a migration." in texts(
        entry_for(result, "m")["caveats"]
    )


def test_conditional_licence_is_kept_and_its_duties_listed():
    conditional = licence(
        name="Community Licence",
        commercial_use="conditional",
        outputs_may_train_models="conditional",
        acceptable_use_policy=True,
        mau_threshold=100_000_000,
        threshold_effect="duty",
        obligations=['Display "Built with X"'],
    )
    result = run({"train_on_outputs": "yes", "users": "100m-700m"}, model("m", licence=conditional))

    obligations = texts(entry_for(result, "m")["obligations"])
    assert 'Licence duty: Display "Built with X"' in obligations
    assert "Follow the acceptable use policy that comes with Community Licence." in obligations
    assert "Commercial use is allowed only on the conditions set in Community Licence." in obligations
    assert "Above 100 million monthly active users, Community Licence adds duties: check its terms." in obligations
    assert any("Training other models on its outputs is allowed only on the conditions" in o for o in obligations)


def test_gate_the_team_may_still_cross_is_a_caveat():
    result = run({"users": "1m-100m"}, model("m", licence=GATED | {"mau_threshold": 50_000_000}))

    assert "If the product passes 50 million monthly active users, Community Licence requires a separate licence." in (
        texts(entry_for(result, "m")["caveats"])
    )


def test_competing_models_clause_is_an_obligation_for_teams_training_on_outputs_not_an_exclusion():
    terms = API_TERMS | {"outputs_may_train_models": "conditional"}
    result = run({"train_on_outputs": "yes"}, closed_model("m", licence=terms))

    assert "Do not use its outputs to build models that compete with Vendor." in texts(
        entry_for(result, "m")["obligations"]
    )


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        (
            {"prompts_train_by_default": "yes"},
            "Vendor trains on your prompts by default: opt out before sending real data.",
        ),
        (
            {"prompts_train_by_default": "free-tier"},
            "Prompts sent on free or unpaid use may be used for training: use a paid plan.",
        ),
        ({"prompts_train_by_default": "no"}, "Under these terms, Vendor does not train on your prompts by default."),
        ({"zero_retention_offered": True}, "Zero data retention is offered: ask for it before sending sensitive data."),
        (
            {"zero_retention_offered": False},
            "Zero data retention is not offered: the provider keeps prompts for a period.",
        ),
        (
            {"zero_retention_offered": None},
            "The terms recorded here do not say whether zero data retention is offered.",
        ),
        ({"acceptable_use_policy": True}, "Follow the acceptable use policy that comes with Vendor API Terms."),
    ],
)
def test_api_terms_become_obligations(terms, expected):
    result = run({}, closed_model("m", licence=API_TERMS | terms))

    assert expected in texts(entry_for(result, "m")["obligations"])


def test_self_hosted_model_lists_the_gpu_memory_the_team_must_run():
    result = run({"deployment": "on-premises"}, model("m", min_gpu_memory_gb=1350))

    assert "Your team runs it: about 1,350 GB of GPU memory" in texts(entry_for(result, "m")["obligations"])[-1]


def test_unlisted_language_and_unknown_context_are_caveats():
    entry = model("m", language_coverage="unknown", language_codes=[], context_window=None)
    result = run({"languages": ["en", "ko"], "context": "200k"}, entry)

    caveats = texts(entry_for(result, "m")["caveats"])
    assert "Support for English and Korean is not confirmed in its documentation." in caveats
    assert "Its context window is not recorded: check that it holds 200,000 tokens." in caveats


# -- Weights and scores ------------------------------------------------------------------------


def weight_points(result):
    return {row["criterion"]: row["points"] for row in result["weights"]}


@pytest.mark.parametrize(
    ("key", "low", "high", "criterion", "difference"),
    [
        ("mlops", "strong", "none", "maintenance", 4),
        ("transparency", "low", "high", "code-access", 4),
        ("lock_in", "high", "low", "lock-in", 5),
        ("volume", "low", "high", "cost-at-scale", 4),
        ("data_sensitivity", "public", "regulated", "data-privacy", 4),
        ("customisation", "none", "fine-tune-required", "fine-tuning", 5),
    ],
)
def test_answers_shift_weights_as_documented(key, low, high, criterion, difference):
    before = run({key: low}, model("m"))
    after = run({key: high}, model("m"))

    assert weight_points(after)[criterion] - weight_points(before)[criterion] == difference
    assert engine.WEIGHTS[key][high].get(criterion, 0) - engine.WEIGHTS[key][low].get(criterion, 0) == difference
    row = next(row for row in after["weights"] if row["criterion"] == criterion)
    assert row["why"]["params"]["question"] == engine.QUESTION_LABELS[key]
    assert sum(row["weight"] for row in after["weights"]) == pytest.approx(1, abs=0.001)


def test_weights_change_which_model_ranks_first():
    easy = model("easy", scores=dict.fromkeys(engine.CRITERIA, 5) | {"maintenance": 10, "fast-development": 10})
    open_book = model("open-book", scores=dict.fromkeys(engine.CRITERIA, 5) | {"transparency": 10, "code-access": 10})

    assert ranked(run({"mlops": "none", "time_to_market": "weeks"}, easy, open_book))[0] == "easy"
    assert ranked(run({"transparency": "high", "use_case": "research"}, easy, open_book))[0] == "open-book"


def test_score_is_the_weighted_mean_on_a_0_to_100_scale_explained_by_contributions():
    entry = run({}, model("m", value=7))["ranking"][0]

    assert entry["score"] == 70
    assert sum(c["points"] for c in entry["contributions"]) == pytest.approx(70, abs=0.1)
    points = [c["points"] for c in entry["contributions"]]
    assert points == sorted(points, reverse=True)
    assert {c["criterion"] for c in entry["contributions"]} == set(engine.CRITERIA)


def test_missing_score_counts_as_five_with_a_caveat():
    scores = dict.fromkeys(engine.CRITERIA, 10)
    del scores["capability"]
    entry = run({}, model("m", scores=scores))["ranking"][0]

    capability = next(c for c in entry["contributions"] if c["criterion"] == "capability")
    assert capability["value"] == 5
    assert "No score yet for Capability: counted as 5 out of 10." in texts(entry["caveats"])


# -- Determinism and tie-breaking ---------------------------------------------------------------


def test_ties_break_by_name_then_slug():
    models = [model("b-2", name="Beta"), model("z", name="Alpha"), model("b-1", name="Beta")]
    result = run({}, *models)

    assert ranked(result) == ["z", "b-1", "b-2"]
    assert result["tie_break"]["msgid"].startswith("Models with the same score are listed by name")


def test_same_input_gives_the_same_result_whatever_the_snapshot_order():
    models = [model(f"m-{i}", value=i % 4 + 3) for i in range(12)] + [closed_model(f"c-{i}", value=6) for i in range(4)]
    answers = {"mlops": "none", "languages": ["en", "fr"]}
    first = run(answers, *models)
    shuffled = models[:]
    random.Random(3).shuffle(shuffled)

    assert json.dumps(run(answers, *shuffled), sort_keys=True) == json.dumps(first, sort_keys=True)
    assert json.dumps(run(answers, *models), sort_keys=True) == json.dumps(first, sort_keys=True)


def test_only_the_top_ten_get_details_and_the_rest_are_listed_in_order():
    result = run({}, *[model(f"m-{i:02d}", value=i % 11) for i in range(25)])

    assert len(result["ranking"]) == engine.TOP_N
    assert [e["rank"] for e in result["also_eligible"]] == list(range(11, 26))
    scores = [e["score"] for e in result["ranking"]] + [e["score"] for e in result["also_eligible"]]
    assert scores == sorted(scores, reverse=True)


def test_unknown_and_missing_answers_take_the_defaults():
    result = run({"mlops": "lots", "modalities": "text"}, model("m"))

    assert result["answers"] == {key: list(v) if isinstance(v, tuple) else v for key, v in engine.DEFAULTS.items()}


# -- Verdict -----------------------------------------------------------------------------------

OPEN_A = model("open-a", value=7)
OPEN_B = model("open-b", value=6, licence=GATED)
CLOSED_A = closed_model("closed-a", value=6)


def test_only_open_models_eligible_gives_open_with_high_confidence_and_says_why():
    result = run({"deployment": "air-gapped", "mlops": "none"}, OPEN_A, CLOSED_A, closed_model("closed-b"))

    verdict = result["verdict"]
    assert (verdict["kind"], verdict["confidence"]) == ("open", "high")
    assert texts(verdict["reasons"])[0] == (
        "All 2 closed models were ruled out by your constraints, most often: "
        "API only, cannot run where you need it (2)."
    )


def test_no_eligible_model_follows_the_answers_with_low_confidence():
    result = run({"modalities": ["text", "video"], "transparency": "high"}, OPEN_A, CLOSED_A)

    assert (result["verdict"]["kind"], result["verdict"]["confidence"]) == ("open", "low")
    assert result["ranking"] == []


@pytest.mark.parametrize(
    ("answers", "kind"),
    [
        ({"mlops": "none", "time_to_market": "weeks", "lock_in": "high"}, "closed"),
        ({"mlops": "strong", "transparency": "high", "use_case": "research"}, "open"),
        ({"mlops": "none", "time_to_market": "weeks", "lock_in": "low"}, "hybrid"),
        ({"time_to_market": "weeks", "customisation": "fine-tune"}, "hybrid"),
        # Required fine-tuning rules out the closed models, which have no tuning path.
        ({"time_to_market": "weeks", "customisation": "fine-tune-required"}, "open"),
    ],
)
def test_verdict_follows_the_answers(answers, kind):
    result = run(answers, OPEN_A, OPEN_B, CLOSED_A)

    assert result["verdict"]["kind"] == kind
    assert 2 <= len(result["verdict"]["reasons"]) <= 3


def test_hybrid_when_sensitive_workloads_meet_capability_needs_and_the_sides_are_close():
    answers = {"data_sensitivity": "regulated", "use_case": "coding", "mlops": "some", "lock_in": "medium"}
    result = run(answers, model("open-a", value=6), closed_model("closed-a", value=6))

    assert (result["verdict"]["kind"], result["verdict"]["pattern"]) == ("hybrid", "split")


@pytest.mark.parametrize(
    ("margin", "confidence"),
    [(13, "high"), (-12, "high"), (7, "medium"), (-5, "medium"), (4.9, "low"), (-1, "low")],
)
def test_confidence_comes_from_the_margin(margin, confidence):
    answers = engine.normalise({"mlops": "some"})
    # With equal scores the gap is 0, so the margin is the stance.
    stance = margin
    kind, _pattern, got_margin, got = engine._decide(answers, stance, 50.0, 50.0)

    assert got_margin == margin
    assert got == confidence
    assert kind == ("open" if margin > 0 else "closed")


def test_score_gap_is_capped_so_the_situation_decides():
    answers = engine.normalise({})
    assert engine._decide(answers, -7, 100.0, 0.0)[2] == -7 + engine.GAP_CAP
    assert engine._decide(answers, 0, 52.0, 50.0)[2] == 0.5


# -- The ranking follows the verdict ------------------------------------------------------------

OPEN_SIDE = ("open-weights", "fully-open")
PLAN_PART = {True: "For the open part of your plan", False: "For the API part of your plan"}


def assert_ranking_follows_verdict(result):
    """#1 is on the verdict's side; a hybrid shows the best of both sides, each with its part of the plan."""
    kind = result["verdict"]["kind"]
    ranking = result["ranking"]
    assert ranking
    if kind == "open":
        assert ranking[0]["access"] in OPEN_SIDE
    elif kind == "closed":
        assert ranking[0]["access"] == "closed-api"
    else:
        everything = ranking + result["also_eligible"]
        for is_open in (True, False):
            side = [entry for entry in everything if (entry["access"] in OPEN_SIDE) == is_open]
            best = sorted(side, key=lambda entry: -entry["score"])[: engine.HYBRID_SIDE_MIN]
            shown = {entry["slug"] for entry in ranking}
            assert {entry["slug"] for entry in best} <= shown, "the best of each side are in the detailed top"
        for entry in ranking:
            part = texts(entry["reasons"])[0]
            assert part.startswith(PLAN_PART[entry["access"] in OPEN_SIDE])


# Open models win most criteria; the closed ones win what a team without ML-ops needs less of.
STRONG_OPEN = [model(f"open-{i}", value=8) for i in range(12)]
WEAK_CLOSED = [closed_model(f"closed-{i}", value=6 - i) for i in range(3)]
CLOSED_ANSWERS = {"mlops": "none", "time_to_market": "weeks", "lock_in": "high"}


def test_closed_verdict_ranks_closed_models_first_with_a_direction_row():
    result = run(CLOSED_ANSWERS, *STRONG_OPEN, *WEAK_CLOSED)

    assert result["verdict"]["kind"] == "closed"
    assert [entry["slug"] for entry in result["ranking"][:3]] == ["closed-0", "closed-1", "closed-2"]
    assert_ranking_follows_verdict(result)
    top, first_open = result["ranking"][0], entry_for(result, "open-0")
    assert set(top) == set(first_open) == {
        "rank", "slug", "name", "provider", "access", "licence", "score",
        "contributions", "reasons", "obligations", "caveats",
    }  # fmt: skip
    row = next(c for c in top["contributions"] if c["criterion"] == "direction")
    assert (row["name"], row["value"]) == ("Fits the direction of your answers", 10)
    assert row["rationale"] == "A closed API model, the direction your answers point to."
    other = next(c for c in first_open["contributions"] if c["criterion"] == "direction")
    assert (other["value"], other["points"]) == (0, 0)
    assert other["rationale"] == "An open-weights model, while your answers point to closed APIs."
    for entry in (top, first_open):
        assert sum(c["points"] for c in entry["contributions"]) == pytest.approx(entry["score"], abs=0.1)
        assert {c["criterion"] for c in entry["contributions"]} == {*engine.CRITERIA, "direction"}
    weights = {row["criterion"]: row for row in result["weights"]}
    assert weights["direction"]["weight"] == row["weight"]
    assert sum(row["weight"] for row in result["weights"]) == pytest.approx(1, abs=0.001)
    assert json.loads(json.dumps(result)) == result


def test_verdict_is_computed_without_the_direction_row():
    result = run(CLOSED_ANSWERS, *STRONG_OPEN, *WEAK_CLOSED)
    verdict = result["verdict"]

    # Criteria only: the open models score 80 and the best closed one 60, whatever the ranking shows.
    assert (verdict["best_open"]["score"], verdict["best_closed"]["score"]) == (80, 60)
    assert verdict["margin"] == verdict["stance"] + (80 - 60) * engine.GAP_FACTOR
    assert verdict["best_closed"]["rank"] == 1
    assert verdict["best_open"]["rank"] == 4
    assert "On your weighted criteria alone, the best open model" in texts(verdict["reasons"])[-1]


def test_open_verdict_ranks_open_models_first():
    answers = {"mlops": "strong", "transparency": "high", "use_case": "research"}
    closed = [closed_model(f"closed-{i}", value=9) for i in range(3)]
    result = run(answers, model("open-a", value=6), model("open-b", value=5), *closed)

    assert result["verdict"]["kind"] == "open"
    assert [entry["slug"] for entry in result["ranking"][:2]] == ["open-a", "open-b"]
    row = next(c for c in entry_for(result, "closed-0")["contributions"] if c["criterion"] == "direction")
    assert row["rationale"] == "A closed API model, while your answers point to open models."


@pytest.mark.parametrize(("stance", "percent"), [(-1, 4), (-2, 8), (-5, 20), (-10, 40), (-15, 40), (-30, 40)])
def test_direction_share_grows_with_the_stance_up_to_a_cap(stance, percent):
    total = 45
    points = engine._direction_points("closed", "closed", stance, total)

    assert points / (total + points) == pytest.approx(percent / 100, abs=0.012)
    assert points / (total + points) >= percent / 100


@pytest.mark.parametrize(
    ("kind", "pattern", "stance"),
    [
        ("closed", "closed", 0),
        ("closed", "closed", 3),  # the score gap, not the stance, made it closed
        ("open", "open", -4),
        ("hybrid", "start-closed", -9),
        ("closed", "one-side", -20),  # every eligible model is closed anyway
        ("open", "none", 10),
    ],
)
def test_no_direction_row_without_a_stance_towards_a_contested_verdict(kind, pattern, stance):
    assert engine._direction_points(kind, pattern, stance, 40) == 0


def test_only_one_side_eligible_keeps_the_plain_scores():
    result = run({"deployment": "air-gapped", "mlops": "none"}, OPEN_A, CLOSED_A)

    assert result["ranking"][0]["score"] == 70
    assert "direction" not in {c["criterion"] for c in result["ranking"][0]["contributions"]}
    assert "direction" not in {row["criterion"] for row in result["weights"]}


def test_hybrid_shows_the_best_two_of_each_side_with_their_part_of_the_plan():
    answers = {"mlops": "none", "time_to_market": "weeks", "lock_in": "low"}
    result = run(answers, *STRONG_OPEN, *WEAK_CLOSED)

    assert (result["verdict"]["kind"], result["verdict"]["pattern"]) == ("hybrid", "start-closed")
    slugs = [entry["slug"] for entry in result["ranking"]]
    assert len(slugs) == engine.TOP_N
    assert slugs[-2:] == ["closed-0", "closed-1"]
    assert "direction" not in {c["criterion"] for c in result["ranking"][0]["contributions"]}
    assert texts(entry_for(result, "closed-0")["reasons"])[0] == (
        "For the API part of your plan: a closed API to start on now."
    )
    assert texts(result["ranking"][0]["reasons"])[0].startswith("For the open part of your plan")
    assert [entry["rank"] for entry in result["also_eligible"]] == list(range(11, 16))
    assert_ranking_follows_verdict(result)


# -- What would change it ---------------------------------------------------------------------

WHAT_IF_ANSWERS = [
    {"mlops": "none", "time_to_market": "weeks", "lock_in": "high"},
    {"mlops": "strong", "transparency": "high", "use_case": "research"},
    {"mlops": "none", "time_to_market": "weeks", "lock_in": "low"},
    {"deployment": "on-premises"},
    {},
]


@pytest.mark.parametrize("answers", WHAT_IF_ANSWERS)
def test_what_would_change_names_answers_that_really_flip_the_verdict(answers):
    catalogue = engine.prepare(snapshot(OPEN_A, OPEN_B, CLOSED_A, closed_model("closed-b", value=8)))
    result = engine.recommend(answers, catalogue).as_json()

    changes = result["verdict"]["what_would_change"]
    assert len(changes) <= 2
    if abs(result["verdict"]["margin"]) < engine.CONFIDENCE_HIGH:
        assert changes, "a verdict this close has an answer that flips it"
    assert len({change["question"] for change in changes}) == len(changes)
    for change in changes:
        rerun = engine.recommend(answers | {change["question"]: change["answer"]}, catalogue).as_json()
        assert rerun["verdict"]["kind"] == change["verdict"] != result["verdict"]["kind"]
        assert change["verdict"] in change["message"]["msgid"]


@pytest.mark.parametrize("answers", WHAT_IF_ANSWERS)
def test_top_pick_change_names_answers_that_really_change_the_top_pick(answers):
    catalogue = engine.prepare(snapshot(OPEN_A, OPEN_B, CLOSED_A, closed_model("closed-b", value=8)))
    result = engine.recommend(answers, catalogue).as_json()

    for change in result["top_pick_change"]:
        rerun = engine.recommend(answers | {change["question"]: change["answer"]}, catalogue).as_json()
        assert rerun["ranking"][0]["slug"] == change["slug"] != result["ranking"][0]["slug"]


def random_answers(rng):
    answers = {}
    for key in engine.QUESTION_KEYS:
        choices = engine.CHOICES[key]
        if key in engine.MULTIPLE:
            chosen = [c for c in choices if rng.random() < 0.2]
            answers[key] = chosen or ([] if key == "restricted_uses" else [choices[0]])
        else:
            answers[key] = rng.choice(choices)
    return answers


def test_fast_what_if_matches_re_running_the_whole_engine(monkeypatch):
    """The shortcut re-runs agree with brute force on every single-answer change."""
    captured = []
    real = engine._what_if

    def spy(*args):
        captured.append(real(*args))
        return captured[-1]

    monkeypatch.setattr(engine, "_what_if", spy)
    catalogue = engine.prepare(synthetic_snapshot(120, seed=7))
    rng = random.Random(11)
    # Random answers rarely give a contested open or closed verdict; the presets do (a direction row).
    answer_sets = [random_answers(rng) for _ in range(6)] + [preset["answers"] for preset in PRESETS.values()]
    directions = 0
    for answers in map(engine.normalise, answer_sets):
        base = engine.recommend(answers, catalogue, what_if=False)
        directions += any(row["criterion"] == "direction" for row in base.weights)
        state_kind = base.verdict["kind"]
        top = base.ranking[0]["slug"] if base.ranking else None
        expected_verdicts, expected_tops = set(), set()
        for key, value, _label, _form, _distance in engine._alternatives(answers):
            rerun = engine.recommend(answers | {key: value}, catalogue, what_if=False)
            if rerun.verdict["kind"] != state_kind:
                expected_verdicts.add((key, value))
            new_top = rerun.ranking[0]["slug"] if rerun.ranking else None
            if top and new_top and new_top != top:
                expected_tops.add((key, value))
        engine.recommend(answers, catalogue)
        flips = captured[-1]
        assert {(flip[2], flip[3]) for flip in flips[0]} == expected_verdicts
        assert {(flip[1], flip[2]) for flip in flips[1]} == expected_tops
    assert directions >= 2


# -- Messages ------------------------------------------------------------------------------------


def all_messages(value):
    if isinstance(value, dict):
        if "msgid" in value:
            yield value
        for item in value.values():
            yield from all_messages(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_messages(item)


def test_result_is_json_and_every_message_renders_with_plain_params():
    answers = {"train_on_outputs": "yes", "users": "100m-700m", "deployment": "own-cloud", "languages": ["en", "ko"]}
    models = [OPEN_A, OPEN_B, CLOSED_A, model("m", lifecycle="retired"), closed_model("c", deployment=["managed-api"])]
    result = run(answers, *models)

    assert json.loads(json.dumps(result)) == result
    messages = list(all_messages(result))
    assert len(messages) > 20
    for message in messages:
        assert all(isinstance(v, (str, int, float)) for v in message["params"].values())
        assert message["msgid"] % message["params"]


# -- Audience presets -----------------------------------------------------------------------------


def representative_catalogue():
    """A few open models under various licences and a few closed API models, scored by advisor.scoring."""
    llama = licence(
        slug="llama-3.1-community",
        name="Llama 3.1 Community License Agreement",
        category="open-weights-restricted",
        osi_approved=False,
        commercial_use="conditional",
        outputs_may_train_models="conditional",
        mau_threshold=700_000_000,
        threshold_effect="gate",
        acceptable_use_policy=True,
        obligations=['Display "Built with Llama"'],
    )
    non_commercial = licence(slug="cc-by-nc-4.0", name="CC BY-NC 4.0", category="non-commercial", commercial_use="no")
    entries = [
        model(
            "llama-3.1-70b",
            licence=llama,
            min_gpu_memory_gb=140,
            deployment=["self-host", "managed-api", "cloud-marketplace"],
        ),
        model("qwen3-30b", min_gpu_memory_gb=61, deployment=["self-host", "managed-api", "on-device"]),
        model(
            "olmo-2-32b",
            access="fully-open",
            training_code_available=True,
            training_data_available=True,
            min_gpu_memory_gb=64,
            deployment=["self-host"],
            context_window=4096,
        ),
        model("command-r", licence=non_commercial, fine_tuning=["lora", "api-fine-tuning"]),
        closed_model(
            "gpt-x",
            fine_tuning=["api-fine-tuning"],
            licence=API_TERMS | {"may_fine_tune": True, "outputs_may_train_models": "conditional"},
        ),
        closed_model("claude-y", context_window=1_000_000, modalities=["text", "image"]),
        closed_model("gemini-z", lifecycle="deprecated", shutdown_date="2027-02-01", context_window=1_048_576),
    ]
    capability = {
        "llama-3.1-70b": 6,
        "qwen3-30b": 6,
        "olmo-2-32b": 4,
        "command-r": 6,
        "gpt-x": 9,
        "claude-y": 9,
        "gemini-z": 8,
    }
    for entry in entries:
        computed = scoring.compute_scores(entry)
        entry["scores"] = {slug: {"value": v, "rationale": r} for slug, (v, r) in computed.items()}
        entry["scores"]["capability"] = {"value": capability[entry["slug"]], "rationale": "Editorial."}
    return engine.prepare(snapshot(*entries))


PRESETS = {
    preset["fields"]["slug"]: preset["fields"]
    for preset in json.loads((ROOT / "fixtures" / "presets.json").read_text())
}
EXPECTED = {"researchers": "open", "enterprise-it": "closed", "startups": "closed", "educators": "open"}


def test_presets_fixture_holds_the_four_audiences_with_valid_answers():
    assert set(PRESETS) == set(EXPECTED)
    assert sorted(p["position"] for p in PRESETS.values()) == [1, 2, 3, 4]
    for preset in PRESETS.values():
        assert preset["name"] and preset["description"].count(".") >= 2
        assert set(preset["answers"]) == set(engine.QUESTION_KEYS)
        assert engine.normalise(preset["answers"]) == {
            key: tuple(v) if isinstance(v, list) else v for key, v in preset["answers"].items()
        }


@pytest.mark.parametrize(("slug", "kind"), EXPECTED.items())
def test_preset_gets_the_articles_verdict(slug, kind):
    result = engine.recommend(PRESETS[slug]["answers"], representative_catalogue()).as_json()

    assert result["verdict"]["kind"] == kind
    assert result["ranking"]


PRESET_CASES = [*EXPECTED, "startups-hybrid"]


def preset_answers(slug):
    if slug == "startups-hybrid":
        return PRESETS["startups"]["answers"] | {"lock_in": "low", "customisation": "fine-tune"}
    return PRESETS[slug]["answers"]


@pytest.mark.parametrize("slug", PRESET_CASES)
@pytest.mark.parametrize("catalogue", ["representative", "synthetic"])
def test_preset_ranking_starts_on_the_verdicts_side(slug, catalogue):
    prepared = representative_catalogue() if catalogue == "representative" else synthetic_catalogue()
    result = engine.recommend(preset_answers(slug), prepared).as_json()

    if catalogue == "representative":
        assert result["verdict"]["kind"] == EXPECTED.get(slug, "hybrid")
    assert_ranking_follows_verdict(result)


_SYNTHETIC = []


def synthetic_catalogue():
    if not _SYNTHETIC:
        _SYNTHETIC.append(engine.prepare(synthetic_snapshot(500, seed=5)))
    return _SYNTHETIC[0]


def test_startups_wanting_independence_and_fine_tuning_go_hybrid():
    answers = PRESETS["startups"]["answers"] | {"lock_in": "low", "customisation": "fine-tune"}

    result = engine.recommend(answers, representative_catalogue()).as_json()

    assert (result["verdict"]["kind"], result["verdict"]["pattern"]) == ("hybrid", "start-closed")
