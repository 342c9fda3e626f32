"""The catalogue as plain data: the working catalogue editors change, and the published versions.

Editors change the working catalogue (the tables). ``advisor.versions.publish`` copies it into
a new ``CatalogueVersion``; the public pages and the engine read the latest published version
and nothing else, so an edit reaches readers only when an editor publishes it, and every cache
is keyed by the version number: publishing is the one thing that makes a cached page old.

- ``catalogue_snapshot()`` is what the engine reads: dicts, lists, strings and numbers, built in
  a fixed number of queries; its SHA-256 is a version's fingerprint.
- ``catalogue_records()`` is what the public pages read: the public rows in Django's
  serialisation, turned back into unsaved model instances (``Catalogue``) to render.
"""

import datetime
import functools
import hashlib
import json
from collections import defaultdict
from typing import NamedTuple

from django.core import serializers
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q

from advisor import models, vocab


def licence_facts(licence):
    """One licence's facts as plain data.

    ``thresholds`` and ``use_restrictions`` are lists of objects as in the
    reference data, or None when not verified; dates are ISO strings or None.
    """
    return {
        "slug": licence.slug,
        "name": licence.name,
        "spdx_id": licence.spdx_id,
        "category": licence.category,
        "osi_approved": licence.osi_approved,
        "commercial_use": licence.commercial_use,
        "may_modify": licence.may_modify,
        "may_redistribute": licence.may_redistribute,
        "may_fine_tune": licence.may_fine_tune,
        "outputs_may_train_models": licence.outputs_may_train_models,
        "thresholds": _json_list(licence.thresholds),
        "excluded_jurisdictions": list(licence.excluded_jurisdictions),
        "jurisdiction_exclusion_multimodal_only": licence.jurisdiction_exclusion_multimodal_only,
        "hosting_barred": licence.hosting_barred,
        "remote_restriction": licence.remote_restriction,
        "use_restrictions": _json_list(licence.use_restrictions),
        "fine_tuning_until": _iso(licence.fine_tuning_until),
        "acceptable_use_policy": licence.acceptable_use_policy,
        "attribution_required": licence.attribution_required,
        "prompts_train_by_default": licence.prompts_train_by_default,
        "zero_retention_offered": licence.zero_retention_offered,
        "obligations": licence.obligation_list,
        "url": licence.url,
    }


def _price(value):
    return None if value is None else float(value)


def _iso(date):
    return date.isoformat() if date else None


def _json_list(value):
    """A copy of a JSON list of objects, or None (not verified) as it is."""
    return None if value is None else [dict(item) for item in value]


def snapshot_entry(m, licence_data=None):
    """One model's facts as plain data: a snapshot entry without its scores.

    ``release_date`` is ``YYYY-MM-DD``, or ``YYYY-MM`` when only the month is
    known; ``replacement`` is the slug the vendor names (it may not be in the
    catalogue) or None.
    """
    return {
        "slug": m.slug,
        "name": m.name,
        "provider": m.provider.name,
        "provider_country": m.provider.country,
        "access": m.access,
        "release_date": m.release_iso or None,
        "parameters": m.parameters,
        "context_window": m.context_window,
        "modalities": list(m.modalities),
        "languages": m.languages,
        "language_codes": list(m.language_codes),
        "language_coverage": m.language_coverage,
        "weights_available": m.weights_available,
        "training_code_available": m.training_code_available,
        "training_data_available": m.training_data_available,
        "fine_tuning": list(m.fine_tuning),
        "deployment": list(m.deployment),
        "min_gpu_memory_gb": m.min_gpu_memory_gb,
        "price_input_per_mtok": _price(m.price_input_per_mtok),
        "price_output_per_mtok": _price(m.price_output_per_mtok),
        "strengths": m.strength_list,
        "lifecycle": m.lifecycle,
        "shutdown_date": _iso(m.shutdown_date),
        "replacement": m.replacement or None,
        "fine_tuning_until": _iso(m.fine_tuning_until),
        "licence": licence_data if licence_data is not None else licence_facts(m.licence),
    }


# Confidence levels of a source (vocab.Confidence), from the least to the surest.
CONFIDENCE_ORDER = ("low", "medium", "high")


