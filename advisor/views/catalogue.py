"""The public catalogue: models, licences, criteria and side-by-side comparison.

Every view costs a fixed number of queries whatever the catalogue size: rows
come with their provider and licence through joins, scores and sources in one
query each, and the model list is paginated.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count, Q
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


def visible_models(request):
    """Published models for everyone; editors also see drafts (admin "view on site")."""
    if request.user.is_staff:
        return models.AIModel.objects.all()
    return models.AIModel.objects.published()


def _cached_page(name, request, view):
    """Serve ``view(request)`` from the page cache.

    The key is the catalogue revision (which moves on after every catalogue
    edit), the language, the normalised query and whether the visitor is
    staff (editors see drafts): one query for the revision on a hit.
    """
    _, revision = catalogue.current_state()
    if not revision:  # no catalogue state stored yet: nothing to key a cached page on
        return view(request)
    cache_key = pagecache.key(name, revision, request.user.is_staff, pagecache.query_parts(request))
    response = pagecache.get(request, cache_key)
    if response is None:
        response = pagecache.store(request, cache_key, view(request))
    return response


@require_safe
def model_list(request):
    return _cached_page("model-list", request, _model_list)


def _model_list(request):
    providers = (
        models.Provider.objects.filter(models__status=PUBLISHED).distinct().order_by("name").values_list("slug", "name")
    )
    form = browse.ModelFilterForm(request.GET, providers=list(providers))
    valid = form.is_valid()
    queryset = form.filter(
        models.AIModel.objects.published().select_related("provider", "licence").only(*browse.LIST_FIELDS)
    )
    page = Paginator(queryset, browse.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "rows": browse.catalogue_rows(page, _lifecycle_state),
        "match_count": browse.match_count_text(page.paginator.count),
        "compare_max": browse.COMPARE_MAX,
    }
    return render(request, "advisor/model_list.html", context, status=200 if valid else 400)


@require_safe
def model_detail(request, slug):
    ai_model = get_object_or_404(visible_models(request).select_related("provider", "licence"), slug=slug)
    scores = {score.criterion_id: score for score in ai_model.scores.order_by()}
    score_rows = [
        {
            "criterion": criterion,
            "score": scores.get(criterion.pk),
            "bar": browse.score_bar(scores[criterion.pk].value) if criterion.pk in scores else 0,
        }
        for criterion in models.Criterion.objects.only("slug", "name", "summary", "position")
    ]
    others = browse.slug_name_choices(visible_models(request).exclude(pk=ai_model.pk))
    today = timezone.localdate()
    lifecycle_state = _lifecycle_state(ai_model)
    replacement = None
    if ai_model.replacement:
        # The vendor may name a model this catalogue does not hold: then it is named, not linked.
        replacement = visible_models(request).filter(slug=ai_model.replacement).only("name", "slug").first()
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
        "sources": (sources := list(ai_model.sources.all())),
        "freshness": browse.freshness(sources, today),
        "other_options": browse.options_html(others),
    }
    return render(request, "advisor/model_detail.html", context)


@require_safe
def licence_list(request):
    # An aggregate query ignores Meta.ordering: without order_by, PostgreSQL lists them in any order.
    licences = (
        models.Licence.objects.annotate(model_count=Count("models", filter=Q(models__status=PUBLISHED)))
        .only("slug", "name", "spdx_id", "category", "osi_approved", "commercial_use")
        .order_by("name", "slug")
    )
    return render(request, "advisor/licence_list.html", {"licences": licences})


@require_safe
def licence_detail(request, slug):
    licence = get_object_or_404(models.Licence, slug=slug)
    ai_models = list(
        models.AIModel.objects.published()
        .filter(licence=licence)
        .select_related("provider")
        .only("name", "slug", "access", "provider__name")
        .order_by("name", "slug")[: LICENCE_MODELS_SHOWN + 1]
    )
    today = timezone.localdate()
    context = {
        "licence": licence,
        "glance": browse.licence_glance(licence, today),
        "thresholds": browse.threshold_rows(licence),
        "use_restrictions": browse.use_restriction_rows(licence),
        "fine_tuning_end": browse.fine_tuning_end(licence.fine_tuning_until, today),
        "ai_models": ai_models[:LICENCE_MODELS_SHOWN],
        "more_models": len(ai_models) > LICENCE_MODELS_SHOWN,
        "sources": (sources := list(licence.sources.all())),
        "freshness": browse.freshness(sources, today),
    }
    return render(request, "advisor/licence_detail.html", context)


@require_safe
def criteria(request):
    rows = [
        {
            "criterion": criterion,
            "questions": [
                {"label": gettext(question.label), "help_text": gettext(question.help_text)}
                for question in questions.questions_weighing(criterion.slug)
            ],
        }
        for criterion in models.Criterion.objects.all()
    ]
    context = {"rows": rows, "rules": _engine_rules()}
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


def _compare(request):
    form = browse.CompareForm(request.GET)
    context = {"compare_min": browse.COMPARE_MIN, "compare_max": browse.COMPARE_MAX, "errors": []}
    status = 200
    ai_models = []
    if not request.GET.getlist("m"):
        pass  # Nothing chosen yet: the page explains how to pick models.
    elif not form.is_valid():
        context["errors"] = form.errors["m"]
        status = 400
    else:
        slugs = form.cleaned_data["m"]
        found = {
            m.slug: m for m in visible_models(request).select_related("provider", "licence").filter(slug__in=slugs)
        }
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            context["unknown"] = unknown
            status = 400
        else:
            ai_models = [found[slug] for slug in slugs]
    if ai_models:
        criteria_list = list(models.Criterion.objects.only("slug", "name", "position"))
        scores = {
            (score.ai_model_id, score.criterion_id): score
            for score in models.Score.objects.filter(ai_model__in=ai_models)
            .order_by()
            .only("ai_model_id", "criterion_id", "value")
        }
        fact_rows, score_rows = browse.compare_rows(
            ai_models, criteria_list, scores, _lifecycle_state, timezone.localdate()
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
        chosen = [m.pk for m in ai_models]
        others = browse.slug_name_choices(visible_models(request).exclude(pk__in=chosen))
        if others:
            context["first_options"] = browse.options_html(others)
        if others and not ai_models:
            context["second_options"] = browse.options_html(others, selected_index=1)
    return render(request, "advisor/model_compare.html", context, status=status)


def _report_subject(kind, slug, request):
    if kind == "model":
        return get_object_or_404(visible_models(request), slug=slug)
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

CHANGES_SHOWN = 100


@require_safe
def changes(request):
    """The latest changes to the public catalogue, newest first, with an Atom feed."""
    return _cached_page("changes", request, _changes_page)


def _changes_page(request):
    context = {"changes": catalogue_changes.recent(CHANGES_SHOWN), "shown": CHANGES_SHOWN}
    return render(request, "advisor/changes.html", context)


@require_safe
def model_history(request, slug):
    """One model's changes, as the public saw them."""
    ai_model = models.AIModel.objects.published().only("slug", "name").filter(slug=slug).first()
    entry_url = ai_model.get_absolute_url() if ai_model else None
    if ai_model is None:
        # A model that was public and has been removed or withdrawn keeps its history.
        ai_model = (
            models.AIModel.history.filter(slug=slug, status=PUBLISHED).order_by("-history_date").only("name").first()
        )
    if ai_model is None:
        raise Http404("No such model.")
    context = {
        "entry": ai_model,
        "changes": catalogue_changes.recent(None, model_slugs=[slug], licence_slugs=[]),
        "entry_url": entry_url,
    }
    return render(request, "advisor/entry_history.html", context)


@require_safe
def licence_history(request, slug):
    """One licence's changes."""
    licence = get_object_or_404(models.Licence.objects.only("slug", "name"), slug=slug)
    context = {
        "entry": licence,
        "changes": catalogue_changes.recent(None, model_slugs=[], licence_slugs=[slug]),
        "entry_url": licence.get_absolute_url(),
    }
    return render(request, "advisor/entry_history.html", context)


class ChangesFeed(Feed):
    """The /changes/ page as an Atom feed."""

    feed_type = Atom1Feed
    title = gettext_lazy("Model Strategy Advisor: catalogue changes")
    subtitle = gettext_lazy("Models and licences added, changed, retired or removed.")

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
        return f"{item.kind}-{item.history_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.date


changes_feed = require_safe(ChangesFeed())
