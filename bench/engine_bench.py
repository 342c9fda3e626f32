"""Time the recommendation engine on synthetic catalogues of 50, 500 and 2,000 models.

Runs standalone, without Django or a database:

    .venv/bin/python bench/engine_bench.py [--runs 50]

It times ``prepare()`` once per size, and the median of N runs of ``recommend()`` (with the
what-would-change re-runs, as the site calls it) for a few representative answer sets. The
budget: a median of at most 10 ms per recommendation (with the re-runs) for 500 models. Each
row also prints the full recommendation as a multiple of one plain evaluation without re-runs,
measured in the same run, so a slower machine moves both alike.
"""

import argparse
import datetime
import random
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor import engine, scoring

CRITERIA = scoring.CRITERIA
TODAY = datetime.date(2026, 12, 2)
LICENCES = [
    {
        "slug": "apache-2.0",
        "name": "Apache License 2.0",
        "category": "permissive",
        "commercial_use": "yes",
        "may_fine_tune": True,
        "outputs_may_train_models": "yes",
        "attribution_required": True,
        "obligations": ["Include the licence text", "Keep the NOTICE file"],
        "url": "https://www.apache.org/licenses/LICENSE-2.0",
    },
    {
        "slug": "community",
        "name": "Community Licence",
        "category": "open-weights-restricted",
        "commercial_use": "conditional",
        "may_fine_tune": True,
        "outputs_may_train_models": "conditional",
        "thresholds": [{"kind": "mau", "value": 700_000_000, "effect": "separate-licence", "note": ""}],
        "excluded_jurisdictions": ["EU"],
        "jurisdiction_exclusion_multimodal_only": True,
        "acceptable_use_policy": True,
        "use_restrictions": [
            {"use": "military", "rule": "forbidden", "clause": "military use"},
            {"use": "medical-advice", "rule": "conditional", "condition": "a licensed professional", "clause": ""},
        ],
        "obligations": ['Display "Built with X"'],
    },
    {
        "slug": "research-only",
        "name": "Research Only Licence",
        "category": "non-commercial",
        "commercial_use": "no",
        "may_fine_tune": True,
        "outputs_may_train_models": "unknown",
    },
    {
        "slug": "vendor-api",
        "name": "Vendor API Terms",
        "category": "proprietary-api",
        "commercial_use": "yes",
        "may_fine_tune": False,
        "outputs_may_train_models": "no",
        "acceptable_use_policy": True,
        "use_restrictions": [
            {"use": "competing-models", "rule": "forbidden", "clause": "no competing models"},
            {"use": "medical-advice", "rule": "forbidden", "clause": "no medical advice"},
        ],
        "prompts_train_by_default": "no",
        "zero_retention_offered": True,
    },
    {
        "slug": "tuning-api",
        "name": "Tuning API Terms",
        "category": "proprietary-api",
        "commercial_use": "yes",
        "may_fine_tune": True,
        "outputs_may_train_models": "conditional",
        "use_restrictions": [{"use": "competing-models", "rule": "forbidden", "clause": "no competing models"}],
        "fine_tuning_until": "2027-01-06",
        "prompts_train_by_default": "free-tier",
    },
]


def _fine_tuning(rng, closed):
    if closed:
        return ["api-fine-tuning"] if rng.random() < 0.3 else []
    return ["full", "lora"]


def _deployment(rng, closed):
    if closed:
        return ["managed-api", "cloud-marketplace"] if rng.random() < 0.7 else ["managed-api"]
    return ["self-host", *rng.sample(["managed-api", "cloud-marketplace", "on-device"], k=rng.randint(0, 3))]


