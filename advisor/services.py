"""Services: the only module that touches both the ORM and the engine."""

import logging
import smtplib

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from advisor import catalogue, engine, models, scoring
from advisor.engine import questions

logger = logging.getLogger(__name__)

# -- Computed scores -------------------------------------------------------------

PLACEHOLDER_RATIONALE = (
    "Not rated by an editor yet: a middle score stands in until an editor rates it from the model's facts."
)


def scores_recompute(*, ai_model: models.AIModel) -> int:
    """Recompute a model's computed scores from its facts; return how many rows changed.

    Scores an editor marked as overrides keep their value and reason. An
    editorial criterion (capability) the model has no score for yet gets a
    middle placeholder, so every model stays scored on every criterion.
    """
    ai_model = models.AIModel.objects.select_related("provider", "licence").get(pk=ai_model.pk)
    computed = scoring.compute_scores(catalogue.model_facts(ai_model))
    criteria = {criterion.slug: criterion for criterion in models.Criterion.objects.all()}
    existing = {score.criterion.slug: score for score in ai_model.scores.select_related("criterion")}
    changed = 0
    with transaction.atomic():
        for slug, (value, rationale) in computed.items():
            criterion = criteria.get(slug)
            score = existing.get(slug)
            if criterion is None or (score is not None and score.is_override):
                continue
            if score is None:
                models.Score.objects.create(ai_model=ai_model, criterion=criterion, value=value, rationale=rationale)
            elif (score.value, score.rationale) != (value, rationale):
                score.value, score.rationale = value, rationale
                score.save(update_fields=["value", "rationale", "updated_at"])
            else:
                continue
            changed += 1
        for slug in scoring.EDITORIAL:
            if slug in criteria and slug not in existing:
                models.Score.objects.create(
                    ai_model=ai_model, criterion=criteria[slug], value=5, rationale=PLACEHOLDER_RATIONALE
                )
                changed += 1
    return changed


def licence_scores_recompute(*, licence: models.Licence) -> int:
    """Recompute the computed scores of every model under a licence; return how many rows changed."""
    return sum(scores_recompute(ai_model=ai_model) for ai_model in licence.models.all())


# -- Recommendations -----------------------------------------------------------

_prepared = {}


def catalogue_prepared() -> tuple[str, engine.PreparedCatalogue]:
    """Return ``(fingerprint, prepared catalogue)``, prepared once per catalogue version and day per process.

    The engine reads shutdown dates against the day it is given, so a new day prepares anew.
    """
    # The fingerprint first (one query): the cached snapshot is unpickled from
    # the cache on every get, which costs more than the engine run at 500 models.
    fingerprint = catalogue.current_fingerprint()
    today = timezone.localdate()
    prepared = _prepared.get((fingerprint, today))
    if prepared is None:
        fingerprint, snapshot = catalogue.catalogue_load()
        prepared = engine.prepare(snapshot, today=today)
        _prepared.clear()  # keep only the current catalogue in memory
        _prepared[fingerprint, today] = prepared
    return fingerprint, prepared


def preset_record(preset: models.AudiencePreset, answers: dict) -> dict:
    """Which answers came from an audience preset: those still equal to the preset's."""
    given = preset.answers if isinstance(preset.answers, dict) else {}
    keys = [key for key in questions.KEYS if key in given and key in answers and _same_answer(given[key], answers[key])]
    return {"slug": preset.slug, "name": preset.name, "keys": keys}


def _same_answer(left, right):
    if isinstance(left, (list, tuple)) or isinstance(right, (list, tuple)):
        return sorted(left or ()) == sorted(right or ())
    return left == right


def recommendation_create(
    *,
    answers: dict,
    previous: models.Recommendation | None = None,
    preset: models.AudiencePreset | None = None,
) -> models.Recommendation:
    """Run the engine on today's catalogue and save the result as a new permalink.

    Store inputs and output, not pointers to live rows: editors will change
    the catalogue later and a shared link must keep saying what it said.
    With ``previous``, the new result also records how its ranking differs
    from that earlier result (a re-evaluation); with ``preset``, which answers
    came from that audience preset. Bad answers raise ``engine.InvalidAnswers``
    before anything is saved.
    """
    fingerprint, prepared = catalogue_prepared()
    result = engine.recommend(answers, prepared).as_json()
    if preset is not None:
        result["from_preset"] = preset_record(preset, result["answers"])
    if previous is not None:
        result["reevaluation"] = ranking_changes(previous, result)
    with transaction.atomic():
        return models.Recommendation.objects.create(
            answers=result["answers"],
            result=result,
            catalogue_fingerprint=fingerprint,
            engine_version=engine.VERSION,
        )


