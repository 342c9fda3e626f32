"""The reference format (schema 2 of ``/work/shared/reference``): read and checked, or written.

Pure module: no ORM and no settings, so ``tools/build_catalogue.py`` uses it
without a database, and ``manage.py catalogue_import`` / ``catalogue_export``
use it with one. ``read()`` turns the parsed YAML of ``licenses.yaml``,
``models.yaml`` and the editorial file into field values of ``Licence``,
``AIModel`` and ``Source``, and lists every problem it finds, each with its
file, entry id and field: a field it does not know, a value outside the
vocabulary, a missing field. Nothing is defaulted or dropped quietly; the one
field it reads and does not store is the legacy ``mau_threshold``, which must
agree with ``thresholds`` (the README makes ``thresholds`` authoritative).

The editorial file (``editorial_scores.yaml``) holds what the app needs and
the reference has no place for: the capability scores with their rationale
(``capability``), structured licence facts the reference states only in its
clauses (``licence_facts``), providers' country and website (``providers``),
editors' overrides of computed scores (``overrides``), models kept as drafts
(``unpublished``) and the sources of an entry beyond the one its own
``url``/``source``/``as_of``/``confidence`` state (``more_sources``). Only
``capability`` is required.

``write()`` is the reverse: it turns the same field values back into the
three documents, so exporting and importing again gives the same catalogue.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml

from advisor import vocab

SCHEMA_VERSION = 2
LICENCES_FILE = "licenses.yaml"
MODELS_FILE = "models.yaml"
EDITORIAL_FILE = "editorial_scores.yaml"
SCORE_MIN, SCORE_MAX = 0, 10
RATIONALE_MAX = 500

# The reference names one company two ways; keep one provider row for it.
PROVIDER_ALIASES = {"Cohere (Cohere For AI / Cohere Labs)": "Cohere"}

SLUG = re.compile(r"^[a-z0-9]+(?:[-._][a-z0-9]+)*$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH = re.compile(r"^\d{4}-\d{2}$")

LANGUAGES = {
    "arabic": "ar",
    "chinese": "zh",
    "czech": "cs",
    "danish": "da",
    "dutch": "nl",
    "english": "en",
    "french": "fr",
    "german": "de",
    "hindi": "hi",
    "indonesian": "id",
    "italian": "it",
    "japanese": "ja",
    "korean": "ko",
    "polish": "pl",
    "portuguese": "pt",
    "russian": "ru",
    "spanish": "es",
    "swedish": "sv",
    "tagalog": "tl",
    "thai": "th",
    "vietnamese": "vi",
}
BROAD_MARKERS = re.compile(
    r"multilingual|languages and dialects|dozens of languages|\bincluding\b|\d+\+ languages|over \d+ languages",
    re.IGNORECASE,
)

# Structured licence facts kept in the editorial file, with the value a licence has when it is not listed.
LICENCE_FACT_DEFAULTS = {
    "excluded_jurisdictions": [],
    "jurisdiction_exclusion_multimodal_only": False,
    "hosting_barred": False,
    "remote_restriction": False,
    "prompts_train_by_default": "",
    "zero_retention_offered": None,
}


def parse(text):
    """One YAML document, with libyaml's safe loader when PyYAML has it: ten times faster on the reference."""
    if yaml.__with_libyaml__:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    return yaml.safe_load(text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the files, where an editor can find it."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self):
        return f"{self.file}: {self.entry}: {self.field}: {self.message}"


@dataclass
class Catalogue:
    """What ``read()`` found: field values ready for the ORM or a fixture, and the problems."""

    licences: list = field(default_factory=list)  # {"fields": {...}, "sources": [...]}
    models: list = field(default_factory=list)  # {"fields": {...}, "provider": name, "licence": slug, "sources"}
    providers: dict = field(default_factory=dict)  # name -> {"country": ..., "website": ...}, in first-seen order
    capability: dict = field(default_factory=dict)  # model slug -> (value, rationale)
    overrides: dict = field(default_factory=dict)  # model slug -> {criterion slug: (value, rationale, reason)}
    problems: list = field(default_factory=list)


class Invalid(ValueError):
    """A value the format does not allow; the message completes "<field>: "."""


# -- Value checks: each returns the stored value or raises Invalid ----------------------


def _text(value):
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"must be non-empty text, not {value!r}")
    return value


