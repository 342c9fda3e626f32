"""Time the recommendation engine on synthetic catalogues of 50, 500 and 2,000 models.

Runs standalone, without Django or a database:

    .venv/bin/python bench/engine_bench.py [--runs 50]

It times ``prepare()`` once per size, and the median of N runs of ``recommend()`` (with the
what-would-change re-runs, as the site calls it) for a few representative answer sets. The
budget: at most 6 ms per recommendation for 500 models and under 20 ms for 2,000.
"""

import argparse
import random
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor import engine

CRITERIA = engine.CRITERIA
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
        "mau_threshold": 700_000_000,
        "threshold_effect": "gate",
        "excluded_jurisdictions": ["EU"],
        "jurisdiction_exclusion_multimodal_only": True,
        "acceptable_use_policy": True,
        "forbidden_uses": ["military"],
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
        "forbidden_uses": ["competing-models", "medical-advice"],
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
        "forbidden_uses": ["competing-models"],
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
                "min_gpu_memory_gb": None if closed else rng.choice([8, 16, 48, 140, 800]),
                "lifecycle": rng.choice(["available"] * 8 + ["deprecated", "retired"]),
                "shutdown_date": "2027-01-31",
                "licence": licence,
                "scores": {
                    slug: {"value": rng.randint(0, 10), "rationale": f"{slug} rationale"}
                    for slug in CRITERIA
                    if rng.random() < 0.97
                },
            }
        )
    return {"criteria": [{"slug": slug, "name": slug.title(), "summary": ""} for slug in CRITERIA], "models": models}


ANSWER_SETS = {
    "defaults": {},
    "startup": {"mlops": "none", "time_to_market": "weeks", "lock_in": "low", "customisation": "fine-tune"},
    "on-prem": {"deployment": "on-premises", "data_sensitivity": "regulated", "languages": ["en", "ko"]},
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
    print(header + f" {'+as_json':>9} {'1 pass':>9}")
    for size in (50, 500, 2000):
        snapshot = synthetic_snapshot(size)
        start = time.perf_counter()
        catalogue = engine.prepare(snapshot)
        prepared = (time.perf_counter() - start) * 1000
        cells = []
        for answers in ANSWER_SETS.values():
            engine.recommend(answers, catalogue)  # warm up
            cells.append(median_ms(partial(engine.recommend, answers, catalogue), args.runs))
        cells.append(median_ms(lambda catalogue=catalogue: engine.recommend({}, catalogue).as_json(), args.runs))
        cells.append(median_ms(partial(engine.recommend, {}, catalogue, what_if=False), args.runs))
        print(f"{size:>7} {prepared:>9.1f} " + " ".join(f"{cell:>9.2f}" for cell in cells))
    print(
        "Milliseconds: prepare() once; median recommend() per answer set, with the what-would-change re-runs;"
        " recommend().as_json() for the defaults; one ranking pass without re-runs."
    )


if __name__ == "__main__":
    main()
