"""The engine's rules on small, hand-made catalogues: each test states a fact and what a team sees."""

import datetime
import json

import pytest

from advisor import engine, scoring
from advisor.engine import lifecycle, questions
from tests.conftest import complete_answers

TODAY = datetime.date(2026, 12, 2)

APACHE = {
    "slug": "apache-2.0",
    "name": "Apache License 2.0",
    "category": "permissive",
    "commercial_use": "yes",
    "may_fine_tune": True,
    "outputs_may_train_models": "yes",
    "thresholds": [],
    "use_restrictions": [],
}
API_TERMS = {
    "slug": "vendor-terms",
    "name": "Vendor API Terms",
    "category": "proprietary-api",
    "commercial_use": "yes",
    "may_fine_tune": True,
    "outputs_may_train_models": "no",
    "thresholds": [],
    "use_restrictions": [
        {
            "use": "medical-advice",
            "rule": "conditional",
            "condition": "a licensed professional is involved",
            "clause": "tailored medical advice",
        },
        {"use": "military", "rule": "forbidden", "clause": "weapons development"},
    ],
    "prompts_train_by_default": "no",
    "zero_retention_offered": True,
}
GATED = {
    "slug": "community",
    "name": "Community Licence",
    "category": "open-weights-restricted",
    "commercial_use": "conditional",
    "may_fine_tune": True,
    "outputs_may_train_models": "conditional",
    "thresholds": [
        {"kind": "mau", "value": 700_000_000, "effect": "separate-licence", "note": "ask the licensor"},
        {"kind": "mau", "value": 100_000_000, "effect": "display-duty", "note": "show the model's name"},
    ],
    "use_restrictions": [],
}


def model(slug, *, access="open-weights", licence=APACHE, capability=6, **facts):
    closed = access == "closed-api"
    entry = {
        "slug": slug,
        "name": facts.pop("name", slug.replace("-", " ").title()),
        "provider": facts.pop("provider", "Acme"),
        "access": access,
        "parameters": None if closed else "8B",
        "context_window": 131_072,
        "modalities": ["text"],
        "languages": "English",
        "language_codes": ["en"],
        "language_coverage": "broad",
        "weights_available": not closed,
        "training_code_available": False,
        "training_data_available": False,
        "fine_tuning": ["api-fine-tuning"] if closed else ["full", "lora"],
        "deployment": ["managed-api", "cloud-marketplace"] if closed else ["self-host", "managed-api"],
        "min_gpu_memory_gb": None,
        "price_input_per_mtok": 1.0 if closed else None,
        "price_output_per_mtok": 4.0 if closed else None,
        "lifecycle": "active" if closed else None,
        "shutdown_date": None,
        "replacement": None,
        "fine_tuning_until": None,
        "licence": licence,
        "scores": {slug: {"value": 5, "rationale": "stored"} for slug in scoring.CRITERIA},
    }
    entry["scores"]["capability"] = {"value": capability, "rationale": "editorial"}
    entry.update(facts)
    return entry


def catalogue(*entries, today=TODAY):
    snapshot = {"criteria": [{"slug": slug, "name": slug.title()} for slug in scoring.CRITERIA], "models": entries}
    return engine.prepare(snapshot, today=today)


def run(prepared, **overrides):
    return engine.recommend(complete_answers(**overrides), prepared).as_json()


def excluded_rules(result):
    return {item["slug"]: [reason["rule"] for reason in item["reasons"]] for item in result["excluded"]}


def texts(messages):
    return [m["msgid"] % m["params"] for m in messages]


def entry(result, slug):
    return next(item for item in result["ranking"] if item["slug"] == slug)


# -- No answer is assumed ---------------------------------------------------------------


def test_a_missing_answer_is_an_error_never_a_default():
    answers = complete_answers()
    del answers["jurisdiction"]

    with pytest.raises(engine.InvalidAnswers) as raised:
        engine.recommend(answers, catalogue(model("a")))

    assert raised.value.errors == {"jurisdiction": "required"}


