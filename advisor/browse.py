"""Forms and presentation data for the public catalogue pages.

The catalogue views stay thin: filter and compare parameters are validated by
the plain forms here, and whatever a template shows as a judgement (a licence's
permissions, which compare rows differ, bar lengths) is computed here so the
templates only display.
"""

import datetime
from decimal import Decimal
from html import escape
from urllib.parse import quote

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from advisor import models, vocab
from advisor.engine import questions

COMPARE_MIN = 2
COMPARE_MAX = 4
PAGE_SIZE = 50

FINE_TUNING_OPTIONS = [vocab.FineTuning.FULL, vocab.FineTuning.LORA, vocab.FineTuning.API]


def _last_if_missing(value, descending=False):
    """A sort key: missing values last, whichever the direction."""
    if value is None:
        return (True, 0)
    if isinstance(value, datetime.date):
        value = value.toordinal()
    return (False, -value if descending else value)


SORTS = {
    "name": (_("Name (A to Z)"), lambda m: (m.name, m.slug)),
    "-release": (_("Newest first"), lambda m: (_last_if_missing(m.release_date, descending=True), m.slug)),
    "release": (_("Oldest first"), lambda m: (_last_if_missing(m.release_date), m.slug)),
    "-context": (_("Largest context window"), lambda m: (_last_if_missing(m.context_window, descending=True), m.slug)),
    "price": (_("Lowest input price"), lambda m: (_last_if_missing(m.price_input_per_mtok), m.slug)),
}


SELECT = forms.Select(attrs={"class": "form-select"})
CHECKBOX = forms.CheckboxInput(attrs={"class": "form-check-input"})


class ModelFilterForm(forms.Form):
    """The catalogue's filters and sort order, read from the query string; rendered by model_list.html."""

    access = forms.ChoiceField(label=_("Access"), required=False, widget=SELECT)
    category = forms.ChoiceField(label=_("Licence category"), required=False, widget=SELECT)
    provider = forms.ChoiceField(label=_("Provider"), required=False, widget=SELECT)
    modality = forms.ChoiceField(label=_("Input modality"), required=False, widget=SELECT)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=SELECT)
    commercial = forms.BooleanField(
        label=_("Commercial use allowed (possibly with conditions)"), required=False, widget=CHECKBOX
    )
    self_host = forms.BooleanField(label=_("Can self-host"), required=False, widget=CHECKBOX)
    fine_tune = forms.BooleanField(label=_("Can fine-tune"), required=False, widget=CHECKBOX)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, widget=SELECT)

    def __init__(self, data, *, providers):
        super().__init__(data)
        anything = [("", _("Any"))]
        self.fields["access"].choices = anything + list(vocab.Access.choices)
        self.fields["category"].choices = anything + list(vocab.LicenceCategory.choices)
        self.fields["provider"].choices = anything + list(providers)
        self.fields["modality"].choices = anything + list(vocab.Modality.choices)
        self.fields["language"].choices = anything + [(code, _(name)) for code, name in questions.LANGUAGES]
        self.fields["sort"].choices = [(key, label) for key, (label, _ordering) in SORTS.items()]

    def full_clean(self):
        super().full_clean()
        # Bootstrap marks an invalid control by its class; Django adds aria-invalid and aria-describedby.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs = {**widget.attrs, "class": f"{widget.attrs['class']} is-invalid"}

    def selects(self):
        return [field for field in self if not isinstance(field.field, forms.BooleanField)]

    def checkboxes(self):
        return [field for field in self if isinstance(field.field, forms.BooleanField)]

    def filter(self, ai_models):
        """The models that pass every filter that validated (invalid ones are left out), sorted as asked."""
        data = getattr(self, "cleaned_data", {})
        tests = []
        if data.get("access"):
            tests.append(lambda m: m.access == data["access"])
        if data.get("category"):
            tests.append(lambda m: m.licence.category == data["category"])
        if data.get("provider"):
            tests.append(lambda m: m.provider.slug == data["provider"])
        if data.get("modality"):
            tests.append(lambda m: data["modality"] in m.modalities)
        if data.get("language"):
            tests.append(lambda m: data["language"] in m.language_codes)
        if data.get("commercial"):
            tests.append(lambda m: m.licence.commercial_use in (vocab.Permission.YES, vocab.Permission.CONDITIONAL))
        if data.get("self_host"):
            tests.append(lambda m: vocab.Deployment.SELF_HOST in m.deployment)
        if data.get("fine_tune"):
            tests.append(lambda m: any(option in m.fine_tuning for option in FINE_TUNING_OPTIONS))
        found = [m for m in ai_models if all(test(m) for test in tests)]
        return sorted(found, key=SORTS[data.get("sort") or "name"][1])


