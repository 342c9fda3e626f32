"""Hard constraints: one short function per rule, each citing the clause or fact it rests on.

A rule returns ``None`` when the model passes, or an exclusion ``{"rule", "message", "clause"}``.
``GROUPS`` lists every rule with the answers it reads; the engine evaluates each rule once per
model and per combination of those answers, and a model is eligible when no rule excludes it.
``today`` is fixed for a prepared catalogue; the answers come from ``questions.check()``.
"""

from collections.abc import Callable
from typing import NamedTuple

from advisor.engine import hardware, lifecycle, routes
from advisor.engine.questions import BY_KEY, NOT_SURE
from advisor.engine.text import count_words, month_or_day, msg
from advisor.engine.text import gettext_noop as _

USER_BANDS = {
    "under-1m": (0, 1_000_000),
    "1m-100m": (1_000_000, 100_000_000),
    "100m-700m": (100_000_000, 700_000_000),
    "over-700m": (700_000_000, None),
    NOT_SURE: (0, None),
}
REVENUE_BANDS = {
    "under-20m": (0, 20_000_000),
    "20m-240m": (20_000_000, 240_000_000),
    "over-240m": (240_000_000, None),
    NOT_SURE: (0, None),
}
CONTEXT_TOKENS = {"any": 0, "32k": 32_000, "128k": 128_000, "200k": 200_000, "1m": 1_000_000}
REGION_WORDS = {
    "EU": "the European Union",
    "EEA-CH-UK": "the EEA outside the EU, Switzerland or the UK",
    "US": "the United States",
    "KR": "South Korea",
    "CN": "China",
    "other": "your region",
}
INSPECT_NEEDS = {
    "weights": ("weights",),
    "weights-code": ("weights", "training code"),
    "weights-code-data": ("weights", "training code", "training data"),
}
WHERE_WORDS = {
    "on-premises": "on your own servers",
    "air-gapped": "without an internet connection",
    "on-device": "on users' devices",
    "own-cloud": "in your own cloud account",
    "any-api": "through an API",
}


def label(key, value):
    return BY_KEY[key].labels[value]


def exclusion(rule, text, clause, **params):
    return {"rule": rule, "message": msg(text, **params), "clause": clause}


# -- Lifecycle --------------------------------------------------------------------------------


def rule_lifecycle(facts):
    """Retired models are out; one shutting down within 180 days is not for a new project."""
    when = month_or_day(facts.shutdown_date) if facts.shutdown_date else ""
    replacement = facts.replacement or ""
    clause = f"{facts.name}: {facts.entry.get('lifecycle') or 'active'}" + (f", shutdown {when}" if when else "")
    if replacement:
        clause += f"; replacement named by {facts.provider or 'the vendor'}: {replacement}"
    if facts.status == lifecycle.RETIRED:
        text = (
            _("%(name)s has been retired by %(provider)s (%(date)s).")
            if when
            else _("%(name)s has been retired by %(provider)s.")
        )
        return exclusion("retired", text, clause, name=facts.name, provider=facts.provider or "its vendor", date=when)
    if facts.status == lifecycle.SHUTTING_DOWN:
        text = (
            _(
                "%(name)s shuts down on %(date)s, within six months: not for a new project. Its "
                "named replacement is %(replacement)s."
            )
            if replacement
            else _("%(name)s shuts down on %(date)s, within six months: not for a new project.")
        )
        return exclusion("shutting-down", text, clause, name=facts.name, date=when, replacement=replacement)
    return None


# -- Where it may run, and on what --------------------------------------------------------------