def test_not_sure_is_offered_only_where_a_team_cannot_know_yet():
    assert questions.NOT_SURE in questions.BY_KEY["users"].values
    assert questions.NOT_SURE in questions.BY_KEY["revenue"].values
    with pytest.raises(engine.InvalidAnswers) as raised:
        questions.check(complete_answers(jurisdiction=questions.NOT_SURE))
    assert raised.value.errors == {"jurisdiction": "invalid-choice"}


def test_on_device_needs_a_device_answer():
    with pytest.raises(engine.InvalidAnswers) as raised:
        questions.check(complete_answers(deployment="on-device", hardware="gpu-80"))
    assert raised.value.errors == {"hardware": "device-needed"}


# -- Shutdown dates are dates -----------------------------------------------------------------


def test_lifecycle_status_reads_the_date_against_today():
    assert lifecycle.lifecycle_status("2026-12-01", "deprecated", TODAY) == lifecycle.RETIRED
    assert lifecycle.lifecycle_status("2026-12-11", "deprecated", TODAY) == lifecycle.SHUTTING_DOWN
    assert lifecycle.lifecycle_status("2027-09-01", "deprecated", TODAY) == lifecycle.SHUTDOWN_SOON
    assert lifecycle.lifecycle_status("2028-06-01", "deprecated", TODAY) == lifecycle.DEPRECATED
    assert lifecycle.lifecycle_status(None, None, TODAY) == lifecycle.ACTIVE


def test_a_model_past_its_shutdown_date_is_retired_the_day_after():
    gone = model("gone", access="closed-api", licence=API_TERMS, lifecycle="deprecated", shutdown_date="2026-12-01")
    prepared_before = catalogue(gone, model("open"), today=datetime.date(2026, 11, 30))
    prepared_after = catalogue(gone, model("open"), today=TODAY)

    assert excluded_rules(run(prepared_before)).get("gone") == ["shutting-down"]
    after = run(prepared_after)
    assert excluded_rules(after)["gone"] == ["retired"]
    assert after["today"] == "2026-12-02"


def test_shutting_down_within_six_months_names_date_and_replacement():
    soon = model(
        "soon",
        access="closed-api",
        licence=API_TERMS,
        lifecycle="deprecated",
        shutdown_date="2027-01-14",
        replacement="next-model",
    )
    result = run(catalogue(soon, model("open")))

    (reason,) = next(item["reasons"] for item in result["excluded"] if item["slug"] == "soon")
    assert reason["rule"] == "shutting-down"
    assert "January 14, 2027" in texts([reason["message"]])[0]
    assert "next-model" in texts([reason["message"]])[0]


def test_shutting_down_within_a_year_is_a_caveat_on_the_model():
    later = model("later", access="closed-api", licence=API_TERMS, lifecycle="deprecated", shutdown_date="2027-08-01")
    result = run(catalogue(later), mlops="none")

    assert any("August 1, 2027" in text for text in texts(entry(result, "later")["caveats"]))


# -- Hardware ----------------------------------------------------------------------------------


def test_a_model_too_large_even_at_4_bit_is_excluded_with_both_figures():
    huge = model("huge", parameters="MoE 400B total / 17B active", deployment=["self-host"])
    result = run(catalogue(huge, model("small")), deployment="on-premises", hardware="gpu-80")

    (reason,) = next(item["reasons"] for item in result["excluded"] if item["slug"] == "huge")
    assert reason["rule"] == "too-large"
    message = texts([reason["message"]])[0]
    assert (
        "240 GB to run even at 4-bit" in message
        and "its weights plus 20 % for the cache" in message
        and "960 GB at 16-bit" in message
        and "80 GB" in message
    )


