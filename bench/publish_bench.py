"""Time publishing a catalogue version, and its preview, at 500 models (the limit: 5 s to publish).

    .venv/bin/python bench/publish_bench.py [--size 500] [--rounds 3]

Seeds a temporary SQLite database the way ``bench/run.py`` does (``--size`` models cloned from
the seed catalogue, with scores and sources), then, per round: an editor's edit to one model,
the publish page's preview (the diff against the latest version), and the publish itself. The
baseline, measured in the same process, is building the engine's snapshot alone
(``catalogue_snapshot()``), which every publish includes: the ratio says what the rest costs.
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LIMIT_SECONDS = 5.0

TIMING = """
import statistics, time
from advisor import catalogue, models, versions
figures = {{"snapshot": [], "preview": [], "publish": []}}
for round in range({rounds}):
    started = time.perf_counter()
    catalogue.catalogue_snapshot()
    figures["snapshot"].append(time.perf_counter() - started)
    model = models.AIModel.objects.published().order_by("slug")[round]
    model.parameters = f"{{round + 1}}00B"
    model.save()
    started = time.perf_counter()
    _latest, summary = versions.preview()
    figures["preview"].append(time.perf_counter() - started)
    assert summary, "the edit is in the preview"
    started = time.perf_counter()
    versions.publish(note="benchmark")
    figures["publish"].append(time.perf_counter() - started)
for name, values in figures.items():
    print(name, statistics.median(values))
print("models", models.AIModel.objects.published().count())
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
        env.update(
            DJANGO_SETTINGS_MODULE="advisor.settings",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_VAR_DIR=tmp,
            PYTHONPATH=str(BASE_DIR),
        )

        def run(*arguments):
            done = subprocess.run(arguments, cwd=BASE_DIR, env=env, capture_output=True, text=True)
            if done.returncode:
                sys.exit(done.stderr)
            return done.stdout.strip().splitlines()

        run(sys.executable, "bench/run.py", "--seed-only", str(options.size))
        lines = run(sys.executable, "manage.py", "shell", "-c", TIMING.format(rounds=options.rounds))
    names = ("snapshot", "preview", "publish", "models")
    figures = dict(line.split() for line in lines if line.split() and line.split()[0] in names)
    snapshot = float(figures["snapshot"])
    print(f"{figures['models']} published models, {options.rounds} rounds, median seconds")
    print(f"engine snapshot alone  {snapshot:6.3f} s  (baseline)")
    for name in ("preview", "publish"):
        value = float(figures[name])
        met = "met" if value <= LIMIT_SECONDS else "MISSED"
        verdict = "" if name == "preview" else f"  limit {LIMIT_SECONDS:.0f} s: {met}"
        print(f"{name:<22} {value:6.3f} s  x{value / snapshot:.1f}{verdict}")


if __name__ == "__main__":
    main()
