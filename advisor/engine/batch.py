"""Speed layer for the "what would change" re-runs: many evaluations in a few matrix products.

``sides(catalogue, cases)`` answers, for each ``(answers, eligible)`` case, the part of
``prepared.evaluate(catalogue, answers, eligible=eligible)`` the what-if reads: whether any
model is left on the shortlist, and each side's best model with its fit score. Cases that
are scored together: one product of every model's values on every route with a matrix of
weights (one column per case), then each model's route picked per case, instead of one
evaluation per case.

``evaluate`` stays the reference: the engine tests compare this module with it.
"""

from dataclasses import dataclass

import numpy as np

from advisor.engine import weights
from advisor.engine.prepared import CRITERIA, below_bar, language_values, route_choice


@dataclass(frozen=True, slots=True)
class Sides:
    any_shortlisted: bool
    best_open: int | None
    best_closed: int | None
    open_score: float | None
    closed_score: float | None


def sides(catalogue, cases):
    """[Sides] in the order of ``cases``."""
    if not cases:
        return []
    size, count = catalogue.size, len(cases)
    points, totals, slots, language, shortlisted = [], [], [], {}, []
    language_rows = {}
    for column, (answers, eligible) in enumerate(cases):
        criterion_points = weights.criterion_points(answers)
        criteria_total = sum(criterion_points.values())
        language_points = weights.language_points(answers, criteria_total)
        points.append([criterion_points[slug] for slug in CRITERIA])
        totals.append(criteria_total + language_points)
        slots.append(route_choice(catalogue, answers)[0])
        if language_points:
            needed = tuple(answers["languages"])
            if needed not in language_rows:
                language_rows[needed] = language_values(catalogue, answers)
            language[column] = language_points * language_rows[needed]
        if answers["quality"] == "critical":
            eligible = eligible & ~below_bar(catalogue, answers, eligible)
        shortlisted.append(eligible)
    # Every model on every route for every case at once: (models, routes, cases) ...
    # (Small integers: exact in floating point, where the product is fast.)
    by_route = catalogue.float_values @ np.array(points, dtype=np.float64).T
    # ... then, per case, each model on the route it would take: (models, cases).
    columns = np.arange(count)
    raw = by_route[np.arange(size)[:, None], np.stack(slots, axis=1), columns]
    for column, row in language.items():
        raw[:, column] += row
    scores = raw * 10.0 / np.array(totals, dtype=np.int64)
    shortlisted = np.stack(shortlisted, axis=1)
    is_open = catalogue.is_open[:, None]
    best_open, has_open = _best(scores, shortlisted & is_open)
    best_closed, has_closed = _best(scores, shortlisted & ~is_open)
    open_scores = scores[best_open, columns].tolist()
    closed_scores = scores[best_closed, columns].tolist()
    best_open, best_closed = best_open.tolist(), best_closed.tolist()
    has_open, has_closed = has_open.tolist(), has_closed.tolist()
    return [
        Sides(
            any_shortlisted=has_open[column] or has_closed[column],
            best_open=best_open[column] if has_open[column] else None,
            best_closed=best_closed[column] if has_closed[column] else None,
            open_score=open_scores[column] if has_open[column] else None,
            closed_score=closed_scores[column] if has_closed[column] else None,
        )
        for column in range(count)
    ]


def _best(scores, mask):
    """Per column: the best model's row (ties: the first in name order) and whether there is one."""
    return np.argmax(np.where(mask, scores, -1.0), axis=0), mask.any(axis=0)
