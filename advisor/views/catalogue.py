"""The public catalogue: models, licences, criteria and side-by-side comparison.

Every view costs a fixed number of queries whatever the catalogue size: rows
come with their provider and licence through joins, scores and sources in one
query each, and the model list is paginated.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from advisor import browse, catalogue, engine, forms, models, pagecache, ratelimit, services, vocab
from advisor import changes as catalogue_changes
from advisor.engine import hardware, lifecycle, questions, weights
from advisor.middleware import client_pseudonym

PUBLISHED = vocab.EditorialStatus.PUBLISHED
LICENCE_MODELS_SHOWN = 100


def _lifecycle_state(model):
    """Where a model stands today (``advisor.engine.lifecycle``): a past shutdown date means retired."""
    return lifecycle.lifecycle_status(model.shutdown_date, model.lifecycle, timezone.localdate())


def catalogue_for(request):
    """What a page shows: the latest published version; to an editor, the working catalogue (a preview)."""
    if request.user.is_staff:
        return catalogue.working_catalogue()
    return catalogue.published_catalogue()


def _cached_page(name, request, view):
    """Serve ``view(request, catalogue)``, kept in the page cache under the published version.

    The key names the version (publishing moves it on), the language and the normalised
    query; an editor's preview of the working catalogue is never kept.
    """
    if request.user.is_staff:
        return view(request, catalogue.working_catalogue())
    latest = catalogue.latest()
    cache_key = pagecache.key(name, latest.key, pagecache.query_parts(request))
    response = pagecache.get(request, cache_key)
    if response is None:
        response = pagecache.store(request, cache_key, view(request, catalogue.published_catalogue(latest)))
    return response


@require_safe
def model_list(request):
    return _cached_page("model-list", request, _model_list)


def _model_list(request, shown):
    providers = sorted(
        {(m.provider.slug, m.provider.name) for m in shown.models if m.status == PUBLISHED},
        key=lambda choice: (choice[1], choice[0]),
    )
    form = browse.ModelFilterForm(request.GET, providers=providers)
    valid = form.is_valid()
    listed = form.filter([m for m in shown.models if m.status == PUBLISHED])
    page = Paginator(listed, browse.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "rows": browse.catalogue_rows(page, _lifecycle_state),
        "match_count": browse.match_count_text(page.paginator.count),
        "compare_max": browse.COMPARE_MAX,
        "catalogue": shown,
    }
    return render(request, "advisor/model_list.html", context, status=200 if valid else 400)


def _model_or_404(shown, slug):
    ai_model = shown.model_by_slug.get(slug)
    if ai_model is None:
        raise Http404("No such model.")
    return ai_model


@require_safe
def model_detail(request, slug):
    shown = catalogue_for(request)
    ai_model = _model_or_404(shown, slug)
    scores = {score.criterion_id: score for score in ai_model.score_list}
    score_rows = [
        {
            "criterion": criterion,
            "score": scores.get(criterion.pk),
            "bar": browse.score_bar(scores[criterion.pk].value) if criterion.pk in scores else 0,
        }
        for criterion in shown.criteria
    ]
    others = [(m.slug, m.name) for m in shown.models if m is not ai_model]
    today = timezone.localdate()
    lifecycle_state = _lifecycle_state(ai_model)
    # The vendor may name a model this catalogue does not hold: then it is named, not linked.
    replacement = shown.model_by_slug.get(ai_model.replacement) if ai_model.replacement else None
    fine_tuning_until, fine_tuning_source = browse.model_fine_tuning_until(ai_model)
    context = {
        "ai_model": ai_model,
        "facts": browse.fact_rows(ai_model, _lifecycle_state, today),
        "lifecycle_state": lifecycle_state,
        "lifecycle_text": browse.lifecycle_text(ai_model, lifecycle_state, today),
        "replacement": replacement,
        "fine_tuning_end": browse.fine_tuning_end(fine_tuning_until, today),
        "fine_tuning_source": fine_tuning_source,
        "score_rows": score_rows,
        "sources": ai_model.source_list,
        "freshness": browse.freshness(ai_model.source_list, today),
        "other_options": browse.options_html(others),
        "catalogue": shown,
    }
    return render(request, "advisor/model_detail.html", context)


@require_safe
def licence_list(request):
    shown = catalogue_for(request)
    for licence in shown.licences:
        licence.model_count = len(licence.model_list)
    return render(request, "advisor/licence_list.html", {"licences": shown.licences, "catalogue": shown})


@require_safe
def licence_detail(request, slug):
    shown = catalogue_for(request)
    licence = shown.licence_by_slug.get(slug)
    if licence is None:
        raise Http404("No such licence.")
    today = timezone.localdate()
    context = {
        "licence": licence,
        "glance": browse.licence_glance(licence, today),
        "thresholds": browse.threshold_rows(licence),
        "use_restrictions": browse.use_restriction_rows(licence),
        "fine_tuning_end": browse.fine_tuning_end(licence.fine_tuning_until, today),
        "ai_models": licence.model_list[:LICENCE_MODELS_SHOWN],
        "more_models": len(licence.model_list) > LICENCE_MODELS_SHOWN,
        "sources": licence.source_list,
        "freshness": browse.freshness(licence.source_list, today),
        "catalogue": shown,
    }
    return render(request, "advisor/licence_detail.html", context)


@require_safe
def criteria(request):
    shown = catalogue_for(request)
    rows = [
        {
            "criterion": criterion,
            "questions": [
                {"label": gettext(question.label), "help_text": gettext(question.help_text)}
                for question in questions.questions_weighing(criterion.slug)
            ],
        }
        for criterion in shown.criteria
    ]
    context = {"rows": rows, "rules": _engine_rules(), "catalogue": shown}
    return render(request, "advisor/criterion_list.html", context)


def _engine_rules():
    """The numbers behind the engine's rules, for the criteria page."""
    return {
        "overhead": round((hardware.OVERHEAD - 1) * 100),
        "new_project_days": lifecycle.NEW_PROJECT_DAYS,
        "caveat_days": lifecycle.CAVEAT_DAYS,
        "language_share": round(weights.LANGUAGE_SHARE * 100),
        "tier_margin": f"{engine.result.TIER_MARGIN:g}",
        "capability_bar": engine.prepared.CAPABILITY_BAR,
        "below_bar": engine.prepared.BELOW_BAR,
        "budgets": [
            {"label": gettext(questions.BY_KEY["hardware"].labels[key]), "gb": gb}
            for key, gb in hardware.BUDGET_GB.items()
            if gb
        ],
    }


