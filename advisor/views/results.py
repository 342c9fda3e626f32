"""The questionnaire, saved results (permalinks) and the re-evaluation of a result."""

import functools
import hashlib
import json
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Exists
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import condition, require_http_methods, require_safe

from advisor import brief, cards, catalogue, changes, forms, models, pagecache, presenters, ratelimit, services
from advisor.engine import questions


def see_other(to):
    """A 303 to ``to`` (a URL or an object with get_absolute_url): the browser follows with a GET,
    so a reload never re-submits."""
    response = redirect(to)
    response.status_code = 303
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def questionnaire(request):
    if request.method == "POST":
        preset = preset_or_none(request.POST.get("preset"))
        form = forms.QuestionnaireForm(request.POST, preset_answers=preset_answers(preset))
        if form.is_valid():
            if ratelimit.over_limit(request):
                return ratelimit.ratelimited(request)
            try:
                recommendation = services.recommendation_create(
                    answers=form.to_answers(), preset=preset, admit=lambda: ratelimit.submission_allowed(request)
                )
            except services.SubmissionRefused:
                return ratelimit.ratelimited(request)
            return see_other(recommendation)
        status = 400
    else:
        initial, preset = initial_answers(request)
        form = forms.QuestionnaireForm(
            initial={**initial, "preset": preset.slug if preset else ""}, preset_answers=preset_answers(preset)
        )
        status = 200
    presets = catalogue.published_catalogue().presets
    sections = [(key, _(title)) for key, title in questions.SECTIONS]
    context = {"form": form, "sections": sections, "presets": presets}
    if not form.is_bound and settings.ADVISOR_PAGE_CACHE:
        # The rendered questions are cached per initial answers (and language, in the template);
        # the preset field is rendered outside the cached fragment.
        context["fields_key"] = hashlib.sha256(json.dumps(initial, sort_keys=True).encode()).hexdigest()
    return render(request, "advisor/questionnaire_form.html", context, status=status)


def preset_or_none(slug):
    if not slug or not forms.PRESET_SLUG.fullmatch(slug):
        return None
    return catalogue.published_catalogue().preset_by_slug.get(slug)


def preset_answers(preset):
    return forms.initial_from_answers(preset.answers) if preset else {}


def _question_list(unanswered):
    return ", ".join(f"“{_(question.label)}”" for question in unanswered)


def initial_answers(request):
    """Answers to start from, and the preset they come from: a preset, an earlier result, or none at all."""
    preset_slug = request.GET.get("preset")
    from_code = request.GET.get("from")
    if preset_slug:
        preset = preset_or_none(preset_slug)
        if preset is None:
            messages.warning(request, _("There is no such audience preset; starting from a blank questionnaire."))
            return {}, None
        initial = preset_answers(preset)
        messages.info(
            request,
            _(
                "Prefilled for “%(name)s”. Change anything that does not fit, "
                "and answer the questions the preset leaves open."
            )
            % {"name": preset.name},
        )
        return initial, preset
    if from_code:
        earlier = _recommendation_or_none(from_code, fields=["answers"])
        if earlier is None:
            messages.warning(request, _("That result was not found; starting from a blank questionnaire."))
            return {}, None
        initial = forms.initial_from_answers(earlier.answers)
        missing = forms.unanswered(initial)
        if missing:
            messages.info(
                request,
                _(
                    "Prefilled with the answers of your earlier result. These questions are new or changed since "
                    "then and have no answer yet: %(questions)s. Submitting creates a new result."
                )
                % {"questions": _question_list(missing)},
            )
        else:
            messages.info(
                request, _("Prefilled with the answers of your earlier result. Submitting creates a new result.")
            )
        return initial, None
    return {}, None


def _recommendation_or_none(code, fields):
    try:
        code = uuid.UUID(code)
    except ValueError:
        return None
    return models.Recommendation.objects.only(*fields).filter(code=code).first()


def _etag(code, latest):
    """The result's code and the published version: a new version may add a notice or a change to list."""
    version = hashlib.sha256(f"{latest.fingerprint}:{latest.key}".encode()).hexdigest()[:16]
    return f'"{code.hex}-{version}"'


