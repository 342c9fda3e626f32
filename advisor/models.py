"""The catalogue editors curate, and the saved recommendations that point into it.

Catalogue rows (providers, licences, AI models, criteria, scores, sources and
audience presets) are live data that editors change. A ``Recommendation`` is
evidence: it stores the answers and the engine's full output, never foreign
keys into the catalogue, so a shared permalink keeps saying what it said.
"""

import datetime
import hashlib
import secrets
import uuid
from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from advisor import vocab
from advisor.richtext import render_markdown

SCORE_MIN = 0
SCORE_MAX = 10
REVIEW_STALE_AFTER = datetime.timedelta(days=180)
# The longest an editor-written text may be: far above what any entry needs (the longest in the
# reference is about 1,600 characters), and far below what a request may carry, so a stray paste is
# cut by the browser or refused with a message rather than lost in a "Bad request".
TEXT_MAX = 20_000

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:[-._][a-z0-9]+)*$",
    _("Use lowercase letters, digits and single hyphens, dots or underscores between them, e.g. llama-3.1-8b."),
)
as_of_validator = RegexValidator(
    r"^\d{4}(-\d{2}(-\d{2})?)?$",
    _("Use YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source allows."),
)


def not_after_today(value):
    """A date a fact was checked or read on cannot be later than today."""
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("This date is in the future: use the day the facts were checked."), code="future")


def as_of_not_after_today(value):
    """A source's date (YYYY, YYYY-MM or YYYY-MM-DD) is a real date, not later than today at its own precision.

    ``as_of_validator`` checks the form; a value not in that form is left to it.
    """
    if not value or not as_of_validator.regex.match(value):
        return
    year, month, day = [*value.split("-"), "01", "01"][:3]
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(_("This is not a real date: check the month and the day."), code="invalid") from None
    if value > timezone.localdate().isoformat()[: len(value)]:
        raise ValidationError(_("This date is in the future: use the date of what was read."), code="future")


def unix_line_breaks(text):
    r"""``text`` with its line breaks as "\n": a browser sends a textarea's as "\r\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def lines(text):
    """Split an editor's one-item-per-line text into a clean list."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _allowed(choices):
    return ", ".join(choices.values)


def threshold_problems(thresholds):
    """What is wrong with a licence's ``thresholds`` JSON, as messages for an editor (empty when fine)."""
    if not isinstance(thresholds, list):
        return [_("Thresholds must be a list ([] for none, null when not verified).")]
    problems = []
    for number, entry in enumerate(thresholds, start=1):
        if not isinstance(entry, dict):
            problems.append(_("Threshold %(n)d must be an object with kind, value, effect and note.") % {"n": number})
            continue
        unknown = sorted(set(entry) - {"kind", "value", "effect", "note"})
        if unknown:
            problems.append(
                _("Threshold %(n)d has unknown keys: %(keys)s.") % {"n": number, "keys": ", ".join(unknown)}
            )
        if entry.get("kind") not in vocab.ThresholdKind.values:
            problems.append(
                _("Threshold %(n)d: kind must be one of %(allowed)s.")
                % {"n": number, "allowed": _allowed(vocab.ThresholdKind)}
            )
        value = entry.get("value")
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            problems.append(_("Threshold %(n)d: value must be a positive whole number.") % {"n": number})
        if entry.get("effect") not in vocab.ThresholdEffect.values:
            problems.append(
                _("Threshold %(n)d: effect must be one of %(allowed)s.")
                % {"n": number, "allowed": _allowed(vocab.ThresholdEffect)}
            )
        note = entry.get("note", "")
        if not isinstance(note, str):
            problems.append(_("Threshold %(n)d: the note must be text.") % {"n": number})
        elif entry.get("effect") == vocab.ThresholdEffect.OTHER and not note.strip():
            problems.append(_("Threshold %(n)d: an 'other' effect needs a note saying what it is.") % {"n": number})
    return problems