@require_safe
def compare(request):
    return _cached_page("compare", request, _compare)


def _compare(request, shown):
    form = browse.CompareForm(request.GET)
    context = {"compare_min": browse.COMPARE_MIN, "compare_max": browse.COMPARE_MAX, "errors": [], "catalogue": shown}
    status = 200
    ai_models = []
    if not request.GET.getlist("m"):
        pass  # Nothing chosen yet: the page explains how to pick models.
    elif not form.is_valid():
        context["errors"] = form.errors["m"]
        status = 400
    else:
        slugs = form.cleaned_data["m"]
        unknown = [slug for slug in slugs if slug not in shown.model_by_slug]
        if unknown:
            context["unknown"] = unknown
            status = 400
        else:
            ai_models = [shown.model_by_slug[slug] for slug in slugs]
    if ai_models:
        scores = {(score.ai_model_id, score.criterion_id): score for m in ai_models for score in m.score_list}
        fact_rows, score_rows = browse.compare_rows(
            ai_models, shown.criteria, scores, _lifecycle_state, timezone.localdate()
        )
        context.update(
            {
                "fact_rows": fact_rows,
                "score_rows": score_rows,
                "chart": browse.overlay_chart(ai_models, score_rows),
                "removals": [
                    {"ai_model": m, "slugs": [other.slug for other in ai_models if other is not m]} for m in ai_models
                ],
            }
        )
    context["ai_models"] = ai_models
    if len(ai_models) < browse.COMPARE_MAX:
        others = [(m.slug, m.name) for m in shown.models if m not in ai_models]
        if others:
            context["first_options"] = browse.options_html(others)
        if others and not ai_models:
            context["second_options"] = browse.options_html(others, selected_index=1)
    return render(request, "advisor/model_compare.html", context, status=status)