def test_a_model_that_fits_only_quantised_says_so():
    mid = model("mid", parameters="70B", deployment=["self-host"])
    result = run(catalogue(mid), deployment="on-premises", hardware="gpu-80")

    pick = entry(result, "mid")
    assert pick["route"]["kind"] == "self" and pick["route"]["precision"] == "4-bit"
    assert any("4-bit" in text for text in texts(pick["caveats"]))
    # 70B at 16-bit: 140 GB of weights, plus the 20 % the route's fit names.
    assert texts([pick["route"]["fit"]]) == [
        "needs about 168 GB to run at 16-bit (its weights plus 20 % for the cache and runtime), more than your "
        "hardware holds; fits only quantised to 4-bit (about 42 GB), which costs some quality"
    ]


def test_on_device_never_proposes_a_model_above_the_device_budget():
    phone_sized = model("tiny", parameters="3.8B", deployment=["self-host", "on-device"])
    too_big = model("big", parameters="24B", deployment=["self-host", "on-device"])
    result = run(catalogue(phone_sized, too_big), deployment="on-device", hardware="phone")

    assert [item["slug"] for item in result["ranking"]] == ["tiny"]
    assert excluded_rules(result)["big"] == ["too-large"]


def test_no_hardware_and_no_hosted_provider_rules_an_open_model_out():
    self_only = model("self-only", deployment=["self-host"])
    result = run(catalogue(self_only, model("hosted")), hardware="none")

    assert excluded_rules(result)["self-only"] == ["no-hardware"]


# -- Scores follow the deployment ---------------------------------------------------------------


def test_route_dependent_criteria_are_scored_for_the_route_taken():
    both = model("both")
    hosted = run(catalogue(both), hardware="none")
    own = run(catalogue(both), deployment="on-premises", hardware="gpu-24")

    def row(result, criterion):
        return next(c for c in entry(result, "both")["contributions"] if c["criterion"] == criterion)

    assert entry(hosted, "both")["route"]["kind"] == "hosted"
    assert entry(own, "both")["route"]["kind"] == "self"
    assert row(hosted, "data-privacy")["value"] < row(own, "data-privacy")["value"]
    assert "hosted provider" in texts([row(hosted, "maintenance")["rationale"]])[0]
    assert "your own hardware" in texts([row(own, "maintenance")["rationale"]])[0]


@pytest.mark.parametrize(
    ("answers", "route"),
    [
        ({"hardware": "none"}, "hosted"),
        ({"deployment": "own-cloud", "hardware": "none"}, "hosted"),  # a cloud marketplace
        ({"deployment": "on-premises", "hardware": "gpu-24"}, "self"),
        ({"deployment": "on-device", "hardware": "laptop"}, "device"),
        ({"languages": ["en", "ko"], "hardware": "none"}, "hosted"),  # the language row
        ({"languages": ["ko"], "hardware": "none"}, "hosted"),
    ],
)
def test_every_score_rationale_is_a_message_the_reader_gets_in_their_language(answers, route):
    small = model("small", parameters="3B", deployment=["self-host", "cloud-marketplace", "managed-api", "on-device"])
    unscored = model("unscored", parameters=None, deployment=["self-host", "cloud-marketplace", "managed-api"])
    del unscored["scores"]["security"]
    result = run(catalogue(small, unscored), **answers)

    assert entry(result, "small")["route"]["kind"] == route
    rows = [row for item in result["ranking"] for row in item["contributions"]]
    for row in rows:
        assert set(row["rationale"]) == {"msgid", "params"}, row
        assert all(isinstance(value, (str, int, float)) for value in row["rationale"]["params"].values())
        assert texts([row["rationale"]])[0].strip()  # the English text reads as before
    if "ko" in answers.get("languages", ()):
        assert any(row["criterion"] == "languages" for row in rows)


