from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch
from django.utils import timezone

from advisor import models, reference, scoring, vocab

HEADER = (
    "# Written by manage.py catalogue_export in the reference format (schema {schema}); see the README of\n"
    "# the reference for the fields. Paraphrases of licences, not legal advice.\n"
)


class Command(BaseCommand):
    help = (
        "Export every licence and model to a folder in the reference format (schema 2): licenses.yaml and "
        "models.yaml, plus editorial_scores.yaml with what the reference has no place for (capability "
        "scores, licence facts stated only in prose, providers' country and website, score overrides, "
        "drafts, an entry's sources beyond its first). catalogue_import reads the folder back."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="An empty or new folder to write the three files to")

    def handle(self, *args, folder, **options):
        paths = [folder / name for name in (reference.LICENCES_FILE, reference.MODELS_FILE, reference.EDITORIAL_FILE)]
        existing = [str(path) for path in paths if path.exists()]
        if existing:
            raise CommandError(f"{', '.join(existing)} already exist; choose a new folder rather than overwrite.")
        sources = Prefetch("sources", queryset=models.Source.objects.order_by("pk"))
        licences = list(models.Licence.objects.order_by("pk").prefetch_related(sources))
        ai_models = list(
            models.AIModel.objects.order_by("pk")
            .select_related("provider", "licence")
            .prefetch_related(sources, Prefetch("scores", queryset=models.Score.objects.select_related("criterion")))
        )
        unsourced = [entry.slug for entry in [*licences, *ai_models] if not entry.sources.all()]
        if unsourced:
            raise CommandError(
                "Every entry of the reference format needs a source, and these have none: "
                f"{', '.join(unsourced)}. Record one in the admin (Mark as verified), then export again."
            )
        # A licence entry's url is both the licence text's address and its source's: some source must have it.
        unmatched = [licence.slug for licence in licences if _sources(licence) is None]
        if unmatched:
            raise CommandError(
                "A licence entry of the reference format names its source by the licence text URL, and no source "
                f"of these licences has that URL: {', '.join(unmatched)}. Mark them as verified against their "
                "licence text URL in the admin, then export again."
            )
        generated = timezone.localdate().isoformat()
        documents = {
            reference.LICENCES_FILE: _document("licenses", [licence_entry(licence) for licence in licences], generated),
            reference.MODELS_FILE: _document("models", [model_entry(ai_model) for ai_model in ai_models], generated),
            reference.EDITORIAL_FILE: editorial(licences, ai_models),
        }
        folder.mkdir(parents=True, exist_ok=True)
        for path in paths:
            text = yaml.safe_dump(documents[path.name], sort_keys=False, allow_unicode=True, width=1000)
            header = HEADER.format(schema=reference.SCHEMA_VERSION) if path.name != reference.EDITORIAL_FILE else ""
            path.write_text(header + text)
        self.stdout.write(
            self.style.SUCCESS(f"Exported {len(licences)} licences and {len(ai_models)} models to {folder}.")
        )


def _document(key, entries, generated):
    return {"schema_version": reference.SCHEMA_VERSION, "generated": generated, key: entries}


def _sources(entry):
    """``(own, more)``: the source an entry states itself, and the others, in the order they were recorded.

    A model states its first source; a licence the first whose URL is the licence text's (the entry's one
    ``url`` is both), or None when none is.
    """
    sources = list(entry.sources.all())
    url = (entry.url if isinstance(entry, models.Licence) else "") or sources[0].url
    own = next((source for source in sources if source.url == url), None)
    if own is None:
        return None
    return own, [source for source in sources if source is not own]


def _source_fields(source):
    return {"url": source.url, "source": source.title, "as_of": source.as_of, "confidence": source.confidence}


def _fine_tuning_end(entry):
    if entry.fine_tuning_until is None and not entry.fine_tuning_until_source:
        return {}
    until = entry.fine_tuning_until.isoformat() if entry.fine_tuning_until else None
    return {"fine_tuning_until": until, "fine_tuning_until_source": entry.fine_tuning_until_source}


