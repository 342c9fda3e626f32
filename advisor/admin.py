import csv
import dataclasses
import io
import json
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models as db_models
from django.db import transaction
from django.db.models import Count, F
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from advisor import brief, catalogue, changes, models, scoring, services, vocab
from advisor.forms import AudiencePresetForm

admin.site.site_header = _("Model Strategy Advisor · editors")
admin.site.site_title = _("Model Strategy Advisor")
admin.site.index_title = _("Catalogue")


# django-simple-history's change list writes one inline style (style="border-top: 0" on its
# paginator); the site's CSP has no 'unsafe-' source, so the history page alone allows that one
# attribute by its hash.
HISTORY_CSP = {
    **settings.SECURE_CSP,
    "style-src-attr": [CSP.UNSAFE_HASHES, "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
}


class TextareaField(forms.CharField):
    """A textarea's text with the "\n" line breaks it is stored with (browsers send "\r\n").

    So a form posted back unchanged has not changed: no "Changed" log entry, no history row, no
    unpublished edit, and a length limit counts each line break once, as the browser does.
    """

    def to_python(self, value):
        return models.unix_line_breaks(super().to_python(value))


class ReadableHistory(HistoricalRecordContextHelper):
    """A change in an entry's admin history, worded as /changes/ words it (``changes.value_text``).

    A long text keeps django-simple-history's display, which shows where the two versions differ.
    """

    def format_delta_change(self, change):
        texts = isinstance(change.old, str) and isinstance(change.new, str)
        if texts and max(len(change.old), len(change.new)) > changes.QUOTED_UP_TO:
            return super().format_delta_change(change)
        return dataclasses.replace(
            change,
            field=capfirst(self.model._meta.get_field(change.field).verbose_name),
            old=changes.value_text(self.model, change.field, change.old),
            new=changes.value_text(self.model, change.field, change.new),
        )


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin of a catalogue model whose every change is kept (django-simple-history)."""

    formfield_overrides = {db_models.TextField: {"form_class": TextareaField}}

    # The revert page says what a revert restores and what it leaves as it is; the history links a
    # user only for who may open the user's page, and says when no user or reason was recorded.
    object_history_form_template = "admin/advisor/history_form.html"
    object_history_list_template = "admin/advisor/history_list.html"

    @method_decorator(csp_override(HISTORY_CSP))
    def history_view(self, request, object_id, extra_context=None):
        return super().history_view(request, object_id, extra_context=extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.reverting = True  # a revert saves the version's values, though its form shows them unchanged
        request.reverted_to = (
            self.model.history.filter(history_id=version_id).values_list("history_date", flat=True).first()
        )
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        reverting = getattr(request, "reverting", False)
        if change and not form.has_changed() and not reverting:
            return  # saved unchanged: no history row, no edit waiting to be published
        if reverting and request.reverted_to:
            obj._change_reason = gettext("Reverted to the version of %(date)s") % {
                "date": formats.date_format(timezone.localtime(request.reverted_to), "DATETIME_FORMAT")
            }
        super().save_model(request, obj, form, change)


class ChoiceListField(forms.MultipleChoiceField):
    """Edit a JSON list of vocabulary values as a row of checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        return value or []


def choice_list(choices, label, help_text=""):
    return ChoiceListField(choices=choices.choices, required=False, label=capfirst(label), help_text=help_text)


class LanguageCodesField(forms.CharField):
    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        codes = [part.strip().lower() for part in value.replace(";", ",").split(",") if part.strip()]
        for code in codes:
            if not (2 <= len(code) <= 3 and code.isalpha()):
                raise forms.ValidationError(_("“%(code)s” is not an ISO 639 language code."), params={"code": code})
        return codes


class AIModelForm(forms.ModelForm):
    modalities = choice_list(vocab.Modality, _("input modalities"))
    fine_tuning = choice_list(vocab.FineTuning, _("fine-tuning options"))
    deployment = choice_list(vocab.Deployment, _("deployment options"))
    language_codes = LanguageCodesField(
        required=False,
        label=capfirst(_("language codes")),
        help_text=_("Comma-separated ISO 639-1 codes, e.g. en, ko, zh."),
    )

    class Meta:
        model = models.AIModel
        fields = "__all__"  # noqa: DJ007 - the admin fieldsets choose what is shown

    # Whether the editor may change scores, so that the scores table on the page saves what it posts
    # (AIModelAdmin.get_form sets it per request).
    scores_editable = False

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.scores_editable:  # a rating in the scores table below counts in this save
            self.instance.ratings_on_save = self._ratings_in_scores_table()
        return cleaned

    def _ratings_in_scores_table(self):
        """The editorial ratings posted in this page's scores table (ScoreInline), {slug: (value, rationale)}.

        The table's own forms check the values; only the rationale decides whether a rating was given.
        """
        prefix = models.AIModel.scores.rel.get_accessor_name()
        total = self.data.get(f"{prefix}-TOTAL_FORMS", "")
        total = min(int(total), len(scoring.CRITERIA)) if re.fullmatch(r"\d{1,3}", total) else 0
        rows = {self.data.get(f"{prefix}-{row}-id", ""): row for row in range(total)}
        editorial = models.Score.objects.filter(
            ai_model=self.instance,
            criterion__slug__in=scoring.EDITORIAL,
            pk__in=[int(pk) for pk in rows if re.fullmatch(r"\d{1,18}", pk)],
        ).values_list("pk", "criterion__slug", "value")
        return {
            slug: (value, self.data.get(f"{prefix}-{rows[str(pk)]}-rationale") or "") for pk, slug, value in editorial
        }


class AIModelAddForm(AIModelForm):
    """The form that adds a model, with its capability rating, so that one save can publish it.

    Capability is editorial: no fact gives it. On an existing model it is edited under Scores.
    """

    capability = forms.IntegerField(
        label=_("Capability score"),
        min_value=0,
        max_value=10,
        required=False,
        help_text=_("0 to 10, against the other models in the catalogue. Needed to publish the model."),
    )
    capability_rationale = TextareaField(
        label=_("Why this score"),
        required=False,
        max_length=models.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("What the score rests on, e.g. the benchmarks the model card reports."),
    )

    def clean(self):
        cleaned = super().clean()
        value, rationale = cleaned.get("capability"), (cleaned.get("capability_rationale") or "").strip()
        if value is not None and not rationale:
            self.add_error("capability_rationale", _("Say why: a capability score needs its reason."))
        elif rationale and value is None and "capability" not in self.errors:
            self.add_error("capability", _("Give the score this reason is for."))
        elif value is not None:
            self.instance.ratings_on_save = {"capability": (value, rationale)}
        return cleaned  # publishing it unrated: the model's own check says so, on its status


class ReadableJSONField(forms.JSONField):
    """A JSON list edited as indented text, one key per line, so editors can read what they change."""

    widget = forms.Textarea(attrs={"rows": 12, "cols": 90, "class": "vLargeTextField"})

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2, cls=self.encoder)


