"""Services: the only module that touches both the ORM and the engine."""

import datetime
import functools
import hashlib
import json
import logging
import smtplib
import time
import uuid
from collections.abc import Callable, Mapping
from types import MappingProxyType

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext

from advisor import catalogue, engine, models, scoring
from advisor.engine import questions, team

logger = logging.getLogger(__name__)

# -- Computed scores -------------------------------------------------------------


def scores_recompute(*, ai_model: models.AIModel, ratings: Mapping[str, tuple[int, str]] = MappingProxyType({})) -> int:
    """Recompute a model's computed scores from its facts; return how many rows changed.

    Scores an editor marked as overrides keep their value and reason. An
    editorial criterion (capability) the model has no score for yet gets the
    editor's rating from ``ratings`` (``{slug: (value, rationale)}``, given on
    the form that adds the model), else a middle placeholder, so every model
    stays scored on every criterion.
    """
    ai_model = models.AIModel.objects.select_related("provider", "licence").get(pk=ai_model.pk)
    computed = scoring.compute_scores(catalogue.snapshot_entry(ai_model))
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
                value, rationale = ratings.get(slug, (5, scoring.PLACEHOLDER_RATIONALE))
                models.Score.objects.create(
                    ai_model=ai_model, criterion=criteria[slug], value=value, rationale=rationale
                )
                changed += 1
    return changed


def licence_scores_recompute(*, licence: models.Licence) -> int:
    """Recompute the computed scores of every model under a licence; return how many rows changed."""
    return sum(scores_recompute(ai_model=ai_model) for ai_model in licence.models.all())


# -- Recommendations -----------------------------------------------------------


@functools.lru_cache(maxsize=4)  # the latest version, and a few older ones permalinks re-render from
def _prepared(number, fingerprint, today):
    """Version ``number`` prepared for the engine on ``today``, kept per process (a version never changes)."""
    snapshot = catalogue.snapshot_of(number, fingerprint) if number is not None else catalogue.EMPTY_SNAPSHOT
    return engine.prepare(snapshot, today=today)


def catalogue_prepared() -> tuple[str, engine.PreparedCatalogue]:
    """Return ``(fingerprint, prepared catalogue)`` of the latest published version, prepared once per day per process.

    The engine reads shutdown dates against the day it is given, so a new day prepares anew.
    """
    number, fingerprint, _published_at = catalogue.latest()
    return fingerprint, _prepared(number, fingerprint, timezone.localdate())


class NotPublished(Exception):
    """No catalogue version has been published yet: there is nothing to compute a result on."""


def preset_record(preset: models.AudiencePreset, answers: dict) -> dict:
    """Which answers came from an audience preset: those still equal to the preset's."""
    given = preset.answers if isinstance(preset.answers, dict) else {}
    keys = [key for key in questions.KEYS if key in given and key in answers and _same_answer(given[key], answers[key])]
    return {"slug": preset.slug, "name": preset.name, "keys": keys}


def _same_answer(left, right):
    if isinstance(left, (list, tuple)) or isinstance(right, (list, tuple)):
        return sorted(left or ()) == sorted(right or ())
    return left == right


class SubmissionRefused(Exception):
    """``admit`` refused the submission (the client is over its limit): nothing was saved."""