def use_restriction_problems(restrictions):
    """What is wrong with a licence's ``use_restrictions`` JSON, as messages for an editor (empty when fine)."""
    if not isinstance(restrictions, list):
        return [_("Use restrictions must be a list ([] for none, null when not verified).")]
    problems = []
    for number, entry in enumerate(restrictions, start=1):
        if not isinstance(entry, dict):
            problems.append(
                _("Use restriction %(n)d must be an object with use, rule, clause and source.") % {"n": number}
            )
            continue
        unknown = sorted(set(entry) - {"use", "rule", "condition", "clause", "source"})
        if unknown:
            problems.append(
                _("Use restriction %(n)d has unknown keys: %(keys)s.") % {"n": number, "keys": ", ".join(unknown)}
            )
        if entry.get("use") not in vocab.RestrictedUse.values:
            problems.append(
                _("Use restriction %(n)d: use must be one of %(allowed)s.")
                % {"n": number, "allowed": _allowed(vocab.RestrictedUse)}
            )
        rule = entry.get("rule")
        if rule not in vocab.UseRule.values:
            problems.append(
                _("Use restriction %(n)d: rule must be one of %(allowed)s.")
                % {"n": number, "allowed": _allowed(vocab.UseRule)}
            )
        condition = entry.get("condition")
        if any(not isinstance(entry.get(key, ""), str) for key in ("condition", "clause", "source")):
            problems.append(_("Use restriction %(n)d: condition, clause and source must be text.") % {"n": number})
        elif rule == vocab.UseRule.CONDITIONAL and not (condition or "").strip():
            problems.append(
                _("Use restriction %(n)d: a conditional rule needs a condition (what must hold for the use).")
                % {"n": number}
            )
        elif rule == vocab.UseRule.FORBIDDEN and (condition or "").strip():
            problems.append(
                _("Use restriction %(n)d: a forbidden use takes no condition; make the rule conditional.")
                % {"n": number}
            )
    return problems


class Reviewed(models.Model):
    """An entry whose facts an editor verifies against its sources now and then."""

    last_reviewed = models.DateField(
        _("facts last verified"),
        null=True,
        blank=True,
        validators=[not_after_today],
        help_text=_(
            "When its facts were last checked against a source: the source's date on import, today when an "
            "editor marks it verified."
        ),
    )

    class Meta:
        abstract = True

    @property
    def review_is_stale(self):
        if self.last_reviewed is None:
            return True
        return timezone.localdate() - self.last_reviewed > REVIEW_STALE_AFTER


def only_low_confidence_sources(queryset):
    """The models or licences whose sources are all of low confidence: nothing surer backs their facts.

    The review queue lists them; results carry a caveat for them (the surest source decides).
    """
    surer = [level for level in vocab.Confidence.values if level != vocab.Confidence.LOW]
    return queryset.filter(sources__confidence=vocab.Confidence.LOW).exclude(sources__confidence__in=surer).distinct()


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Browsers send a textarea's line breaks as "\r\n": store "\n", so saving a form
        # unchanged changes nothing (and publishes no "reworded" entry).
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname)
            if isinstance(value, str) and "\r" in value:
                setattr(self, field.attname, unix_line_breaks(value))
        super().save(*args, **kwargs)


class Provider(TimeStamped):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    country = models.CharField(
        _("country"), max_length=100, blank=True, help_text=_("Where the provider is headquartered.")
    )
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self):
        return self.name