def test_an_editor_override_is_the_value_on_every_route():
    overridden = model("both")
    overridden["scores"]["maintenance"] = {
        "value": 2,
        "rationale": "Editor: the weights need a patched runtime.",
        "override": True,
    }
    hosted = run(catalogue(overridden), hardware="none")
    own = run(catalogue(overridden), deployment="on-premises", hardware="gpu-24")

    for result, kind in ((hosted, "hosted"), (own, "self")):
        assert entry(result, "both")["route"]["kind"] == kind
        row = next(c for c in entry(result, "both")["contributions"] if c["criterion"] == "maintenance")
        assert (row["value"], texts([row["rationale"]])) == (2, ["Editor: the weights need a patched runtime."])


# -- Requirements are requirements ----------------------------------------------------------------


def test_must_inspect_weights_rules_closed_models_out_and_the_verdict_says_so():
    result = run(
        catalogue(model("open"), model("api", access="closed-api", licence=API_TERMS)),
        transparency="weights",
        mlops="none",
    )

    assert excluded_rules(result)["api"] == ["inspect"]
    assert result["verdict"]["kind"] == "open"
    assert result["verdict"]["forced"] is not None
    assert "does not publish what you must inspect" in texts([result["verdict"]["forced"]])[0]


def test_inspecting_training_code_needs_a_model_that_publishes_it():
    result = run(
        catalogue(model("weights-only"), model("with-code", training_code_available=True)),
        transparency="weights-code",
    )

    assert excluded_rules(result)["weights-only"] == ["inspect"]
    assert [item["slug"] for item in result["ranking"]] == ["with-code"]


def test_documented_languages_rank_above_unconfirmed_ones_by_a_shown_contribution():
    documented = model("documented", language_codes=["en", "ko"], capability=5)
    vague = model("vague", capability=7)
    result = run(catalogue(documented, vague), languages=["en", "ko"])

    assert [item["slug"] for item in result["ranking"]] == ["documented", "vague"]
    row = next(c for c in entry(result, "documented")["contributions"] if c["criterion"] == "languages")
    assert row["value"] == 10 and row["points"] > 0
    assert any("Korean" in text for text in texts(entry(result, "vague")["caveats"]))


def test_a_hosted_tuning_service_that_ends_before_shipping_is_no_fine_tuning_route():
    ending = model("ending", access="closed-api", licence=API_TERMS, fine_tuning_until="2027-03-01")
    result = run(catalogue(ending, model("open")), customisation="fine-tune-required", time_to_market="months")
    soon = run(catalogue(ending, model("open")), customisation="fine-tune-required", time_to_market="weeks")

    assert excluded_rules(result)["ending"] == ["no-fine-tuning"]
    assert "ending" not in excluded_rules(soon)


# -- Licence terms, structured ----------------------------------------------------------------------


def test_not_sure_users_flags_a_gate_to_check_before_launch_instead_of_passing_it():
    gated = model("gated", licence=GATED)
    unsure = run(catalogue(gated), users="not-sure")
    above = run(catalogue(gated, model("other")), users="over-700m")

    assert any(text.startswith("Check before launch") for text in texts(entry(unsure, "gated")["caveats"]))
    assert excluded_rules(above)["gated"] == ["user-threshold"]


def test_a_display_duty_is_a_duty_not_an_exclusion():
    result = run(catalogue(model("gated", licence=GATED)), users="100m-700m")

    assert "gated" not in excluded_rules(result)
    assert any("show the model's name" in text for text in texts(entry(result, "gated")["obligations"]))


def test_a_forbidden_use_excludes_and_a_conditional_one_attaches_its_condition():
    api = model("api", access="closed-api", licence=API_TERMS)
    forbidden = run(catalogue(api, model("open")), restricted_uses=["military"])
    conditional = run(catalogue(api), restricted_uses=["medical-advice"], mlops="none")

    assert excluded_rules(forbidden)["api"] == ["forbidden-use"]
    assert any("a licensed professional is involved" in t for t in texts(entry(conditional, "api")["obligations"]))