class LicenceForm(forms.ModelForm):
    excluded_jurisdictions = choice_list(vocab.Jurisdiction, _("jurisdictions without a grant"))
    thresholds = ReadableJSONField(
        required=False,
        label=capfirst(models.Licence._meta.get_field("thresholds").verbose_name),
        help_text=models.Licence._meta.get_field("thresholds").help_text,
    )
    use_restrictions = ReadableJSONField(
        required=False,
        label=capfirst(models.Licence._meta.get_field("use_restrictions").verbose_name),
        help_text=models.Licence._meta.get_field("use_restrictions").help_text,
    )

    class Meta:
        model = models.Licence
        fields = "__all__"  # noqa: DJ007 - the admin fieldsets choose what is shown


class ReviewStaleFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("stale", _("Not verified in 180 days")), ("fresh", _("Verified in 180 days"))]

    def queryset(self, request, queryset):
        cutoff = timezone.localdate() - models.REVIEW_STALE_AFTER
        if self.value() == "stale":
            return queryset.filter(last_reviewed__lt=cutoff) | queryset.filter(last_reviewed__isnull=True)
        if self.value() == "fresh":
            return queryset.filter(last_reviewed__gte=cutoff)
        return queryset


class LowConfidenceFilter(admin.SimpleListFilter):
    """Entries backed only by low-confidence sources: the review queue's second column."""

    title = _("sources")
    parameter_name = "sources"

    def lookups(self, request, model_admin):
        return [("low", _("Only low-confidence sources"))]

    def queryset(self, request, queryset):
        if self.value() == "low":
            return models.only_low_confidence_sources(queryset)
        return queryset