class SlugListField(forms.Field):
    """Several ``?m=`` values: 2 to 4 distinct, well-formed model slugs."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return [item.strip() for item in value if item.strip()]

    def validate(self, value):
        super().validate(value)
        for slug in value:
            if len(slug) > 100:
                raise ValidationError(_("A model identifier is too long."), code="invalid")
            models.slug_validator(slug)
        if len(set(value)) != len(value):
            raise ValidationError(_("Each model can be compared only once; remove the duplicate."), code="duplicate")
        if len(value) < COMPARE_MIN:
            raise ValidationError(
                _("Choose at least %(min)d models to compare."), code="too_few", params={"min": COMPARE_MIN}
            )
        if len(value) > COMPARE_MAX:
            raise ValidationError(
                _("Compare at most %(max)d models at a time."), code="too_many", params={"max": COMPARE_MAX}
            )


class CompareForm(forms.Form):
    m = SlugListField(label=_("Models"), required=False)


def options_html(choices, *, selected=None, selected_index=None):
    """``<option>`` elements, built in Python: a select may list thousands of models.

    Plain ``html.escape`` keeps this a few microseconds per option, where
    ``format_html`` or a template loop would dominate the page's cost.
    """
    parts = []
    for index, (value, label) in enumerate(choices):
        chosen = " selected" if value == selected or index == selected_index else ""
        parts.append(f'<option value="{escape(str(value))}"{chosen}>{escape(str(label))}</option>')
    return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above


def catalogue_rows(page, lifecycle_state):
    """The catalogue table's rows as display strings, one dict per model.

    ``lifecycle_state(ai_model)`` gives a state of ``advisor.engine.lifecycle``.
    """
    # One reverse() per URL pattern instead of two per row; slugs are URL-safe.
    model_url = reverse("advisor:model-detail", kwargs={"slug": "__slug__"})
    licence_url = reverse("advisor:licence-detail", kwargs={"slug": "__slug__"})
    rows = []
    for ai_model in page:
        price_in, price_out = price(ai_model.price_input_per_mtok), price(ai_model.price_output_per_mtok)
        rows.append(
            {
                "slug": ai_model.slug,
                "name": ai_model.name,
                "compare_label": _gettext("Compare %(name)s") % {"name": ai_model.name},
                "url": model_url.replace("__slug__", quote(ai_model.slug)),
                "provider": ai_model.provider.name,
                "access": ai_model.access,
                "access_label": ai_model.get_access_display(),
                "licence": ai_model.licence.name,
                "licence_url": licence_url.replace("__slug__", quote(ai_model.licence.slug)),
                "release_iso": ai_model.release_iso,
                "release": formats.date_format(ai_model.release_date, "M Y") if ai_model.release_date else "",
                "context": number(ai_model.context_window) if ai_model.context_window else "-",
                "price": f"{price_in or '-'} / {price_out or '-'}" if price_in or price_out else "",
                "lifecycle": str(LIFECYCLE_BADGES.get(lifecycle_state(ai_model), "")),
            }
        )
    return rows


# --- Presentation helpers ---------------------------------------------------

# Lifecycle states as the engine names them (advisor.engine.lifecycle), with the catalogue's badge for each.
LIFECYCLE_BADGES = {
    "shutting-down": _("Shutting down"),
    "shutdown-soon": _("Deprecated"),
    "deprecated": _("Deprecated"),
    "retired": _("Retired"),
}


def number(value):
    return formats.number_format(value, force_grouping=True)


def price(value):
    """A Decimal price without trailing zeros: 0.150 -> 0.15, 10.000 -> 10."""
    if value is None:
        return None
    return f"{value.normalize():f}"


def labels(choices, values):
    lookup = dict(choices.choices)
    return [str(lookup.get(value, value)) for value in values]


def amount_words(value):
    """A large whole number in words: 700000000 -> "700 million", 1500000 -> "1.5 million"."""
    for scale, words in ((10**9, _("%(amount)s billion")), (10**6, _("%(amount)s million"))):
        if value >= scale:
            amount = (Decimal(value) / scale).quantize(Decimal("0.01")).normalize()
            return words % {"amount": formats.number_format(Decimal(f"{amount:f}"), force_grouping=True)}
    return number(value)


THRESHOLD_WORDS = {
    vocab.ThresholdKind.MAU: _("More than %(amount)s monthly active users"),
    vocab.ThresholdKind.MONTHLY_REVENUE: _("More than US$%(amount)s revenue a month"),
    vocab.ThresholdKind.ANNUAL_REVENUE: _("More than US$%(amount)s revenue a year"),
    vocab.ThresholdKind.MAAS_GROUP_REVENUE: _(
        "More than US$%(amount)s group revenue in any 12 consecutive months, for a group that runs a "
        "Model-as-a-Service business"
    ),
}
THRESHOLD_EFFECTS = {
    vocab.ThresholdEffect.SEPARATE_LICENCE: _("Separate licence needed: above it the licence no longer grants the use"),
    vocab.ThresholdEffect.DISPLAY_DUTY: _("Display duty: the use stays licensed, with a branding duty added"),
    vocab.ThresholdEffect.OTHER: _("Other effect: see the note"),
}


def threshold_rows(licence):
    """Each of a licence's thresholds as display text; None when the thresholds are not verified."""
    if licence.thresholds is None:
        return None
    kinds = dict(vocab.ThresholdKind.choices)
    effects = dict(vocab.ThresholdEffect.choices)
    rows = []
    for threshold in licence.thresholds:
        kind, effect = threshold.get("kind"), threshold.get("effect")
        words = THRESHOLD_WORDS.get(kind, _("More than %(amount)s"))
        rows.append(
            {
                "kind": str(kinds.get(kind, kind)),
                "what": words % {"amount": amount_words(threshold.get("value") or 0)},
                "effect": str(THRESHOLD_EFFECTS.get(effect, effect)),
                "effect_short": str(effects.get(effect, effect)),
                "gate": effect == vocab.ThresholdEffect.SEPARATE_LICENCE,
                "note": threshold.get("note") or "",
            }
        )
    return rows


