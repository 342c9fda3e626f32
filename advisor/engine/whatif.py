"""What would change the outcome: single answer changes, each checked by re-running the engine.

``alternatives()`` yields every single-answer change (each other choice of a single-choice
question; each addition or removal for a multiple-choice one, never leaving a required one
empty). ``verdict_and_top_flips()`` re-evaluates each and reports the ones that change the
verdict or the pick to start with; a change that leaves no model eligible is never offered.
When nothing is eligible, ``admitting_changes()`` finds the fewest answer changes (one, else two)
that would admit models.
"""

from dataclasses import dataclass
from itertools import combinations
from typing import NamedTuple

from advisor.engine import batch, hardware, rules
from advisor.engine.prepared import eligibility
from advisor.engine.questions import BY_KEY, ORDER, QUESTIONS
from advisor.engine.verdict import decide, pull, stance


@dataclass(frozen=True, slots=True)
class Change:
    key: str
    value: object  # the new answer (a tuple for multiple choice)
    item: str  # the choice set, added or removed
    form: str  # "set", "add" or "remove"
    distance: int  # 1 for a neighbouring choice of an ordered question or any other change

    def apply(self, answers):
        changed = dict(answers)
        changed[self.key] = self.value
        return changed

    @property
    def order(self):
        return (self.distance, ORDER[self.key], str(self.item))


def alternatives(answers):
    for question in QUESTIONS:
        current = answers[question.key]
        if question.multiple:
            for item in question.values:
                if item in current:
                    if question.at_least_one and len(current) == 1:
                        continue
                    yield Change(question.key, tuple(x for x in current if x != item), item, "remove", 1)
                else:
                    chosen = set(current) | {item}
                    yield Change(question.key, tuple(x for x in question.values if x in chosen), item, "add", 1)
            continue
        position = question.values.index(current)
        for index, value in enumerate(question.values):
            if value != current:
                distance = abs(index - position) if question.ordinal else 1
                yield Change(question.key, value, value, "set", distance)


def consistent(answers):
    """The cross-question rule of questions.check(): on-device needs a device."""
    return answers["deployment"] != "on-device" or answers["hardware"] in hardware.DEVICES


def start_pick(kind, best_open, best_closed):
    if kind == "closed" or (kind == "hybrid" and best_closed is not None):
        return best_closed
    return best_open if best_open is not None else best_closed


class VerdictFlip(NamedTuple):
    """One answer changed, and the verdict it would give."""

    change: object
    kind: str
    margin: float


class TopFlip(NamedTuple):
    """One answer changed, and the model it would put first."""

    change: object
    top: int


class Admission(NamedTuple):
    """The fewest answer changes that admit models, and the models they admit."""

    changes: tuple
    eligible: list


def verdict_and_top_flips(catalogue, base, kind, top):
    """([VerdictFlip], [TopFlip]) over every single answer change."""
    answers = base.answers
    unchanged = {}  # question -> the models passing every rule that does not read it
    cases = []
    for change in alternatives(answers):
        changed = change.apply(answers)
        if not consistent(changed):
            continue
        eligible = base.eligible
        if change.key in rules.CONSTRAINING:
            reading = [group for group in rules.GROUPS if change.key in group.reads]
            if change.key not in unchanged:
                others = [group for group in rules.GROUPS if change.key not in group.reads]
                unchanged[change.key] = eligibility(catalogue, answers, others)
            eligible = unchanged[change.key] & eligibility(catalogue, changed, reading)
        cases.append((change, changed, eligible))
    base_stance = stance(answers)
    verdict_flips, top_flips = [], []
    evaluated = batch.sides(catalogue, [(changed, eligible) for _change, changed, eligible in cases])
    for (change, changed, _eligible), sides in zip(cases, evaluated, strict=True):
        if not sides.any_shortlisted:
            continue  # never offer a change that leaves nothing eligible
        new_stance = base_stance
        if not BY_KEY[change.key].multiple:
            new_stance += pull(change.key, change.value) - pull(change.key, answers[change.key])
        new_kind, _pattern, new_margin, _confidence = decide(changed, new_stance, sides.open_score, sides.closed_score)
        if new_kind != kind:
            verdict_flips.append(VerdictFlip(change, new_kind, new_margin))
        new_top = start_pick(new_kind, sides.best_open, sides.best_closed)
        if top is not None and new_top is not None and new_top != top:
            top_flips.append(TopFlip(change, new_top))
    return verdict_flips, top_flips


def most_plausible(flips, margin, limit=2):
    """The smallest changes first, then the largest margin shift; one per question."""
    flips = sorted(flips, key=lambda flip: (flip.change.distance, -abs(flip.margin - margin), flip.change.order))
    chosen, seen = [], set()
    for flip in flips:
        if flip.change.key not in seen:
            seen.add(flip.change.key)
            chosen.append(flip)
        if len(chosen) == limit:
            break
    return chosen


def admitting_changes(catalogue, answers, limit=3):
    """The fewest answer changes to constraining questions that admit models: [Admission]."""
    singles = [
        change
        for change in alternatives(answers)
        if change.key in rules.CONSTRAINING and consistent(change.apply(answers))
    ]
    found = []
    for change in singles:
        eligible = eligibility(catalogue, change.apply(answers))
        if eligible.any():
            found.append(((change,), eligible))
    if not found:
        for first, second in combinations(singles, 2):
            if first.key == second.key:
                continue
            changed = second.apply(first.apply(answers))
            if not consistent(changed):
                continue
            eligible = eligibility(catalogue, changed)
            if eligible.any():
                found.append(((first, second), eligible))
    found.sort(key=lambda item: (sum(c.distance for c in item[0]), -int(item[1].sum()), [c.order for c in item[0]]))
    chosen, seen = [], set()
    for changes, eligible in found:
        keys = tuple(c.key for c in changes)
        if keys in seen:
            continue
        seen.add(keys)
        chosen.append(Admission(changes, [int(i) for i in eligible.nonzero()[0]]))
        if len(chosen) == limit:
            break
    return chosen
