"""Deciding as a team: merge the members' answers by a stated rule, and find the disagreements that matter.

Pure Python, like the rest of the engine: members' answers and a prepared catalogue in, plain data out.

The rule, question by question (``RULES``):

- **Every need counts** (``union``) for the multiple-choice constraints: an input, a language or a
  restricted use that any member needs is needed by the team.
- **The strictest answer wins** (``strictest``) for the other hard constraints, along the order in
  ``STRICTNESS``: on-premises over own cloud, regulated data over internal, the higher user band,
  the sooner deadline, "yes" over "no" for commercial use, hosting for
  others and training on outputs. "Not sure yet" about users or revenue outranks every band but
  the highest, since it keeps every threshold in view.
- **What the team can run models on** (``same-place``) is a fact about where the model runs: the
  smallest hardware named by the members who gave the team's answer to "Where may the model
  run?" (a member who answered "any cloud API" and "no hardware" says nothing about the servers).
- **Where the organisation is based** and **the sector** have no order of their own: the answer
  that leaves the fewest models eligible wins (``fewest-eligible``); a regulated sector always
  wins over "not a regulated sector".
- **The middle answer** (``median``) for the ordered preferences (quality, ML-ops, volume,
  vendor dependence); with an even number of answers, the earlier of the two middle ones in the
  order the choices are listed.
- **The answer most members gave** (``most-named``) for the other preferences (use case, how to
  pay, outages); a tie goes to the choice listed first.

When several answers leave equally few models eligible, the one most members gave wins, then
the one listed first.
The lead's overrides replace merged answers afterwards, each with its reason.

``disagreements()`` re-runs the engine for each question the members answered differently,
taking each member's answer in turn instead of the merged one, and says whether that changes
the verdict or the shortlist: those questions decide the outcome.
"""

from dataclasses import dataclass, field

from advisor.engine.prepared import PreparedCatalogue
from advisor.engine.questions import BY_KEY, KEYS, NOT_SURE, QUESTIONS, InvalidAnswers, check
from advisor.engine.result import recommend
from advisor.engine.text import gettext_noop as _

UNION, STRICTEST, SAME_PLACE, FEWEST_ELIGIBLE, MEDIAN, MOST_NAMED = (
    "union",
    "strictest",
    "same-place",
    "fewest-eligible",
    "median",
    "most-named",
)

RULES = {
    "use_case": MOST_NAMED,
    "quality": MEDIAN,
    "modalities": UNION,
    "languages": UNION,
    "context": STRICTEST,
    "data_sensitivity": STRICTEST,
    "sector": FEWEST_ELIGIBLE,
    "restricted_uses": UNION,
    "deployment": STRICTEST,
    "hardware": SAME_PLACE,
    "transparency": STRICTEST,
    "customisation": STRICTEST,
    "mlops": MEDIAN,
    "budget": MOST_NAMED,
    "volume": MEDIAN,
    "time_to_market": STRICTEST,
    "lock_in": MEDIAN,
    "outages": MOST_NAMED,
    "commercial": STRICTEST,
    "users": STRICTEST,
    "revenue": STRICTEST,
    "jurisdiction": FEWEST_ELIGIBLE,
    "hosted_service": STRICTEST,
    "train_on_outputs": STRICTEST,
}

# From the least to the most strict; a question not listed here is strict in its choices' order.
STRICTNESS = {
    "time_to_market": ("no-rush", "months", "weeks"),
    "deployment": ("any-api", "own-cloud", "on-premises", "air-gapped", "on-device"),
    "hardware": ("cluster", "node-8x80", "gpu-80", "gpu-48", "gpu-24", "laptop", "phone", "none"),
    "users": ("under-1m", "1m-100m", "100m-700m", NOT_SURE, "over-700m"),
    "revenue": ("under-20m", "20m-240m", NOT_SURE, "over-240m"),
}

