"""Turn a stored engine result into what pages and JSON show.

The engine stores translatable messages as ``{"msgid", "params"}``; they are
rendered here, in the reader's language, at display time. Nothing here reads
the catalogue: a permalink shows only what was saved.
"""

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from advisor.engine import questions


def render_message(message):
    if not isinstance(message, dict) or "msgid" not in message:
        return str(message)
    text = gettext(message["msgid"])
    params = message.get("params") or {}
    try:
        return text % params if params else text
    except (KeyError, TypeError, ValueError):
        # A translation with a broken placeholder must not break the page.
        return message["msgid"] % params if params else message["msgid"]


# Values with_text() copies as they are, without a call per value: most of a result's values
# (a permalink at 500 models holds about 20,000).
_PLAIN = frozenset({str, int, float, bool, type(None)})


def with_text(value):
    """Return a copy of ``value`` where every message dict gains a rendered ``text``."""
    if isinstance(value, dict):
        copy = {key: item if type(item) in _PLAIN else with_text(item) for key, item in value.items()}
        if "msgid" in value:
            copy["text"] = render_message(value)
        return copy
    if isinstance(value, list):
        return [item if type(item) in _PLAIN else with_text(item) for item in value]
    return value


# Answers an earlier questionnaire offered and this one no longer does, with the label they were
# shown with then, so an old permalink keeps saying what its visitor chose.
LEGACY_LABELS = {
    "transparency": {"high": gettext_noop("We must inspect weights, code or training data")},
}


def answers_for_display(answers):
    """The answers given, as (question label, answer labels) in questionnaire order, translated."""
    rows = []
    for question in questions.QUESTIONS:
        if question.key not in answers:
            continue
        labels = {**LEGACY_LABELS.get(question.key, {}), **question.labels}
        value = answers[question.key]
        values = value if isinstance(value, list) else [value]
        shown = [gettext(labels[v]) if isinstance(v, str) and v in labels else str(v) for v in values]
        rows.append(
            {
                "key": question.key,
                "label": gettext(question.label),
                "answers": shown or [gettext("None")],
                "not_sure": value == questions.NOT_SURE,
            }
        )
    return rows


EXCLUDED_SHOWN_PER_GROUP = 10
EXCLUDED_NAMED_PER_GROUP = 60


# Where on a licence page the clause behind a licence rule is shown.
LICENCE_SECTIONS = {
    "non-commercial": "glance-heading",
    "user-threshold": "thresholds-heading",
    "revenue-threshold": "thresholds-heading",
    "jurisdiction": "glance-heading",
    "hosting-barred": "glance-heading",
    "outputs-training": "glance-heading",
    "forbidden-use": "restrictions-heading",
}


def reason_chips(item, rule_titles):
    """A ruled-out model's reasons as short labels, each linked to where its source is shown."""
    chips = []
    for reason in item.get("reasons") or ():
        rule = reason.get("rule", "")
        section = LICENCE_SECTIONS.get(rule)
        if section and item.get("licence"):
            url = reverse("advisor:licence-detail", args=[item["licence"]]) + "#" + section
        else:
            url = reverse("advisor:model-detail", args=[item["slug"]]) if item.get("slug") else ""
        label = rule_titles.get(rule) or reason.get("message", {}).get("text", rule)
        chips.append({"label": label, "url": url})
    return chips


def excluded_groups(excluded, rule_titles):
    """Group ruled-out models by their first rule, so long lists stay readable.

    Each group lists the first few models with their reason and clause, then
    only the names of some more and a count of the rest (all are in the JSON),
    which keeps a result page small even when hundreds of models were ruled out.
    Only the models listed with their reasons get them worded: ``models`` holds
    every name in the group.
    """
    groups = {}
    for item in excluded:
        rule = (item.get("reasons") or [{}])[0].get("rule", "other")
        groups.setdefault(rule, {"rule": rule, "items": []})["items"].append(item)
    ordered = sorted(groups.values(), key=lambda g: (-len(g["items"]), g["rule"]))
    for group in ordered:
        items = group.pop("items")
        group["models"] = [item.get("name", item.get("slug", "")) for item in items]
        group["shown"] = [_excluded_model(item, rule_titles) for item in items[:EXCLUDED_SHOWN_PER_GROUP]]
        group["title"] = rule_titles.get(group["rule"], group["shown"][0]["message"])
        rest = group["models"][EXCLUDED_SHOWN_PER_GROUP:]
        group["more"] = rest[:EXCLUDED_NAMED_PER_GROUP]
        group["unnamed"] = len(rest) - len(group["more"])
    return ordered


def _excluded_model(item, rule_titles):
    reasons = item.get("reasons") or [{}]
    return {
        "name": item.get("name", item.get("slug", "")),
        "chips": reason_chips(item, rule_titles),
        "message": "; ".join(r["message"]["text"] for r in reasons if "message" in r),
        "clause": reasons[0].get("clause", ""),
    }