def use_restriction_rows(licence):
    """Each of a licence's use restrictions as display text; None when they are not verified."""
    if licence.use_restrictions is None:
        return None
    uses = dict(vocab.RestrictedUse.choices)
    rows = []
    for item in licence.use_restrictions:
        forbidden = item.get("rule") == vocab.UseRule.FORBIDDEN
        rows.append(
            {
                "use": str(uses.get(item.get("use"), item.get("use"))),
                "forbidden": forbidden,
                "rule": _gettext("Forbidden")
                if forbidden
                else _gettext("Allowed on a condition: %(condition)s") % {"condition": item.get("condition") or ""},
                "clause": item.get("clause") or "",
                "source": item.get("source") or "",
            }
        )
    return rows


def use_name(row):
    """A use restriction's short name (a ``use_restriction_rows`` row): its use, or the clause of an "other" use."""
    other = str(dict(vocab.RestrictedUse.choices)[vocab.RestrictedUse.OTHER])
    return row["clause"] if row["use"] == other and row["clause"] else row["use"]


def _use_names(rows):
    """Short names for a glance item."""
    return "; ".join(use_name(row) for row in rows)


def fine_tuning_end(until, today):
    """How a hosted fine-tuning end date reads on ``today``: ended, or no new jobs from a date."""
    if until is None:
        return ""
    date = formats.date_format(until)
    if until <= today:
        return _gettext("Hosted fine-tuning ended on %(date)s: no new jobs can be created.") % {"date": date}
    return _gettext("Hosted fine-tuning is being wound down: no new jobs from %(date)s.") % {"date": date}