# -- Capability and honest ranking ------------------------------------------------------------------


def test_quality_critical_never_picks_a_weak_model_while_a_strong_one_fits():
    weak = model("weak", capability=4, scores_boost=None)
    strong = model("strong", capability=9)
    for criterion in ("cost-at-scale", "maintenance", "lock-in", "control"):
        weak["scores"][criterion] = {"value": 10, "rationale": "cheap and easy"}
    result = run(catalogue(weak, strong), quality="critical", use_case="extraction")

    assert [pick["slug"] for pick in result["picks"]] == ["strong"]
    assert [item["slug"] for item in result["below_bar"]] == ["weak"]


def test_capability_weight_grows_with_the_demands_of_the_work():
    prepared = catalogue(model("a"))

    def share(**answers):
        return next(w["weight"] for w in run(prepared, **answers)["weights"] if w["criterion"] == "capability")

    assert share(use_case="extraction", quality="adequate") < 0.12
    assert share(use_case="agents", quality="critical") > 0.25


def test_picks_follow_the_verdict_one_per_side():
    prepared = catalogue(model("open"), model("api", access="closed-api", licence=API_TERMS))
    result = run(prepared, mlops="none", time_to_market="weeks", budget="pay-per-use")

    assert result["verdict"]["kind"] == "closed"
    assert [(pick["role"], pick["slug"]) for pick in result["picks"]] == [("start", "api"), ("alternative", "open")]
    assert all(row["criterion"] != "direction" for item in result["ranking"] for row in item["contributions"])


def test_models_within_the_margin_share_a_tier():
    a = model("a", capability=6)
    b = model("b", capability=7)
    c = model("c", capability=0)
    for criterion in scoring.CRITERIA:
        c["scores"][criterion] = {"value": 0, "rationale": "poor"}
    result = run(catalogue(a, b, c))

    tiers = {item["slug"]: item["tier"] for item in result["ranking"]}
    assert tiers["a"] == tiers["b"] == 1 and tiers["c"] > 1


def test_no_eligible_model_gives_no_side_and_the_fewest_changes_that_admit_models():
    on_device_short = model("short", parameters="3.8B", deployment=["on-device"], context_window=8_000)
    api = model("api", access="closed-api", licence=API_TERMS, context_window=1_000_000)
    prepared = catalogue(on_device_short, api)
    answers = {"deployment": "on-device", "hardware": "phone", "context": "1m"}
    result = run(prepared, **answers)

    assert result["verdict"]["kind"] == "none" and result["picks"] == []
    assert result["verdict"]["what_would_change"] == []
    assert result["admit"]
    for option in result["admit"]:
        changed = {**answers, **{c["question"]: c["answer"] for c in option["changes"]}}
        assert run(prepared, **changed)["ranking"], option


def test_what_would_change_never_offers_a_change_that_leaves_nothing_eligible():
    only_en = model("only-en", language_coverage="listed")
    prepared = catalogue(only_en, model("api", access="closed-api", licence=API_TERMS, language_coverage="listed"))
    result = run(prepared)

    for change in result["verdict"]["what_would_change"] + result["top_pick_change"]:
        rerun = run(prepared, **{change["question"]: change["answer"]})
        assert rerun["ranking"], change


def test_the_result_is_deterministic_and_plain_data():
    prepared = catalogue(model("b"), model("a"), model("api", access="closed-api", licence=API_TERMS))
    first = run(prepared)

    assert json.dumps(first, sort_keys=True) == json.dumps(run(prepared), sort_keys=True)
    assert first["engine_version"] == "3"