def rule_where(facts, deployment, hardware_answer):
    """The model must have a route the answers allow: an API, a hosted provider, or hardware it fits."""
    if routes.possible_routes(facts, deployment, hardware_answer):
        return None
    options = ", ".join(sorted(facts.deployment)) or "none recorded"
    listed = f"{facts.name} deployment options: {options}"
    where = WHERE_WORDS[deployment]
    if not facts.is_open:
        if deployment == "own-cloud":
            return exclusion(
                "not-in-own-cloud",
                _(
                    "%(name)s is sold only through its vendor's own API, not on a cloud marketplace "
                    "in your own cloud account."
                ),
                listed,
                name=facts.name,
            )
        return exclusion(
            "api-only",
            _("%(name)s is offered only through a vendor's API, so it cannot run %(where)s."),
            f"{facts.licence_name}: access through the vendor's API only; no weights are delivered",
            name=facts.name,
            where=where,
        )
    needed = "on-device" if deployment == "on-device" else "self-host"
    if needed not in facts.deployment and not routes.hosted_allowed(facts, deployment):
        if deployment == "own-cloud":
            return exclusion(
                "not-in-own-cloud",
                _(
                    "%(name)s can be neither self-hosted nor bought on a cloud marketplace, so it "
                    "cannot run in your own cloud account."
                ),
                listed,
                name=facts.name,
            )
        rule = "no-on-device" if deployment == "on-device" else "no-self-hosting"
        return exclusion(
            rule,
            _("No way to run %(name)s %(where)s is documented."),
            listed,
            name=facts.name,
            where=where,
        )
    budget = hardware.BUDGET_GB[hardware_answer]
    have = label("hardware", hardware_answer)
    if budget == 0:
        return exclusion(
            "no-hardware",
            _("%(name)s has no hosted provider you may use %(where)s, and you have no hardware of your own to run it."),
            listed,
            name=facts.name,
            where=where,
        )
    memory = facts.memory
    if memory is None:
        return exclusion(
            "too-large",
            _("The size of %(name)s is not published, so it cannot be checked against %(hardware)s."),
            f"{facts.name}: parameters not published",
            name=facts.name,
            hardware=have,
        )
    return exclusion(
        "too-large",
        _(
            "%(name)s needs about %(gb_4)s GB to run even at 4-bit (%(gb_16)s GB at 16-bit), its weights plus "
            "%(overhead)s %% for the cache and runtime; you have %(budget)s GB (%(hardware)s)."
        ),
        f"{facts.name}: {facts.entry.get('parameters') or 'size'} → about {memory.gb_16bit:,} GB at 16-bit, "
        f"{memory.gb_4bit:,} GB at 4-bit (parameters x bytes + 20 %)",
        name=facts.name,
        gb_4=f"{memory.gb_4bit:,}",
        gb_16=f"{memory.gb_16bit:,}",
        overhead=hardware.OVERHEAD_PERCENT,
        budget=f"{budget:,}",
        hardware=have,
    )


# -- What the team must inspect ---------------------------------------------------------------


def rule_inspect(facts, transparency):
    needs = INSPECT_NEEDS.get(transparency)
    if not needs:
        return None
    published = {
        "weights": facts.weights_available,
        "training code": facts.training_code_available,
        "training data": facts.training_data_available,
    }
    missing = [item for item in needs if not published[item]]
    if not missing:
        return None
    return exclusion(
        "inspect",
        _("You must inspect the %(needs)s, and %(name)s does not publish its %(missing)s."),
        f"{facts.name}: published: " + (", ".join(k for k, v in published.items() if v) or "nothing"),
        name=facts.name,
        needs=" and ".join(needs) if len(needs) < 3 else "weights, training code and training data",
        missing=" and ".join(missing),
    )


# -- Licence terms ------------------------------------------------------------------------------


def rule_commercial(facts, commercial):
    if commercial != "yes" or facts.licence.get("commercial_use") != "no":
        return None
    return exclusion(
        "non-commercial",
        _("%(licence)s does not allow commercial use."),
        f"{facts.licence_name}: commercial use is not granted",
        licence=facts.licence_name,
    )


def threshold_band(threshold, users, revenue, hosted):
    """The team's band for a threshold's kind, as (low, high) in the threshold's unit; None if it does not apply."""
    kind = threshold.get("kind")
    if kind == "mau":
        return USER_BANDS[users]
    low, high = REVENUE_BANDS[revenue]
    if kind == "annual_revenue_usd":
        return low, high
    if kind == "monthly_revenue_usd":
        return low / 12, None if high is None else high / 12
    if kind == "maas_group_revenue_12m_usd":
        return (low, high) if hosted == "yes" else None
    return None


def threshold_state(threshold, band):
    """'above' when the whole band is over the value, 'straddles' when it may cross it, else 'below'."""
    low, high = band
    value = threshold["value"]
    if low >= value:
        return "above"
    if high is None or high > value:
        return "straddles"
    return "below"


THRESHOLD_WORDS = {
    "mau": "%s monthly active users",
    "annual_revenue_usd": "USD %s annual revenue",
    "monthly_revenue_usd": "USD %s monthly revenue",
    "maas_group_revenue_12m_usd": "USD %s group revenue in 12 months for a model-as-a-service business",
}


