"""Build fixtures/catalogue.json from the reference YAML files.

Usage: .venv/bin/python tools/build_catalogue.py /work/shared/reference

Reads ``licenses.yaml`` and ``models.yaml`` and writes a Django fixture with
every provider, licence, model, criterion, score and source, with stable
explicit primary keys in the reference's own order. Computed scores come from
``advisor/scoring.py``; the editorial capability scores and the licence facts
the reference states only in prose from ``tools/editorial_scores.yaml``; the
criteria text from ``tools/criteria.yaml``.

The reference is read and checked by ``advisor.reference``, the same code
``manage.py catalogue_import`` uses, so both read the format one way: any
problem stops the build with every problem listed.

The script needs no database and no Django settings, so it runs anywhere the
virtualenv does. Re-run it after editing the reference or the tools/*.yaml
files, then run the test suite.
"""

import argparse
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor import reference, scoring  # noqa: E402
from advisor.richtext import render_markdown  # noqa: E402

AUDITED = "2026-11-27"  # the date the reference was last audited
STAMP = f"{AUDITED}T00:00:00Z"
OUTPUT = ROOT / "fixtures" / "catalogue.json"
EDITORIAL = ROOT / "tools" / "editorial_scores.yaml"


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


def read(folder, editorial=EDITORIAL):
    """The reference in ``folder`` and the editorial file, checked; ValueError lists every problem."""
    documents = [yaml.safe_load(path.read_text()) for path in (folder / "licenses.yaml", folder / "models.yaml")]
    found = reference.read(*documents, yaml.safe_load(editorial.read_text()), computed=scoring.COMPUTED)
    if found.problems:
        raise ValueError("\n".join(["The reference has problems:", *map(str, found.problems)]))
    return found


def build(folder):
    found = read(folder)
    criteria = yaml.safe_load((ROOT / "tools" / "criteria.yaml").read_text())["criteria"]
    if [c["slug"] for c in criteria if c["slug"] not in scoring.RULES]:
        raise ValueError("every criterion needs a rule in advisor.scoring.RULES")

    out = []
    providers = {}
    for pk, name in enumerate(sorted(found.providers, key=str.lower), start=1):
        providers[name] = {"pk": pk, "name": name, "slug": reference.provider_slug(name), **found.providers[name]}
        out.append(row("provider", pk, {k: v for k, v in providers[name].items() if k != "pk"}))

    licence_rows = {}
    for pk, licence in enumerate(found.licences, start=1):
        licence_rows[licence["fields"]["slug"]] = (pk, licence["fields"])
        out.append(row("licence", pk, licence["fields"]))

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
    for pk, ai_model in enumerate(found.models, start=1):
        fields, slug = ai_model["fields"], ai_model["fields"]["slug"]
        provider = providers[ai_model["provider"]]
        licence_pk, licence = licence_rows[ai_model["licence"]]
        model_rows.append(row("aimodel", pk, {**fields, "provider": provider["pk"], "licence": licence_pk}))
        scores = scoring.compute_scores(scoring_facts(fields, licence, provider))
        # A model without a rating is a draft (the editorial file lists it as unpublished).
        scores["capability"] = found.capability.get(slug, (5, scoring.PLACEHOLDER_RATIONALE))
        overrides = found.overrides.get(slug, {})
        for criterion_slug, criterion_pk in criterion_pks.items():
            value, rationale, *reason = overrides.get(criterion_slug) or scores[criterion_slug]
            score_rows.append(
                row(
                    "score",
                    (pk - 1) * len(criterion_pks) + criterion_pk,
                    {
                        "ai_model": pk,
                        "criterion": criterion_pk,
                        "value": value,
                        "rationale": rationale,
                        "is_override": bool(reason),
                        "override_reason": reason[0] if reason else "",
                    },
                )
            )
    out.extend(model_rows)
    out.extend(score_rows)

    source_pk = 0
    for licence in found.licences:
        for source in licence["sources"]:
            source_pk += 1
            licence_pk = licence_rows[licence["fields"]["slug"]][0]
            out.append(row("source", source_pk, {"ai_model": None, "licence": licence_pk, **source}))
    for pk, ai_model in enumerate(found.models, start=1):
        for source in ai_model["sources"]:
            source_pk += 1
            out.append(row("source", source_pk, {"ai_model": pk, "licence": None, **source}))
    return out


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