def recommendation_create(
    *,
    answers: dict,
    previous: models.Recommendation | None = None,
    preset: models.AudiencePreset | None = None,
    whole: bool = False,
    admit: Callable[[], bool] | None = None,
) -> models.Recommendation:
    """Run the engine on today's catalogue and save the result as a new permalink.

    A shared link must keep saying what it said while editors change the
    catalogue. The result names the catalogue version and the day it was
    computed on and stores the answers, plus what the engine cannot re-derive:
    with ``previous``, how its ranking differs from that earlier result (a
    re-evaluation); with ``preset``, which answers came from that audience
    preset. A digest of the engine's decisions lets every later rendering
    prove it says the same. The "what would change" re-runs are left to the
    first rendering unless ``whole`` asks for the whole result now (the API
    answers with it). ``admit`` (the submission limit) is asked in the same
    transaction that saves the result, so a submission costs one commit;
    when it says no, ``SubmissionRefused`` is raised and nothing is saved.
    Bad answers raise ``engine.InvalidAnswers`` before anything is saved.
    """
    version, fingerprint, _published_at = catalogue.latest()
    if version is None:
        raise NotPublished
    prepared = _prepared(version, fingerprint, timezone.localdate())
    output = engine.recommend(answers, prepared, what_if=whole).as_json()
    stored = {"digest": _digest(output)}
    if preset is not None:
        stored["from_preset"] = preset_record(preset, output["answers"])
    if previous is not None:
        stored["reevaluation"] = ranking_changes(previous, output)
    with transaction.atomic():
        if admit is not None and not admit():
            raise SubmissionRefused
        recommendation = models.Recommendation.objects.create(
            answers=output["answers"],
            result=stored,
            catalogue_version_id=version,
            today=prepared.today,
            catalogue_fingerprint=fingerprint,
            engine_version=engine.VERSION,
        )
    if whole:
        output.update({key: value for key, value in stored.items() if key != "digest"})
        recommendation._whole_result = output  # what the API answers at once, without a second engine run
    return recommendation