def _text_or_empty(value):
    """Text, or null / absent for "not stated": stored as ""."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(f"must be text or null, not {value!r}")
    return value


def _flag(value):
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false, not {value!r}")
    return value


def _slug(value):
    if not isinstance(value, str) or not SLUG.match(value):
        raise Invalid(f"must be a lowercase id such as llama-3.1-8b, not {value!r}")
    return value


def _choice(choices):
    def check(value):
        if value not in choices.values:
            raise Invalid(f"must be one of {', '.join(choices.values)}, not {value!r}")
        return str(value)

    return check


def _choices(choices):
    def check(value):
        if not isinstance(value, list):
            raise Invalid(f"must be a list of {', '.join(choices.values)}, not {value!r}")
        wrong = [item for item in value if item not in choices.values]
        if wrong:
            raise Invalid(f"unknown value(s) {', '.join(map(repr, wrong))}; allowed: {', '.join(choices.values)}")
        if len(set(value)) != len(value):
            raise Invalid("lists a value twice")
        return list(value)

    return check


def _lines(value):
    """A list of short texts, stored one per line."""
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise Invalid(f"must be a list of non-empty texts, not {value!r}")
    if any("\n" in item for item in value):
        raise Invalid("an item spans several lines; write one item per line")
    return "\n".join(value)


def _day(value):
    """A ``YYYY-MM-DD`` date string, or None."""
    if value is None:
        return None
    if isinstance(value, datetime.date):
        value = value.isoformat()  # unquoted in YAML
    if not isinstance(value, str) or not DAY.match(value):
        raise Invalid(f"must be a date written YYYY-MM-DD, not {value!r}")
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{value!r} is not a real date") from None
    return value


def _as_of(value):
    if isinstance(value, datetime.date):
        value = value.isoformat()
    if isinstance(value, str) and MONTH.match(value):
        _day(f"{value}-01")
        return value
    return _day(_text(value) if not isinstance(value, str) else value)


def _count(value):
    """A positive whole number, or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise Invalid(f"must be a positive whole number or null, not {value!r}")
    return value


def _price(value):
    """A price in USD as a decimal string (three decimals at most), or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid(f"must be a number or null, not {value!r}")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise Invalid(f"must be a number or null, not {value!r}") from None
    if amount < 0 or amount.as_tuple().exponent < -3 or amount >= 1_000_000:
        raise Invalid(f"must be between 0 and 999999.999 with at most three decimals, not {value!r}")
    return str(amount)


def release_date_of(value):
    """``(date, precision)``: a DateField needs a day, so a month-only date is stored as the 1st."""
    if isinstance(value, str) and MONTH.match(value):
        _day(f"{value}-01")
        return f"{value}-01", vocab.DatePrecision.MONTH.value
    if value is not None and not isinstance(value, str | datetime.date):
        raise Invalid(f"must be YYYY-MM-DD, YYYY-MM when only the month is known, or null; not {value!r}")
    return _day(value), vocab.DatePrecision.DAY.value


def provider_slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def as_of_day(as_of):
    """The first day the reference's ``as_of`` covers (a month-only date is never made fresher)."""
    parts = [*str(as_of).split("-"), "01", "01"]
    return "-".join(parts[:3])


def languages_of(text):
    """Return (codes, coverage) for a reference ``languages`` text.

    'listed' when the text is a complete list (or 'Primarily/Mainly X'), 'broad' when the named
    languages are only examples of a wider set, 'unknown' when the text says it is not stated.
    Languages the text says are *not* supported ('Korean not listed', 'not Korean') are dropped.
    """
    if not text or text.lower().startswith("not stated"):
        return [], "unknown"
    natural = re.sub(r"[^;,()]*programming languages[^;,()]*", " ", text, flags=re.IGNORECASE)
    natural = re.sub(r"\b\w+ not listed\b|\bnot \w+\b", " ", natural, flags=re.IGNORECASE)
    codes = []
    for word in re.findall(r"[A-Za-z]+", natural):
        code = LANGUAGES.get(word.lower())
        if code and code not in codes:
            codes.append(code)
    coverage = "broad" if BROAD_MARKERS.search(natural) else "listed"
    return codes, coverage


