"""A saved result as a decision brief: the sentence, the shortlist and the next steps first.

Everything here reads the stored result (with rendered ``text``, see ``presenters.with_text``)
and nothing else, so a permalink keeps saying what it said. The same pieces feed the result
page, its print layout, the Markdown decision record and the CSV of the ranking.
"""

import csv
import datetime
import io
import math
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advisor import browse, vocab
from advisor.engine import explain
from advisor.engine.costs import money

SHORTLIST_MAX = 3

ROUTE_WORDS = {
    "api": gettext_lazy("through its vendor's API"),
    "hosted": gettext_lazy("as open weights through a hosted provider"),
    "self": gettext_lazy("on your own hardware"),
    "device": gettext_lazy("on your users' devices"),
}
MARKETPLACE_WORDS = gettext_lazy("as open weights from a cloud marketplace, in your own cloud account")


def _route_words(entry):
    route = entry.get("route") or {}
    kind = route.get("kind")
    if kind == "api":
        return route["label"]["text"][0].lower() + route["label"]["text"][1:]
    if route.get("own_cloud"):
        return str(MARKETPLACE_WORDS)
    return str(ROUTE_WORDS.get(kind, ""))


def shortlist(result):
    """At most three picks, each with what the page needs from its ranking entry."""
    details = {entry["slug"]: entry for entry in result.get("ranking", [])}
    picks = []
    for pick in result.get("picks", [])[:SHORTLIST_MAX]:
        entry = details.get(pick["slug"], {})
        licence = entry.get("licence") or {}
        picks.append(
            {
                **pick,
                "entry": entry,
                "route": entry.get("route"),
                "route_words": _route_words(entry) if entry else "",
                "licence": licence,
                "licence_category": str(vocab.LicenceCategory(licence["category"]).label)
                if licence.get("category") in vocab.LicenceCategory.values
                else "",
                "terms": licence_terms(pick, _result_day(result)),
            }
        )
    return picks


def licence_terms(pick, today):
    """A pick's licence as permissions, conditions and limitations, from the terms stored with the result."""
    facts = pick.get("licence_facts")
    if not facts:
        return None
    until = facts.get("fine_tuning_until")
    licence = SimpleNamespace(
        **{key: facts.get(key) for key in LICENCE_FIELDS},
        obligation_list=list(facts.get("obligations") or ()),
        excluded_jurisdictions=list(facts.get("excluded_jurisdictions") or ()),
        fine_tuning_until=datetime.date.fromisoformat(until) if until else None,
    )
    return browse.licence_glance(licence, today)


LICENCE_FIELDS = (
    "commercial_use",
    "may_modify",
    "may_redistribute",
    "may_fine_tune",
    "outputs_may_train_models",
    "attribution_required",
    "acceptable_use_policy",
    "thresholds",
    "hosting_barred",
    "remote_restriction",
    "jurisdiction_exclusion_multimodal_only",
    "use_restrictions",
    "prompts_train_by_default",
    "zero_retention_offered",
)


def _result_day(result):
    try:
        return datetime.date.fromisoformat(result.get("today") or "")
    except ValueError:
        return datetime.date.today()


def summary_sentence(result, picks):
    """One sentence naming the verdict and the shortlist."""
    if not picks:
        return _("No model in the catalogue meets every one of your constraints yet.")
    parts = []
    for number, pick in enumerate(picks):
        name = f"{pick['name']} {pick['route_words']}".strip()
        if number == 0 and pick["role"] == "start":  # "Start with X"
            parts.append(_("%(role)s %(name)s") % {"role": pick["role_text"]["text"], "name": name})
        elif number == 0:  # "For the API part of your plan: X"
            parts.append(_("%(role)s: %(name)s") % {"role": pick["role_text"]["text"], "name": name})
        else:
            parts.append(_("%(role)s: %(name)s") % {"role": pick["role_text"]["text"].lower(), "name": name})
    return "; ".join(parts) + "."