RULE_TEXT = {
    UNION: _("Every need counts: what any member needs is needed."),
    STRICTEST: _("The strictest answer wins."),
    SAME_PLACE: _("The smallest hardware named by the members who gave the team's answer on where the model may run."),
    FEWEST_ELIGIBLE: _("The answer that leaves the fewest models eligible wins."),
    MEDIAN: _("The middle answer (of an even number, the earlier of the two middle ones)."),
    MOST_NAMED: _("The answer most members gave (a tie goes to the choice listed first)."),
}

# The sector answer that is never stricter than a regulated one.
UNREGULATED = "general"

if set(RULES) != set(KEYS):
    raise ImportError("every question needs a merge rule in advisor.engine.team.RULES")


@dataclass(frozen=True, slots=True)
class Member:
    """One member's answers: ``id`` is stable (it names the member in provenance), ``answers`` valid JSON answers."""

    id: str
    name: str
    answers: dict


@dataclass(slots=True)
class MergedAnswer:
    key: str
    value: object  # a str, or a list for multiple-choice questions
    rule: str
    given_by: list = field(default_factory=list)  # ids of the members whose answer this is (or who need a part of it)


@dataclass(frozen=True, slots=True)
class Outcome:
    verdict: str
    shortlist: tuple  # the slugs of the picks, in order
    eligible: int

    def differs(self, other):
        return self.verdict != other.verdict or self.shortlist != other.shortlist


def outcome(answers: dict, catalogue: PreparedCatalogue) -> Outcome:
    """The verdict, the shortlist and how many models stay eligible, for valid answers."""
    result = recommend(answers, catalogue, what_if=False).as_json()
    return Outcome(
        verdict=result["verdict"]["kind"],
        shortlist=tuple(pick["slug"] for pick in result["picks"]),
        eligible=result["counts"]["eligible"],
    )


def _position(key, value):
    order = STRICTNESS.get(key) or BY_KEY[key].values
    return order.index(value)


def _tie_break(key, given):
    """Most named first, then the choice listed first."""
    values = BY_KEY[key].values
    return lambda value: (-given.count(value), values.index(value))