def test_the_batched_what_if_agrees_with_one_evaluation_per_change():
    import random

    from advisor.engine import batch, prepared, whatif

    rng = random.Random(7)
    entries = []
    for number in range(24):
        closed = number % 3 == 0
        entry_ = model(
            f"m{number:02d}",
            access="closed-api" if closed else "open-weights",
            licence=API_TERMS if closed else (APACHE, GATED)[number % 2],
            capability=rng.randint(3, 10),
            parameters=None if closed else f"{rng.choice((3, 8, 32, 70, 400))}B",
            language_codes=rng.sample(["en", "fr", "de", "ko", "ja"], rng.randint(1, 4)),
            language_coverage="listed",
        )
        for slug in scoring.CRITERIA:
            if slug != "capability":
                entry_["scores"][slug]["value"] = rng.randint(0, 10)
        entries.append(entry_)
    catalogue_ = catalogue(*entries)
    answer_sets = [
        complete_answers(),
        complete_answers(quality="critical", languages=["en", "ko"], deployment="on-premises"),
        complete_answers(deployment="any-api", mlops="none", hardware="none", languages=["fr"]),
    ]
    compared = 0
    for answers in answer_sets:
        answers = questions.check(answers)
        cases = [
            (change.apply(answers), prepared.eligibility(catalogue_, change.apply(answers)))
            for change in whatif.alternatives(answers)
            if whatif.consistent(change.apply(answers))
        ]
        for (changed, eligible), sides in zip(cases, batch.sides(catalogue_, cases), strict=True):
            reference = prepared.evaluate(catalogue_, changed, eligible=eligible)
            assert sides.any_shortlisted == bool(reference.shortlisted.any())
            assert (sides.best_open, sides.best_closed) == (reference.best_open, reference.best_closed)
            assert sides.open_score == reference.side_score(reference.best_open)
            assert sides.closed_score == reference.side_score(reference.best_closed)
            compared += 1
    assert compared > 100


# -- What a pick costs -------------------------------------------------------------------


def pick(result, role="start"):
    return next(p for p in result["picks"] if p["role"] == role)


def test_an_api_pick_costs_its_list_price_times_the_stated_volume():
    api = model("api", access="closed-api", licence=API_TERMS, price_input_per_mtok=2.0, price_output_per_mtok=10.0)
    result = run(catalogue(api), volume="medium")  # 100 million tokens: 3 input for 1 output
    cost = pick(result)["cost"]
    assert cost["per_mtok"] == 4.0  # 0.75 x 2 + 0.25 x 10
    assert cost["monthly_usd"] == 400.0
    assert "$400 a month at 100 million tokens" in texts([cost["message"]])[0]


def test_an_unknown_price_is_no_estimate_never_zero():
    api = model("api", access="closed-api", licence=API_TERMS, price_input_per_mtok=None, price_output_per_mtok=None)
    cost = pick(run(catalogue(api)))["cost"]
    assert cost["monthly_usd"] is None
    assert "No list price" in texts([cost["message"]])[0]


def test_running_it_yourself_costs_the_gpus_it_needs_at_the_recorded_price():
    own = model("own", parameters="70B")  # about 168 GB at 16-bit, 42 GB at 4-bit
    snapshot = {
        "criteria": [{"slug": slug, "name": slug} for slug in scoring.CRITERIA],
        "models": [own],
        "gpu_prices": [
            {
                "name": "GPU 48",
                "memory_gb": 48,
                "hourly_usd": 1.5,
                "source": "https://example.org/p",
                "as_of": "2026-11",
            },
            {
                "name": "GPU 48 spot",
                "memory_gb": 48,
                "hourly_usd": 1.0,
                "source": "https://example.org/s",
                "as_of": "2026-10",
            },
        ],
    }
    prepared = engine.prepare(snapshot, today=TODAY)
    result = run(prepared, deployment="on-premises", hardware="gpu-48")
    cost = pick(result)["cost"]
    assert (cost["gpus"], cost["gpu"]) == (1, "GPU 48 spot")  # 42 GB at 4-bit fits one; the cheapest price
    assert cost["monthly_usd"] == 730.0
    assert "ML-ops" in texts([cost["message"]])[0]

    without = run(catalogue(own), deployment="on-premises", hardware="gpu-48")
    assert pick(without)["cost"]["monthly_usd"] is None
    assert "No price is recorded for GPUs with 48 GB" in texts([pick(without)["cost"]["message"]])[0]


