"""The catalogue prepared for fast, repeated evaluations, and one evaluation of a set of answers.

``prepare(snapshot, today=...)`` reads every model's facts once and lays its criterion values out
per route (``routes.ALL_ROUTES``) as an integer array, so that scoring every model for a set of
answers is one gather and one matrix product, and the "what would change" re-runs stay cheap.
Which models a rule excludes is computed once per combination of the answers the rule reads,
on first use, and kept.

``evaluate(catalogue, answers)`` is the whole ranking for one set of answers: who is eligible,
which route each model would take, its fit score, and each side's best model.
"""

import datetime
from dataclasses import dataclass, field

import numpy as np

from advisor import scoring
from advisor.engine import routes, rules, weights
from advisor.engine.facts import model_facts
from advisor.engine.questions import LANGUAGES

CRITERIA = scoring.CRITERIA
POSITION = {slug: position for position, slug in enumerate(CRITERIA)}
CAPABILITY_BAR = 8  # quality "critical": while a model rated 8 or more fits ...
BELOW_BAR = 5  # ... models rated 5 or less are not proposed


@dataclass(slots=True)
class PreparedCatalogue:
    """Read-only for callers; the caches fill on use."""

    today: object
    criteria: tuple  # ((slug, name), ...) in CRITERIA order
    models: tuple  # ModelFacts sorted by (name, slug): ties break in this order
    is_open: np.ndarray
    capability: np.ndarray
    values: np.ndarray  # (models, route slots, criteria) int
    float_values: np.ndarray  # the same as floats, for fast products (small integers are exact)
    documented: dict  # language -> bool array: the documentation confirms it
    gpu_prices: tuple = ()  # the GPU prices editors keep, for cost estimates
    masks: dict = field(default_factory=dict)  # (group, state) -> (bool array, {index: exclusion})
    route_cache: dict = field(default_factory=dict)  # route answers -> (slot array, [Route or None])

    @property
    def size(self) -> int:
        return len(self.models)


def prepare(snapshot: dict, *, today: datetime.date) -> PreparedCatalogue:
    entries = sorted(snapshot.get("models") or (), key=lambda e: (e.get("name") or e["slug"], e["slug"]))
    models = tuple(model_facts(index, entry, today) for index, entry in enumerate(entries))
    names = {item.get("slug"): item.get("name") for item in snapshot.get("criteria") or ()}
    criteria = tuple((slug, names.get(slug) or slug.replace("-", " ").capitalize()) for slug in CRITERIA)
    values = np.zeros((len(models), len(routes.ALL_ROUTES), len(CRITERIA)), dtype=np.int64)
    for facts in models:
        stored = [facts.values[slug] for slug in CRITERIA]
        for route in routes.ALL_ROUTES:
            row = list(stored)
            if facts.is_open == (route.kind != routes.API):
                for slug, (value, _rationale) in routes.route_values(facts, route).items():
                    row[POSITION[slug]] = value
            values[facts.index, route.slot] = row
    return PreparedCatalogue(
        today=today,
        criteria=criteria,
        models=models,
        is_open=np.array([facts.is_open for facts in models], dtype=bool),
        capability=np.array([facts.capability for facts in models], dtype=np.int64),
        values=values,
        float_values=values.astype(np.float64),
        documented={
            code: np.array([facts.documents(code) for facts in models], dtype=bool) for code, _label in LANGUAGES
        },
        gpu_prices=tuple(dict(price) for price in snapshot.get("gpu_prices") or ()),
    )


# -- Eligibility --------------------------------------------------------------------------------


def _rule_call(rule, facts, values, today):
    if rule in rules.DATED:
        return rule(facts, *values, today=today)
    return rule(facts, *values)


def group_result(catalogue, group, state):
    """(passing bool array, {model index: exclusion}) for one rule group in one answer state."""
    cached = catalogue.masks.get((group.name, state))
    if cached is None:
        values = (state,) if group.per_item else state
        failed = {}
        for facts in catalogue.models:
            reason = _rule_call(group.rule, facts, values, catalogue.today)
            if reason is not None:
                failed[facts.index] = reason
        passing = np.ones(catalogue.size, dtype=bool)
        passing[list(failed)] = False
        cached = catalogue.masks[group.name, state] = (passing, failed)
    return cached


