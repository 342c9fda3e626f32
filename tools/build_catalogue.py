"""Build fixtures/catalogue.json from the reference YAML files.

Usage: .venv/bin/python tools/build_catalogue.py /work/shared/reference

Reads ``licenses.yaml`` and ``models.yaml`` and writes a Django fixture with
every provider, licence, model, criterion, score and source, with stable
explicit primary keys in the reference's own order. Computed scores come from
``advisor/scoring.py``; the editorial capability scores from
``tools/editorial_scores.yaml``; the criteria text from ``tools/criteria.yaml``.

Structured licence fields that the reference states only in prose (thresholds,
jurisdiction carve-outs, hosting bars, forbidden uses, API data terms) are set
in ``LICENCE_FACTS`` below, each with the clause it comes from. Lifecycle
states come from the ``RETIRED`` / ``DEPRECATED`` markers in a model's notes;
the shutdown dates are in ``SHUTDOWN_DATES``, checked against the notes.

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

# Structured licence facts the reference states in its clauses and conditions.
LICENCE_FACTS = {
    # "over 700 million monthly active users ... must ask Meta for a separate licence"
    "llama-3.1-community": {"threshold_effect": "gate"},
    # 3.2 AUP withholds the grant for the multimodal models from EU-domiciled people and companies
    "llama-3.2-community": {
        "threshold_effect": "gate",
        "excluded_jurisdictions": ["EU"],
        "jurisdiction_exclusion_multimodal_only": True,
    },
    # "Its Acceptable Use Policy carries the same EU carve-out for multimodal models"
    "llama-3.3-community": {
        "threshold_effect": "gate",
        "excluded_jurisdictions": ["EU"],
        "jurisdiction_exclusion_multimodal_only": True,
    },
    # "the Acceptable Use Policy's EU carve-out applies directly to them"
    "llama-4-community": {
        "threshold_effect": "gate",
        "excluded_jurisdictions": ["EU"],
        "jurisdiction_exclusion_multimodal_only": True,
    },
    # "Google may restrict use remotely or otherwise where it believes the terms are breached."
    "gemma-terms-of-use": {"remote_restriction": True},
    # "more than 100 million monthly active users must request a licence from Alibaba Cloud"
    "tongyi-qianwen-license": {"threshold_effect": "gate"},
    # "after which a licence from Alibaba Cloud is needed"
    "qwen-license": {"threshold_effect": "gate"},
    # Attachment A: "military use ... fully automated decisions that adversely affect a person's legal rights";
    # "DeepSeek reserves the right to restrict usage that breaks the licence"
    "deepseek-model-license": {
        "forbidden_uses": ["military", "automated-legal-decisions"],
        "remote_restriction": True,
    },
    # "no medical advice or medical-result interpretation, and no use in law-enforcement, justice or immigration"
    "bigscience-bloom-rail-1.0": {"forbidden_uses": ["medical-advice", "law-enforcement"]},
    # The Falcon-180B licence bars "hosting use" without a separate licence (the only catalogue model under it).
    "tii-falcon-license": {"hosting_barred": True},
    # 100M MAU or USD 20M per month (= USD 240M a year) triggers only a display duty, not a gate.
    "kimi-k2-modified-mit": {"revenue_threshold_usd": 240_000_000, "threshold_effect": "duty"},
    # Section 2: a separate agreement is needed when the group runs a Model-as-a-Service business with more
    # than USD 20M revenue in 12 months. The 100M MAU / USD 20M-a-month figure only triggers the display
    # duty, which stays listed in the obligations; a single threshold_effect cannot hold both, so the
    # MAU figure is not stored as a gate.
    "kimi-k3-license": {
        "mau_threshold": None,
        "revenue_threshold_usd": 20_000_000,
        "threshold_effect": "gate",
        "threshold_hosted_service_only": True,
    },
    # API terms: data use by default, zero retention, and the competing-models restriction.
    "openai-api-terms": {
        "forbidden_uses": ["competing-models"],
        "prompts_train_by_default": "no",
        "zero_retention_offered": True,
    },
    "anthropic-commercial-terms": {
        "forbidden_uses": ["competing-models"],
        "prompts_train_by_default": "no",
        "zero_retention_offered": True,
    },
    # Unpaid services are used to improve products (outside the EEA, Switzerland and the UK); the Gemini API
    # terms themselves offer no zero-retention option (that is a Vertex AI configuration).
    "google-gemini-api-terms": {
        "forbidden_uses": ["competing-models"],
        "prompts_train_by_default": "free-tier",
    },
    "xai-api-terms": {"forbidden_uses": ["competing-models"], "prompts_train_by_default": "no"},
    "aws-bedrock-service-terms": {"forbidden_uses": ["competing-models"], "prompts_train_by_default": "no"},
}

# Shutdown dates for models whose notes say RETIRED or DEPRECATED. When the notes give several dates,
# the entry records which one was picked and why; the note is appended to the model's notes.
SHUTDOWN_DATES = {
    "gpt-4o": (
        "2027-01-14",
        "Shutdown date recorded here: January 14, 2027, the latest scheduled date (the remaining "
        "snapshots); the original 2024-05-13 snapshot already shut down on October 23, 2026.",
    ),
    "gpt-4.1": ("2027-01-14", ""),
    "o3": ("2026-12-11", ""),
    "gpt-5": ("2026-12-11", ""),
    "claude-3.7-sonnet": ("2026-02-19", ""),
    "claude-sonnet-4.5": ("2026-11-30", ""),
    "gemini-2.0-flash": ("2026-06-01", ""),
    "gemini-2.5-pro": (
        "2026-12-01",
        "Shutdown date recorded here: December 1, 2026, the latest documented date; earlier listings "
        "gave June 17, 2026 and October 2026.",
    ),
    "gemini-2.5-flash": (
        "2026-12-01",
        "Shutdown date recorded here: December 1, 2026, the latest documented date for the shared "
        "Gemini 2.5 schedule (given on the Gemini 2.5 Pro entry); earlier listings gave June 17, 2026 "
        "and October 2026.",
    ),
    "gemini-3-pro": ("2026-03-09", ""),
}

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
    """A DateField needs a day: month-only dates become the 1st, with a note saying so."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text, ""
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return f"{text}-01", f"Release date known to the month only ({text}); stored as the first of the month."
    raise ValueError(f"unexpected release date {text!r}")