def _objects(value, allowed, required, what):
    """A list of objects with known keys; returns the list, raises Invalid naming the first bad item."""
    if not isinstance(value, list):
        raise Invalid(f"must be a list of {what} ([] for none)")
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise Invalid(f"item {number} must be an object with {', '.join(allowed)}")
        unknown = sorted(set(item) - set(allowed))
        if unknown:
            raise Invalid(f"item {number} has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}")
        missing = [key for key in required if key not in item]
        if missing:
            raise Invalid(f"item {number} lacks {', '.join(missing)}")
    return value


def _thresholds(value):
    """The licence's gates; None = not verified."""
    if value is None:
        return None
    _objects(value, ("kind", "value", "effect", "note"), ("kind", "value", "effect"), "thresholds")
    result = []
    for number, item in enumerate(value, start=1):
        try:
            kind = _choice(vocab.ThresholdKind)(item["kind"])
            amount = _count(item["value"])
            effect = _choice(vocab.ThresholdEffect)(item["effect"])
            note = _text_or_empty(item.get("note"))
        except Invalid as error:
            raise Invalid(f"item {number}: {error}") from None
        if amount is None:
            raise Invalid(f"item {number}: value must be a positive whole number")
        if effect == vocab.ThresholdEffect.OTHER and not note.strip():
            raise Invalid(f"item {number}: an 'other' effect needs a note saying what it is")
        result.append({"kind": kind, "value": amount, "effect": effect, "note": note})
    return result


def _use_restrictions(value):
    """The licence's use restrictions; absent or null = not verified (None)."""
    if value is None:
        return None
    _objects(value, ("use", "rule", "condition", "clause", "source"), ("use", "rule"), "use restrictions")
    result = []
    for number, item in enumerate(value, start=1):
        try:
            restriction = {
                "use": _choice(vocab.RestrictedUse)(item["use"]),
                "rule": _choice(vocab.UseRule)(item["rule"]),
            }
            condition = _text_or_empty(item.get("condition"))
            clause, source = _text_or_empty(item.get("clause")), _text_or_empty(item.get("source"))
        except Invalid as error:
            raise Invalid(f"item {number}: {error}") from None
        if restriction["rule"] == vocab.UseRule.CONDITIONAL:
            if not condition.strip():
                raise Invalid(f"item {number}: a conditional rule needs a condition")
            restriction["condition"] = condition
        elif condition.strip():
            raise Invalid(f"item {number}: a forbidden use takes no condition; make the rule conditional")
        restriction.update(clause=clause, source=source)
        result.append(restriction)
    return result


# -- Reading ------------------------------------------------------------------------------

LICENCE_KEYS = (
    "id",
    "name",
    "spdx_id",
    "category",
    "osi_approved",
    "commercial_use",
    "conditions",
    "mau_threshold",
    "may_modify",
    "may_redistribute",
    "may_fine_tune",
    "outputs_may_train_other_models",
    "acceptable_use_policy",
    "attribution_required",
    "notable_clauses",
    "thresholds",
    "use_restrictions",
    "url",
    "source",
    "as_of",
    "confidence",
    "fine_tuning_until",
    "fine_tuning_until_source",
)
MODEL_KEYS = (
    "id",
    "name",
    "provider",
    "release_date",
    "access",
    "license",
    "parameters",
    "context_window",
    "modalities",
    "weights_available",
    "training_code_available",
    "training_data_available",
    "fine_tuning",
    "deployment",
    "min_gpu_memory_gb_fp16",
    "api_price_usd_per_mtok_input",
    "api_price_usd_per_mtok_output",
    "known_strengths",
    "languages",
    "url",
    "source",
    "as_of",
    "confidence",
    "notes",
    "lifecycle",
    "fine_tuning_until",
    "fine_tuning_until_source",
)
# Absent means something the README defines (not verified, no lifecycle, no end date, no notes).
OPTIONAL_KEYS = {"use_restrictions", "notes", "lifecycle", "fine_tuning_until", "fine_tuning_until_source"}
LIFECYCLE_KEYS = ("status", "shutdown_date", "replacement", "lifecycle_source")


