"""Build fixtures/catalogue.json from the reference YAML files.

Usage: .venv/bin/python tools/build_catalogue.py /work/shared/reference

Reads ``licenses.yaml`` and ``models.yaml`` and writes a Django fixture with
every provider, licence, model, criterion, score and source, with stable
explicit primary keys in the reference's own order. Computed scores come from
``advisor/scoring.py``; the editorial capability scores from
``tools/editorial_scores.yaml``; the criteria text from ``tools/criteria.yaml``.

Thresholds, use restrictions, hosted fine-tuning end dates and model
lifecycles (status, shutdown date, replacement, source) are read from the
reference's structured schema 2 fields; ``lifecycle`` is authoritative and the
notes only explain. A month-only release date (``YYYY-MM``) is stored as the
1st with the precision "month", so the pages show it as a month. The legacy
``mau_threshold`` field is ignored: ``thresholds`` supersedes it. Structured
licence fields that the reference states only in prose (jurisdiction
carve-outs, hosting bars, remote restriction, API data terms) are set in
``LICENCE_FACTS`` below, each with the clause it comes from.

The script needs no database and no Django settings, so it runs anywhere the
virtualenv does. Re-run it after editing the reference or the tools/*.yaml
files, then run the test suite.
"""

import argparse
import datetime
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor import scoring  # noqa: E402
from advisor.richtext import render_markdown  # noqa: E402

AUDITED = "2026-11-27"  # the date the reference was last audited
STAMP = f"{AUDITED}T00:00:00Z"
OUTPUT = ROOT / "fixtures" / "catalogue.json"

# The reference names one company two ways; keep one provider row for it.
PROVIDER_ALIASES = {"Cohere (Cohere For AI / Cohere Labs)": "Cohere"}

# Structured licence facts the reference states only in its clauses and conditions.
LICENCE_FACTS = {
    # 3.2 AUP withholds the grant for the multimodal models from EU-domiciled people and companies
    "llama-3.2-community": {"excluded_jurisdictions": ["EU"], "jurisdiction_exclusion_multimodal_only": True},
    # "Its Acceptable Use Policy carries the same EU carve-out for multimodal models"
    "llama-3.3-community": {"excluded_jurisdictions": ["EU"], "jurisdiction_exclusion_multimodal_only": True},
    # "the Acceptable Use Policy's EU carve-out applies directly to them"
    "llama-4-community": {"excluded_jurisdictions": ["EU"], "jurisdiction_exclusion_multimodal_only": True},
    # "Google may restrict use remotely or otherwise where it believes the terms are breached."
    "gemma-terms-of-use": {"remote_restriction": True},
    # "DeepSeek reserves the right to restrict usage that breaks the licence"
    "deepseek-model-license": {"remote_restriction": True},
    # The Falcon-180B licence bars "hosting use" without a separate licence (the only catalogue model under it).
    "tii-falcon-license": {"hosting_barred": True},
    # API terms: data use by default and zero retention.
    "openai-api-terms": {"prompts_train_by_default": "no", "zero_retention_offered": True},
    "anthropic-commercial-terms": {"prompts_train_by_default": "no", "zero_retention_offered": True},
    # Unpaid services are used to improve products (outside the EEA, Switzerland and the UK); the Gemini API
    # terms themselves offer no zero-retention option (that is a Vertex AI configuration).
    "google-gemini-api-terms": {"prompts_train_by_default": "free-tier"},
    "xai-api-terms": {"prompts_train_by_default": "no"},
    "aws-bedrock-service-terms": {"prompts_train_by_default": "no"},
}

# The reference's controlled vocabularies (advisor.vocab holds the same values with labels).
THRESHOLD_KINDS = {"mau", "monthly_revenue_usd", "annual_revenue_usd", "maas_group_revenue_12m_usd"}
THRESHOLD_EFFECTS = {"separate-licence", "display-duty", "other"}
RESTRICTED_USES = {
    "medical-advice",
    "legal-advice",
    "financial-advice",
    "law-enforcement",
    "military",
    "automated-legal-decisions",
    "competing-models",
    "biometric-identification",
    "other",
}
USE_RULES = {"forbidden", "conditional"}
LIFECYCLES = {"active", "deprecated", "retired"}

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


