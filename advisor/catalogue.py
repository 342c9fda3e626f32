"""The published catalogue as plain data, and its fingerprint.

``catalogue_snapshot()`` is what the engine reads: dicts, lists, strings and
numbers, built in a fixed number of queries. Its SHA-256 is the catalogue
fingerprint stored in ``CatalogueState``, refreshed after every commit that
touches catalogue content, so a permalink knows with one query whether the
catalogue changed since it was computed.
"""

import hashlib
import json

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from advisor import models


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


def catalogue_snapshot():
    """Return the published catalogue as plain data (four queries)."""
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
    licences = {}
    entries = []
    for m in ai_models:
        if m.licence_id not in licences:
            licences[m.licence_id] = licence_facts(m.licence)
        entries.append({**snapshot_entry(m, licences[m.licence_id]), "scores": scores.get(m.pk, {})})
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


def catalogue_refresh():
    """Recompute and store the fingerprint of the published catalogue.

    Every call also moves the catalogue revision (``updated_at``) on, even
    when the published fingerprint stays the same: a draft edit changes what
    editors see, and cached pages are keyed on the revision.
    """
    snapshot = catalogue_snapshot()
    fingerprint = fingerprint_of(snapshot)
    version = models.CatalogueVersion.objects.filter(fingerprint=fingerprint).first()
    models.CatalogueState.objects.update_or_create(
        pk=1, defaults={"fingerprint": fingerprint, "version": version, "updated_at": timezone.now()}
    )
    cache.set(f"catalogue:{fingerprint}", snapshot, timeout=None)
    return fingerprint, snapshot


def current_state():
    """``(fingerprint, revision)`` of the catalogue in one query; never writes.

    The revision changes after every catalogue edit (drafts included), so it
    is the part of a cache key that keeps a rendered catalogue page fresh. With
    no state stored yet (a database no edit has reached), the fingerprint is
    computed and the revision is empty: a request never writes.
    """
    row = models.CatalogueState.objects.filter(pk=1).values_list("fingerprint", "updated_at").first()
    if row is None:
        return fingerprint_of(catalogue_snapshot()), ""
    fingerprint, updated_at = row
    return fingerprint, updated_at.isoformat()


def current_version():
    """``(fingerprint, version number or None)`` of the published catalogue in one query; never writes.

    The number is None until a result has been saved on this state of the catalogue.
    """
    row = models.CatalogueState.objects.filter(pk=1).values_list("fingerprint", "version_id").first()
    if row is None:
        return fingerprint_of(catalogue_snapshot()), None
    return row


def version_store(fingerprint):
    """Keep the published catalogue as a numbered version (once per fingerprint); return its number."""
    snapshot = cache.get(f"catalogue:{fingerprint}")
    if snapshot is None:
        snapshot = catalogue_snapshot()
        if fingerprint_of(snapshot) != fingerprint:
            raise RuntimeError("the catalogue changed while a result was being computed")
    version = models.CatalogueVersion.objects.get_or_create(fingerprint=fingerprint, defaults={"snapshot": snapshot})[0]
    models.CatalogueState.objects.filter(pk=1, fingerprint=fingerprint).update(version=version)
    return version.pk


def current_fingerprint():
    """The stored fingerprint (one query), computed (not stored) when there is none yet."""
    return current_state()[0]


def catalogue_load():
    """Return ``(fingerprint, snapshot)`` for the published catalogue; never writes.

    The snapshot is cached under the stored fingerprint, so a request costs one
    query unless editors changed something since (every edit stores a new one).
    """
    fingerprint = current_fingerprint()
    snapshot = cache.get(f"catalogue:{fingerprint}")
    if snapshot is None:
        snapshot = catalogue_snapshot()
        cache.set(f"catalogue:{fingerprint}", snapshot, timeout=None)
    return fingerprint, snapshot


def _refresh_after_commit():
    catalogue_refresh()


def schedule_refresh():
    """Refresh the fingerprint once, after the current transaction commits.

    A fixture load or a bulk admin action saves many rows in one transaction;
    the refresh is registered only once per transaction, and a rollback drops
    it with the rest of Django's on-commit queue.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        catalogue_refresh()
        return
    # Registered already in this transaction (at this savepoint level)? Then once is enough.
    savepoints = set(connection.savepoint_ids)
    if any(func is _refresh_after_commit and sids == savepoints for sids, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_refresh_after_commit)


def catalogue_changed(sender, **kwargs):
    """Signal receiver for saves and deletes of catalogue rows."""
    schedule_refresh()


def _bump_revision():
    models.CatalogueState.objects.filter(pk=1).update(updated_at=timezone.now())


def revision_bump(sender, **kwargs):
    """Signal receiver: move the revision on (after commit) without touching the fingerprint.

    For rows that cached pages show but the published catalogue does not
    contain, such as a deleted result behind a cached permalink.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump_revision()
        return
    savepoints = set(connection.savepoint_ids)
    if any(func is _bump_revision and sids == savepoints for sids, func, _ in connection.run_on_commit):
        return  # a bulk delete moves the revision on once
    transaction.on_commit(_bump_revision)