def group_states(group, answers):
    if group.per_item:
        return tuple(answers[group.reads[0]])
    return (tuple(answers[key] for key in group.reads),)


def eligibility(catalogue: PreparedCatalogue, answers: dict, groups=rules.GROUPS) -> np.ndarray:
    """Which models pass every rule group in ``groups`` (all of them by default), as a bool array."""
    eligible = np.ones(catalogue.size, dtype=bool)
    for group in groups:
        for state in group_states(group, answers):
            eligible &= group_result(catalogue, group, state)[0]
    return eligible


def exclusions(catalogue: PreparedCatalogue, answers: dict) -> dict[int, list]:
    reasons = {}
    for group in rules.GROUPS:
        for state in group_states(group, answers):
            for index, reason in group_result(catalogue, group, state)[1].items():
                reasons.setdefault(index, []).append(reason)
    return reasons


# -- Routes and scores ----------------------------------------------------------------------------


def route_choice(catalogue, answers):
    """(slot array, [Route or None per model], criterion values on those routes) for the answers."""
    key = tuple(answers[k] for k in routes.ROUTE_KEYS)
    cached = catalogue.route_cache.get(key)
    if cached is None:
        chosen = [routes.chosen_route(facts, answers) for facts in catalogue.models]
        slots = np.array([0 if route is None else route.slot for route in chosen], dtype=np.intp)
        values = catalogue.values[np.arange(catalogue.size), slots]
        cached = catalogue.route_cache[key] = (slots, chosen, values)
    return cached


@dataclass(slots=True)
class Evaluation:
    answers: dict
    eligible: np.ndarray  # meets every hard constraint
    shortlisted: np.ndarray  # eligible and not below the quality bar
    below_bar: np.ndarray
    points: dict  # criterion -> weight points
    language_points: int
    total: int  # all weight points, the language row included
    scores: np.ndarray  # fit score 0-100 per model
    language_values: np.ndarray
    slots: np.ndarray
    chosen_routes: list
    best_open: int | None
    best_closed: int | None

    def side_score(self, index):
        return None if index is None else float(self.scores[index])


def _best(scores, mask):
    if not mask.any():
        return None
    return int(np.argmax(np.where(mask, scores, -1.0)))  # ties: the first in name order


def language_values(catalogue, answers):
    """0-10 per model: the share of the required languages its documentation confirms."""
    needed = answers["languages"]
    documented = sum(catalogue.documented[code].astype(np.int64) for code in needed)
    return (documented * 10) // len(needed)


def below_bar(catalogue, answers, eligible):
    """Quality "critical": while an eligible model is rated 8 or more, those rated 5 or less are not proposed."""
    if answers["quality"] == "critical" and (eligible & (catalogue.capability >= CAPABILITY_BAR)).any():
        return eligible & (catalogue.capability <= BELOW_BAR)
    return np.zeros(catalogue.size, dtype=bool)


def evaluate(catalogue: PreparedCatalogue, answers: dict, *, eligible: np.ndarray | None = None) -> "Evaluation":
    if eligible is None:
        eligible = eligibility(catalogue, answers)
    points = weights.criterion_points(answers)
    criteria_total = sum(points.values())
    language_points = weights.language_points(answers, criteria_total)
    total = criteria_total + language_points
    slots, chosen, values = route_choice(catalogue, answers)
    raw = values @ np.array([points[slug] for slug in CRITERIA], dtype=np.int64)
    language_row = np.zeros(catalogue.size, dtype=np.int64)
    if language_points:
        language_row = language_values(catalogue, answers)
        raw = raw + language_points * language_row
    scores = raw * 10.0 / total
    below = below_bar(catalogue, answers, eligible)
    shortlisted = eligible & ~below
    return Evaluation(
        answers=answers,
        eligible=eligible,
        shortlisted=shortlisted,
        below_bar=below,
        points=points,
        language_points=language_points,
        total=total,
        scores=scores,
        language_values=language_row,
        slots=slots,
        chosen_routes=chosen,
        best_open=_best(scores, shortlisted & catalogue.is_open),
        best_closed=_best(scores, shortlisted & ~catalogue.is_open),
    )