def test_the_engine_runs_where_django_cannot_be_imported():
    """The engine package is plain Python: import and run it with Django made unimportable."""
    import subprocess
    import sys
    from pathlib import Path

    script = """
import sys
class NoDjango:
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django."):
            raise ImportError("Django is not available here")
sys.meta_path.insert(0, NoDjango())
import datetime
from advisor import engine
snapshot = {"criteria": [], "models": []}
prepared = engine.prepare(snapshot, today=datetime.date(2026, 12, 2))
print(sorted(m for m in sys.modules if m.startswith("django")))
"""
    root = Path(__file__).resolve().parent.parent
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip() == "[]"


def test_a_fact_only_a_low_confidence_source_gives_is_stated_as_unconfirmed():
    sure = model("sure-api", access="closed-api", licence={**API_TERMS, "confidence": "high"}, confidence="high")
    thin_terms = {**API_TERMS, "slug": "thin-terms", "name": "Thin Terms", "confidence": "low"}
    unsure = model("unsure-api", access="closed-api", licence=thin_terms, confidence="low", name="Unsure API")
    # A snapshot from before confidences were recorded says nothing either way.
    unknown = model("older-api", access="closed-api", licence=API_TERMS)
    result = run(catalogue(sure, unsure, unknown), deployment="any-api", hardware="none")

    for slug in ("sure-api", "older-api"):
        said = texts(entry(result, slug)["obligations"]) + texts(entry(result, slug)["caveats"])
        assert "Under these terms, Acme does not train on your prompts by default." in said
        assert not any("secondary source" in text for text in said)
    duties = texts(entry(result, "unsure-api")["obligations"])
    assert (
        "The terms recorded here say Acme does not train on your prompts by default, but only a secondary source "
        "says so: confirm it in the data terms of Acme before sending real data."
    ) in duties
    assert "Under these terms, Acme does not train on your prompts by default." not in duties
    assert (
        "The facts recorded here for Unsure API and Thin Terms come only from low-confidence (secondary) sources: "
        "check them in the provider's own documents before relying on them."
    ) in texts(entry(result, "unsure-api")["caveats"])


def test_a_model_no_editor_has_verified_carries_a_caveat_saying_so():
    checked = model("checked", verified=True)
    unchecked = model("unchecked", verified=False, name="Fresh Release")
    older = model("older")  # a snapshot from before verification was recorded says nothing either way
    result = run(catalogue(checked, unchecked, older))

    caveat = (
        "No editor has verified the facts recorded here for Fresh Release yet: check them against its sources "
        "before you rely on them."
    )
    assert caveat in texts(entry(result, "unchecked")["caveats"])
    for slug in ("checked", "older"):
        assert not any("No editor has verified" in text for text in texts(entry(result, slug)["caveats"]))