def lifecycle_text(ai_model, state, today):
    """One line for a lifecycle state; a shutdown date in the past always reads as retired."""
    shutdown = ai_model.shutdown_date
    date = formats.date_format(shutdown) if shutdown else ""
    if state == "retired":
        if shutdown and shutdown <= today:
            return _gettext("Retired on %(date)s") % {"date": date}
        return _gettext("Retired")
    if state == "shutting-down":
        return _gettext("Shutting down on %(date)s") % {"date": date}
    if state == "shutdown-soon":
        return _gettext("Deprecated: shutdown within a year, on %(date)s") % {"date": date}
    if state == "deprecated":
        if shutdown:
            return _gettext("Deprecated: shutdown announced for %(date)s") % {"date": date}
        return _gettext("Deprecated: a shutdown is announced")
    return _gettext("Active: no shutdown announced")


def licence_glance(licence, today):
    """A licence as permissions, conditions and limitations (choosealicense.com style).

    Each item is ``(label, detail, check)``; the detail is empty when the label says it all, and
    ``check`` marks what holds only under a condition or a gate: it needs a legal check.
    """
    permissions, conditions, limitations = [], [], []
    commercial = licence.commercial_use
    if commercial == vocab.Permission.YES:
        permissions.append((_gettext("Commercial use"), "", False))
    elif commercial == vocab.Permission.CONDITIONAL:
        permissions.append((_gettext("Commercial use"), _gettext("Allowed with conditions; see below."), True))
    elif commercial == vocab.Permission.NO:
        limitations.append((_gettext("No commercial use"), "", False))
    else:
        limitations.append((_gettext("Commercial use unclear"), _gettext("The sources do not say."), True))
    for allowed, yes, no in (
        (licence.may_modify, _gettext("Modification"), _gettext("No modification")),
        (licence.may_redistribute, _gettext("Distribution"), _gettext("No redistribution")),
        (licence.may_fine_tune, _gettext("Fine-tuning"), _gettext("No fine-tuning")),
    ):
        (permissions if allowed else limitations).append((yes if allowed else no, "", False))
    outputs = licence.outputs_may_train_models
    if outputs == vocab.Permission.YES:
        permissions.append((_gettext("Training other models on outputs"), "", False))
    elif outputs == vocab.Permission.CONDITIONAL:
        conditions.append(
            (_gettext("Training other models on outputs"), _gettext("Allowed with strings attached."), True)
        )
    elif outputs == vocab.Permission.NO:
        limitations.append((_gettext("No training other models on outputs"), "", False))
    if licence.attribution_required:
        conditions.append((_gettext("Attribution"), _gettext("Credit, notice or branding is required."), False))
    if licence.acceptable_use_policy:
        conditions.append((_gettext("Acceptable use policy"), _gettext("A use policy is part of the terms."), False))
    for obligation in licence.obligation_list:
        conditions.append((obligation, "", False))
    for row in threshold_rows(licence) or []:
        (limitations if row["gate"] else conditions).append((row["effect_short"], row["what"], row["gate"]))
    if licence.hosting_barred:
        limitations.append(
            (
                _gettext("No hosted service"),
                _gettext("Offering the model as a hosted or API service needs a separate licence."),
                True,
            )
        )
    if licence.remote_restriction:
        limitations.append((_gettext("Remote restriction"), _gettext("The licensor may restrict use remotely."), False))
    if licence.excluded_jurisdictions:
        regions = ", ".join(labels(vocab.Jurisdiction, licence.excluded_jurisdictions))
        detail = regions
        if licence.jurisdiction_exclusion_multimodal_only:
            detail = _gettext("%(regions)s (multimodal models only)") % {"regions": regions}
        limitations.append((_gettext("No grant in some regions"), detail, False))
    restrictions = use_restriction_rows(licence) or []
    forbidden = [row for row in restrictions if row["forbidden"]]
    conditional = [row for row in restrictions if not row["forbidden"]]
    if forbidden:
        limitations.append((_gettext("Forbidden uses"), _use_names(forbidden), False))
    if conditional:
        conditions.append((_gettext("Uses allowed only under a condition"), _use_names(conditional), True))
    if licence.fine_tuning_until:
        ended = licence.fine_tuning_until <= today
        (limitations if ended else conditions).append(
            (_gettext("Hosted fine-tuning"), fine_tuning_end(licence.fine_tuning_until, today), False)
        )
    if licence.prompts_train_by_default in (vocab.PromptTraining.YES, vocab.PromptTraining.FREE_TIER):
        label = dict(vocab.PromptTraining.choices)[licence.prompts_train_by_default]
        limitations.append((_gettext("Prompts used for training by default"), str(label), False))
    elif licence.prompts_train_by_default == vocab.PromptTraining.NO:
        permissions.append((_gettext("Prompts not used for training by default"), "", False))
    if licence.zero_retention_offered:
        permissions.append((_gettext("Zero data retention offered"), "", False))
    return {"permissions": permissions, "conditions": conditions, "limitations": limitations}