def _permalink_state(code):
    """``(whether the result exists, the catalogue.Latest version)`` in one query.

    Asking whether the result still exists on every view is what keeps a cached page or an
    ETag from outliving a result that was deleted (purged after its retention period).
    """
    exists = Exists(models.Recommendation.objects.filter(code=code))
    row = (
        models.CatalogueVersion.objects.filter(published_at__isnull=False)
        .order_by("-pk")
        .values_list(exists, "pk", "fingerprint", "published_at")
        .first()
    )
    if row is None:  # nothing published yet
        return models.Recommendation.objects.filter(code=code).exists(), catalogue.Latest(None, None)
    return row[0], catalogue.Latest(*row[1:])


def _permalink_etag(request, code):
    """The permalink's ETag (None for a result that does not exist), in one query; keeps what it read."""
    exists, latest = _permalink_state(code)
    if exists:
        services.recommendation_opened(code)  # a revalidation is an opening too
    request.permalink_etag = _etag(code, latest) if exists else None
    request.permalink_latest = latest
    return request.permalink_etag


def _with_permalink_headers(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            _permalink_headers(response)
        return response

    return wrapped


@require_safe
@_with_permalink_headers
@condition(etag_func=_permalink_etag)
def recommendation_detail(request, code):
    """The permalink: the saved snapshot, never re-scored.

    The page carries no form, session or nonce, so it is the same for every visitor until a new
    catalogue version is published (which may add a notice): the ETag is the result's code plus
    the latest version, Django's ``condition`` answers a revalidation (weak ETags included) with
    a 304 for one query, and the rendered page is kept under the same key.
    """
    if request.permalink_etag is None:
        raise Http404("No such result.")
    # Kept per result and published version (the ETag), language, and host (the page names its
    # absolute permalink).
    cache_key = pagecache.key("permalink", request.permalink_etag, request.scheme, request.get_host())
    response = pagecache.get(request, cache_key)
    if response is None:
        fingerprint = request.permalink_latest.fingerprint
        response = pagecache.store(request, cache_key, _permalink_render(request, code, fingerprint))
    return response


def _permalink_render(request, code, fingerprint):
    recommendation = get_object_or_404(models.Recommendation.objects.select_related("room"), code=code)
    result = presenters.with_text(services.recommendation_result(recommendation))
    answers = presenters.answers_for_display(recommendation.answers)
    context = {
        "recommendation": recommendation,
        "result": result,
        "answers": answers,
        "catalogue_changed": recommendation.catalogue_fingerprint != fingerprint,
        "permalink": request.build_absolute_uri(recommendation.get_absolute_url()),
        "weights": sorted(result.get("weights", []), key=lambda w: -w["weight"]),
        "excluded_groups": presenters.excluded_groups(result.get("excluded", []), presenters.rule_titles()),
    }
    if recommendation.engine_version == "2":
        # Engine-2 permalinks keep rendering exactly as they were saved.
        context["compare_slugs"] = [entry["slug"] for entry in result.get("ranking", [])[:3]]
        return render(request, "advisor/recommendation_detail_v2.html", context)
    context.update(_brief_context(result, answers))
    context.update(_team_context(recommendation))
    if context["catalogue_changed"]:
        preview = services.today_preview(recommendation)
        context["today_preview"] = presenters.with_text(preview) if preview else None
        context["changed_since"] = _changed_since(recommendation, result)
    return render(request, "advisor/recommendation_detail.html", context)


CHANGES_SINCE_SHOWN = 10


def _changed_since(recommendation, result):
    """Catalogue changes since the result was saved to the models it ranked and their licences."""
    entries = [*result.get("picks", []), *result.get("ranking", [])]
    names = {entry["slug"]: entry["name"] for entry in entries}
    terms = [entry.get("licence") or entry.get("licence_facts") for entry in entries]  # ranked / picked
    licences = {term["slug"]: term.get("name", "") for term in terms if isinstance(term, dict) and term.get("slug")}
    slugs = {("model", slug) for slug in names} | {("licence", slug) for slug in licences}
    return changes.recent(
        CHANGES_SINCE_SHOWN,
        slugs=slugs,
        after_version=recommendation.catalogue_version_id or 0,
        names={**licences, **names},
    )


def _brief_context(result, answers):
    preset = result.get("from_preset") or {}
    preset_keys = set(preset.get("keys") or ())
    shortlist = brief.shortlist(result)
    candidates = [pick["slug"] for pick in shortlist] + [entry["slug"] for entry in result["ranking"]]
    compare_slugs = list(dict.fromkeys(candidates))[:3]
    compare_url = reverse("advisor:compare") + "?" + urlencode([("m", slug) for slug in compare_slugs])
    summary = brief.summary_sentence(result, shortlist)
    verdict = result.get("verdict") or {}
    headline = (verdict.get("headline") or {}).get("text", "")
    description = " ".join([headline, *(reason.get("text", "") for reason in verdict.get("reasons") or ())]).strip()
    pick_slugs = {pick["slug"] for pick in shortlist}
    tiers = brief.eligible_tiers(result, pick_slugs)
    return {
        "og_description": Truncator(description).chars(200),
        "compare_slugs": compare_slugs,
        "compare_url": compare_url,
        "compare_beyond_shortlist": not set(compare_slugs) <= pick_slugs,
        "pick_slugs": pick_slugs,
        "preset_keys": preset_keys,
        "assumed": presenters.assumptions(answers, preset_keys, preset.get("name", "")),
        "shortlist": shortlist,
        "summary": summary,
        "steps": brief.next_steps(result, shortlist, compare_url=compare_url),
        "comparison": brief.comparison(result, shortlist),
        "break_even": brief.break_even(shortlist),
        "tiers": tiers,
        "tiers_capped": any(tier["more"] for tier in tiers),
        "tier_rows_shown": brief.TIER_ROWS_SHOWN,
        "eligible_listed": len(result.get("ranking", [])) + len(result.get("also_eligible", [])),
    }


def _team_context(recommendation):
    """The decision room a result closed, when it is a team's record: its participants, overrides and dissent.

    The recommendation is fetched with ``select_related("room")``, so this costs no query.
    """
    try:
        room = recommendation.room
    except models.DecisionRoom.DoesNotExist:
        return {}
    return {"room": room, "team": presenters.room_for_display(room.closing)}


def _v3_recommendation_or_404(code):
    recommendation = get_object_or_404(models.Recommendation.objects.select_related("room"), code=code)
    if recommendation.engine_version == "2":
        raise Http404("Engine-2 results have no decision record.")
    return recommendation


@require_safe
def recommendation_record(request, code):
    """The result as a Markdown architecture decision record, to file with the decision."""
    recommendation = _v3_recommendation_or_404(code)
    result = presenters.with_text(services.recommendation_result(recommendation))
    answers = presenters.answers_for_display(recommendation.answers)
    context = {
        "recommendation": recommendation,
        "result": result,
        "answers": answers,
        "permalink": request.build_absolute_uri(recommendation.get_absolute_url()),
        "excluded_groups": presenters.excluded_groups(result.get("excluded", []), presenters.rule_titles()),
        **_brief_context(result, answers),
        **_team_context(recommendation),
    }
    text = render_to_string("advisor/recommendation_record.md", context, request=request)
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="decision-record-{recommendation.code.hex[:8]}.md"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


VERDICT_LABELS = {
    "open": gettext_lazy("Verdict: open models"),
    "closed": gettext_lazy("Verdict: closed API models"),
    "hybrid": gettext_lazy("Verdict: a hybrid of open and closed"),
    "none": gettext_lazy("No verdict: no model fits every constraint"),
}
CARD_SECONDS = 365 * 24 * 60 * 60  # a saved result never changes


@require_safe
def recommendation_card(request, code):
    """The 1200 x 630 PNG a pasted permalink unfurls with, drawn once per result and language."""
    recommendation = _v3_recommendation_or_404(code)
    cache_key = pagecache.key("card", str(code))
    png = cache.get(cache_key)
    if png is None:
        result = presenters.with_text(services.recommendation_result(recommendation))
        shortlist = brief.shortlist(result)
        png = cards.result_card(
            kind=result["verdict"]["kind"],
            label=str(VERDICT_LABELS[result["verdict"]["kind"]]),
            sentence=brief.summary_sentence(result, shortlist),
            picks=[(pick["role_text"]["text"], pick["name"]) for pick in shortlist],
            site=_("Model Strategy Advisor"),
        )
        cache.set(cache_key, png, CARD_SECONDS)
    response = HttpResponse(png, content_type="image/png")
    patch_cache_control(response, public=True, max_age=CARD_SECONDS, immutable=True)
    patch_vary_headers(response, ["Accept-Language"])
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def recommendation_qr(request, code):
    """The QR code of the result's link printed on the brief: an image of its own, kept by the browser,
    so drawing it (segno tries eight masks) is no part of rendering the page."""
    recommendation = _v3_recommendation_or_404(code)
    svg = cards.qr_svg(request.build_absolute_uri(recommendation.get_absolute_url()))
    response = HttpResponse(svg, content_type="image/svg+xml")
    patch_cache_control(response, public=True, max_age=CARD_SECONDS, immutable=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def recommendation_csv(request, code):
    """Every eligible model of the result in rank order, as CSV."""
    recommendation = _v3_recommendation_or_404(code)
    response = HttpResponse(
        brief.ranking_csv(services.recommendation_result(recommendation)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="ranking-{recommendation.code.hex[:8]}.csv"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _permalink_headers(response):
    patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ["Accept-Language"])
    # A capability URL: keep it out of search engines and out of Referer headers.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"


def result_json(request, recommendation):
    result = presenters.with_text(services.recommendation_result(recommendation))
    return {
        "code": str(recommendation.code),
        "permalink": request.build_absolute_uri(recommendation.get_absolute_url()),
        "created": recommendation.created_at.isoformat(),
        "engine_version": recommendation.engine_version,
        "catalogue_fingerprint": recommendation.catalogue_fingerprint,
        "today": result.get("today", recommendation.created_at.date().isoformat()),
        "answers": recommendation.answers,
        "verdict": result["verdict"],
        "picks": result.get("picks", []),
        "weights": result.get("weights", []),
        "ranking": result.get("ranking", []),
        "also_eligible": result.get("also_eligible", []),
        "below_bar": result.get("below_bar", []),
        "top_pick_change": result.get("top_pick_change", []),
        "admit": result.get("admit", []),
        "excluded": result.get("excluded", []),
        "counts": result.get("counts", {}),
        "reevaluation": result.get("reevaluation"),
    }


@require_safe
def recommendation_json(request, code):
    recommendation = get_object_or_404(models.Recommendation, code=code)
    response = JsonResponse(result_json(request, recommendation), json_dumps_params={"ensure_ascii": False})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_http_methods(["GET", "POST"])
def recommendation_reevaluate(request, code):
    """Re-run the same answers on today's catalogue as a new result (GET asks, POST does)."""
    recommendation = get_object_or_404(models.Recommendation, code=code)
    if request.method == "POST":
        answers, errors = forms.validate_answers(recommendation.answers)
        if errors:
            # The questionnaire changed since: the form, prefilled, names the questions to answer.
            messages.warning(
                request,
                _("This result was computed with an earlier questionnaire, so it cannot be re-evaluated as it is."),
            )
            return redirect(reverse("advisor:questionnaire") + f"?from={recommendation.code}")
        if ratelimit.over_limit(request):
            return ratelimit.ratelimited(request)
        try:
            new = services.recommendation_create(
                answers=answers, previous=recommendation, admit=lambda: ratelimit.submission_allowed(request)
            )
        except services.SubmissionRefused:
            return ratelimit.ratelimited(request)
        return see_other(new)
    context = {
        "recommendation": recommendation,
        "catalogue_changed": recommendation.catalogue_fingerprint != catalogue.latest()[1],
    }
    return render(request, "advisor/recommendation_reevaluate.html", context)