def threshold_words(threshold):
    return THRESHOLD_WORDS.get(threshold.get("kind"), "%s").replace("%s", count_words(threshold["value"]))


def rule_thresholds(facts, users, revenue, hosted):
    """A separate-licence gate the team's band lies wholly above excludes the model."""
    for threshold in facts.licence.get("thresholds") or ():
        if threshold.get("effect") != "separate-licence" or not threshold.get("value"):
            continue
        band = threshold_band(threshold, users, revenue, hosted)
        if band is None or threshold_state(threshold, band) != "above":
            continue
        rule = "user-threshold" if threshold["kind"] == "mau" else "revenue-threshold"
        return exclusion(
            rule,
            _(
                "Above %(threshold)s, %(licence)s requires a separate licence from its provider, and your answer "
                "puts you above it (how the licence counts is in its clause)."
            ),
            f"{facts.licence_name}: "
            + (threshold.get("note") or f"separate licence above {threshold_words(threshold)}"),
            threshold=threshold_words(threshold),
            licence=facts.licence_name,
        )
    return None


def rule_jurisdiction(facts, region):
    if region not in (facts.licence.get("excluded_jurisdictions") or ()):
        return None
    name = facts.licence_name
    if facts.licence.get("jurisdiction_exclusion_multimodal_only"):
        if not facts.multimodal:
            return None
        return exclusion(
            "jurisdiction",
            _("%(licence)s grants no licence for its multimodal models to organisations based in %(region)s."),
            f"{name}: no grant in {region} for models that take image, audio or video input",
            licence=name,
            region=REGION_WORDS[region],
        )
    return exclusion(
        "jurisdiction",
        _("%(licence)s grants no licence to organisations based in %(region)s."),
        f"{name}: no grant in {region}",
        licence=name,
        region=REGION_WORDS[region],
    )


def rule_hosting(facts, hosted):
    if hosted != "yes" or not facts.licence.get("hosting_barred"):
        return None
    return exclusion(
        "hosting-barred",
        _("Under %(licence)s, offering the model to others as a hosted service needs a separate licence."),
        f"{facts.licence_name}: hosted or API service barred without a separate licence",
        licence=facts.licence_name,
    )


def rule_train_on_outputs(facts, train):
    if train != "yes" or facts.licence.get("outputs_may_train_models") != "no":
        return None
    return exclusion(
        "outputs-training",
        _("%(licence)s forbids using outputs to train other models, which you plan to do."),
        f"{facts.licence_name}: outputs may not be used to train other models",
        licence=facts.licence_name,
    )


def rule_forbidden_use(facts, use):
    for restriction in facts.licence.get("use_restrictions") or ():
        if restriction.get("use") == use and restriction.get("rule") == "forbidden":
            return exclusion(
                "forbidden-use",
                _('%(licence)s or its use policy forbids a use you plan: "%(use)s".'),
                f"{facts.licence_name}: {restriction.get('clause') or 'forbidden use: ' + use}",
                licence=facts.licence_name,
                use=label("restricted_uses", use),
            )
    return None


# -- Fine-tuning ------------------------------------------------------------------------------


def tuning_routes(facts, deployment, ship_on):
    """How the team could fine-tune the model: its weights, or a hosted tuning service still open at ship time."""
    ways = []
    if not facts.licence.get("may_fine_tune"):
        return ways
    if facts.weights_available and facts.fine_tuning & {"full", "lora"}:
        ways.append("weights")
    until = lifecycle.as_date(facts.fine_tuning_until)
    still_open = until is None or until > ship_on
    reachable = deployment == "any-api" or (deployment == "own-cloud" and "cloud-marketplace" in facts.deployment)
    if "api-fine-tuning" in facts.fine_tuning and still_open and reachable:
        ways.append("hosted")
    return ways


def rule_fine_tuning(facts, customisation, deployment, time_to_market, *, today):
    ship_on = lifecycle.ship_date(time_to_market, today)
    if customisation != "fine-tune-required" or tuning_routes(facts, deployment, ship_on):
        return None
    name = facts.licence_name
    options = ", ".join(sorted(facts.fine_tuning)) or "none recorded"
    allowed = "allowed" if facts.licence.get("may_fine_tune") else "not allowed"
    clause = f"{name}: fine-tuning {allowed}; {facts.name} fine-tuning options: {options}"
    until = lifecycle.as_date(facts.fine_tuning_until)
    if not facts.licence.get("may_fine_tune"):
        text = _("%(licence)s does not allow fine-tuning, and you must fine-tune.")
    elif "api-fine-tuning" in facts.fine_tuning and until is not None and until <= ship_on:
        text = _("Hosted fine-tuning of %(name)s takes no new jobs from %(until)s, before you would ship.")
        clause += f"; no new hosted fine-tuning jobs from {until.isoformat()}"
    elif facts.fine_tuning == {"api-fine-tuning"}:
        text = _("%(name)s can be tuned only through its vendor's hosted API, which your deployment answer rules out.")
    else:
        text = _("No fine-tuning option is offered for %(name)s, and you must fine-tune.")
    return exclusion(
        "no-fine-tuning", text, clause, licence=name, name=facts.name, until=month_or_day(facts.fine_tuning_until)
    )