class ScoresFollowFactsMixin:
    """After an editor saves or reverts facts, the computed scores follow them (``scores_recompute``)."""

    def scores_recompute(self, obj):
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # inline scores first, then the computed ones
        report_recomputed(self, request, self.scores_recompute(form.instance))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Revert to an earlier version (django-simple-history saves no related forms: recompute here)."""
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            report_recomputed(self, request, self.scores_recompute(self.model.objects.get(pk=object_id)))
        return response


@admin.action(description=_("Export selected as CSV"))
def export_csv(modeladmin, request, queryset):
    """The selected rows as CSV (``csv_fields`` of the admin), one query, spreadsheet-safe cells."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(modeladmin.csv_fields)
    for row in queryset.order_by("pk").values_list(*modeladmin.csv_fields):
        writer.writerow([brief.csv_safe(str(value)) if value is not None else "" for value in row])
    response = HttpResponse(output.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{modeladmin.model._meta.model_name}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class MarkVerifiedForm(forms.Form):
    """What an editor checked when marking entries verified: a source is required."""

    source_url = forms.URLField(
        label=_("Source checked"), max_length=300, assume_scheme="https", help_text=_("The page or file you read.")
    )
    title = forms.CharField(
        label=_("What was read"), max_length=600, help_text=_("For example “model card, revision of 2026-11-30”.")
    )
    confidence = forms.ChoiceField(label=_("Confidence"), choices=vocab.Confidence, initial=vocab.Confidence.HIGH)


class VerifiedActionMixin:
    """The "mark verified" action: a source is recorded for each entry and its facts dated today."""

    source_owner = None  # the Source field pointing at this admin's model

    def get_ordering(self, request):
        """The review queue (not verified in 180 days) lists the oldest first, never-verified ones before all."""
        if request.GET.get(ReviewStaleFilter.parameter_name) == "stale" and "o" not in request.GET:
            return [F("last_reviewed").asc(nulls_first=True), "name"]
        return super().get_ordering(request)

    @admin.action(description=_("Mark selected as verified against a source…"), permissions=["change"])
    def mark_verified(self, request, queryset):
        form = MarkVerifiedForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            today = timezone.localdate()
            with transaction.atomic():
                count = 0
                for entry in queryset:
                    models.Source.objects.create(
                        **{self.source_owner: entry},
                        url=form.cleaned_data["source_url"],
                        title=form.cleaned_data["title"],
                        as_of=today.isoformat(),
                        confidence=form.cleaned_data["confidence"],
                    )
                    entry.last_reviewed = today
                    entry.save(update_fields=["last_reviewed", "updated_at"])
                    count += 1
            self.message_user(
                request,
                ngettext("%(count)d entry marked verified today.", "%(count)d entries marked verified today.", count)
                % {"count": count},
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Mark as verified against a source"),
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/advisor/mark_verified.html", context)


class ScoreInlineForm(forms.ModelForm):
    """A score as an editor may change it.

    Computed criteria follow the model's facts: saving recomputes them, so changing one
    without ticking "editor override" (and saying why) is an error on the form, never a
    change that silently goes back.
    """

    class Meta:
        model = models.Score
        fields = ["criterion", "value", "rationale", "is_override", "override_reason"]
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 3, "cols": 30}),
            "override_reason": forms.Textarea(attrs={"rows": 3, "cols": 20}),
        }

    def clean(self):
        cleaned = super().clean()
        criterion = self.instance.criterion if self.instance.criterion_id else cleaned.get("criterion")
        override = cleaned.get("is_override")
        if override and not (cleaned.get("override_reason") or "").strip():
            self.add_error("override_reason", _("An override needs a written reason."))
        if criterion is not None and criterion.slug in scoring.COMPUTED and not override:
            edited = not self.instance.pk or {"value", "rationale"} & set(self.changed_data)
            if edited and not self.instance.is_override:
                self.add_error(
                    "value",
                    _(
                        "This score is computed from the model's facts and would be recomputed on save. "
                        "To keep another value, tick “editor override” and give a reason."
                    ),
                )
        return cleaned


class ScoreForm(ScoreInlineForm):
    """A score on its own admin page: the same checks as in the model's scores table.

    There the model's form sees a published model's capability left unrated; here this form does.
    """

    class Meta(ScoreInlineForm.Meta):
        fields = ["ai_model", *ScoreInlineForm.Meta.fields]

    def clean(self):
        cleaned = super().clean()
        criterion, ai_model = cleaned.get("criterion"), cleaned.get("ai_model")
        rationale = (cleaned.get("rationale") or "").strip()
        if (
            criterion is not None
            and ai_model is not None
            and criterion.slug in scoring.EDITORIAL
            and ai_model.status == vocab.EditorialStatus.PUBLISHED
            and rationale  # an empty one is refused as a required field
            and not scoring.is_rated(rationale)
        ):
            self.add_error(
                "rationale",
                _("A published model's %(criterion)s needs an editor's rationale: say what the score rests on.")
                % {"criterion": criterion.name},
            )
        return cleaned