def next_steps(result, picks, *, compare_url):
    """What to do on Monday, generated from the picks, each step linked to its source.

    ``[{"title": str or None, "steps": [{"text", "url"}]}]``: steps for the whole decision
    first, then one group per pick with its licence check, data terms, duties and caveats.
    """
    general = []
    pilots = [pick["name"] for pick in picks[:2]]
    if len(pilots) == 2:
        text = _("Pilot %(first)s and %(second)s on 50 to 100 of your own examples before you commit.")
    else:  # one pick: pilot it against the next model in the ranking, named as such
        text = _(
            "Pilot %(first)s against %(second)s, the next model in your ranking, on 50 to 100 of your own "
            "examples before you commit."
        )
        pilots += [entry["name"] for entry in result.get("ranking", []) if entry["name"] not in pilots][:1]
    if len(pilots) == 2:
        general.append({"text": text % {"first": pilots[0], "second": pilots[1]}, "url": compare_url})
    groups = [{"title": None, "steps": general}] if general else []
    for pick in picks:
        licence = pick["licence"]
        licence_url = reverse("advisor:licence-detail", args=[licence["slug"]]) if licence.get("slug") else ""
        model_url = reverse("advisor:model-detail", args=[pick["slug"]])
        route = pick["route"] or {}
        steps = []
        if licence.get("name"):
            steps.append(
                {
                    "text": _("Have someone who can read licences check the %(licence)s terms.")
                    % {"licence": licence["name"]},
                    "url": licence_url,
                }
            )
        if route.get("kind") == "api":
            steps.append(
                {
                    "text": _(
                        "Ask the vendor for its data-processing terms: zero retention and no training on your prompts."
                    ),
                    "url": licence_url,
                }
            )
        steps += [{"text": text, "url": licence_url} for text in unasked_use_restrictions(pick)]
        steps += [
            {"text": duty["text"], "url": model_url if duty.get("msgid") in explain.ROUTE_DUTIES else licence_url}
            for duty in pick["entry"].get("obligations", [])
        ]
        steps += [{"text": caveat["text"], "url": model_url} for caveat in pick["entry"].get("caveats", [])]
        if steps:
            groups.append({"title": pick["name"], "steps": steps})
    return groups


def unasked_use_restrictions(pick):
    """What a pick's terms restrict among the uses of their own ("other"), as steps to check.

    The questions cover the usual restricted uses (medical or legal advice, military use, ...), and
    the engine rules a model out or lists the duty when the team ticks one. A use policy also
    names uses of its own: collecting health data only with the consents the law requires,
    operating critical infrastructure. No answer says whether the team does these, so each is a
    check for the team, quoted from the terms stored with the result.
    """
    facts = pick.get("licence_facts") or {}
    licence = (pick.get("licence") or {}).get("name") or facts.get("name") or ""
    steps = []
    for restriction in facts.get("use_restrictions") or ():
        if restriction.get("use") != vocab.RestrictedUse.OTHER:
            continue
        clause = (restriction.get("clause") or "").strip().rstrip(".")
        condition = (restriction.get("condition") or "").strip().rstrip(".")
        forbidden = restriction.get("rule") == vocab.UseRule.FORBIDDEN
        if not clause:
            text = (
                _("Under %(licence)s, some uses are forbidden: read them in its terms and make sure yours is not one.")
                if forbidden
                else _("Under %(licence)s, some uses have conditions: read them in its terms and check yours.")
            )
        elif forbidden:
            text = _("Under %(licence)s, “%(clause)s” is forbidden: make sure your product does not do it.")
        elif condition:
            text = _(
                "Under %(licence)s, “%(clause)s” is allowed only on a condition: %(condition)s. Check whether it "
                "applies to your product."
            )
        else:
            text = _(
                "Under %(licence)s, “%(clause)s” is allowed only on a condition: read it in its terms and check "
                "whether it applies to your product."
            )
        steps.append(text % {"licence": licence, "clause": clause, "condition": condition})
    return steps


CHART = {"width": 580, "height": 260, "left": 70, "right": 40, "top": 20, "bottom": 40}
CHART_TOKENS = (1e6, 1e10)  # the volume axis: a million to ten billion tokens a month


def break_even(picks):
    """An API pick against a pick on your own hardware: where their monthly costs cross, as a chart.

    None unless the shortlist has one of each with an estimate. The API cost grows with volume;
    one always-on copy on your own GPUs costs the same at any volume it can serve.
    """
    api = next((p for p in picks if (p.get("cost") or {}).get("per_mtok")), None)
    own = next(
        (p for p in picks if (p.get("route") or {}).get("kind") == "self" and (p.get("cost") or {}).get("monthly_usd")),
        None,
    )
    if api is None or own is None:
        return None
    per_mtok, monthly = api["cost"]["per_mtok"], own["cost"]["monthly_usd"]
    tokens = monthly / per_mtok * 1_000_000
    low, high = CHART_TOKENS
    costs = [per_mtok * low / 1e6, per_mtok * high / 1e6, monthly]
    y_low, y_high = math.log10(max(min(costs) / 2, 0.01)), math.log10(max(costs) * 2)
    width = CHART["width"] - CHART["left"] - CHART["right"]
    height = CHART["height"] - CHART["top"] - CHART["bottom"]

    def x(value):
        return round(
            CHART["left"] + (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low)) * width, 1
        )

    def y(value):
        return round(CHART["top"] + (y_high - math.log10(max(value, 0.01))) / (y_high - y_low) * height, 1)

    ticks = [1e6, 1e7, 1e8, 1e9, 1e10]
    y_ticks = [10**power for power in range(math.ceil(y_low), math.floor(y_high) + 1)]
    return {
        "y_ticks": [(y(value), money(value)) for value in y_ticks],
        "api_name": api["name"],
        "own_name": own["name"],
        "per_mtok": per_mtok,
        "monthly": monthly,
        "tokens": tokens,
        "tokens_words": _("%(tokens)s tokens a month") % {"tokens": _tokens_words(tokens)},
        "api_line": (x(low), y(per_mtok * low / 1e6), x(high), y(per_mtok * high / 1e6)),
        "own_line": (x(low), y(monthly), x(high), y(monthly)),
        "crossing": (x(tokens), y(monthly)) if low <= tokens <= high else None,
        "x_ticks": [(x(t), _tokens_words(t)) for t in ticks],
        "box": CHART,
        "axis": (CHART["left"], CHART["top"] + height, CHART["left"] + width, CHART["top"]),
    }