def merge(members: list[Member], catalogue: PreparedCatalogue) -> dict[str, MergedAnswer]:
    """The team's answers, question by question, with the rule applied and who gave each."""
    merged = {}
    deferred = []
    for question in QUESTIONS:
        key, rule = question.key, RULES[question.key]
        if question.multiple:
            chosen = {value for member in members for value in member.answers[key]}
            value = [value for value in question.values if value in chosen]
            given_by = [member.id for member in members if member.answers[key]]
            merged[key] = MergedAnswer(key, value, rule, given_by)
            continue
        given = [member.answers[key] for member in members]
        if rule == STRICTEST:
            value = max(set(given), key=lambda value: _position(key, value))
        elif rule == MEDIAN:
            ordered = sorted(given, key=question.values.index)
            value = ordered[(len(ordered) - 1) // 2]
        elif rule == SAME_PLACE:
            value = None  # settled once the deployment is known
        elif rule == MOST_NAMED:
            value = min(set(given), key=_tie_break(key, given))
        else:
            deferred.append(key)
            value = min(set(given), key=_tie_break(key, given))  # for now; settled below
        merged[key] = MergedAnswer(key, value, rule)
    place = [
        member.answers["hardware"] for member in members if member.answers["deployment"] == merged["deployment"].value
    ]
    merged["hardware"].value = max(set(place), key=lambda value: _position("hardware", value))
    for key in deferred:
        merged[key].value = _fewest_eligible(key, members, merged, catalogue)
    for key, answer in merged.items():
        if not BY_KEY[key].multiple:
            answer.given_by = [member.id for member in members if member.answers[key] == answer.value]
    return merged


def _fewest_eligible(key, members, merged, catalogue):
    given = [member.answers[key] for member in members]
    candidates = set(given)
    if key == "sector" and candidates - {UNREGULATED}:
        candidates -= {UNREGULATED}
    if len(candidates) == 1:
        return candidates.pop()
    base = answers_of(merged)
    tie = _tie_break(key, given)
    return min(candidates, key=lambda value: (outcome({**base, key: value}, catalogue).eligible, tie(value)))


def answers_of(merged: dict[str, MergedAnswer], overrides: dict | None = None) -> dict:
    """The merged answers as engine input, with the lead's overrides (``{key: {"value": ...}}``) applied."""
    answers = {key: answer.value for key, answer in merged.items()}
    for key, override in (overrides or {}).items():
        if key in answers:
            answers[key] = override["value"]
    return answers


def valid_overrides(merged: dict[str, MergedAnswer], overrides: dict) -> dict:
    """The overrides that still give valid answers together (an override may predate a member's answer)."""
    kept = {}
    for key, override in overrides.items():
        if key not in BY_KEY:
            continue
        try:
            check(answers_of(merged, {**kept, key: override}))
        except InvalidAnswers:
            continue
        kept[key] = override
    return kept


@dataclass(slots=True)
class Side:
    value: object
    members: list  # member ids
    changes_verdict: bool = False
    changes_shortlist: bool = False
    verdict: str = ""


@dataclass(slots=True)
class Disagreement:
    key: str
    sides: list  # of Side, the merged answer's side first
    changes_verdict: bool = False
    changes_shortlist: bool = False

    @property
    def decides(self):
        return self.changes_verdict or self.changes_shortlist


def disagreements(members: list[Member], answers: dict, catalogue: PreparedCatalogue) -> list[Disagreement]:
    """The questions members answered differently, those that decide the outcome first.

    ``answers`` are the team's (merged, overrides applied). For each other answer a member
    gave, the engine re-runs with that answer instead; a device question takes the member's
    hardware along, so the answers stay valid.
    """
    base = outcome(answers, catalogue)
    found = []
    for question in QUESTIONS:
        key = question.key
        sides = {}
        for member in _speaking_to(key, members, answers):
            value = member.answers[key]
            label = tuple(value) if question.multiple else value
            sides.setdefault(label, Side(value=value, members=[])).members.append(member)
        if len(sides) < 2:
            continue
        current = tuple(answers[key]) if question.multiple else answers[key]
        disagreement = Disagreement(key=key, sides=[])
        for label, side in sides.items():
            if label != current:
                alternative = {**answers, key: side.value}
                if key in ("deployment", "hardware"):
                    alternative = _consistent(alternative, key, side.members[0])
                if alternative is not None:
                    changed = outcome(alternative, catalogue)
                    side.verdict = changed.verdict
                    side.changes_verdict = changed.verdict != base.verdict
                    side.changes_shortlist = changed.shortlist != base.shortlist
                    disagreement.changes_verdict |= side.changes_verdict
                    disagreement.changes_shortlist |= side.changes_shortlist
            else:
                side.verdict = base.verdict
            side.members = [member.id for member in side.members]
            disagreement.sides.append(side)
        disagreement.sides.sort(key=lambda side: (_label(question, side.value) != current, -len(side.members)))
        found.append(disagreement)
    found.sort(key=lambda item: (not item.changes_verdict, not item.decides))  # stable: questionnaire order
    return found


def _speaking_to(key, members, answers):
    """The members whose answer to ``key`` bears on the team's: for hardware, those at the team's place."""
    if RULES[key] == SAME_PLACE:
        return [member for member in members if member.answers["deployment"] == answers["deployment"]]
    return members


def _label(question, value):
    return tuple(value) if question.multiple else value


def _consistent(answers, key, member):
    """Answers where the deployment and the hardware agree, taking the member's other answer if needed."""
    try:
        check(answers)
        return answers
    except InvalidAnswers:
        other = "hardware" if key == "deployment" else "deployment"
        answers = {**answers, other: member.answers[other]}
    try:
        check(answers)
    except InvalidAnswers:
        return None
    return answers