class Licence(Reviewed, TimeStamped):
    """One row per licence *version*: the Llama 3.1 and Llama 4 terms differ."""

    slug = models.CharField(_("slug"), max_length=100, unique=True, validators=[slug_validator])
    name = models.CharField(_("name"), max_length=200)
    spdx_id = models.CharField(_("SPDX id"), max_length=60, blank=True, help_text=_("Leave empty for custom licences."))
    category = models.CharField(_("category"), max_length=40, choices=vocab.LicenceCategory)
    osi_approved = models.BooleanField(_("OSI approved"), default=False)
    commercial_use = models.CharField(
        _("commercial use"),
        max_length=20,
        choices=vocab.Permission,
        help_text=_("'No' excludes this licence's models for any team that answers commercial use."),
    )
    may_modify = models.BooleanField(_("may modify"), default=False)
    may_redistribute = models.BooleanField(_("may redistribute"), default=False)
    may_fine_tune = models.BooleanField(
        _("may fine-tune"),
        default=False,
        help_text=_("For API terms: true only when the vendor offers hosted fine-tuning."),
    )
    outputs_may_train_models = models.CharField(
        _("outputs may train other models"),
        max_length=20,
        choices=vocab.Permission,
        default=vocab.Permission.UNKNOWN,
        help_text=_("'No' excludes the model for teams that will train other models on its outputs."),
    )
    thresholds = models.JSONField(
        _("user and revenue thresholds"),
        null=True,
        blank=True,
        default=list,
        help_text=_(
            'A JSON list, one entry per gate: {"kind": "mau", "value": 700000000, '
            '"effect": "separate-licence", "note": "…"}. Kinds: mau, monthly_revenue_usd, '
            "annual_revenue_usd, maas_group_revenue_12m_usd. Effects: separate-licence (above it the licence no "
            "longer grants the use), display-duty (only a branding duty is added), other (say what in the note). "
            "[] means the texts read have no such gate; null means not verified."
        ),
    )
    excluded_jurisdictions = models.JSONField(
        _("jurisdictions without a grant"),
        default=list,
        blank=True,
        help_text=_("Regions whose residents or companies receive no licence grant."),
    )
    jurisdiction_exclusion_multimodal_only = models.BooleanField(
        _("exclusion applies to multimodal models only"), default=False
    )
    hosting_barred = models.BooleanField(
        _("hosted service barred"),
        default=False,
        help_text=_("Offering the model to others as a hosted or API service needs a separate licence."),
    )
    remote_restriction = models.BooleanField(_("licensor may restrict use remotely"), default=False)
    use_restrictions = models.JSONField(
        _("use restrictions"),
        null=True,
        blank=True,
        default=None,
        help_text=_(
            'A JSON list, one entry per restricted use: {"use": "military", "rule": "forbidden", '
            '"clause": "…", "source": "…"}; a conditional rule also needs "condition" (what must hold '
            "for the use to be allowed). Uses: medical-advice, legal-advice, financial-advice, law-enforcement, "
            "military, automated-legal-decisions, competing-models, biometric-identification, other. "
            "[] means the use policy was read and restricts none of these; null means not verified."
        ),
    )
    fine_tuning_until = models.DateField(
        _("hosted fine-tuning until"),
        null=True,
        blank=True,
        help_text=_(
            "Only when the vendor is winding down hosted fine-tuning: the date from which no new jobs can be created."
        ),
    )
    fine_tuning_until_source = models.CharField(_("source for the fine-tuning end"), max_length=1000, blank=True)
    acceptable_use_policy = models.BooleanField(_("acceptable use policy"), default=False)
    attribution_required = models.BooleanField(_("attribution required"), default=False)
    prompts_train_by_default = models.CharField(
        _("prompts used for training by default"),
        max_length=20,
        choices=vocab.PromptTraining,
        blank=True,
        help_text=_("API terms only: does the vendor train on customer prompts unless told not to?"),
    )
    zero_retention_offered = models.BooleanField(
        _("zero data retention offered"),
        null=True,
        blank=True,
        help_text=_("API terms only. Leave unknown when the sources do not say."),
    )
    obligations = models.TextField(
        _("obligations"),
        blank=True,
        max_length=TEXT_MAX,
        help_text=_("Attribution, notice, naming and policy duties, one per line, in plain words."),
    )
    notable_clauses = models.TextField(
        _("notable clauses"), blank=True, max_length=TEXT_MAX, help_text=_("One clause per line, in plain words.")
    )
    url = models.URLField(_("licence text URL"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        constraints = [
            models.UniqueConstraint(fields=["name"], name="%(app_label)s_%(class)s_unique_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("advisor:licence-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.thresholds is not None:
            problems = threshold_problems(self.thresholds)
            if problems:
                errors["thresholds"] = problems
        if self.use_restrictions is not None:
            problems = use_restriction_problems(self.use_restrictions)
            if problems:
                errors["use_restrictions"] = problems
        if errors:
            raise ValidationError(errors)

    @property
    def obligation_list(self):
        return lines(self.obligations)

    @property
    def clause_list(self):
        return lines(self.notable_clauses)


class AIModelQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=vocab.EditorialStatus.PUBLISHED)


class AIModel(Reviewed, TimeStamped):
    # Editorial ratings given with the form being saved, {criterion slug: (value, rationale)}: on the
    # form that adds the model, or in the scores table of its change form. They count for the publish
    # check; scores_recompute() saves those of a new model with its scores.
    ratings_on_save = MappingProxyType({})

    name = models.CharField(_("name"), max_length=200)
    slug = models.CharField(_("slug"), max_length=100, unique=True, validators=[slug_validator])
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="models", verbose_name=_("provider"))
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="models", verbose_name=_("licence"))
    release_date = models.DateField(_("release date"), null=True, blank=True)
    release_date_precision = models.CharField(
        _("release date precision"),
        max_length=10,
        choices=vocab.DatePrecision,
        default=vocab.DatePrecision.DAY,
        help_text=_("'Month only' when the sources give no day: the date is stored as the 1st and shown as a month."),
    )
    access = models.CharField(_("access"), max_length=20, choices=vocab.Access)
    parameters = models.CharField(
        _("parameters"), max_length=100, blank=True, help_text=_("As published, e.g. '70B'. Empty when undisclosed.")
    )
    context_window = models.PositiveIntegerField(_("context window (tokens)"), null=True, blank=True)
    modalities = models.JSONField(_("input modalities"), default=list, blank=True)
    languages = models.CharField(
        _("languages"), max_length=300, blank=True, help_text=_("Supported languages as documented.")
    )
    language_codes = models.JSONField(
        _("language codes"),
        default=list,
        blank=True,
        help_text=_("ISO 639-1 codes the documentation names, e.g. en, ko."),
    )
    language_coverage = models.CharField(
        _("language coverage"),
        max_length=20,
        choices=vocab.LanguageCoverage,
        default=vocab.LanguageCoverage.UNKNOWN,
        help_text=_(
            "'Listed' means the codes are the full supported list, so a missing language excludes the model; "
            "'broad' means the codes are only examples."
        ),
    )
    weights_available = models.BooleanField(_("weights published"), default=False)
    training_code_available = models.BooleanField(_("training code published"), default=False)
    training_data_available = models.BooleanField(_("training data published"), default=False)
    fine_tuning = models.JSONField(_("fine-tuning options"), default=list, blank=True)
    deployment = models.JSONField(_("deployment options"), default=list, blank=True)
    min_gpu_memory_gb = models.PositiveIntegerField(
        _("GPU memory to self-host (GB, fp16 weights)"), null=True, blank=True
    )
    price_input_per_mtok = models.DecimalField(
        _("API price in (USD / M tokens)"),
        max_digits=9,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    price_output_per_mtok = models.DecimalField(
        _("API price out (USD / M tokens)"),
        max_digits=9,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    strengths = models.TextField(_("strengths"), blank=True, max_length=TEXT_MAX, help_text=_("One per line."))
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX)
    fine_tuning_until = models.DateField(
        _("hosted fine-tuning until"),
        null=True,
        blank=True,
        help_text=_("The date from which the vendor accepts no new hosted fine-tuning jobs for this model."),
    )
    fine_tuning_until_source = models.CharField(_("source for the fine-tuning end"), max_length=1000, blank=True)
    lifecycle = models.CharField(
        _("lifecycle"),
        max_length=20,
        choices=vocab.Lifecycle,
        default=vocab.Lifecycle.ACTIVE,
        help_text=_(
            "As the vendor's own API serves it. Retired models are excluded; deprecated ones stay with their "
            "shutdown date as a caveat. Published weights do not retire: leave open models active."
        ),
    )
    shutdown_date = models.DateField(
        _("shutdown date"),
        null=True,
        blank=True,
        help_text=_("On the vendor's own platform; cloud marketplaces may differ. Required when deprecated."),
    )
    replacement = models.CharField(
        _("replacement"),
        max_length=100,
        blank=True,
        validators=[slug_validator],
        help_text=_(
            "The model id the vendor names as the replacement, whether or not it is in this catalogue. "
            "Leave empty when the sources disagree or name none."
        ),
    )
    lifecycle_source = models.TextField(
        _("lifecycle source"),
        blank=True,
        max_length=TEXT_MAX,
        help_text=_("Where the lifecycle, shutdown date and replacement come from."),
    )
    status = models.CharField(
        _("editorial status"),
        max_length=20,
        choices=vocab.EditorialStatus,
        default=vocab.EditorialStatus.DRAFT,
        help_text=_(
            "Published models go into the next catalogue version; readers see them once that version is published."
        ),
    )
    objects = AIModelQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("AI model")
        verbose_name_plural = _("AI models")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_input_per_mtok__gte=0) | models.Q(price_input_per_mtok__isnull=True),
                name="%(app_label)s_%(class)s_price_in_not_negative",
                violation_error_message=_("An API price cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(price_output_per_mtok__gte=0) | models.Q(price_output_per_mtok__isnull=True),
                name="%(app_label)s_%(class)s_price_out_not_negative",
                violation_error_message=_("An API price cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~models.Q(lifecycle=vocab.Lifecycle.DEPRECATED) | models.Q(shutdown_date__isnull=False),
                name="%(app_label)s_%(class)s_deprecated_has_shutdown_date",
                violation_error_message=_("A deprecated model needs its announced shutdown date."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("advisor:model-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.release_date and self.release_date_precision == vocab.DatePrecision.MONTH:
            self.release_date = self.release_date.replace(day=1)
        if self.status == vocab.EditorialStatus.PUBLISHED and self.is_unreleased:
            raise ValidationError(
                {"release_date": _("This date is in the future: keep the model a draft until it is released.")}
            )
        if self.replacement and self.replacement == self.slug:
            raise ValidationError({"replacement": _("A model cannot replace itself.")})
        closed = self.access == vocab.Access.CLOSED_API
        if closed and self.weights_available:
            raise ValidationError(
                {"weights_available": _("A closed API model has no published weights: choose open weights as access.")}
            )
        if not closed and self.access and not self.weights_available:
            raise ValidationError(
                {"weights_available": _("Open weights are published: tick this, or choose closed API.")}
            )
        if not closed and self.lifecycle != vocab.Lifecycle.ACTIVE:
            raise ValidationError(
                {
                    "lifecycle": _(
                        "Published weights do not retire: leave open models active, and say in the notes when a "
                        "provider stops serving them."
                    )
                }
            )
        unrated = self.unrated_editorial_criteria() if self.status == vocab.EditorialStatus.PUBLISHED else []
        if unrated:
            raise ValidationError(
                {
                    "status": _(
                        "Publish it once an editor has rated its %(criteria)s with a rationale; until then, save "
                        "it as a draft."
                    )
                    % {"criteria": ", ".join(unrated)}
                }
            )

    def unrated_editorial_criteria(self):
        """Names of the editorial criteria (capability) no editor has rated for this model yet."""
        from advisor import scoring

        rated = set()
        if self.pk:
            rated = set(
                self.scores.filter(criterion__slug__in=scoring.EDITORIAL)
                .exclude(rationale=scoring.PLACEHOLDER_RATIONALE)
                .exclude(rationale="")
                .values_list("criterion__slug", flat=True)
            )
        for slug, (_value, rationale) in self.ratings_on_save.items():  # what this save gives wins
            if scoring.is_rated(rationale):
                rated.add(slug)
            else:
                rated.discard(slug)
        names = dict(Criterion.objects.filter(slug__in=scoring.EDITORIAL).values_list("slug", "name"))
        return [str(names.get(slug, slug)) for slug in scoring.EDITORIAL if slug not in rated]

    @property
    def is_unreleased(self):
        """Announced for a later date: a draft until then, never in a published catalogue version."""
        return self.release_date is not None and self.release_date > timezone.localdate()

    @property
    def release_label(self):
        """The release date as precise as it is known: "April 2026" when only the month is."""
        if self.release_date is None:
            return ""
        if self.release_date_precision == vocab.DatePrecision.MONTH:
            return formats.date_format(self.release_date, "YEAR_MONTH_FORMAT")
        return formats.date_format(self.release_date)

    @property
    def release_iso(self):
        """``YYYY-MM-DD``, or ``YYYY-MM`` when only the month is known (also valid in ``<time datetime>``)."""
        if self.release_date is None:
            return ""
        if self.release_date_precision == vocab.DatePrecision.MONTH:
            return self.release_date.strftime("%Y-%m")
        return self.release_date.isoformat()

    @property
    def strength_list(self):
        return lines(self.strengths)

    @property
    def is_published(self):
        return self.status == vocab.EditorialStatus.PUBLISHED


class Criterion(TimeStamped):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One sentence: what this criterion asks."))
    open_view = models.TextField(
        _("what open models offer"),
        max_length=TEXT_MAX,
        help_text=_("Markdown. Shown in the open-vs-closed comparison."),
    )
    closed_view = models.TextField(
        _("what closed models offer"),
        max_length=TEXT_MAX,
        help_text=_("Markdown. Shown in the open-vs-closed comparison."),
    )
    scoring_rule = models.TextField(
        _("how scores are set"),
        blank=True,
        max_length=TEXT_MAX,
        help_text=_("Markdown. The documented rule for computed criteria, or the editorial guidance."),
    )
    from_article = models.BooleanField(
        _("from the source article"), default=False, help_text=_("Part of the article's core comparison.")
    )
    # Sanitised HTML rendered from the Markdown above on every save.
    open_view_html = models.TextField(editable=False, blank=True)
    closed_view_html = models.TextField(editable=False, blank=True)
    scoring_rule_html = models.TextField(editable=False, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.render_html()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "open_view_html",
                "closed_view_html",
                "scoring_rule_html",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("advisor:criteria") + f"#{self.slug}"

    def render_html(self):
        """Turn the Markdown fields into sanitised HTML (on every save, and on every restored row)."""
        self.open_view_html = render_markdown(self.open_view)
        self.closed_view_html = render_markdown(self.closed_view)
        self.scoring_rule_html = render_markdown(self.scoring_rule)


class Score(TimeStamped):
    ai_model = models.ForeignKey(AIModel, on_delete=models.CASCADE, related_name="scores", verbose_name=_("AI model"))
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    value = models.PositiveSmallIntegerField(
        _("score"),
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
        help_text=_("0 (poor) to 10 (excellent) for a team that cares about this criterion."),
    )
    rationale = models.CharField(_("rationale"), max_length=500, help_text=_("One sentence grounded in the facts."))
    is_override = models.BooleanField(
        _("editor override"),
        default=False,
        help_text=_("Tick to keep this value when the computed rule would set another; say why below."),
    )
    override_reason = models.CharField(_("override reason"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["criterion__position", "criterion__name"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["ai_model", "criterion"], name="%(app_label)s_%(class)s_one_per_criterion"),
            models.CheckConstraint(
                condition=models.Q(value__gte=SCORE_MIN, value__lte=SCORE_MAX),
                name="%(app_label)s_%(class)s_value_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(is_override=False) | ~models.Q(override_reason=""),
                name="%(app_label)s_%(class)s_override_has_reason",
                violation_error_message=_("An override needs a written reason."),
            ),
        ]

    def __str__(self):
        return f"{self.ai_model} · {self.criterion}: {self.value}"


class Source(TimeStamped):
    """Where a fact about a model or a licence comes from."""

    ai_model = models.ForeignKey(
        AIModel, on_delete=models.CASCADE, null=True, blank=True, related_name="sources", verbose_name=_("AI model")
    )
    licence = models.ForeignKey(
        Licence, on_delete=models.CASCADE, null=True, blank=True, related_name="sources", verbose_name=_("licence")
    )
    url = models.URLField(_("URL"), max_length=300)
    title = models.CharField(_("title"), max_length=600, help_text=_("What was read, e.g. a file and its commit."))
    as_of = models.CharField(_("as of"), max_length=10, validators=[as_of_validator, as_of_not_after_today])
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=vocab.Confidence, default=vocab.Confidence.MEDIUM
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-as_of", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(ai_model__isnull=False, licence__isnull=True)
                    | models.Q(ai_model__isnull=True, licence__isnull=False)
                ),
                name="%(app_label)s_%(class)s_one_subject",
                violation_error_message=_("A source belongs to exactly one model or one licence."),
            ),
        ]

    def __str__(self):
        return self.title[:80]


class InaccuracyReport(TimeStamped):
    """A reader's note that a model's or a licence's facts are wrong, for editors to check.

    The reporter's email, when given, is only for telling them what became of it: it is never
    shown publicly and is deleted when the report is closed.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted: the catalogue was corrected")
        REJECTED = "rejected", _("Rejected")

    ai_model = models.ForeignKey(
        AIModel, on_delete=models.CASCADE, null=True, blank=True, related_name="reports", verbose_name=_("AI model")
    )
    licence = models.ForeignKey(
        Licence, on_delete=models.CASCADE, null=True, blank=True, related_name="reports", verbose_name=_("licence")
    )
    what_is_wrong = models.TextField(_("what is wrong"), max_length=2000)
    source_url = models.URLField(_("source"), max_length=300)
    email = models.EmailField(_("reporter's email"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.NEW, db_index=True)
    editor_note = models.TextField(_("editor's note"), blank=True, max_length=TEXT_MAX)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inaccuracy report")
        verbose_name_plural = _("inaccuracy reports")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(ai_model__isnull=False, licence__isnull=True)
                    | models.Q(ai_model__isnull=True, licence__isnull=False)
                ),
                name="%(app_label)s_%(class)s_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.ai_model or self.licence}: {self.what_is_wrong[:60]}"

    def save(self, *args, **kwargs):
        if self.status != self.Status.NEW:
            self.email = ""  # closed: nobody needs the reporter's address any more
        super().save(*args, **kwargs)

    @property
    def subject(self):
        return self.ai_model or self.licence


class GpuPrice(TimeStamped):
    """What renting one GPU costs per hour: editors keep it, with its source and date.

    The result's cost estimate for running open weights on your own hardware multiplies the
    GPUs a pick needs by this price. No price recorded means no estimate, never a guess.
    """

    name = models.CharField(_("GPU"), max_length=100, help_text=_("For example “NVIDIA H100 80 GB (on demand)”."))
    memory_gb = models.PositiveSmallIntegerField(
        _("memory (GB)"), validators=[MinValueValidator(1)], help_text=_("Memory of one GPU.")
    )
    hourly_usd = models.DecimalField(
        _("price per GPU hour (USD)"), max_digits=8, decimal_places=3, validators=[MinValueValidator(0)]
    )
    source_url = models.URLField(_("source"), max_length=300, help_text=_("The price list this comes from."))
    as_of = models.CharField(_("as of"), max_length=10, validators=[as_of_validator, as_of_not_after_today])

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["memory_gb", "hourly_usd"]
        verbose_name = _("GPU price")
        verbose_name_plural = _("GPU prices")

    def __str__(self):
        return f"{self.name}: {self.hourly_usd} USD/h"


class AudiencePreset(TimeStamped):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.TextField(
        _("description"), max_length=TEXT_MAX, help_text=_("Who this preset is for, in two or three sentences.")
    )
    answers = models.JSONField(
        _("prefilled answers"),
        default=dict,
        blank=True,
        help_text=_("Answers the questionnaire starts from; visitors can change every one."),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("audience preset")
        verbose_name_plural = _("audience presets")

    def __str__(self):
        return self.name


class CatalogueVersion(models.Model):
    """One published state of the catalogue, kept for good; the primary key is the version number.

    Editors change the working catalogue (the tables); publishing copies it into a new version,
    which is what the public pages and the engine read until the next one. A version says who
    published it, when, the SHA-256 of the engine's snapshot (``fingerprint``) and a ``summary``
    of what changed since the version before (``advisor.versions``); its ``content`` (the
    snapshot and the public rows, megabytes at a large catalogue) is a row of its own, so that
    listing versions never reads it.

    A result names the version it was computed on instead of copying the catalogue, so it
    stays small whatever the catalogue's size. Versions kept for results saved before
    publishing existed have no ``published_at`` and no ``records``.
    """

    fingerprint = models.CharField(_("fingerprint"), max_length=64, db_index=True)
    summary = models.JSONField(_("summary"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    # The editor's user name as it was when they published (a backup holds no accounts).
    published_by = models.CharField(_("published by"), max_length=150, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")
        permissions = [("publish_catalogue", _("Can publish the catalogue"))]

    def __str__(self):
        return gettext("Catalogue version %(number)s") % {"number": self.pk}


class CatalogueVersionContent(models.Model):
    """What a published version holds: the engine's plain-data ``snapshot`` and the public rows as
    ``records`` (Django's serialisation; the pages render from them)."""

    version = models.OneToOneField(
        CatalogueVersion, on_delete=models.CASCADE, primary_key=True, related_name="content", verbose_name=_("version")
    )
    snapshot = models.JSONField(_("snapshot"))
    records = models.JSONField(_("records"), null=True, blank=True)

    class Meta:
        verbose_name = _("catalogue version content")
        verbose_name_plural = _("catalogue version contents")

    def __str__(self):
        return str(self.version)


class Recommendation(models.Model):
    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    answers = models.JSONField(_("answers"))
    # Results saved before catalogue versions existed hold the engine's whole output here. A newer
    # result holds only what the engine cannot re-derive from its answers, its catalogue version and
    # its day (which preset filled which answers, how a re-evaluation moved the ranking), plus a
    # digest of the engine's output to prove every later rendering says what it said.
    result = models.JSONField(_("result"))
    catalogue_version = models.ForeignKey(
        CatalogueVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("catalogue version"),
    )
    today = models.DateField(_("computed for the day"), null=True, blank=True)
    catalogue_fingerprint = models.CharField(_("catalogue fingerprint"), max_length=64)
    engine_version = models.CharField(_("engine version"), max_length=20)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    # The last day its permalink was opened, kept only when results are purged after a retention
    # period (ADVISOR_RESULT_RETENTION_DAYS); a page view writes it at most once a day.
    last_opened = models.DateField(_("last opened"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self):
        return str(self.code)

    def get_absolute_url(self):
        return reverse("advisor:recommendation-detail", kwargs={"code": self.code})


class SubmissionCounter(models.Model):
    """Submissions per client per time window, shared by every worker process."""

    client = models.CharField(max_length=64)
    window = models.PositiveBigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "window"], name="%(app_label)s_%(class)s_one_per_window"),
        ]

    def __str__(self):
        return f"{self.client} @ {self.window}: {self.count}"


CAPABILITY_TOKEN_LENGTH = 43  # 32 random bytes, URL-safe base64 without padding


def capability_token():
    """A long random token for a capability link (256 bits, URL-safe, ``CAPABILITY_TOKEN_LENGTH`` characters)."""
    return secrets.token_urlsafe(32)


def token_digest(token):
    """What is stored of a token only its holder should have: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


class DecisionRoom(models.Model):
    """A team's decision: members answer the questionnaire, the lead closes it into a record.

    No accounts: three capability links. The lead's *manage* link is stored only as a digest
    (it is shown once); the *answer* link (to invite members) and the *view* link (read-only)
    are stored as they are, since the lead's page shows them. ``overrides`` holds the lead's
    replacements of merged answers, ``{key: {"value": ..., "reason": ...}}``. Closing freezes
    what the room showed into ``closing`` and saves the team's recommendation as ``record``.
    """

    MAX_MEMBERS = 50

    title = models.CharField(_("title"), max_length=120)
    context = models.TextField(_("context"), max_length=2000, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    manage_digest = models.CharField(max_length=64, unique=True, editable=False)
    answer_token = models.CharField(max_length=64, unique=True, default=capability_token, editable=False)
    view_token = models.CharField(max_length=64, unique=True, default=capability_token, editable=False)
    overrides = models.JSONField(_("overrides"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_activity = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_automatically = models.BooleanField(_("closed for inactivity"), default=False)
    record = models.OneToOneField(
        Recommendation, on_delete=models.PROTECT, null=True, blank=True, related_name="room", verbose_name=_("record")
    )
    closing = models.JSONField(_("what the room showed when it closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("decision room")
        verbose_name_plural = _("decision rooms")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("advisor:room-view", kwargs={"token": self.view_token})

    @property
    def is_closed(self):
        return self.closed_at is not None

    def answer_url(self):
        return reverse("advisor:room-answer", kwargs={"token": self.answer_token})


class RoomMember(models.Model):
    """One member's answers in a decision room; only the holder of the edit link may revise them."""

    room = models.ForeignKey(DecisionRoom, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=80, blank=True)
    edit_digest = models.CharField(max_length=64, unique=True, editable=False)
    answers = models.JSONField(_("answers"))
    created_at = models.DateTimeField(_("answered"), default=timezone.now)
    updated_at = models.DateTimeField(_("revised"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("room member")
        verbose_name_plural = _("room members")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.name or gettext("Anonymous member")