def _report_subject(kind, slug, request):
    """The entry a reader reports on: one the page they came from shows, as the tables hold it now."""
    shown = catalogue_for(request)
    if kind == "model":
        _model_or_404(shown, slug)
        return get_object_or_404(models.AIModel, slug=slug)
    if slug not in shown.licence_by_slug:
        raise Http404("No such licence.")
    return get_object_or_404(models.Licence, slug=slug)


@require_http_methods(["GET", "HEAD", "POST"])
def report_inaccuracy(request, kind, slug):
    """Readers report a wrong fact on a model or licence page: no account, a few per client per window."""
    subject = _report_subject(kind, slug, request)
    form = forms.InaccuracyReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_bot():
            messages.success(request, gettext("Thank you: the editors will check your report."))
            return redirect(subject)
        key = client_pseudonym(request, purpose="advisor.reports")
        if ratelimit.hit(key) > settings.ADVISOR_REPORT_LIMIT:
            return ratelimit.too_many_requests(
                request,
                retry_seconds=ratelimit.retry_after(),
                message=gettext("You have sent several reports just now. Wait a minute, then try again."),
            )
        report = form.save(commit=False)
        if kind == "model":
            report.ai_model = subject
        else:
            report.licence = subject
        report.save()
        admin_url = reverse("admin:advisor_inaccuracyreport_change", args=[report.pk])
        services.report_notify(report=report, url=request.build_absolute_uri(admin_url))
        messages.success(request, gettext("Thank you: the editors will check your report."))
        return redirect(subject)
    status = 400 if request.method == "POST" else 200
    return render(request, "advisor/report_form.html", {"form": form, "subject": subject}, status=status)


# -- What changed --------------------------------------------------------------------------------

VERSIONS_SHOWN = 30


@require_safe
def changes(request):
    """The published versions, newest first, each with what it changed; with an Atom feed."""
    return _cached_page("changes", request, _changes_page)


def _changes_page(request, shown):
    context = {"versions": catalogue_changes.versions(VERSIONS_SHOWN), "shown": VERSIONS_SHOWN}
    return render(request, "advisor/changes.html", context)


def _entry_history(request, kind, slug, shown):
    """One model's or licence's published changes; kept after the entry left the catalogue."""
    entry = (shown.model_by_slug if kind == "model" else shown.licence_by_slug).get(slug)
    changes = catalogue_changes.recent(None, slugs={(kind, slug)})
    if entry is None and not changes:
        raise Http404("No such entry.")
    context = {
        "name": entry.name if entry else changes[0].name,
        "changes": changes,
        "entry_url": entry.get_absolute_url() if entry else None,
    }
    return render(request, "advisor/entry_history.html", context)


@require_safe
def model_history(request, slug):
    return _entry_history(request, "model", slug, catalogue_for(request))


@require_safe
def licence_history(request, slug):
    return _entry_history(request, "licence", slug, catalogue_for(request))


class ChangesFeed(Feed):
    """The /changes/ page as an Atom feed: one item per entry changed by a published version."""

    feed_type = Atom1Feed
    title = gettext_lazy("Model Strategy Advisor: catalogue changes")
    subtitle = gettext_lazy("Models and licences added, changed, retired or removed, version by version.")

    def link(self):
        return reverse("advisor:changes")

    def items(self):
        return catalogue_changes.recent(50)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return "\n".join(item.lines) or item.title

    def item_link(self, item):
        return item.history_url

    def item_guid(self, item):
        return f"version-{item.version}-{item.kind}-{item.slug}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.date


changes_feed = require_safe(ChangesFeed())