def _digest(output):
    """A SHA-256 of what the engine decided: verdict, picks, ranking, exclusions and their rules.

    The wording of reasons and the "what would change" re-runs are left out: the first may be
    improved without changing a decision, the second is derived from the same inputs.
    """
    verdict = output["verdict"]
    decisions = {
        "engine_version": output["engine_version"],
        "today": output["today"],
        "answers": output["answers"],
        "verdict": [verdict["kind"], verdict["confidence"], verdict["margin"], verdict["pattern"]],
        "picks": [[pick["role"], pick["slug"], pick["score"], pick["tier"]] for pick in output["picks"]],
        "ranking": [[entry["slug"], entry["score"], entry["rank"]] for entry in output["ranking"]],
        "also_eligible": [[entry["slug"], entry["score"]] for entry in output["also_eligible"]],
        "below_bar": [entry["slug"] for entry in output["below_bar"]],
        "excluded": [[entry["slug"], [reason["rule"] for reason in entry["reasons"]]] for entry in output["excluded"]],
        "counts": output["counts"],
    }
    encoded = json.dumps(decisions, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def recommendation_result(recommendation: models.Recommendation) -> dict:
    """The whole result of a saved recommendation, as the engine gave it when it was saved.

    A result saved before catalogue versions existed holds it whole. A newer
    one is re-derived by the engine from its answers, its catalogue version
    and its day; the pure engine gives the same output for the same inputs,
    which the stored digest checks. Should it ever differ (an engine change
    that forgot to keep old results), the result is marked ``reproduced:
    False`` and the page says so rather than pass a new answer off as the old.
    """
    stored = recommendation.result
    if recommendation.catalogue_version_id is None:
        return stored
    if hasattr(recommendation, "_whole_result"):
        return recommendation._whole_result

    prepared = _prepared(
        recommendation.catalogue_version_id, recommendation.catalogue_fingerprint, recommendation.today
    )
    output = engine.recommend(recommendation.answers, prepared).as_json()
    if _digest(output) != stored.get("digest") or recommendation.engine_version != engine.VERSION:
        logger.error("a saved result no longer reproduces from its answers and catalogue version")
        output["reproduced"] = False
    output.update({key: value for key, value in stored.items() if key != "digest"})
    return output


def recommendation_opened(code: uuid.UUID) -> None:
    """Note that a result's permalink was opened today, when results are purged after a retention period.

    At most one row write per result and day; nothing at all when every result is kept.
    """
    if settings.ADVISOR_RESULT_RETENTION_DAYS is None:
        return
    today = timezone.localdate()
    models.Recommendation.objects.filter(code=code).exclude(last_opened=today).update(last_opened=today)


def _ranked(result):
    ranked = [(entry["slug"], entry["name"]) for entry in result.get("ranking", [])]
    ranked += [(entry["slug"], entry["name"]) for entry in result.get("also_eligible", [])]
    return ranked


def ranking_changes(previous: models.Recommendation, result: dict) -> dict:
    """What changed between an earlier result and a new one on the same answers."""
    before_result = recommendation_result(previous)
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
        "previous_created": previous.created_at.isoformat(),
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
    before = recommendation_result(recommendation)
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


# -- Decision rooms --------------------------------------------------------------------------


class RoomClosed(Exception):
    """The room is closed: it takes no more answers or changes."""


class RoomFull(Exception):
    """The room has its ``DecisionRoom.MAX_MEMBERS`` members already."""


def room_create(
    *, title: str, context: str = "", deadline: datetime.date | None = None, admit: Callable[[], bool] | None = None
) -> tuple[models.DecisionRoom, str]:
    """Open a decision room; return it and the lead's manage token (stored only as a digest)."""
    token = models.capability_token()
    with transaction.atomic():
        if admit is not None and not admit():
            raise SubmissionRefused
        room = models.DecisionRoom.objects.create(
            title=title, context=context, deadline=deadline, manage_digest=models.token_digest(token)
        )
    return room, token


def room_for_manager(token: str) -> models.DecisionRoom | None:
    return models.DecisionRoom.objects.filter(manage_digest=models.token_digest(token)).first()


def member_for_token(token: str) -> models.RoomMember | None:
    return models.RoomMember.objects.select_related("room").filter(edit_digest=models.token_digest(token)).first()


def _room_locked(room):
    """The room's row, locked until the transaction ends (PostgreSQL; SQLite's write lock serialises anyway)."""
    return models.DecisionRoom.objects.select_for_update().get(pk=room.pk)


def member_add(
    *, room: models.DecisionRoom, name: str, answers: dict, admit: Callable[[], bool] | None = None
) -> tuple[models.RoomMember, str]:
    """Add a member's (valid) answers to an open room; return the member and their edit token.

    Raises ``RoomClosed``, ``RoomFull`` or ``SubmissionRefused``, having saved nothing.
    """
    token = models.capability_token()
    now = timezone.now()
    with transaction.atomic():
        locked = _room_locked(room)
        if locked.is_closed:
            raise RoomClosed
        if locked.members.count() >= models.DecisionRoom.MAX_MEMBERS:
            raise RoomFull
        if admit is not None and not admit():
            raise SubmissionRefused
        member = models.RoomMember.objects.create(
            room=locked,
            name=name,
            answers=answers,
            edit_digest=models.token_digest(token),
            created_at=now,
            updated_at=now,
        )
        models.DecisionRoom.objects.filter(pk=room.pk).update(last_activity=now)
    return member, token


def member_revise(*, member: models.RoomMember, name: str, answers: dict) -> models.RoomMember:
    """Replace a member's answers (and name) while the room is open; raises ``RoomClosed`` otherwise."""
    now = timezone.now()
    with transaction.atomic():
        if _room_locked(member.room).is_closed:
            raise RoomClosed
        models.RoomMember.objects.filter(pk=member.pk).update(name=name, answers=answers, updated_at=now)
        models.DecisionRoom.objects.filter(pk=member.room_id).update(last_activity=now)
    member.name, member.answers, member.updated_at = name, answers, now
    return member


def room_override(*, room: models.DecisionRoom, key: str, value: str | list | None = None, reason: str = "") -> None:
    """The lead replaces a merged answer (with a reason), or with ``value=None`` restores it."""
    now = timezone.now()
    with transaction.atomic():
        locked = _room_locked(room)
        if locked.is_closed:
            raise RoomClosed
        overrides = dict(locked.overrides)
        if value is None:
            overrides.pop(key, None)
        else:
            overrides[key] = {"value": value, "reason": reason}
        models.DecisionRoom.objects.filter(pk=room.pk).update(overrides=overrides, last_activity=now)
    room.overrides, room.last_activity = overrides, now


def _member_names(members):
    """Each member's name; unnamed members are numbered ("Anonymous member 2") so they stay apart."""
    names, anonymous = {}, 0
    for member in members:
        if member.name:
            names[member.pk] = member.name
        else:
            anonymous += 1
            names[member.pk] = gettext("Anonymous member %(number)s") % {"number": anonymous}
    return names


def room_state(room: models.DecisionRoom, members: list[models.RoomMember]) -> dict:
    """Where the team stands, as plain data: members, spread, merged answers, disagreements, recommendation.

    A closed room answers what it showed when it closed. An open one is computed on today's
    catalogue (and cached until a member answers, the lead overrides or the catalogue changes).
    Members are referred to by their index in ``members``.
    """
    if room.closing is not None:
        return room.closing
    fingerprint, prepared = catalogue_prepared()
    cache_key = f"room:{room.pk}:{room.last_activity.isoformat()}:{fingerprint}:{prepared.today}:{get_language()}"
    state = cache.get(cache_key)
    if state is None:
        state = _room_state(room, members, prepared)
        cache.set(cache_key, state, 3600)
    return state


def _room_state(room, members, prepared):
    names = _member_names(members)
    people, valid = [], []
    for member in members:
        person = {
            "id": member.pk,
            "name": names[member.pk],
            "answered": member.updated_at.isoformat(),
            "verdict": None,
            "top_pick": None,
        }
        try:
            result = engine.recommend(member.answers, prepared, what_if=False).as_json()
        except engine.InvalidAnswers:
            person["outdated"] = True  # answered an earlier questionnaire; asked to answer again
        else:
            person["verdict"] = result["verdict"]["kind"]
            if result["picks"]:
                person["top_pick"] = {"slug": result["picks"][0]["slug"], "name": result["picks"][0]["name"]}
            valid.append(team.Member(id=member.pk, name=names[member.pk], answers=member.answers))
        people.append(person)
    state = {"members": people, "spread": _spread(valid), "merged": [], "disagreements": [], "result": None}
    if not valid:
        return state
    merged = team.merge(valid, prepared)
    overrides = team.valid_overrides(merged, room.overrides)
    answers = team.answers_of(merged, overrides)
    result = engine.recommend(answers, prepared, what_if=False).as_json()
    state["answers"] = answers
    state["merged"] = [
        {
            "key": key,
            "value": answer.value,
            "rule": answer.rule,
            "given_by": answer.given_by,
            "override": overrides.get(key),
        }
        for key, answer in merged.items()
    ]
    state["disagreements"] = [
        {
            "key": item.key,
            "decides": item.decides,
            "changes_verdict": item.changes_verdict,
            "changes_shortlist": item.changes_shortlist,
            "sides": [
                {
                    "value": side.value,
                    "members": side.members,
                    "verdict": side.verdict,
                    "changes_verdict": side.changes_verdict,
                    "changes_shortlist": side.changes_shortlist,
                }
                for side in item.sides
            ],
        }
        for item in team.disagreements(valid, answers, prepared)
    ]
    state["result"] = {
        "verdict": result["verdict"]["kind"],
        "headline": result["verdict"]["headline"],
        "picks": [{"slug": pick["slug"], "name": pick["name"], "role": pick["role"]} for pick in result["picks"]],
        "eligible": result["counts"]["eligible"],
    }
    return state


def _spread(members):
    """Per question, how many members gave each answer (each choice, for multiple-choice questions)."""
    spread = []
    for question in questions.QUESTIONS:
        counts = dict.fromkeys(question.values, 0)
        for member in members:
            value = member.answers[question.key]
            for item in value if question.multiple else [value]:
                counts[item] += 1
        spread.append({"key": question.key, "counts": [[value, n] for value, n in counts.items() if n]})
    return spread


def room_close(*, room: models.DecisionRoom, automatically: bool = False) -> models.DecisionRoom:
    """Freeze the room: no more answers; the team's recommendation is saved as a permalink (with its version).

    A room nobody answered closes without a record. Closing twice changes nothing.
    """
    with transaction.atomic():
        locked = _room_locked(room)
        if locked.is_closed:
            return locked
        # Read under the lock: an answer arriving while the room closes is in the record, or refused.
        members = list(locked.members.all())
        state = _room_state(locked, members, catalogue_prepared()[1])
        state["title"], state["context"] = locked.title, locked.context
        if state.get("answers"):
            locked.record = recommendation_create(answers=state["answers"])
        locked.closing = state
        locked.closed_at = timezone.now()
        locked.closed_automatically = automatically
        locked.save(update_fields=["record", "closing", "closed_at", "closed_automatically"])
    return locked


def rooms_close_idle(*, days: int) -> int:
    """Close the rooms left open without activity for ``days`` days, keeping what was answered; return how many."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    closed = 0
    for room in models.DecisionRoom.objects.filter(closed_at__isnull=True, last_activity__lt=cutoff):
        room_close(room=room, automatically=True)
        closed += 1
    return closed


# -- Impact of catalogue changes on saved results ------------------------------------------------


def catalogue_impact(
    *, days: int = 90, limit: int = 1000, budget_seconds: float = 10.0, clock: Callable[[], float] = time.monotonic
) -> dict:
    """How publishing the working catalogue would change the results saved in the last ``days`` days.

    Up to ``limit`` of the newest results have their answers re-run on the latest published
    version and on the working catalogue, and the two are compared (the verdict and the model to
    start with): what this publish would change for the teams who made them, not what earlier
    publishes already changed. Re-running stops once ``budget_seconds`` are spent, and the answer
    says how many were compared. When the working catalogue is the latest version, nothing would
    change and nothing is re-run. Per audience preset: how many of the results started from it
    would change.
    """
    started = clock()
    since = timezone.now() - datetime.timedelta(days=days)
    recent = models.Recommendation.objects.filter(
        created_at__gte=since, catalogue_version__isnull=False, engine_version=engine.VERSION
    )
    total = recent.count()
    working = catalogue.catalogue_snapshot()  # what publishing now would put in front of readers
    latest_fingerprint, latest = catalogue_prepared()  # what readers are shown now
    unchanged = catalogue.fingerprint_of(working) == latest_fingerprint
    prepared = latest if unchanged else engine.prepare(working, today=timezone.localdate())
    found = {"days": days, "total": total, "compared": 0, "top_changed": 0, "verdict_changed": 0, "examples": []}
    by_preset = {}
    for recommendation in recent.order_by("-created_at")[:limit].iterator():
        if clock() - started > budget_seconds:
            break
        preset = (recommendation.result.get("from_preset") or {}).get("name")
        counts = by_preset.setdefault(preset, {"name": preset, "results": 0, "top_changed": 0, "verdict_changed": 0})
        counts["results"] += 1
        found["compared"] += 1
        if unchanged:
            continue
        try:
            before = engine.recommend(recommendation.answers, latest, what_if=False).as_json()
            after = engine.recommend(recommendation.answers, prepared, what_if=False).as_json()
        except engine.InvalidAnswers:
            continue
        top_before = (before.get("picks") or [{}])[0]
        top_after = (after.get("picks") or [{}])[0]
        verdict_changed = before["verdict"]["kind"] != after["verdict"]["kind"]
        top_changed = top_before.get("slug") != top_after.get("slug")
        found["verdict_changed"] += verdict_changed
        found["top_changed"] += top_changed
        counts["verdict_changed"] += verdict_changed
        counts["top_changed"] += top_changed
        if (top_changed or verdict_changed) and len(found["examples"]) < 10:
            found["examples"].append(
                {
                    "code": str(recommendation.code),
                    "created_at": recommendation.created_at,
                    "verdict_before": before["verdict"]["kind"],
                    "verdict_after": after["verdict"]["kind"],
                    "top_before": top_before.get("name"),
                    "top_after": top_after.get("name"),
                }
            )
    found["presets"] = [counts for name, counts in by_preset.items() if name]
    found["sampled"] = found["compared"] < min(total, limit)
    found["seconds"] = round(clock() - started, 1)
    return found