def slugify(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


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


def release_date_of(text):
    """``(date, precision)``: a DateField needs a day, so a month-only date is stored as the 1st."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text, "day"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return f"{text}-01", "month"
    raise ValueError(f"unexpected release date {text!r}")


def iso_date(value, where):
    """A YYYY-MM-DD string from the reference (None stays None)."""
    if value is None:
        return None
    value = str(value)
    datetime.date.fromisoformat(value)  # raises on a malformed date
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"{where}: expected YYYY-MM-DD, not {value!r}")
    return value


def lifecycle_of(entry):
    """``(status, shutdown_date, replacement, source)`` from the structured ``lifecycle``.

    Absent on open-weights models: published weights do not retire, so they are active.
    """
    lifecycle = entry.get("lifecycle")
    if lifecycle is None:
        if entry["access"] == "closed-api":
            raise ValueError(f"{entry['id']}: a closed-api model needs a lifecycle")
        return "active", None, "", ""
    status = lifecycle["status"]
    if status not in LIFECYCLES:
        raise ValueError(f"{entry['id']}: unknown lifecycle status {status!r}")
    shutdown_date = iso_date(lifecycle.get("shutdown_date"), entry["id"])
    if status == "deprecated" and shutdown_date is None:
        raise ValueError(f"{entry['id']}: a deprecated model needs its shutdown date")
    return status, shutdown_date, lifecycle.get("replacement") or "", lifecycle.get("lifecycle_source") or ""


def thresholds_of(entry):
    """The licence's ``thresholds`` (None = not verified), checked against the vocabulary."""
    if "thresholds" not in entry:
        raise ValueError(f"{entry['id']}: schema 2 needs thresholds ([] for none, null when not verified)")
    thresholds = entry["thresholds"]
    if thresholds is None:
        return None
    result = []
    for item in thresholds:
        value = item["value"]
        if item["kind"] not in THRESHOLD_KINDS or item["effect"] not in THRESHOLD_EFFECTS:
            raise ValueError(f"{entry['id']}: unknown threshold {item!r}")
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{entry['id']}: threshold value must be a positive integer, not {value!r}")
        result.append({"kind": item["kind"], "value": value, "effect": item["effect"], "note": item.get("note") or ""})
    return result


def use_restrictions_of(entry):
    """The licence's ``use_restrictions``; absent = not verified (None)."""
    if entry.get("use_restrictions") is None:
        return None
    result = []
    for item in entry["use_restrictions"]:
        if item["use"] not in RESTRICTED_USES or item["rule"] not in USE_RULES:
            raise ValueError(f"{entry['id']}: unknown use restriction {item!r}")
        restriction = {"use": item["use"], "rule": item["rule"]}
        if item["rule"] == "conditional":
            if not item.get("condition"):
                raise ValueError(f"{entry['id']}: a conditional use restriction needs a condition: {item!r}")
            restriction["condition"] = item["condition"]
        elif item.get("condition"):
            raise ValueError(f"{entry['id']}: a forbidden use takes no condition: {item!r}")
        restriction.update(clause=item.get("clause") or "", source=item.get("source") or "")
        result.append(restriction)
    return result


def price(value):
    return None if value is None else str(Decimal(str(value)))


def as_of_day(as_of):
    """The first day the reference's ``as_of`` covers (a month-only date is never made fresher)."""
    parts = [*str(as_of).split("-"), "01", "01"]
    return "-".join(parts[:3])


def licence_fields(entry):
    fields = {
        "slug": entry["id"],
        "name": entry["name"],
        "spdx_id": entry.get("spdx_id") or "",
        "category": entry["category"],
        "osi_approved": bool(entry["osi_approved"]),
        "commercial_use": str(entry["commercial_use"]),
        "may_modify": bool(entry["may_modify"]),
        "may_redistribute": bool(entry["may_redistribute"]),
        "may_fine_tune": bool(entry["may_fine_tune"]),
        "outputs_may_train_models": str(entry["outputs_may_train_other_models"]),
        "thresholds": thresholds_of(entry),
        "excluded_jurisdictions": [],
        "jurisdiction_exclusion_multimodal_only": False,
        "hosting_barred": False,
        "remote_restriction": False,
        "use_restrictions": use_restrictions_of(entry),
        "fine_tuning_until": iso_date(entry.get("fine_tuning_until"), entry["id"]),
        "fine_tuning_until_source": entry.get("fine_tuning_until_source") or "",
        "acceptable_use_policy": bool(entry["acceptable_use_policy"]),
        "attribution_required": bool(entry["attribution_required"]),
        "prompts_train_by_default": "",
        "zero_retention_offered": None,
        "obligations": "\n".join(entry.get("conditions") or []),
        "notable_clauses": "\n".join(entry.get("notable_clauses") or []),
        "url": entry.get("url") or "",
        "last_reviewed": as_of_day(entry["as_of"]),
    }
    fields.update(LICENCE_FACTS.get(entry["id"], {}))
    return fields


def model_fields(entry):
    release_date, precision = release_date_of(str(entry["release_date"]))
    lifecycle, shutdown_date, replacement, lifecycle_source = lifecycle_of(entry)
    codes, coverage = languages_of(entry.get("languages") or "")
    return {
        "name": entry["name"],
        "slug": entry["id"],
        "release_date": release_date,
        "release_date_precision": precision,
        "access": entry["access"],
        "parameters": entry.get("parameters") or "",
        "context_window": entry.get("context_window"),
        "modalities": list(entry.get("modalities") or []),
        "languages": entry.get("languages") or "",
        "language_codes": codes,
        "language_coverage": coverage,
        "weights_available": bool(entry["weights_available"]),
        "training_code_available": bool(entry["training_code_available"]),
        "training_data_available": bool(entry["training_data_available"]),
        "fine_tuning": list(entry.get("fine_tuning") or []),
        "fine_tuning_until": iso_date(entry.get("fine_tuning_until"), entry["id"]),
        "fine_tuning_until_source": entry.get("fine_tuning_until_source") or "",
        "deployment": list(entry.get("deployment") or []),
        "min_gpu_memory_gb": entry.get("min_gpu_memory_gb_fp16"),
        "price_input_per_mtok": price(entry.get("api_price_usd_per_mtok_input")),
        "price_output_per_mtok": price(entry.get("api_price_usd_per_mtok_output")),
        "strengths": "\n".join(entry.get("known_strengths") or []),
        "notes": entry.get("notes") or "",
        "lifecycle": lifecycle,
        "shutdown_date": shutdown_date,
        "replacement": replacement,
        "lifecycle_source": lifecycle_source,
        "status": "published",
        "last_reviewed": as_of_day(entry["as_of"]),
    }


def scoring_facts(fields, licence, provider):
    """The same plain data ``catalogue_snapshot()`` gives the engine, minus scores."""
    licence_data = {
        key: value
        for key, value in licence.items()
        if key not in {"notable_clauses", "fine_tuning_until_source", "last_reviewed"}
    }
    licence_data["obligations"] = [line for line in licence["obligations"].splitlines() if line.strip()]
    left_out = {
        "notes",
        "status",
        "last_reviewed",
        "release_date_precision",
        "lifecycle_source",
        "fine_tuning_until_source",
    }
    facts = {key: value for key, value in fields.items() if key not in left_out}
    month_only = fields["release_date_precision"] == "month"
    facts.update(
        release_date=fields["release_date"][:7] if month_only else fields["release_date"],
        replacement=fields["replacement"] or None,
        provider=provider["name"],
        provider_country=provider["country"],
        strengths=[line for line in fields["strengths"].splitlines() if line.strip()],
        price_input_per_mtok=None if fields["price_input_per_mtok"] is None else float(fields["price_input_per_mtok"]),
        price_output_per_mtok=(
            None if fields["price_output_per_mtok"] is None else float(fields["price_output_per_mtok"])
        ),
        licence=licence_data,
    )
    return facts


def row(model, pk, fields, stamped=True):
    if stamped:
        fields = {**fields, "created_at": STAMP, "updated_at": STAMP}
    return {"model": f"advisor.{model}", "pk": pk, "fields": fields}


def build(reference):
    licences = yaml.safe_load((reference / "licenses.yaml").read_text())["licenses"]
    ai_models = yaml.safe_load((reference / "models.yaml").read_text())["models"]
    criteria = yaml.safe_load((ROOT / "tools" / "criteria.yaml").read_text())["criteria"]
    editorial = yaml.safe_load((ROOT / "tools" / "editorial_scores.yaml").read_text())["capability"]

    missing = {m["id"] for m in ai_models} ^ set(editorial)
    if missing:
        raise ValueError(f"editorial_scores.yaml and models.yaml disagree on: {sorted(missing)}")
    if [c["slug"] for c in criteria if c["slug"] not in scoring.RULES]:
        raise ValueError("every criterion needs a rule in advisor.scoring.RULES")

    out = []
    provider_names = []
    for entry in ai_models:
        name = PROVIDER_ALIASES.get(entry["provider"], entry["provider"])
        if name not in provider_names:
            provider_names.append(name)
    providers = {}
    for pk, name in enumerate(sorted(provider_names, key=str.lower), start=1):
        # The reference states no country or website for any provider, so both stay empty.
        providers[name] = {"pk": pk, "name": name, "slug": slugify(name), "country": "", "website": ""}
        out.append(row("provider", pk, {k: v for k, v in providers[name].items() if k != "pk"}))

    licence_rows = {}
    for pk, entry in enumerate(licences, start=1):
        fields = licence_fields(entry)
        licence_rows[entry["id"]] = (pk, fields)
        out.append(row("licence", pk, fields))

    criterion_pks = {}
    for position, entry in enumerate(criteria, start=1):
        rule = scoring.RULES[entry["slug"]]
        fields = {
            "slug": entry["slug"],
            "name": entry["name"],
            "position": position,
            "summary": entry["summary"],
            "open_view": entry["open_view"].strip(),
            "closed_view": entry["closed_view"].strip(),
            "scoring_rule": rule,
            "from_article": bool(entry["from_article"]),
            "open_view_html": render_markdown(entry["open_view"].strip()),
            "closed_view_html": render_markdown(entry["closed_view"].strip()),
            "scoring_rule_html": render_markdown(rule),
        }
        criterion_pks[entry["slug"]] = position
        out.append(row("criterion", position, fields))
    if set(criterion_pks) != set(scoring.COMPUTED) | set(scoring.EDITORIAL):
        raise ValueError("criteria.yaml must list exactly the computed and editorial criteria")

    score_rows = []
    model_rows = []
    for pk, entry in enumerate(ai_models, start=1):
        provider = providers[PROVIDER_ALIASES.get(entry["provider"], entry["provider"])]
        licence_pk, licence = licence_rows[entry["license"]]
        fields = model_fields(entry)
        model_rows.append(row("aimodel", pk, {**fields, "provider": provider["pk"], "licence": licence_pk}))
        scores = scoring.compute_scores(scoring_facts(fields, licence, provider))
        capability = editorial[entry["id"]]
        scores["capability"] = (int(capability["value"]), capability["rationale"].strip())
        for slug, criterion_pk in criterion_pks.items():
            value, rationale = scores[slug]
            if not (scoring.SCORE_MIN <= value <= scoring.SCORE_MAX) or not rationale or len(rationale) > 500:
                raise ValueError(f"{entry['id']} / {slug}: bad score {value!r} {rationale!r}")
            score_rows.append(
                row(
                    "score",
                    (pk - 1) * len(criterion_pks) + criterion_pk,
                    {
                        "ai_model": pk,
                        "criterion": criterion_pk,
                        "value": value,
                        "rationale": rationale,
                        "is_override": False,
                        "override_reason": "",
                    },
                )
            )
    out.extend(model_rows)
    out.extend(score_rows)

    source_pk = 0
    for entry in licences:
        source_pk += 1
        out.append(row("source", source_pk, source_fields(entry, licence=licence_rows[entry["id"]][0])))
    for pk, entry in enumerate(ai_models, start=1):
        source_pk += 1
        out.append(row("source", source_pk, source_fields(entry, ai_model=pk)))
    return out


def source_fields(entry, *, licence=None, ai_model=None):
    return {
        "ai_model": ai_model,
        "licence": licence,
        "url": entry["url"],
        "title": entry["source"],
        "as_of": str(entry["as_of"]),
        "confidence": entry["confidence"],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path, help="folder holding licenses.yaml and models.yaml")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    rows = build(args.reference)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    counts = {}
    for item in rows:
        counts[item["model"]] = counts.get(item["model"], 0) + 1
    print(f"Wrote {args.output}: " + ", ".join(f"{n} {m.split('.')[1]}" for m, n in counts.items()))


if __name__ == "__main__":
    main()
