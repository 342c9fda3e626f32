"""``recommend()``: answers and a prepared catalogue in, a result as plain data out."""

from collections import Counter
from typing import NamedTuple

import numpy as np

from advisor.engine import costs, explain, rules, verdict, weights, whatif
from advisor.engine.prepared import PreparedCatalogue, evaluate, exclusions
from advisor.engine.questions import BY_KEY, as_json, check
from advisor.engine.text import gettext_noop as _
from advisor.engine.text import msg, one_decimal

VERSION = "3"
TOP_N = 10
TIER_MARGIN = 3.0  # models within 3 points of a tier's best are "about equally good"

TIE_BREAK = _("Models with the same score are listed by name, then by slug.")
TIER_NOTE = _("Models within %(margin)s points of each other form a tier: about equally good for you.")
BELOW_BAR = _("Rated %(value)s out of 10 on capability, below what you need while models rated 8 or more fit.")
ROLES = {
    "start": _("Start with"),
    "alternative": _("Best alternative on the other side"),
    "later": _("Move to later"),
    "api-part": _("For the API part of your plan"),
    "open-part": _("For the open part of your plan"),
}
PICK_WHY = _("Best %(side)s fit for your criteria: %(score)s out of 100.")
CHANGE_MESSAGES = {
    "set": _('If your answer to "%(question)s" were "%(answer)s", the verdict would become %(verdict)s.'),
    "add": _('If you added "%(answer)s" to "%(question)s", the verdict would become %(verdict)s.'),
    "remove": _('If you removed "%(answer)s" from "%(question)s", the verdict would become %(verdict)s.'),
}
TOP_CHANGE_MESSAGES = {
    "set": _('If your answer to "%(question)s" were "%(answer)s", the pick to start with would be %(name)s.'),
    "add": _('If you added "%(answer)s" to "%(question)s", the pick to start with would be %(name)s.'),
    "remove": _('If you removed "%(answer)s" from "%(question)s", the pick to start with would be %(name)s.'),
}
ADMIT_ONE = _('Answer "%(answer)s" to "%(question)s"')
ADMIT_ADD = _('Add "%(answer)s" to "%(question)s"')
ADMIT_REMOVE = _('Remove "%(answer)s" from "%(question)s"')
ADMIT_MESSAGE = _("%(changes)s: %(count)s models would fit, such as %(names)s.")
ADMIT_MESSAGE_ONE = _("%(changes)s: one model would fit, %(names)s.")
VERDICT_WORDS = {"open": "open", "closed": "closed", "hybrid": "hybrid"}


def _side(facts):
    return "open" if facts.is_open else "closed"


def _change_words(change):
    question = BY_KEY[change.key]
    answer = question.labels[change.item]
    text = {"set": ADMIT_ONE, "add": ADMIT_ADD, "remove": ADMIT_REMOVE}[change.form]
    return msg(text, question=question.label, answer=answer)


def _answer_json(key, value):
    return list(value) if BY_KEY[key].multiple else value


def _order(evaluation, mask):
    indices = mask.nonzero()[0]
    scores = evaluation.scores[indices]
    return [int(i) for i in indices[np.lexsort((indices, -scores))]]


def _tiers(order, scores):
    tiers, leader, number = {}, None, 0
    for index in order:
        if leader is None or scores[leader] - scores[index] > TIER_MARGIN:
            leader, number = index, number + 1
        tiers[index] = number
    return tiers