class _Entry:
    """One entry of a file: reads its fields and records a problem for each bad one."""

    def __init__(self, catalogue, file, entry, number, keys):
        self.catalogue, self.file, self.entry = catalogue, file, entry
        self.id = entry.get("id") if isinstance(entry.get("id"), str) and entry.get("id") else f"entry {number}"
        self.ok = True
        for key in entry:
            if key not in keys:
                self.problem(key, "unknown field (schema 2 has no such field; check its spelling)")

    def problem(self, name, message):
        self.catalogue.problems.append(Problem(self.file, self.id, name, message))
        self.ok = False

    def get(self, key, check, *, within=None, name=None):
        entry = self.entry if within is None else within
        name = name or key
        if key not in entry and key not in OPTIONAL_KEYS and within is None:
            self.problem(name, "missing (write null when it is not known)")
            return None
        try:
            return check(entry.get(key))
        except Invalid as error:
            self.problem(name, str(error))
            return None


def _source(reader):
    return {
        "url": reader.get("url", _text),
        "title": reader.get("source", _text),
        "as_of": reader.get("as_of", _as_of),
        "confidence": reader.get("confidence", _choice(vocab.Confidence)),
    }


SOURCE_CHECKS = {"url": _text, "source": _text, "as_of": _as_of, "confidence": _choice(vocab.Confidence)}


def _more_sources(value):
    """An entry's further sources: a list of ``{url, source, as_of, confidence}``, as ``Source`` field values."""
    _objects(value, tuple(SOURCE_CHECKS), tuple(SOURCE_CHECKS), "sources")
    result = []
    for number, item in enumerate(value, start=1):
        values = {}
        for key, check in SOURCE_CHECKS.items():
            try:
                values[key] = check(item[key])
            except Invalid as error:
                raise Invalid(f"item {number}: {key} {error}") from None
        result.append(
            {
                "url": values["url"],
                "title": values["source"],
                "as_of": values["as_of"],
                "confidence": values["confidence"],
            }
        )
    return result


def _fine_tuning_end(reader):
    until = reader.get("fine_tuning_until", _day)
    source = reader.get("fine_tuning_until_source", _text_or_empty)
    if ("fine_tuning_until" in reader.entry) != ("fine_tuning_until_source" in reader.entry):
        reader.problem("fine_tuning_until_source", "fine_tuning_until and fine_tuning_until_source come together")
    return until, source


def _licence(catalogue, file, entry, number):
    r = _Entry(catalogue, file, entry, number, LICENCE_KEYS)
    slug = r.get("id", _slug)
    thresholds = r.get("thresholds", _thresholds)
    mau = r.get("mau_threshold", _count)
    first_mau = next((t["value"] for t in thresholds or [] if t["kind"] == vocab.ThresholdKind.MAU), None)
    if mau is not None and thresholds is not None and mau != first_mau:
        r.problem("mau_threshold", f"says {mau} but the first mau threshold is {first_mau} (thresholds decides)")
    fine_tuning_until, fine_tuning_until_source = _fine_tuning_end(r)
    source = _source(r)
    fields = {
        "slug": slug,
        "name": r.get("name", _text),
        "spdx_id": r.get("spdx_id", _text_or_empty),
        "category": r.get("category", _choice(vocab.LicenceCategory)),
        "osi_approved": r.get("osi_approved", _flag),
        "commercial_use": r.get("commercial_use", _choice(vocab.Permission)),
        "may_modify": r.get("may_modify", _flag),
        "may_redistribute": r.get("may_redistribute", _flag),
        "may_fine_tune": r.get("may_fine_tune", _flag),
        "outputs_may_train_models": r.get("outputs_may_train_other_models", _choice(vocab.Permission)),
        "thresholds": thresholds,
        "excluded_jurisdictions": [],
        "jurisdiction_exclusion_multimodal_only": False,
        "hosting_barred": False,
        "remote_restriction": False,
        "use_restrictions": r.get("use_restrictions", _use_restrictions),
        "fine_tuning_until": fine_tuning_until,
        "fine_tuning_until_source": fine_tuning_until_source,
        "acceptable_use_policy": r.get("acceptable_use_policy", _flag),
        "attribution_required": r.get("attribution_required", _flag),
        "prompts_train_by_default": "",
        "zero_retention_offered": None,
        "obligations": r.get("conditions", _lines),
        "notable_clauses": r.get("notable_clauses", _lines),
        "url": r.get("url", _text),
        "last_reviewed": as_of_day(source["as_of"]) if source["as_of"] else None,
    }
    return r, {"fields": fields, "sources": [source]}


