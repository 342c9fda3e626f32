"""One model's facts, read once from the catalogue snapshot.

The snapshot (``advisor.catalogue.catalogue_snapshot()``) is plain data: a list of model entries,
each with its licence facts under ``"licence"`` and its scores under ``"scores"``. ``ModelFacts``
holds what the rules and scores read, parsed and checked once, in the engine's own terms.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from advisor import scoring
from advisor.engine import hardware, lifecycle
from advisor.engine.text import gettext_noop as _
from advisor.engine.text import msg

CRITERIA = scoring.CRITERIA
MISSING_SCORE = 5
MISSING_RATIONALE = _("No score recorded yet, so it counts as %(value)s out of 10.")
# A score's rationale as the catalogue records it: catalogue content, shown as written.
# Translators: keep as it is; the rationale is an editor's text from the catalogue.
RECORDED_RATIONALE = _("%(rationale)s")


@dataclass(frozen=True, slots=True)
class ModelFacts:
    index: int  # position in name order: the tie-break order
    slug: str
    name: str
    provider: str
    access: str
    is_open: bool
    entry: Mapping  # the snapshot entry, read for details
    licence: Mapping
    values: dict  # criterion slug -> stored score (missing ones as MISSING_SCORE)
    rationales: dict  # criterion slug -> message: the recorded rationale, or why none counts
    missing: tuple  # criteria without a stored score
    overridden: frozenset  # criteria an editor overrode: the stored value wins on every route
    modalities: frozenset
    language_codes: frozenset
    language_coverage: str  # listed, broad or unknown
    deployment: frozenset
    fine_tuning: frozenset
    weights_available: bool
    training_code_available: bool
    training_data_available: bool
    context_window: int | None
    memory: hardware.Memory | None
    status: str  # lifecycle.lifecycle_status() on the day the catalogue was prepared
    shutdown_date: str | None
    replacement: str | None
    fine_tuning_until: str | None  # the model's own date, else its licence's
    price_input: float | None
    price_output: float | None
    confidence: str  # the surest confidence among the model's sources: high, medium, low, or "" (unknown)
    verified: bool | None  # whether an editor has verified its facts (None: not recorded in older snapshots)

    @property
    def multimodal(self):
        return bool(self.modalities - {"text"})

    @property
    def capability(self):
        return self.values["capability"]

    def documents(self, language):
        """Whether the documentation confirms a language (broad lists are written in English)."""
        return language in self.language_codes or (language == "en" and self.language_coverage == "broad")

    @property
    def licence_name(self):
        return self.licence.get("name") or "The licence"


def _as_int(value):
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def _as_float(value):
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def model_facts(index, entry, today):
    licence = entry.get("licence") or {}
    scores = entry.get("scores") or {}
    values, rationales, missing, overridden = {}, {}, [], set()
    for slug in CRITERIA:
        score = scores.get(slug) or {}
        value = _as_int(score.get("value"))
        if value is None:
            values[slug] = MISSING_SCORE
            rationales[slug] = msg(MISSING_RATIONALE, value=MISSING_SCORE)
            missing.append(slug)
        else:
            values[slug] = max(0, min(10, value))
            rationales[slug] = msg(RECORDED_RATIONALE, rationale=str(score.get("rationale") or ""))
            if score.get("override"):
                overridden.add(slug)
    access = entry.get("access") or "closed-api"
    fp16 = _as_int(entry.get("min_gpu_memory_gb"))
    return ModelFacts(
        index=index,
        slug=entry["slug"],
        name=entry.get("name") or entry["slug"],
        provider=entry.get("provider") or "",
        access=access,
        is_open=access != "closed-api",
        entry=entry,
        licence=licence,
        values=values,
        rationales=rationales,
        missing=tuple(missing),
        overridden=frozenset(overridden),
        modalities=frozenset(entry.get("modalities") or ()),
        language_codes=frozenset(entry.get("language_codes") or ()),
        language_coverage=entry.get("language_coverage") or "unknown",
        deployment=frozenset(entry.get("deployment") or ()),
        fine_tuning=frozenset(entry.get("fine_tuning") or ()) - {"none"},
        weights_available=bool(entry.get("weights_available")),
        training_code_available=bool(entry.get("training_code_available")),
        training_data_available=bool(entry.get("training_data_available")),
        context_window=_as_int(entry.get("context_window")),
        memory=hardware.memory_of(hardware.parameters_billion(entry.get("parameters"), fp16))
        if access != "closed-api"
        else None,
        status=lifecycle.lifecycle_status(entry.get("shutdown_date"), entry.get("lifecycle"), today),
        shutdown_date=entry.get("shutdown_date"),
        replacement=entry.get("replacement"),
        fine_tuning_until=entry.get("fine_tuning_until") or licence.get("fine_tuning_until"),
        price_input=_as_float(entry.get("price_input_per_mtok")),
        price_output=_as_float(entry.get("price_output_per_mtok")),
        confidence=entry.get("confidence") or "",
        verified=entry.get("verified"),
    )