def _sources_confidence():
    """{("model" or "licence", pk): the surest confidence among its sources} (one query)."""
    rank = {level: position for position, level in enumerate(CONFIDENCE_ORDER)}
    surest = {}
    for ai_model_id, licence_id, level in models.Source.objects.values_list("ai_model_id", "licence_id", "confidence"):
        key = ("model", ai_model_id) if ai_model_id is not None else ("licence", licence_id)
        if key not in surest or rank.get(level, -1) > rank.get(surest[key], -1):
            surest[key] = level
    return surest


def catalogue_snapshot():
    """Return the published catalogue as plain data (five queries).

    Each model and licence carries ``confidence``: the surest confidence among its sources
    ("" when it has none), and each model ``verified``: whether an editor has verified its facts,
    so the engine never states a fact surer than its source.
    """
    criteria = [
        {"slug": c.slug, "name": c.name, "summary": c.summary}
        for c in models.Criterion.objects.order_by("position", "name")
    ]
    ai_models = list(models.AIModel.objects.published().select_related("provider", "licence").order_by("slug"))
    scores = {}
    rows = models.Score.objects.filter(ai_model__status="published").values_list(
        "ai_model_id", "criterion__slug", "value", "rationale", "is_override"
    )
    for ai_model_id, slug, value, rationale, is_override in rows:
        scores.setdefault(ai_model_id, {})[slug] = {"value": value, "rationale": rationale, "override": is_override}
    confidence = _sources_confidence()
    licences = {}
    entries = []
    for m in ai_models:
        if m.licence_id not in licences:
            licences[m.licence_id] = {
                **licence_facts(m.licence),
                "confidence": confidence.get(("licence", m.licence_id), ""),
            }
        entries.append(
            {
                **snapshot_entry(m, licences[m.licence_id]),
                "confidence": confidence.get(("model", m.pk), ""),
                "verified": m.last_reviewed is not None,
                "scores": scores.get(m.pk, {}),
            }
        )
    gpu_prices = [
        {
            "name": price.name,
            "memory_gb": price.memory_gb,
            "hourly_usd": float(price.hourly_usd),
            "source": price.source_url,
            "as_of": price.as_of,
        }
        for price in models.GpuPrice.objects.all()
    ]
    return {"criteria": criteria, "models": entries, "gpu_prices": gpu_prices}