def _model(catalogue, file, entry, number):
    r = _Entry(catalogue, file, entry, number, MODEL_KEYS)
    slug = r.get("id", _slug)
    provider = r.get("provider", _text)
    release = r.get("release_date", release_date_of) or (None, None)
    access = r.get("access", _choice(vocab.Access))
    lifecycle = ("active", None, "", "")
    if "lifecycle" in entry:
        value = entry["lifecycle"]
        if not isinstance(value, dict):
            r.problem("lifecycle", "must be an object with status, shutdown_date, replacement and lifecycle_source")
        else:
            for key in sorted(set(value) - set(LIFECYCLE_KEYS)):
                r.problem(f"lifecycle.{key}", f"unknown key; allowed: {', '.join(LIFECYCLE_KEYS)}")
            status = r.get("status", _choice(vocab.Lifecycle), within=value, name="lifecycle.status")
            shutdown = r.get("shutdown_date", _day, within=value, name="lifecycle.shutdown_date")
            replacement = r.get("replacement", lambda v: "" if v is None else _slug(v), within=value)
            lifecycle = (status, shutdown, replacement or "", r.get("lifecycle_source", _text_or_empty, within=value))
            if status == vocab.Lifecycle.DEPRECATED and shutdown is None:
                r.problem("lifecycle.shutdown_date", "a deprecated model needs its shutdown date")
            if replacement and replacement == slug:
                r.problem("lifecycle.replacement", "a model cannot replace itself")
    elif access == vocab.Access.CLOSED_API:
        r.problem("lifecycle", "missing: every closed-api model needs a lifecycle")
    languages = r.get("languages", _text_or_empty)
    codes, coverage = languages_of(languages or "")
    fine_tuning_until, fine_tuning_until_source = _fine_tuning_end(r)
    source = _source(r)
    fields = {
        "name": r.get("name", _text),
        "slug": slug,
        "release_date": release[0],
        "release_date_precision": release[1],
        "access": access,
        "parameters": r.get("parameters", _text_or_empty),
        "context_window": r.get("context_window", _count),
        "modalities": r.get("modalities", _choices(vocab.Modality)),
        "languages": languages,
        "language_codes": codes,
        "language_coverage": coverage,
        "weights_available": r.get("weights_available", _flag),
        "training_code_available": r.get("training_code_available", _flag),
        "training_data_available": r.get("training_data_available", _flag),
        "fine_tuning": r.get("fine_tuning", _choices(vocab.FineTuning)),
        "fine_tuning_until": fine_tuning_until,
        "fine_tuning_until_source": fine_tuning_until_source,
        "deployment": r.get("deployment", _choices(vocab.Deployment)),
        "min_gpu_memory_gb": r.get("min_gpu_memory_gb_fp16", _count),
        "price_input_per_mtok": r.get("api_price_usd_per_mtok_input", _price),
        "price_output_per_mtok": r.get("api_price_usd_per_mtok_output", _price),
        "strengths": r.get("known_strengths", _lines),
        "notes": r.get("notes", _text_or_empty),
        "lifecycle": lifecycle[0],
        "shutdown_date": lifecycle[1],
        "replacement": lifecycle[2],
        "lifecycle_source": lifecycle[3],
        "status": vocab.EditorialStatus.PUBLISHED.value,
        "last_reviewed": as_of_day(source["as_of"]) if source["as_of"] else None,
    }
    return r, {
        "fields": fields,
        "provider": PROVIDER_ALIASES.get(provider, provider),
        "licence": r.get("license", _slug),
        "sources": [source],
    }


def _document(catalogue, file, document, key):
    """The entries of one file, after checking its header."""
    if not isinstance(document, dict):
        catalogue.problems.append(Problem(file, "(file)", "(top level)", f"must be a mapping with {key}"))
        return []
    for name in sorted(set(document) - {"schema_version", "generated", key}):
        catalogue.problems.append(Problem(file, "(file)", name, "unknown top-level field"))
    if document.get("schema_version") != SCHEMA_VERSION:
        catalogue.problems.append(
            Problem(
                file,
                "(file)",
                "schema_version",
                f"must be {SCHEMA_VERSION}, not {document.get('schema_version')!r}",
            )
        )
    try:
        _day(document.get("generated"))
    except Invalid as error:
        catalogue.problems.append(Problem(file, "(file)", "generated", str(error)))
    entries = document.get(key)
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        catalogue.problems.append(Problem(file, "(file)", key, "must be a list of entries"))
        return []
    return entries