def licence_entry(licence):
    """One licence as a ``licenses.yaml`` entry."""
    own, _ = _sources(licence)
    thresholds = licence.thresholds
    first_mau = next((t["value"] for t in thresholds or [] if t["kind"] == vocab.ThresholdKind.MAU), None)
    entry = {
        "id": licence.slug,
        "name": licence.name,
        "spdx_id": licence.spdx_id or None,
        "category": licence.category,
        "osi_approved": licence.osi_approved,
        "commercial_use": licence.commercial_use,
        "conditions": licence.obligation_list,
        "mau_threshold": first_mau,
        "may_modify": licence.may_modify,
        "may_redistribute": licence.may_redistribute,
        "may_fine_tune": licence.may_fine_tune,
        "outputs_may_train_other_models": licence.outputs_may_train_models,
        "acceptable_use_policy": licence.acceptable_use_policy,
        "attribution_required": licence.attribution_required,
        "notable_clauses": licence.clause_list,
        "thresholds": thresholds,
    }
    if licence.use_restrictions is not None:  # absent = not verified
        entry["use_restrictions"] = licence.use_restrictions
    return {**entry, **_source_fields(own), **_fine_tuning_end(licence)}


def model_entry(ai_model):
    """One model as a ``models.yaml`` entry."""
    own, _ = _sources(ai_model)
    entry = {
        "id": ai_model.slug,
        "name": ai_model.name,
        "provider": ai_model.provider.name,
        "release_date": ai_model.release_iso or None,
        "access": ai_model.access,
        "license": ai_model.licence.slug,
        "parameters": ai_model.parameters or None,
        "context_window": ai_model.context_window,
        "modalities": list(ai_model.modalities),
        "weights_available": ai_model.weights_available,
        "training_code_available": ai_model.training_code_available,
        "training_data_available": ai_model.training_data_available,
        "fine_tuning": list(ai_model.fine_tuning),
        "deployment": list(ai_model.deployment),
        "min_gpu_memory_gb_fp16": ai_model.min_gpu_memory_gb,
        "api_price_usd_per_mtok_input": _price(ai_model.price_input_per_mtok),
        "api_price_usd_per_mtok_output": _price(ai_model.price_output_per_mtok),
        "known_strengths": ai_model.strength_list,
        "languages": ai_model.languages,
        **_source_fields(own),
    }
    if ai_model.notes:
        entry["notes"] = ai_model.notes
    stated = ai_model.shutdown_date or ai_model.replacement or ai_model.lifecycle_source
    if ai_model.access == vocab.Access.CLOSED_API or ai_model.lifecycle != vocab.Lifecycle.ACTIVE or stated:
        entry["lifecycle"] = {
            "status": ai_model.lifecycle,
            "shutdown_date": ai_model.shutdown_date.isoformat() if ai_model.shutdown_date else None,
            "replacement": ai_model.replacement or None,
            "lifecycle_source": ai_model.lifecycle_source,
        }
    return {**entry, **_fine_tuning_end(ai_model)}


def _price(value):
    """A float is what the reference writes; the stored decimals have three places, which a float keeps exactly."""
    return None if value is None else float(value)


def editorial(licences, ai_models):
    """What the app needs and the reference has no place for (see ``advisor.reference``)."""
    capability, overrides, unpublished = {}, {}, []
    for ai_model in ai_models:
        for score in ai_model.scores.all():
            slug = score.criterion.slug
            if slug in scoring.EDITORIAL and score.rationale != scoring.PLACEHOLDER_RATIONALE:
                capability[ai_model.slug] = {"value": score.value, "rationale": score.rationale}
            elif score.is_override:
                overrides.setdefault(ai_model.slug, {})[slug] = {
                    "value": score.value,
                    "rationale": score.rationale,
                    "reason": score.override_reason,
                }
        if ai_model.status != vocab.EditorialStatus.PUBLISHED:
            unpublished.append(ai_model.slug)
    licence_facts = {}
    for licence in licences:
        facts = {key: getattr(licence, key) for key in reference.LICENCE_FACT_DEFAULTS}
        changed = {key: value for key, value in facts.items() if value != reference.LICENCE_FACT_DEFAULTS[key]}
        if changed:
            licence_facts[licence.slug] = changed
    more_sources = {}
    for kind, entries in [("licences", licences), ("models", ai_models)]:
        for entry in entries:
            _, more = _sources(entry)
            if more:
                more_sources.setdefault(kind, {})[entry.slug] = [_source_fields(source) for source in more]
    providers = {
        ai_model.provider.name: {"country": ai_model.provider.country, "website": ai_model.provider.website}
        for ai_model in ai_models
        if ai_model.provider.country or ai_model.provider.website
    }
    document = {"capability": capability}
    for name, section in [
        ("licence_facts", licence_facts),
        ("providers", providers),
        ("overrides", overrides),
        ("unpublished", unpublished),
        ("more_sources", more_sources),
    ]:
        if section:
            document[name] = section
    return document