def model_fine_tuning_until(ai_model):
    """``(date, source)`` when hosted fine-tuning ends: the model's own, else its terms' if it offers hosted tuning."""
    if ai_model.fine_tuning_until:
        return ai_model.fine_tuning_until, ai_model.fine_tuning_until_source
    licence = ai_model.licence
    if licence.fine_tuning_until and vocab.FineTuning.API in ai_model.fine_tuning:
        return licence.fine_tuning_until, licence.fine_tuning_until_source
    return None, ""


def fact_rows(ai_model, lifecycle_state, today):
    """The facts of one model as ``(label, text)`` rows, with units.

    ``lifecycle_state(ai_model)`` gives a state of ``advisor.engine.lifecycle``.
    """
    unknown = _gettext("Not disclosed")
    no_price = _gettext("No list price")

    def yes_no(value):
        return _gettext("Yes") if value else _gettext("No")

    price_in, price_out = price(ai_model.price_input_per_mtok), price(ai_model.price_output_per_mtok)
    return [
        (_gettext("Provider"), ai_model.provider.name),
        (_gettext("Access"), ai_model.get_access_display()),
        (_gettext("Licence"), ai_model.licence.name),
        (_gettext("Commercial use"), ai_model.licence.get_commercial_use_display()),
        (_gettext("Release date"), ai_model.release_label or unknown),
        (_gettext("Parameters"), ai_model.parameters or unknown),
        (
            _gettext("Context window"),
            _gettext("%(tokens)s tokens") % {"tokens": number(ai_model.context_window)}
            if ai_model.context_window
            else unknown,
        ),
        (_gettext("Input modalities"), ", ".join(labels(vocab.Modality, ai_model.modalities)) or unknown),
        (_gettext("Languages"), ai_model.languages or unknown),
        (_gettext("Weights published"), yes_no(ai_model.weights_available)),
        (_gettext("Training code published"), yes_no(ai_model.training_code_available)),
        (_gettext("Training data published"), yes_no(ai_model.training_data_available)),
        (_gettext("Fine-tuning"), ", ".join(labels(vocab.FineTuning, ai_model.fine_tuning)) or unknown),
        (_gettext("Deployment"), ", ".join(labels(vocab.Deployment, ai_model.deployment)) or unknown),
        (
            _gettext("GPU memory to self-host (fp16 weights)"),
            _gettext("%(gb)s GB") % {"gb": number(ai_model.min_gpu_memory_gb)}
            if ai_model.min_gpu_memory_gb
            else _gettext("Not applicable or unknown"),
        ),
        (
            _gettext("API price, input"),
            _gettext("US$%(price)s per million tokens") % {"price": price_in} if price_in else no_price,
        ),
        (
            _gettext("API price, output"),
            _gettext("US$%(price)s per million tokens") % {"price": price_out} if price_out else no_price,
        ),
        (_gettext("Lifecycle"), lifecycle_text(ai_model, lifecycle_state(ai_model), today)),
        (_gettext("Replacement named by the vendor"), ai_model.replacement or _gettext("None named")),
        (
            _gettext("Hosted fine-tuning"),
            fine_tuning_end(model_fine_tuning_until(ai_model)[0], today) or _gettext("No end date announced"),
        ),
        (
            _gettext("Facts last verified"),
            formats.date_format(ai_model.last_reviewed, "F Y") if ai_model.last_reviewed else _gettext("Never"),
        ),
    ]