def fingerprint_of(snapshot):
    encoded = json.dumps(snapshot, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


# -- The public rows -----------------------------------------------------------------------------


def _working_querysets(*, drafts):
    """The catalogue's rows in the tables, as the public pages read them (``drafts``: unpublished models too)."""
    ai_models = models.AIModel.objects.all() if drafts else models.AIModel.objects.published()
    return [
        models.Provider.objects.order_by("pk"),
        models.Licence.objects.order_by("pk"),
        models.Criterion.objects.order_by("pk"),
        ai_models.order_by("pk"),
        models.Score.objects.filter(ai_model__in=ai_models).order_by("pk"),
        models.Source.objects.filter(Q(licence__isnull=False) | Q(ai_model__in=ai_models)).order_by("pk"),
        models.AudiencePreset.objects.order_by("pk"),
        models.GpuPrice.objects.order_by("pk"),
    ]


def catalogue_records():
    """The published models and everything their pages show, as JSON-able rows (Django's serialisation)."""
    rows = []
    for queryset in _working_querysets(drafts=False):
        rows += serializers.serialize("python", queryset.iterator())
    for row in rows:  # bookkeeping no page shows: a save that changed nothing is nothing to publish
        row["fields"].pop("created_at", None)
        row["fields"].pop("updated_at", None)
    return json.loads(json.dumps(rows, cls=DjangoJSONEncoder))


class Catalogue:
    """The catalogue in memory, its rows as (unsaved) model instances, related rows already attached.

    Built from a version's records (what readers see) or from the tables (what an editor
    previews); the public pages read nothing else. Each model carries ``score_list`` and
    ``source_list``, each licence ``source_list`` and ``model_list`` (its public models).
    """

    def __init__(self, rows, *, number=None, published_at=None):
        self.number = number  # the version number; None for the working catalogue
        self.published_at = published_at
        by_class = defaultdict(list)
        for row in rows:
            by_class[type(row)].append(row)
        providers = {provider.pk: provider for provider in by_class[models.Provider]}
        licences = {licence.pk: licence for licence in by_class[models.Licence]}
        criteria = {criterion.pk: criterion for criterion in by_class[models.Criterion]}
        ai_models = {ai_model.pk: ai_model for ai_model in by_class[models.AIModel]}
        for licence in licences.values():
            licence.source_list, licence.model_list = [], []
        for ai_model in ai_models.values():
            ai_model.provider = providers[ai_model.provider_id]
            ai_model.licence = licences[ai_model.licence_id]
            ai_model.score_list, ai_model.source_list = [], []
        for score in by_class[models.Score]:
            score.criterion = criteria[score.criterion_id]
            ai_models[score.ai_model_id].score_list.append(score)
        for source in sorted(by_class[models.Source], key=lambda source: (_desc(source.as_of), source.title)):
            owner = ai_models.get(source.ai_model_id) if source.ai_model_id else licences.get(source.licence_id)
            if owner is not None:
                owner.source_list.append(source)
        self.models = sorted(ai_models.values(), key=lambda ai_model: (ai_model.name, ai_model.slug))
        for ai_model in self.models:
            if ai_model.status == vocab.EditorialStatus.PUBLISHED:
                ai_model.licence.model_list.append(ai_model)
        self.providers = sorted(providers.values(), key=lambda provider: (provider.name, provider.slug))
        self.licences = sorted(licences.values(), key=lambda licence: (licence.name, licence.slug))
        self.criteria = sorted(criteria.values(), key=lambda criterion: (criterion.position, criterion.name))
        self.presets = sorted(by_class[models.AudiencePreset], key=lambda preset: (preset.position, preset.name))
        self.preset_by_slug = {preset.slug: preset for preset in self.presets}
        self.gpu_prices = by_class[models.GpuPrice]
        self.model_by_slug = {ai_model.slug: ai_model for ai_model in self.models}
        self.licence_by_slug = {licence.slug: licence for licence in self.licences}

    @classmethod
    def from_records(cls, records, **kwargs):
        return cls((row.object for row in serializers.deserialize("python", records)), **kwargs)


def _desc(text):
    """A sort key putting ``text`` (e.g. "2025-06") in descending order."""
    return [-ord(character) for character in text]


def working_catalogue():
    """The working catalogue from the tables, drafts included: what an editor previews before publishing."""
    rows = []
    for queryset in _working_querysets(drafts=True):
        rows += list(queryset)
    return Catalogue(rows)


# -- Published versions ----------------------------------------------------------------------------


class Latest(NamedTuple):
    """The latest published version: its number, its fingerprint and when it was published."""

    number: int | None
    fingerprint: str | None
    published_at: datetime.datetime | None = None

    @property
    def key(self):
        """What names this version in a cache key: a number alone may come back after a database restore."""
        return f"{self.number}-{self.published_at.timestamp() if self.published_at else ''}"


def latest():
    """The ``Latest`` published version in one query (its fields None before the first)."""
    row = (
        models.CatalogueVersion.objects.filter(published_at__isnull=False)
        .order_by("-pk")
        .values_list("pk", "fingerprint", "published_at")
        .first()
    )
    return Latest(*row) if row else Latest(None, None)


def snapshot_of(number, fingerprint):
    """The engine's snapshot of version ``number``: from the shared cache (under its fingerprint), else its row."""
    key = f"catalogue:snapshot:{fingerprint}"  # a fingerprint names its content: never stale
    snapshot = cache.get(key)
    if snapshot is None:
        snapshot = models.CatalogueVersionContent.objects.values_list("snapshot", flat=True).get(pk=number)
        cache.set(key, snapshot, timeout=None)
    return snapshot


EMPTY_SNAPSHOT = {"criteria": [], "models": [], "gpu_prices": []}


def published_catalogue(version=None):
    """The ``Catalogue`` of a ``Latest`` version (the latest published by default), built once per process."""
    version = version or latest()
    if version.number is None:
        return Catalogue([])
    return _catalogue_of(version.number, version.key, version.published_at)


@functools.lru_cache(maxsize=2)  # keyed by the version's key: a number alone may come back after a restore
def _catalogue_of(number, key, published_at):
    records = models.CatalogueVersionContent.objects.values_list("records", flat=True).get(pk=number)
    return Catalogue.from_records(records or [], number=number, published_at=published_at)