def _unique(catalogue, file, readers):
    seen = set()
    for reader in readers:
        if reader.id in seen:
            reader.problem("id", "used by another entry of this file; ids must be unique")
        seen.add(reader.id)


def _score(value, what):
    if not isinstance(value, dict) or set(value) - {"value", "rationale"} or set(value) != {"value", "rationale"}:
        raise Invalid(f"{what} must be an object with exactly value and rationale")
    score = value["value"]
    if isinstance(score, bool) or not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
        raise Invalid(f"{what}: value must be a whole number from {SCORE_MIN} to {SCORE_MAX}, not {score!r}")
    rationale = _text(value["rationale"]).strip()
    if len(rationale) > RATIONALE_MAX:
        raise Invalid(f"{what}: the rationale is {len(rationale)} characters; at most {RATIONALE_MAX}")
    return score, rationale


def _licence_facts(value):
    if not isinstance(value, dict):
        raise Invalid(f"must be an object with some of {', '.join(LICENCE_FACT_DEFAULTS)}")
    unknown = sorted(set(value) - set(LICENCE_FACT_DEFAULTS))
    if unknown:
        raise Invalid(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(LICENCE_FACT_DEFAULTS)}")
    checks = {
        "excluded_jurisdictions": _choices(vocab.Jurisdiction),
        "jurisdiction_exclusion_multimodal_only": _flag,
        "hosting_barred": _flag,
        "remote_restriction": _flag,
        "prompts_train_by_default": lambda v: "" if v is None else _choice(vocab.PromptTraining)(v),
        "zero_retention_offered": lambda v: None if v is None else _flag(v),
    }
    facts = {}
    for key, item in value.items():
        try:
            facts[key] = checks[key](item)
        except Invalid as error:
            raise Invalid(f"{key} {error}") from None
    return facts


def _provider(value):
    if not isinstance(value, dict) or not value or set(value) - {"country", "website"}:
        raise Invalid("must be an object with country and/or website")
    return {"country": _text_or_empty(value.get("country")), "website": _text_or_empty(value.get("website"))}


def _editorial(catalogue, file, document, computed):
    """The editorial file's sections, keyed by entry id; a problem for anything else."""
    sections = {"capability", "licence_facts", "providers", "overrides", "unpublished", "more_sources"}
    if not isinstance(document, dict) or "capability" not in document:
        catalogue.problems.append(Problem(file, "(file)", "capability", "the file needs a capability section"))
        return {}
    for name in sorted(set(document) - sections):
        catalogue.problems.append(
            Problem(file, "(file)", name, f"unknown section; allowed: {', '.join(sorted(sections))}")
        )
    result = {
        "capability": {},
        "licence_facts": {},
        "providers": {},
        "overrides": {},
        "unpublished": set(),
        "more_sources": {"licences": {}, "models": {}},
    }

    def each(section, check):
        entries = document.get(section) or {}
        if not isinstance(entries, dict):
            catalogue.problems.append(Problem(file, "(file)", section, "must map ids to their values"))
            return
        for key, value in entries.items():
            try:
                result[section][key] = check(value)
            except Invalid as error:
                catalogue.problems.append(Problem(file, str(key), section, str(error)))

    each("capability", lambda value: _score(value, "the score"))
    each("licence_facts", _licence_facts)
    each("providers", _provider)

    def overrides(value):
        if not isinstance(value, dict):
            raise Invalid("must map criterion slugs to {value, rationale, reason}")
        result = {}
        for slug, item in value.items():
            if slug not in computed:
                raise Invalid(f"{slug!r} is not a computed criterion; allowed: {', '.join(computed)}")
            if not isinstance(item, dict) or "reason" not in item:
                raise Invalid(f"{slug}: an override needs value, rationale and reason")
            reason = _text(item["reason"]).strip()
            result[slug] = (*_score({k: v for k, v in item.items() if k != "reason"}, slug), reason)
        return result

    each("overrides", overrides)
    unpublished = document.get("unpublished") or []
    if not isinstance(unpublished, list) or not all(isinstance(item, str) for item in unpublished):
        catalogue.problems.append(Problem(file, "(file)", "unpublished", "must be a list of model ids"))
    else:
        result["unpublished"] = set(unpublished)
    more = document.get("more_sources") or {}
    if not isinstance(more, dict) or set(more) - {"licences", "models"}:
        message = "must map licences and/or models to {id: [sources]}"
        catalogue.problems.append(Problem(file, "(file)", "more_sources", message))
        more = {}
    for kind in ("licences", "models"):
        entries = more.get(kind) or {}
        if not isinstance(entries, dict):
            catalogue.problems.append(Problem(file, "(file)", f"more_sources.{kind}", "must map ids to their sources"))
            continue
        for key, value in entries.items():
            try:
                result["more_sources"][kind][key] = _more_sources(value)
            except Invalid as error:
                catalogue.problems.append(Problem(file, str(key), f"more_sources.{kind}", str(error)))
    return result