def _ranked(result):
    ranked = [(entry["slug"], entry["name"]) for entry in result.get("ranking", [])]
    ranked += [(entry["slug"], entry["name"]) for entry in result.get("also_eligible", [])]
    return ranked


def ranking_changes(previous: models.Recommendation, result: dict) -> dict:
    """What changed between an earlier result and a new one on the same answers."""
    before_result = previous.result
    before = {slug: (position, name) for position, (slug, name) in enumerate(_ranked(before_result), start=1)}
    after = {slug: (position, name) for position, (slug, name) in enumerate(_ranked(result), start=1)}
    top_n = max(len(result.get("ranking", [])), 1)
    moved = []
    for slug, (position, name) in after.items():
        if position > top_n:
            continue
        old = before.get(slug)
        moved.append(
            {
                "slug": slug,
                "name": name,
                "rank": position,
                "previous_rank": old[0] if old else None,
            }
        )
    dropped = [
        {"slug": slug, "name": name, "previous_rank": position}
        for slug, (position, name) in before.items()
        if position <= top_n and slug not in after
    ]
    return {
        "previous_code": str(previous.code),
        "previous_created": previous.created.isoformat(),
        "previous_verdict": before_result.get("verdict", {}).get("kind"),
        "verdict_changed": before_result.get("verdict", {}).get("kind") != result["verdict"]["kind"],
        "top": moved,
        "dropped": sorted(dropped, key=lambda entry: entry["previous_rank"]),
    }


def today_preview(recommendation: models.Recommendation) -> dict | None:
    """What the same answers would give on today's catalogue, as it matters to this result.

    ``None`` when the saved answers no longer pass the questionnaire (an older engine's result).
    Otherwise: the verdict then and now, the pick to start with then and now, and each model
    of the saved shortlist (or top three) that is no longer eligible, with the first reason.
    """
    _fingerprint, prepared = catalogue_prepared()
    try:
        now = engine.recommend(recommendation.answers, prepared, what_if=False).as_json()
    except engine.InvalidAnswers:
        return None
    before = recommendation.result
    excluded = {item["slug"]: item for item in now["excluded"]}
    eligible = {entry["slug"] for entry in [*now["ranking"], *now["also_eligible"]]}
    ranks = {entry["slug"]: entry["rank"] for entry in before.get("ranking", [])}
    watched = before.get("picks") or before.get("ranking", [])[:3]
    gone = []
    for entry in watched:
        if entry["slug"] in eligible:
            continue
        reasons = excluded.get(entry["slug"], {}).get("reasons") or []
        gone.append(
            {
                "slug": entry["slug"],
                "name": entry["name"],
                "rank": ranks.get(entry["slug"]),
                "reason": reasons[0]["message"] if reasons else None,
            }
        )
    start_before = (before.get("picks") or [{}])[0]
    start_now = (now.get("picks") or [{}])[0]
    return {
        "verdict_before": before.get("verdict", {}).get("kind"),
        "verdict_now": now["verdict"]["kind"],
        "start_before": start_before.get("name"),
        "start_now": start_now.get("name"),
        "start_changed": start_before.get("slug") != start_now.get("slug"),
        "gone": gone,
    }


def report_notify(*, report: models.InaccuracyReport, url: str) -> int:
    """Tell the editors about a new report by email; return how many were told."""
    from advisor import roles

    recipients = list(
        get_user_model()
        .objects.filter(groups__name=roles.EDITORS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    subject = f"Inaccuracy reported: {report.subject}"
    body = f"{report.what_is_wrong}\n\nSource: {report.source_url}\n\nReview it: {url}\n"
    try:
        send_mail(subject, body, None, recipients)
    except (OSError, smtplib.SMTPException):
        # The report is saved and waits in the admin's queue; a mail outage must not lose it.
        logger.warning("could not email the editors about a new inaccuracy report", exc_info=True)
        return 0
    return len(recipients)