def test_open_weights_kept_in_the_teams_own_cloud_are_a_marketplace_deployment_not_a_hosted_provider():
    listed = model("listed-open", deployment=["self-host", "cloud-marketplace"])
    prepared = catalogue(listed)

    own_cloud = entry(run(prepared, deployment="own-cloud", hardware="none"), "listed-open")
    assert own_cloud["route"]["kind"] == "hosted" and own_cloud["route"]["own_cloud"] is True
    assert texts([own_cloud["route"]["label"]]) == ["Open weights from a cloud marketplace, in your own cloud account"]
    duties = texts(own_cloud["obligations"])
    assert any(
        duty.startswith("Deploy it from your cloud provider's marketplace into your own cloud account")
        for duty in duties
    )
    assert not any("hosted provider" in duty for duty in duties)
    rationales = {row["criterion"]: texts([row["rationale"]])[0] for row in own_cloud["contributions"]}
    assert rationales["maintenance"] == "From a cloud marketplace in your own account: no servers of your own to run."
    assert not any("hosted provider" in text for text in rationales.values())
    # The same values as the hosted route elsewhere: only what is said changes.
    any_api_values = {
        row["criterion"]: row["value"]
        for row in entry(run(prepared, deployment="any-api", hardware="none"), "listed-open")["contributions"]
    }
    assert {row["criterion"]: row["value"] for row in own_cloud["contributions"]} == any_api_values

    any_api = entry(run(prepared, deployment="any-api", hardware="none"), "listed-open")
    assert any_api["route"]["own_cloud"] is False
    assert texts([any_api["route"]["label"]]) == ["Open weights through a hosted provider"]
    assert any("Choose a hosted provider" in duty for duty in texts(any_api["obligations"]))


def test_a_closed_model_reached_in_the_teams_own_cloud_says_it_comes_from_a_cloud_marketplace():
    listed = model("listed-api", access="closed-api", provider="Acme", deployment=["managed-api", "cloud-marketplace"])
    own_cloud = entry(run(catalogue(listed), deployment="own-cloud", hardware="none"), "listed-api")
    assert own_cloud["route"]["kind"] == "api" and own_cloud["route"]["own_cloud"] is True
    assert texts([own_cloud["route"]["label"]]) == ["Through Acme on a cloud marketplace, in your own cloud account"]
    any_api = entry(run(catalogue(listed), deployment="any-api", hardware="none"), "listed-api")
    assert any_api["route"]["own_cloud"] is False
    assert texts([any_api["route"]["label"]]) == ["Through the Acme API"]


def test_a_use_policy_the_licence_duties_already_name_is_not_said_twice():
    with_policy = {**APACHE, "slug": "community", "name": "Community Licence", "acceptable_use_policy": True}
    named = {**with_policy, "obligations": ["follow the Community Acceptable Use Policy"]}
    result = run(catalogue(model("unnamed", licence=with_policy), model("named", licence=named)))

    assert "Follow the acceptable use policy that comes with Community Licence." in texts(
        entry(result, "unnamed")["obligations"]
    )
    duties = texts(entry(result, "named")["obligations"])
    assert "Licence duty: follow the Community Acceptable Use Policy" in duties
    assert not any("acceptable use policy that comes with" in duty for duty in duties)


def test_a_pick_says_its_score_as_the_pages_show_it_rounded_half_up():
    from advisor.brief import score_text
    from advisor.engine.text import one_decimal

    for score in (81.95, 70.25, 69.94, 0.05):
        assert f"{one_decimal(score):.1f}" == score_text(round(score, 2))  # as the ranking table shows it
    result = run(catalogue(model("first", capability=9), model("second", access="closed-api", licence=API_TERMS)))
    for pick in result["picks"]:
        assert f"{pick['why']['params']['score']:.1f}" == score_text(pick["score"])


@pytest.mark.parametrize(
    ("hardware", "parameters", "duty"),
    [
        ("gpu-24", "8B", "Your team runs it on your 24 GB GPU: about 20 GB at 16-bit, plus serving"),
        ("node-8x80", "8B", "Your team runs it: about 20 GB at 16-bit, on one 80 GB GPU, plus serving"),
        ("node-8x80", "405B", "Your team runs it: about 243 GB at 4-bit, across 4 GPUs of 80 GB, plus serving"),
    ],
)
def test_the_duty_of_running_it_yourself_names_the_hardware_the_team_has(hardware, parameters, duty):
    result = run(catalogue(model("own", parameters=parameters)), deployment="on-premises", hardware=hardware)

    duties = texts(entry(result, "own")["obligations"])
    assert any(text.startswith(duty) for text in duties), duties
    assert not any("x 80 GB" in text for text in duties)