def _verdict_reasons(answers, kind, pattern, evaluation, catalogue, reasons_by_model):
    models = catalogue.models
    reasons = []
    if kind == "none":
        return [msg(verdict.NONE_REASON)]
    if pattern == "one-side":
        other_open = kind == "closed"
        counts = Counter(
            reason_list[0]["rule"]
            for index, reason_list in reasons_by_model.items()
            if models[index].is_open == other_open
        )
        names = [rules.RULE_NAMES.get(rule, rule) for rule, _n in counts.most_common(2)]
        reasons.append(msg(verdict.FORCED[kind], rules=", ".join(names) or "your constraints"))
    if kind == "hybrid":
        reasons.append(msg(verdict.PLAN_REASONS[pattern]))
    # The answers that pull, in questionnaire order; the strongest on the verdict's side give its reasons.
    pulls = [verdict.PULLS[key][answers[key]] for key in verdict.PULLING if answers[key] in verdict.PULLS[key]]
    towards_open = sorted((p for p in pulls if p.points > 0), key=lambda p: -p.points)  # stable: ties keep order
    towards_closed = sorted((p for p in pulls if p.points < 0), key=lambda p: p.points)
    if kind == "open":
        chosen = towards_open[:2]
    elif kind == "closed":
        chosen = towards_closed[:2]
    else:
        chosen = towards_closed[:1] + towards_open[:1]
    reasons.extend(msg(p.reason) for p in chosen)
    best_open, best_closed = evaluation.best_open, evaluation.best_closed
    if best_open is not None and best_closed is not None and len(reasons) < 3:
        open_score, closed_score = evaluation.side_score(best_open), evaluation.side_score(best_closed)
        behind = (kind == "open" and open_score < closed_score) or (kind == "closed" and closed_score < open_score)
        reasons.append(
            msg(
                verdict.SCORE_AGAINST[kind] if behind else verdict.SCORE_REASON,
                open_name=models[best_open].name,
                open_score=one_decimal(open_score),
                closed_name=models[best_closed].name,
                closed_score=one_decimal(closed_score),
            )
        )
    return reasons[:3]


def _weights_json(catalogue, evaluation):
    answers, total = evaluation.answers, evaluation.total
    rows = []
    for slug, name in catalogue.criteria:
        found = weights.sources(answers, slug)
        if slug == "capability":
            why = msg(
                weights.WEIGHT_CAPABILITY,
                use_case=BY_KEY["use_case"].labels[answers["use_case"]],
                quality=BY_KEY["quality"].labels[answers["quality"]],
            )
        elif found:
            key, value, _points = max(found, key=lambda item: (item[2], -list(BY_KEY).index(item[0])))
            why = msg(weights.WEIGHT_RAISED, question=BY_KEY[key].label, answer=BY_KEY[key].labels[value])
        else:
            why = msg(weights.WEIGHT_BASE)
        rows.append(
            {
                "criterion": slug,
                "name": name,
                "weight": round(evaluation.points[slug] / total, 4),
                "points": evaluation.points[slug],
                "base": weights.BASE_WEIGHTS[slug],
                "sources": [{"question": k, "answer": v, "points": p} for k, v, p in found],
                "why": why,
            }
        )
    if evaluation.language_points:
        labels = BY_KEY["languages"].labels
        rows.append(
            {
                "criterion": weights.LANGUAGE_ROW,
                "name": weights.LANGUAGE_NAME,
                "weight": round(evaluation.language_points / total, 4),
                "points": evaluation.language_points,
                "base": 0,
                "sources": [
                    {
                        "question": "languages",
                        "answer": list(answers["languages"]),
                        "points": evaluation.language_points,
                    }
                ],
                "why": msg(weights.WEIGHT_LANGUAGES, languages=", ".join(labels[c] for c in answers["languages"])),
            }
        )
    return rows


def _licence_json(facts):
    licence = facts.licence
    return {
        "slug": licence.get("slug") or "",
        "name": licence.get("name") or "",
        "category": licence.get("category") or "",
        "url": licence.get("url") or "",
    }


def _detail_json(catalogue, evaluation, index, rank, tier, heavy):
    facts = catalogue.models[index]
    answers = evaluation.answers
    route = evaluation.chosen_routes[index]
    rows = explain.contributions(catalogue, evaluation, facts)
    duties, caveats = explain.duties_and_caveats(facts, answers, route, dict(catalogue.criteria))
    return {
        "rank": rank,
        "tier": tier,
        "slug": facts.slug,
        "name": facts.name,
        "provider": facts.provider,
        "access": facts.access,
        "licence": _licence_json(facts),
        "route": explain.route_json(facts, route, answers["deployment"]),
        "capability": facts.capability,
        "score": round(float(evaluation.scores[index]), 2),
        "contributions": rows,
        "reasons": explain.fit_reasons(facts, answers, rows, heavy),
        "obligations": duties,
        "caveats": caveats,
    }