def _tokens_words(tokens):
    if tokens >= 1e9:
        return _("%(n)s billion") % {"n": f"{tokens / 1e9:.3g}"}
    return _("%(n)s million") % {"n": f"{tokens / 1e6:.3g}"}


def comparison(result, picks):
    """The shortlist side by side: one row per criterion, a cell per pick with value and rationale."""
    rows = {}
    for column, pick in enumerate(picks):
        for contribution in pick["entry"].get("contributions", []):
            row = rows.setdefault(
                contribution["criterion"],
                {
                    "name": contribution["name"],
                    "weight": contribution["weight"],
                    "cells": [{"pick": p["name"], "value": None} for p in picks],
                },
            )
            rationale = contribution.get("rationale")  # a message; a plain text in results saved whole before
            text = rationale.get("text", "") if isinstance(rationale, dict) else rationale or ""
            row["cells"][column] = {"pick": pick["name"], **contribution, "rationale": text}
    return sorted(rows.values(), key=lambda row: -row["weight"])


TIER_ROWS_SHOWN = 10  # per tier on the page; the CSV of the ranking lists every eligible model


def eligible_tiers(result, pick_slugs=()):
    """Every eligible model, grouped by tier, as the rows the page shows.

    ``[{"tier", "rows", "more"}]``: each tier's first ``TIER_ROWS_SHOWN`` models in rank
    order, each row with its access and score already worded (as the ``access_label.html``
    include and ``floatformat:1`` word them), and how many more the tier holds. A result at
    hundreds of models would otherwise render hundreds of rows nobody reads on the page;
    the CSV keeps them all.
    """
    tiers = {}
    for entry in [*result.get("ranking", []), *result.get("also_eligible", [])]:
        tiers.setdefault(entry["tier"], []).append(entry)
    access = {value: str(label) for value, label in vocab.Access.choices}
    separator = formats.get_format("DECIMAL_SEPARATOR")
    shown = []
    for tier, entries in sorted(tiers.items()):
        rows = [
            {
                "rank": entry["rank"],
                "slug": entry["slug"],
                "name": entry["name"],
                "access_text": access.get(entry.get("access"), access[vocab.Access.OPEN_WEIGHTS]),
                "score_text": score_text(entry["score"], separator),
                "pick": entry["slug"] in pick_slugs,
            }
            for entry in entries[:TIER_ROWS_SHOWN]
        ]
        shown.append({"tier": tier, "rows": rows, "more": len(entries) - len(rows)})
    return shown


def score_text(score, separator="."):
    """A score with one decimal, rounded half up, as the ``floatformat:1`` filter shows it."""
    rounded = Decimal(str(score)).quantize(ONE_DECIMAL, ROUND_HALF_UP)
    return str(rounded or abs(rounded)).replace(".", separator)  # no "-0.0", as floatformat


ONE_DECIMAL = Decimal("0.1")


CSV_HEADER = ["rank", "tier", "name", "slug", "access", "score", "route"]


def ranking_csv(result):
    """Every eligible model in rank order, as CSV text."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(CSV_HEADER)
    for entry in sorted([*result.get("ranking", []), *result.get("also_eligible", [])], key=lambda e: e["rank"]):
        route = (entry.get("route") or {}).get("kind", "")
        writer.writerow(
            [
                entry["rank"],
                entry["tier"],
                csv_safe(entry["name"]),
                entry["slug"],
                entry["access"],
                entry["score"],
                route,
            ]
        )
    return output.getvalue()


def csv_safe(text):
    """No cell starts like a spreadsheet formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