def compare_rows(ai_models, criteria, scores, lifecycle_state, today):
    """Fact and score rows for a side-by-side table, each marking whether values differ.

    ``scores`` maps ``(ai_model_id, criterion_id)`` to a ``Score``.
    """
    facts = [fact_rows(ai_model, lifecycle_state, today) for ai_model in ai_models]
    compared_facts = []
    for index, (label, _text) in enumerate(facts[0]):
        values = [model_rows[index][1] for model_rows in facts]
        compared_facts.append({"label": label, "values": values, "differs": len(set(values)) > 1})
    score_rows = []
    for criterion in criteria:
        values = []
        for ai_model in ai_models:
            score = scores.get((ai_model.pk, criterion.pk))
            values.append(score.value if score else None)
        score_rows.append(
            {"criterion": criterion, "values": values, "differs": len(set(values)) > 1},
        )
    return compared_facts, score_rows


BAR_MAX = 300  # SVG units for a score of 10
LABEL_WIDTH = 210
BAR_HEIGHT = 9
GROUP_GAP = 10


def overlay_chart(ai_models, score_rows):
    """Geometry for one SVG grouped bar chart overlaying the models' criterion scores."""
    series = len(ai_models)
    group_height = series * BAR_HEIGHT + GROUP_GAP
    groups = []
    for index, row in enumerate(score_rows):
        top = index * group_height + GROUP_GAP
        bars = []
        for position, value in enumerate(row["values"]):
            y = top + position * BAR_HEIGHT
            width = 0 if value is None else value * BAR_MAX // models.SCORE_MAX
            bars.append(
                {
                    "series": position,
                    "y": y,
                    "width": width,
                    "value": "-" if value is None else value,
                    "text_x": LABEL_WIDTH + width + 4,
                    "text_y": y + BAR_HEIGHT - 1,
                }
            )
        groups.append({"label": row["criterion"].name, "label_y": top + series * BAR_HEIGHT / 2 + 4, "bars": bars})
    return {
        "groups": groups,
        "height": len(score_rows) * group_height + GROUP_GAP,
        "width": LABEL_WIDTH + BAR_MAX + 30,
        "label_x": LABEL_WIDTH - 8,
        "bar_x": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT - 2,
        "series": [{"index": i, "name": m.name} for i, m in enumerate(ai_models)],
    }


def score_bar(value):
    """Width of a single 0-10 score bar on a 0-100 SVG scale."""
    return 0 if value is None else value * 100 // models.SCORE_MAX


def match_count_text(count):
    return ngettext("%(count)s model matches.", "%(count)s models match.", count) % {"count": number(count)}


FACTS_STALE_AFTER_DAYS = 180
CONFIDENCE_ORDER = {vocab.Confidence.LOW: 0, vocab.Confidence.MEDIUM: 1, vocab.Confidence.HIGH: 2}


def _as_of_start(as_of):
    """The first day an ``as_of`` value (YYYY, YYYY-MM or YYYY-MM-DD) can mean: never fresher than the source."""
    parts = [int(part) for part in as_of.split("-")]
    return datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _as_of_text(as_of):
    date = _as_of_start(as_of)
    if as_of.count("-") == 2:
        return formats.date_format(date)
    if as_of.count("-") == 1:
        return formats.date_format(date, "YEAR_MONTH_FORMAT")
    return str(date.year)


def freshness(sources, today):
    """How fresh and how sure an entry's facts are, from its sources: the oldest and least sure one.

    None when no source is recorded (the page says so in its source list).
    """
    dated = [source for source in sources if source.as_of]
    if not dated:
        return None
    oldest = min(dated, key=lambda source: _as_of_start(source.as_of))
    weakest = min(dated, key=lambda source: CONFIDENCE_ORDER.get(source.confidence, 0))
    return {
        "as_of": _as_of_text(oldest.as_of),
        "stale": (today - _as_of_start(oldest.as_of)).days > FACTS_STALE_AFTER_DAYS,
        "confidence": weakest.get_confidence_display(),
        "low": weakest.confidence == vocab.Confidence.LOW,
    }