class Pick(NamedTuple):
    """A model picked for the shortlist: its role and its index in the catalogue."""

    role: str
    index: int | None


def _picks(kind, pattern, evaluation):
    best_open, best_closed = evaluation.best_open, evaluation.best_closed
    if kind == "open":
        return [Pick("start", best_open), Pick("alternative", best_closed)]
    if kind == "closed":
        return [Pick("start", best_closed), Pick("alternative", best_open)]
    if kind == "hybrid":
        if pattern == "start-closed":
            return [Pick("start", best_closed), Pick("later", best_open)]
        return [Pick("api-part", best_closed), Pick("open-part", best_open)]
    return []


class Result:
    """What ``recommend()`` found; ``as_json()`` gives the plain data to store."""

    def __init__(self, data):
        self.data = data

    def as_json(self) -> dict:
        return self.data


def recommend(answers: dict, catalogue: PreparedCatalogue, *, what_if: bool = True) -> Result:
    """Recommend for validated answers (``questions.check()`` is applied; bad answers raise ``InvalidAnswers``)."""
    answers = check(answers)
    models = catalogue.models
    evaluation = evaluate(catalogue, answers)
    stance = verdict.stance(answers)
    open_score = evaluation.side_score(evaluation.best_open)
    closed_score = evaluation.side_score(evaluation.best_closed)
    kind, pattern, margin, confidence = verdict.decide(answers, stance, open_score, closed_score)
    reasons_by_model = exclusions(catalogue, answers)

    order = _order(evaluation, evaluation.shortlisted)
    tiers = _tiers(order, evaluation.scores)
    heavy = {slug for slug, _p in sorted(evaluation.points.items(), key=lambda item: (-item[1], item[0]))[:4]}
    picks = [pick for pick in _picks(kind, pattern, evaluation) if pick.index is not None]
    detailed = order[:TOP_N] + [pick.index for pick in picks if pick.index not in order[:TOP_N]]
    rank_of = {index: rank for rank, index in enumerate(order, start=1)}
    ranking = [_detail_json(catalogue, evaluation, index, rank_of[index], tiers[index], heavy) for index in detailed]

    top = picks[0].index if picks else None
    verdict_flips, top_flips, admit = [], [], []
    if what_if and kind != "none":
        verdict_flips, top_flips = whatif.verdict_and_top_flips(catalogue, evaluation, kind, top)
    if what_if and kind == "none":
        admit = whatif.admitting_changes(catalogue, answers)

    forced = None
    if pattern == "one-side":
        forced = _verdict_reasons(answers, kind, pattern, evaluation, catalogue, reasons_by_model)[0]
    data = {
        "engine_version": VERSION,
        "today": catalogue.today.isoformat(),
        "answers": as_json(answers),
        "verdict": {
            "kind": kind,
            "confidence": confidence,
            "margin": margin,
            "stance": stance,
            "pattern": pattern,
            "forced": forced,
            "headline": msg(verdict.HEADLINES[pattern if kind in ("hybrid", "none") else kind]),
            "reasons": _verdict_reasons(answers, kind, pattern, evaluation, catalogue, reasons_by_model),
            "best_open": _side_json(models, evaluation, evaluation.best_open, rank_of),
            "best_closed": _side_json(models, evaluation, evaluation.best_closed, rank_of),
            "what_would_change": [
                {
                    "question": change.key,
                    "answer": _answer_json(change.key, change.value),
                    "verdict": new_kind,
                    "margin": new_margin,
                    "message": msg(
                        CHANGE_MESSAGES[change.form],
                        question=BY_KEY[change.key].label,
                        answer=BY_KEY[change.key].labels[change.item],
                        verdict=VERDICT_WORDS[new_kind],
                    ),
                }
                for change, new_kind, new_margin in whatif.most_plausible(verdict_flips, margin)
            ],
        },
        "picks": [
            {
                "role": role,
                "role_text": msg(ROLES[role]),
                "slug": models[index].slug,
                "name": models[index].name,
                "access": models[index].access,
                "tier": tiers[index],
                "score": round(float(evaluation.scores[index]), 2),
                "why": msg(PICK_WHY, side=_side(models[index]), score=one_decimal(float(evaluation.scores[index]))),
                # The terms as they stood, so the permalink shows this pick's duties as they were.
                "licence_facts": dict(models[index].licence),
                "cost": costs.monthly_cost(
                    models[index], evaluation.chosen_routes[index], answers, catalogue.gpu_prices
                ),
            }
            for role, index in picks
        ],
        "weights": _weights_json(catalogue, evaluation),
        "ranking": ranking,
        "also_eligible": [
            {
                "rank": rank_of[index],
                "tier": tiers[index],
                "slug": models[index].slug,
                "name": models[index].name,
                "access": models[index].access,
                "score": round(float(evaluation.scores[index]), 2),
            }
            for index in order
            if index not in detailed
        ],
        "below_bar": [
            {
                "slug": models[index].slug,
                "name": models[index].name,
                "access": models[index].access,
                "score": round(float(evaluation.scores[index]), 2),
                "message": msg(BELOW_BAR, value=models[index].capability),
            }
            for index in _order(evaluation, evaluation.below_bar)
        ],
        "top_pick_change": [
            {
                "question": change.key,
                "answer": _answer_json(change.key, change.value),
                "slug": models[new_top].slug,
                "name": models[new_top].name,
                "message": msg(
                    TOP_CHANGE_MESSAGES[change.form],
                    question=BY_KEY[change.key].label,
                    answer=BY_KEY[change.key].labels[change.item],
                    name=models[new_top].name,
                ),
            }
            for change, new_top in _first_per_question(top_flips)
        ],
        "admit": [
            {
                "changes": [
                    {"question": c.key, "answer": _answer_json(c.key, c.value), "message": _change_words(c)}
                    for c in changes
                ],
                "count": len(admitted),
                "models": [models[i].slug for i in admitted[:3]],
                "message": msg(
                    ADMIT_MESSAGE_ONE if len(admitted) == 1 else ADMIT_MESSAGE,
                    changes="; ".join(_english(_change_words(c)) for c in changes),
                    count=len(admitted),
                    names=", ".join(models[i].name for i in admitted[:3]),
                ),
            }
            for changes, admitted in admit
        ],
        "excluded": [
            {
                "slug": models[i].slug,
                "name": models[i].name,
                "access": models[i].access,
                "licence": models[i].licence.get("slug") or "",
                "reasons": reasons_by_model[i],
            }
            for i in sorted(reasons_by_model)
        ],
        "counts": {
            "models": catalogue.size,
            "eligible": int(evaluation.eligible.sum()),
            "eligible_open": int((evaluation.eligible & catalogue.is_open).sum()),
            "eligible_closed": int((evaluation.eligible & ~catalogue.is_open).sum()),
            "excluded": len(reasons_by_model),
            "below_bar": int(evaluation.below_bar.sum()),
        },
        "tier_note": msg(TIER_NOTE, margin=f"{TIER_MARGIN:g}"),
        "tie_break": msg(TIE_BREAK),
    }
    return Result(data)


def _english(message):
    return message["msgid"] % message["params"]


def _first_per_question(flips, limit=2):
    chosen, seen = [], set()
    for flip in sorted(flips, key=lambda flip: flip.change.order):
        if flip.change.key not in seen:
            seen.add(flip.change.key)
            chosen.append(flip)
        if len(chosen) == limit:
            break
    return chosen


def _side_json(models, evaluation, index, rank_of):
    if index is None:
        return None
    facts = models[index]
    return {
        "slug": facts.slug,
        "name": facts.name,
        "score": round(float(evaluation.scores[index]), 2),
        "rank": rank_of.get(index),
    }