def lifecycle_of(entry):
    notes = entry.get("notes") or ""
    if re.search(r"\bRETIRED\b", notes):
        state = "retired"
    elif re.search(r"\bDEPRECATED\b", notes):
        state = "deprecated"
    else:
        if entry["id"] in SHUTDOWN_DATES:
            raise ValueError(f"{entry['id']} has a shutdown date but its notes do not say RETIRED or DEPRECATED")
        return "available", None, ""
    if entry["id"] not in SHUTDOWN_DATES:
        raise ValueError(f"{entry['id']} is {state} but has no entry in SHUTDOWN_DATES")
    date, why = SHUTDOWN_DATES[entry["id"]]
    spelled = datetime.date.fromisoformat(date).strftime("%B %-d, %Y")
    if not why and spelled not in notes:
        raise ValueError(f"{entry['id']}: {spelled} does not appear in the notes; explain the choice")
    return state, date, why


def price(value):
    return None if value is None else str(Decimal(str(value)))


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
        "mau_threshold": entry.get("mau_threshold"),
        "revenue_threshold_usd": None,
        "threshold_effect": "",
        "threshold_hosted_service_only": False,
        "excluded_jurisdictions": [],
        "jurisdiction_exclusion_multimodal_only": False,
        "hosting_barred": False,
        "remote_restriction": False,
        "forbidden_uses": [],
        "acceptable_use_policy": bool(entry["acceptable_use_policy"]),
        "attribution_required": bool(entry["attribution_required"]),
        "prompts_train_by_default": "",
        "zero_retention_offered": None,
        "obligations": "\n".join(entry.get("conditions") or []),
        "notable_clauses": "\n".join(entry.get("notable_clauses") or []),
        "url": entry.get("url") or "",
    }
    fields.update(LICENCE_FACTS.get(entry["id"], {}))
    has_threshold = fields["mau_threshold"] is not None or fields["revenue_threshold_usd"] is not None
    if has_threshold != bool(fields["threshold_effect"]):
        raise ValueError(f"{entry['id']}: a threshold needs a threshold_effect and vice versa")
    return fields


def model_fields(entry):
    release_date, release_note = release_date_of(entry["release_date"])
    lifecycle, shutdown_date, lifecycle_note = lifecycle_of(entry)
    codes, coverage = languages_of(entry.get("languages") or "")
    notes = [part for part in (entry.get("notes"), lifecycle_note, release_note) if part]
    return {
        "name": entry["name"],
        "slug": entry["id"],
        "release_date": release_date,
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
        "deployment": list(entry.get("deployment") or []),
        "min_gpu_memory_gb": entry.get("min_gpu_memory_gb_fp16"),
        "price_input_per_mtok": price(entry.get("api_price_usd_per_mtok_input")),
        "price_output_per_mtok": price(entry.get("api_price_usd_per_mtok_output")),
        "strengths": "\n".join(entry.get("known_strengths") or []),
        "notes": "\n\n".join(notes),
        "lifecycle": lifecycle,
        "shutdown_date": shutdown_date,
        "status": "published",
        "last_reviewed": AUDITED,
    }


def scoring_facts(fields, licence, provider):
    """The same plain data ``catalogue_snapshot()`` gives the engine, minus scores."""
    licence_data = {key: value for key, value in licence.items() if key != "notable_clauses"}
    licence_data["obligations"] = [line for line in licence["obligations"].splitlines() if line.strip()]
    facts = {key: value for key, value in fields.items() if key not in {"notes", "status", "last_reviewed"}}
    facts.update(
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