# -- What the model must read -----------------------------------------------------------------


def rule_context(facts, context):
    needed = CONTEXT_TOKENS[context]
    window = facts.context_window
    if not needed or window is None or window >= needed:
        return None
    return exclusion(
        "context",
        _("Its context window (%(tokens)s tokens) is smaller than the %(needed)s tokens you need."),
        f"{facts.name}: context window {window:,} tokens",
        tokens=f"{window:,}",
        needed=f"{needed:,}",
    )


def rule_modality(facts, modality):
    if modality in facts.modalities:
        return None
    return exclusion(
        "modality",
        _("%(name)s does not accept %(modality)s input."),
        f"{facts.name}: input modalities {', '.join(sorted(facts.modalities)) or 'none recorded'}",
        name=facts.name,
        modality=modality,
    )


def rule_language(facts, language):
    """A language missing from a complete documented list excludes; a broad or unknown list is a caveat."""
    if facts.documents(language) or facts.language_coverage != "listed":
        return None
    documented = facts.entry.get("languages") or ", ".join(sorted(facts.language_codes)) or "none recorded"
    return exclusion(
        "language",
        _("The documented languages of %(name)s do not include %(language)s."),
        f"{facts.name}: documented languages: {documented}",
        name=facts.name,
        language=label("languages", language),
    )


class RuleGroup(NamedTuple):
    """A rule, the answers it reads, and whether it is called once per item of a multiple answer."""

    name: str
    reads: tuple
    per_item: bool
    rule: Callable


GROUPS = (
    RuleGroup("lifecycle", (), False, rule_lifecycle),
    RuleGroup("where", ("deployment", "hardware"), False, rule_where),
    RuleGroup("inspect", ("transparency",), False, rule_inspect),
    RuleGroup("commercial", ("commercial",), False, rule_commercial),
    RuleGroup("thresholds", ("users", "revenue", "hosted_service"), False, rule_thresholds),
    RuleGroup("jurisdiction", ("jurisdiction",), False, rule_jurisdiction),
    RuleGroup("hosting", ("hosted_service",), False, rule_hosting),
    RuleGroup("train", ("train_on_outputs",), False, rule_train_on_outputs),
    RuleGroup("fine-tuning", ("customisation", "deployment", "time_to_market"), False, rule_fine_tuning),
    RuleGroup("context", ("context",), False, rule_context),
    RuleGroup("modalities", ("modalities",), True, rule_modality),
    RuleGroup("languages", ("languages",), True, rule_language),
    RuleGroup("uses", ("restricted_uses",), True, rule_forbidden_use),
)
# Rules that read today's date get it as the keyword ``today``.
DATED = frozenset({rule_fine_tuning})
CONSTRAINING = frozenset(key for group in GROUPS for key in group.reads)

# Short English names of the rules, for "ruled out, most often by".
RULE_NAMES = {
    "retired": "retired by the provider",
    "shutting-down": "shutting down within six months",
    "api-only": "API only, cannot run where you need it",
    "no-self-hosting": "no self-hosting option",
    "no-on-device": "no on-device option",
    "not-in-own-cloud": "not available in your own cloud",
    "no-hardware": "no hosted route and no hardware of your own",
    "too-large": "too large for your hardware",
    "inspect": "does not publish what you must inspect",
    "non-commercial": "non-commercial licence",
    "user-threshold": "user threshold",
    "revenue-threshold": "revenue threshold",
    "jurisdiction": "no licence in your region",
    "hosting-barred": "hosting as a service barred",
    "outputs-training": "outputs may not train other models",
    "forbidden-use": "forbidden use",
    "no-fine-tuning": "no fine-tuning path",
    "modality": "missing input type",
    "context": "context window too small",
    "language": "language not supported",
}