class ScoreInline(admin.TabularInline):
    """One row per criterion, which saving the model keeps complete: rows are edited, never added or deleted."""

    model = models.Score
    form = ScoreInlineForm
    extra = 0
    can_delete = False
    fields = ["criterion", "kind", "value", "rule_gives", "rationale", "is_override", "override_reason"]
    readonly_fields = ["criterion", "kind", "rule_gives"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")

    @admin.display(description=_("kind"))
    def kind(self, score):
        if score.criterion_id is None:
            return "-"
        return _("computed from facts") if score.criterion.slug in scoring.COMPUTED else _("editorial")

    @admin.display(description=_("the rule gives"))
    def rule_gives(self, score):
        """What the computed rule sets from the facts saved now (an override may differ)."""
        if score.pk is None or score.criterion.slug not in scoring.COMPUTED:
            return "-"
        if not hasattr(self, "_computed"):
            ai_model = models.AIModel.objects.select_related("provider", "licence").get(pk=score.ai_model_id)
            self._computed = scoring.compute_scores(catalogue.snapshot_entry(ai_model))
        value, rationale = self._computed[score.criterion.slug]
        if not score.is_override:
            return value  # the score above is the rule's: its rationale is the rule's too
        return format_html("<strong>{}</strong> · {}", value, rationale)


class SourceInline(admin.TabularInline):
    model = models.Source
    extra = 0
    fields = ["title", "url", "as_of", "confidence"]


class PublishedModelSourcesFormSet(forms.BaseInlineFormSet):
    """A model the catalogue's next version includes must say where its facts come from."""

    def clean(self):
        super().clean()
        if self.instance.status != vocab.EditorialStatus.PUBLISHED:
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(
                _(
                    "A published model needs at least one source: add the page its facts come from, or save it as "
                    "a draft."
                )
            )


class ModelSourceInline(SourceInline):
    fk_name = "ai_model"
    exclude = ["licence"]
    formset = PublishedModelSourcesFormSet


class LicenceSourceInline(SourceInline):
    fk_name = "licence"
    exclude = ["ai_model"]


@admin.register(models.Provider)
class ProviderAdmin(HistoryAdmin):
    list_display = ["name", "country", "website", "model_count"]
    search_fields = ["name", "country"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(model_count=Count("models"))

    @admin.display(description=_("models"), ordering="model_count")
    def model_count(self, obj):
        return obj.model_count


@admin.register(models.Licence)
class LicenceAdmin(ScoresFollowFactsMixin, VerifiedActionMixin, HistoryAdmin):
    form = LicenceForm
    list_display = [
        "name",
        "spdx_id",
        "category",
        "commercial_use",
        "osi_approved",
        "threshold_summary",
        "last_reviewed",
    ]
    list_filter = [
        "category",
        "commercial_use",
        "osi_approved",
        "hosting_barred",
        "acceptable_use_policy",
        ReviewStaleFilter,
        LowConfidenceFilter,
    ]
    actions = ["mark_verified"]
    source_owner = "licence"
    search_fields = ["name", "spdx_id", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [LicenceSourceInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "spdx_id", "category", "osi_approved", "url", "last_reviewed"]}),
        (
            _("What it allows"),
            {
                "fields": [
                    "commercial_use",
                    "may_modify",
                    "may_redistribute",
                    "may_fine_tune",
                    "outputs_may_train_models",
                    "hosting_barred",
                    "use_restrictions",
                    ("fine_tuning_until", "fine_tuning_until_source"),
                ]
            },
        ),
        (
            _("Thresholds and jurisdictions"),
            {
                "fields": [
                    "thresholds",
                    "excluded_jurisdictions",
                    "jurisdiction_exclusion_multimodal_only",
                    "remote_restriction",
                ]
            },
        ),
        (
            _("Duties"),
            {"fields": ["acceptable_use_policy", "attribution_required", "obligations", "notable_clauses"]},
        ),
        (
            _("API data terms"),
            {"classes": ["collapse"], "fields": ["prompts_train_by_default", "zero_retention_offered"]},
        ),
        (_("Audit"), {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]

    def scores_recompute(self, obj):
        return services.licence_scores_recompute(licence=obj)

    @admin.display(description=_("thresholds"))
    def threshold_summary(self, obj):
        if obj.thresholds is None:
            return _("not verified")
        gates = sum(1 for t in obj.thresholds if t.get("effect") == vocab.ThresholdEffect.SEPARATE_LICENCE)
        others = len(obj.thresholds) - gates
        parts = []
        if gates:
            parts.append(ngettext("%d gate", "%d gates", gates) % gates)
        if others:
            parts.append(ngettext("%d duty or other", "%d duties or other", others) % others)
        return ", ".join(parts) or "-"


def report_recomputed(model_admin, request, count):
    """Tell the editor that computed scores followed the facts they just saved."""
    if count:
        model_admin.message_user(
            request,
            ngettext(
                "%d computed score was updated from the facts; editor overrides were kept.",
                "%d computed scores were updated from the facts; editor overrides were kept.",
                count,
            )
            % count,
        )


@admin.register(models.AIModel)
class AIModelAdmin(ScoresFollowFactsMixin, VerifiedActionMixin, HistoryAdmin):
    form = AIModelForm
    list_display = [
        "name",
        "provider",
        "access",
        "licence",
        "lifecycle",
        "status",
        "last_reviewed",
        "review_is_current",
    ]
    list_filter = [
        "access",
        "licence__category",
        "provider",
        "status",
        "lifecycle",
        ReviewStaleFilter,
        LowConfidenceFilter,
    ]
    list_select_related = ["provider", "licence"]
    search_fields = ["name", "slug", "provider__name", "licence__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["provider", "licence"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "release_date"
    actions = ["mark_verified", "publish", "unpublish", export_csv]
    source_owner = "ai_model"
    csv_fields = [
        "slug",
        "name",
        "provider__name",
        "licence__slug",
        "access",
        "status",
        "release_date",
        "parameters",
        "context_window",
        "lifecycle",
        "shutdown_date",
        "last_reviewed",
    ]
    inlines = [ScoreInline, ModelSourceInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "provider", "licence", "status", "last_reviewed"]}),
        (
            _("Facts"),
            {
                "fields": [
                    ("release_date", "release_date_precision"),
                    "access",
                    "parameters",
                    "context_window",
                    "modalities",
                    ("languages", "language_coverage"),
                    "language_codes",
                    ("weights_available", "training_code_available", "training_data_available"),
                    "fine_tuning",
                    ("fine_tuning_until", "fine_tuning_until_source"),
                    "deployment",
                    "min_gpu_memory_gb",
                    ("price_input_per_mtok", "price_output_per_mtok"),
                    "strengths",
                    "notes",
                ]
            },
        ),
        (_("Lifecycle"), {"fields": ["lifecycle", "shutdown_date", "replacement", "lifecycle_source"]}),
        (_("Audit"), {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AIModelAddForm
        form = super().get_form(request, obj, change, **kwargs)
        form.scores_editable = request.user.has_perm("advisor.change_score")
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        capability = (_("Capability"), {"fields": ["capability", "capability_rationale"]})
        return [fieldsets[0], capability, *fieldsets[1:]]

    def scores_recompute(self, obj):
        return services.scores_recompute(ai_model=obj, ratings=obj.ratings_on_save)

    @admin.display(description=_("review current"), boolean=True)
    def review_is_current(self, obj):
        return not obj.review_is_stale

    def _set_status(self, request, queryset, status):
        count = 0
        for ai_model in queryset.exclude(status=status):
            ai_model.status = status
            ai_model.save(update_fields=["status", "updated_at"])
            count += 1
        return count

    @admin.action(description=_("Include selected models in the next catalogue version"))
    def publish(self, request, queryset):
        candidates = list(
            queryset.exclude(status=vocab.EditorialStatus.PUBLISHED).annotate(source_count=Count("sources"))
        )
        # What keeps a model out of the next version, in the order an editor would put it right.
        reasons = (
            (
                _("Not included, no editor has rated their capability with a rationale yet: %(names)s."),
                lambda m: m.unrated_editorial_criteria(),
            ),
            (_("Not included, no source is recorded for: %(names)s."), lambda m: not m.source_count),
            (_("Not included, not released yet: %(names)s."), lambda m: m.is_unreleased),
        )
        left_out = []
        for message, applies in reasons:
            held = [m for m in candidates if m.pk not in left_out and applies(m)]
            if held:
                self.message_user(request, message % {"names": ", ".join(m.name for m in held)}, level=messages.WARNING)
                left_out += [m.pk for m in held]
        count = self._set_status(request, queryset.exclude(pk__in=left_out), vocab.EditorialStatus.PUBLISHED)
        self.message_user(
            request,
            ngettext(
                "%d model will be in the next catalogue version: publish the catalogue to make it public.",
                "%d models will be in the next catalogue version: publish the catalogue to make them public.",
                count,
            )
            % count,
        )

    @admin.action(description=_("Leave selected models out of the next catalogue version (back to draft)"))
    def unpublish(self, request, queryset):
        count = self._set_status(request, queryset, vocab.EditorialStatus.DRAFT)
        self.message_user(
            request,
            ngettext(
                "%d model will be left out of the next catalogue version.",
                "%d models will be left out of the next catalogue version.",
                count,
            )
            % count,
        )


@admin.register(models.Criterion)
class CriterionAdmin(HistoryAdmin):
    list_display = ["name", "position", "from_article", "summary"]
    list_editable = ["position"]
    list_filter = ["from_article"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]


@admin.register(models.Score)
class ScoreAdmin(ScoresFollowFactsMixin, HistoryAdmin):
    """Scores one by one. Computed ones follow their model's facts, as in the model's scores table."""

    form = ScoreForm
    list_display = ["ai_model", "criterion", "value", "is_override", "rationale"]
    actions = [export_csv]
    csv_fields = ["ai_model__slug", "criterion__slug", "value", "is_override", "override_reason", "rationale"]
    list_filter = ["criterion", "is_override", "ai_model__access"]
    list_select_related = ["ai_model", "criterion"]
    search_fields = ["ai_model__name", "rationale"]
    autocomplete_fields = ["ai_model", "criterion"]
    readonly_fields = ["created_at", "updated_at"]

    def scores_recompute(self, obj):
        return services.scores_recompute(ai_model=obj.ai_model)


@admin.register(models.Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["title", "ai_model", "licence", "as_of", "confidence"]
    list_filter = ["confidence"]
    list_select_related = ["ai_model", "licence"]
    search_fields = ["title", "url"]
    autocomplete_fields = ["ai_model", "licence"]


@admin.register(models.InaccuracyReport)
class InaccuracyReportAdmin(admin.ModelAdmin):
    """Readers' reports: new ones first; closing one (accepted or rejected) deletes the reporter's email."""

    list_display = ["created_at", "subject_link", "status", "what_is_wrong"]
    list_filter = ["status"]
    search_fields = ["what_is_wrong", "ai_model__name", "licence__name"]
    list_select_related = ["ai_model", "licence"]
    fields = ["subject_link", "what_is_wrong", "source_url", "email", "status", "editor_note", "created_at"]
    readonly_fields = ["subject_link", "what_is_wrong", "source_url", "email", "created_at"]

    def has_add_permission(self, request):
        return False  # reports come from readers

    @admin.display(description=_("entry"))
    def subject_link(self, report):
        subject = report.subject
        if subject is None:
            return "-"
        admin_name = "aimodel" if report.ai_model_id else "licence"
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">{}</a>)',
            reverse(f"admin:advisor_{admin_name}_change", args=[subject.pk]),
            subject,
            subject.get_absolute_url(),
            _("public page"),
        )


@admin.register(models.GpuPrice)
class GpuPriceAdmin(HistoryAdmin):
    list_display = ["name", "memory_gb", "hourly_usd", "as_of", "source_url"]
    search_fields = ["name"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(models.AudiencePreset)
class AudiencePresetAdmin(HistoryAdmin):
    form = AudiencePresetForm
    list_display = ["name", "slug", "position", "updated_at"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]


@admin.register(models.Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    """A saved recommendation is evidence: nothing about it can be edited."""

    list_display = ["code", "created_at", "engine_version", "catalogue_fingerprint"]
    list_filter = ["engine_version"]
    search_fields = ["code"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.CatalogueVersion)
class CatalogueVersionAdmin(admin.ModelAdmin):
    """Published versions are a record: listed and read, never added, changed or deleted here.

    A new one is made by publishing (``/admin/publish/``).
    """

    list_display = ["__str__", "published_at", "published_by", "entries_changed", "note"]
    fields = ["published_at", "published_by", "note", "fingerprint", "what_changed"]
    readonly_fields = fields
    date_hierarchy = "published_at"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(published_at__isnull=False)

    @admin.display(description=_("entries changed"))
    def entries_changed(self, version):
        return len(version.summary)

    @admin.display(description=_("what changed"))
    def what_changed(self, version):
        found = changes.from_summary(version.summary, version=version.pk, date=version.published_at)
        if not found:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}: {}</li>", ((c.kind_label, c.title) for c in found))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