def read(licences_document, models_document, editorial_document, *, computed=()):
    """Check and convert the three parsed YAML documents; every problem is in ``.problems``.

    ``computed`` names the computed criteria an editor may override (``scoring.COMPUTED``).
    """
    catalogue = Catalogue()
    licence_readers = []
    for number, entry in enumerate(_document(catalogue, LICENCES_FILE, licences_document, "licenses"), start=1):
        reader, licence = _licence(catalogue, LICENCES_FILE, entry, number)
        licence_readers.append(reader)
        catalogue.licences.append(licence)
    _unique(catalogue, LICENCES_FILE, licence_readers)

    model_readers = []
    for number, entry in enumerate(_document(catalogue, MODELS_FILE, models_document, "models"), start=1):
        reader, ai_model = _model(catalogue, MODELS_FILE, entry, number)
        model_readers.append(reader)
        catalogue.models.append(ai_model)
    _unique(catalogue, MODELS_FILE, model_readers)

    editorial = _editorial(catalogue, EDITORIAL_FILE, editorial_document, tuple(computed))
    licence_ids = {reader.id for reader in licence_readers}
    model_ids = {reader.id for reader in model_readers}
    for reader, ai_model in zip(model_readers, catalogue.models, strict=True):
        if ai_model["licence"] and ai_model["licence"] not in licence_ids:
            reader.problem("license", f"{ai_model['licence']!r} is not an id in {LICENCES_FILE}")
        name = ai_model["provider"]
        if name and name not in catalogue.providers:
            catalogue.providers[name] = {"country": "", "website": ""}
        if reader.id in editorial.get("unpublished", ()):
            ai_model["fields"]["status"] = vocab.EditorialStatus.DRAFT.value
        elif reader.id not in editorial.get("capability", {}) and editorial:
            catalogue.problems.append(
                Problem(
                    EDITORIAL_FILE,
                    reader.id,
                    "capability",
                    "no capability score: rate the model, or list it under unpublished to import it as a draft",
                )
            )
    for licence in catalogue.licences:
        licence["fields"].update(editorial.get("licence_facts", {}).get(licence["fields"]["slug"], {}))
    more_sources = editorial.get("more_sources", {})
    for kind, entries, ids, file in [
        ("licences", catalogue.licences, licence_ids, LICENCES_FILE),
        ("models", catalogue.models, model_ids, MODELS_FILE),
    ]:
        for key in more_sources.get(kind, {}):
            if key not in ids:
                catalogue.problems.append(
                    Problem(EDITORIAL_FILE, str(key), f"more_sources.{kind}", f"is not an id in {file}")
                )
        for entry in entries:
            entry["sources"].extend(more_sources.get(kind, {}).get(entry["fields"]["slug"], []))
            # The facts were last checked when the latest of their sources was read.
            days = [as_of_day(source["as_of"]) for source in entry["sources"] if source["as_of"]]
            entry["fields"]["last_reviewed"] = max(days) if days else None

    def unknown(section, ids, what):
        for key in editorial.get(section, ()):
            if key not in ids:
                catalogue.problems.append(Problem(EDITORIAL_FILE, str(key), section, f"is not {what}"))

    unknown("capability", model_ids, f"a model id in {MODELS_FILE}")
    unknown("overrides", model_ids, f"a model id in {MODELS_FILE}")
    unknown("unpublished", model_ids, f"a model id in {MODELS_FILE}")
    unknown("licence_facts", licence_ids, f"a licence id in {LICENCES_FILE}")
    unknown("providers", set(catalogue.providers), f"a provider named in {MODELS_FILE}")
    for name, provider in editorial.get("providers", {}).items():
        if name in catalogue.providers:
            catalogue.providers[name] = provider
    catalogue.capability = editorial.get("capability", {})
    catalogue.overrides = editorial.get("overrides", {})
    return catalogue