def rule_titles():
    """Headings for groups of ruled-out models, by the engine's rule codes."""
    return {
        "retired": _("Retired by the provider"),
        "shutting-down": _("Shutting down within six months: not for a new project"),
        "no-hardware": _("No hosted route, and no hardware of your own to run it"),
        "too-large": _("Too large for the hardware you have, even at 4-bit"),
        "inspect": _("Does not publish what you must inspect"),
        "api-only": _("Only offered as an API, so it cannot run where you need it"),
        "no-self-hosting": _("No way to run it on your own servers"),
        "no-on-device": _("Cannot run on users' devices"),
        "not-in-own-cloud": _("Not available inside your own cloud account"),
        "non-commercial": _("Licence forbids commercial use"),
        "user-threshold": _("Licence needs a separate agreement at your user numbers"),
        "revenue-threshold": _("Licence needs a separate agreement at your revenue"),
        "jurisdiction": _("Licence grants nothing in your region"),
        "hosting-barred": _("Licence bars offering it as a hosted service"),
        "outputs-training": _("Terms forbid training other models on its outputs"),
        "forbidden-use": _("Use policy forbids what your product does"),
        "no-fine-tuning": _("No way to fine-tune it"),
        "modality": _("Does not accept an input type you need"),
        "context": _("Context window too small"),
        "language": _("Does not support a language you need"),
    }


def assumptions(answer_rows, preset_keys, preset_name):
    """The answers to check before acting: those that came from a preset, and those that were "Not sure yet"."""
    rows = []
    for row in answer_rows:
        if row["key"] in preset_keys:
            rows.append({**row, "origin": gettext("from the preset “%(name)s”") % {"name": preset_name}})
        elif row.get("not_sure"):
            rows.append({**row, "origin": gettext("not known yet: licence gates that could apply are flagged")})
    return rows


# -- Decision rooms ----------------------------------------------------------------------------

TIMES = "\N{MULTIPLICATION SIGN}"  # as in "3 times own cloud"
VERDICT_SHORT = {
    "open": _("Open models"),
    "closed": _("Closed API models"),
    "hybrid": _("A hybrid of open and closed"),
    "none": _("No model fits"),
}


def answer_text(key, value):
    """An answer as the questionnaire words it, translated (several choices joined; none as "None")."""
    labels = questions.BY_KEY[key].labels
    values = value if isinstance(value, list) else [value]
    return ", ".join(gettext(labels[item]) if item in labels else str(item) for item in values) or gettext("None")


def room_for_display(state):
    """A room's state (``services.room_state()``) as the room page shows it, in the reader's language."""
    from advisor.engine import team

    names = {person["id"]: person["name"] for person in state["members"]}

    def who(ids):
        return [names.get(member_id, gettext("a former member")) for member_id in ids]

    def verdict(kind):
        return str(VERDICT_SHORT[kind]) if kind in VERDICT_SHORT else ""

    members = [{**person, "verdict_text": verdict(person.get("verdict"))} for person in state["members"]]
    overridden = {row["key"]: row["override"] for row in state.get("merged", []) if row.get("override")}
    disagreements = []
    for item in state.get("disagreements", []):
        question = questions.BY_KEY[item["key"]]
        override = overridden.get(item["key"])
        disagreements.append(
            {
                **item,
                "label": gettext(question.label),
                "override_answer": answer_text(item["key"], override["value"]) if override else "",
                "sides": [
                    {
                        **side,
                        "answer": answer_text(item["key"], side["value"]),
                        "names": who(side["members"]),
                        "verdict_text": verdict(side.get("verdict")),
                        "is_team": side["value"] == state.get("answers", {}).get(item["key"]),
                    }
                    for side in item["sides"]
                ],
            }
        )
    spread = []
    for row in state.get("spread", []):
        if not row["counts"]:
            continue
        spread.append(
            {
                "label": gettext(questions.BY_KEY[row["key"]].label),
                "text": ", ".join(f"{n} {TIMES} {answer_text(row['key'], value)}" for value, n in row["counts"]),
                "split": len(row["counts"]) > 1,
            }
        )
    merged = []
    for row in state.get("merged", []):
        override = row.get("override")
        merged.append(
            {
                **row,
                "label": gettext(questions.BY_KEY[row["key"]].label),
                "answer": answer_text(row["key"], row["value"]),
                "rule_text": gettext(team.RULE_TEXT[row["rule"]]),
                "names": who(row["given_by"]),
                "override_answer": answer_text(row["key"], override["value"]) if override else "",
            }
        )
    result = state.get("result")
    if result:
        result = {
            **result,
            "verdict_text": verdict(result["verdict"]),
            "headline_text": render_message(result["headline"]),
        }
    return {
        "members": members,
        "answered": sum(1 for person in members if not person.get("outdated")),
        "deciding": [item for item in disagreements if item["decides"]],
        "other_disagreements": [item for item in disagreements if not item["decides"]],
        "spread": spread,
        "merged": merged,
        "overrides": [row for row in merged if row["override"]],
        "result": result,
        "title": state.get("title"),
    }