def synthetic_snapshot(n, seed=1):
    """A catalogue of n models: about 60 % open weights under various licences, 40 % closed APIs."""
    rng = random.Random(seed)
    models = []
    for index in range(n):
        closed = rng.random() < 0.4
        licence = rng.choice(LICENCES[3:]) if closed else rng.choice(LICENCES[:3])
        modalities = ["text"] + [m for m in ("image", "audio", "video") if rng.random() < 0.3]
        models.append(
            {
                "slug": f"model-{index:05d}",
                "name": f"Model {rng.randrange(n):05d}",
                "provider": f"Provider {index % 17}",
                "access": "closed-api" if closed else rng.choice(["open-weights", "open-weights", "fully-open"]),
                "context_window": rng.choice([None, 8192, 32768, 131072, 200000, 1048576]),
                "modalities": modalities,
                "languages": "",
                "language_codes": rng.sample(["en", "fr", "de", "ko", "ja", "zh", "es"], k=rng.randint(1, 7)),
                "language_coverage": rng.choice(["listed", "broad", "unknown"]),
                "weights_available": not closed,
                "fine_tuning": _fine_tuning(rng, closed),
                "deployment": _deployment(rng, closed),
                "parameters": None if closed else rng.choice(["4B", "8B", "24B", "70B", "MoE 400B total / 17B active"]),
                "min_gpu_memory_gb": None,
                "lifecycle": rng.choice(["active"] * 8 + ["deprecated", "retired"]) if closed else None,
                "shutdown_date": rng.choice(["2027-01-31", "2027-09-30", "2026-06-01"]) if closed else None,
                "licence": licence,
                "scores": {
                    slug: {"value": rng.randint(0, 10), "rationale": f"{slug} rationale"}
                    for slug in CRITERIA
                    if rng.random() < 0.97
                },
            }
        )
    return {"criteria": [{"slug": slug, "name": slug.title(), "summary": ""} for slug in CRITERIA], "models": models}


BASE = {
    "use_case": "assistant",
    "quality": "high",
    "modalities": ["text"],
    "languages": ["en"],
    "context": "any",
    "data_sensitivity": "internal",
    "sector": "general",
    "restricted_uses": [],
    "deployment": "any-api",
    "hardware": "gpu-80",
    "transparency": "low",
    "customisation": "light",
    "mlops": "some",
    "budget": "either",
    "volume": "medium",
    "time_to_market": "months",
    "lock_in": "medium",
    "outages": "tolerable",
    "commercial": "yes",
    "users": "under-1m",
    "revenue": "under-20m",
    "jurisdiction": "US",
    "hosted_service": "no",
    "train_on_outputs": "no",
}
ANSWER_SETS = {
    "neutral": BASE,
    "startup": BASE | {"mlops": "none", "time_to_market": "weeks", "lock_in": "low", "customisation": "fine-tune"},
    "on-prem": BASE | {"deployment": "on-premises", "data_sensitivity": "regulated", "languages": ["en", "ko"]},
}


def median_ms(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    header = f"{'models':>7} {'prepare':>9} " + " ".join(f"{name:>9}" for name in ANSWER_SETS)
    print(header + f" {'1 pass':>9} {'ratio':>7}")
    for size in (50, 500, 2000):
        snapshot = synthetic_snapshot(size)
        start = time.perf_counter()
        catalogue = engine.prepare(snapshot, today=TODAY)
        prepared = (time.perf_counter() - start) * 1000
        cells = []
        for answers in ANSWER_SETS.values():
            engine.recommend(answers, catalogue)  # warm up
            cells.append(median_ms(partial(engine.recommend, answers, catalogue), args.runs))
        single = median_ms(partial(engine.recommend, BASE, catalogue, what_if=False), args.runs)
        ratio = max(cells) / single
        print(
            f"{size:>7} {prepared:>9.1f} "
            + " ".join(f"{cell:>9.2f}" for cell in cells)
            + f" {single:>9.2f} {ratio:>6.1f}x"
        )
    print(
        "Milliseconds: prepare() once (rules are evaluated on first use, so the first recommend() costs more);"
        " median recommend() per answer set, with the what-would-change re-runs; one pass without re-runs;"
        " the slowest answer set as a multiple of that one pass."
    )


if __name__ == "__main__":
    main()
