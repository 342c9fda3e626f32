"""What SQLite's synchronous=FULL costs a saved result, against synchronous=NORMAL, in the same run.

    .venv/bin/python bench/sqlite_sync_bench.py            # 300 results each way, 3 rounds
    .venv/bin/python bench/sqlite_sync_bench.py --results 50 --rounds 1

FULL (the default) syncs the write-ahead log on every commit, so a result acknowledged to its
visitor survives a power loss; NORMAL may lose the last ones. Each round saves ``--results``
results through the service the questionnaire uses (engine run included), each in its own
transaction, into a fresh file database in the temporary directory, once per setting; it prints
the median milliseconds per saved result and the ratio FULL / NORMAL. The temporary directory's
disk decides the figure: run it on the disk the database will live on.
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SAVE = """
import time
from advisor import services, versions
from tests.conftest import complete_answers
versions.publish(note="benchmark catalogue")
services.recommendation_create(answers=complete_answers())  # warm: the catalogue is prepared once
started = time.perf_counter()
for _ in range({count}):
    services.recommendation_create(answers=complete_answers())
print((time.perf_counter() - started) * 1000 / {count})
"""


def per_result_ms(tmp, count, normal):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="advisor.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_VAR_DIR=str(tmp),
        PYTHONPATH=str(BASE_DIR),
    )
    if normal:
        env["DJANGO_SQLITE_SYNCHRONOUS_NORMAL"] = "1"

    def manage(*arguments):
        done = subprocess.run(
            [sys.executable, "manage.py", *arguments], cwd=BASE_DIR, env=env, capture_output=True, text=True
        )
        if done.returncode:
            sys.exit(done.stderr)
        return done.stdout.strip().splitlines()

    manage("migrate", "--noinput", "--verbosity", "0")
    manage("loaddata", "catalogue.json", "--verbosity", "0")
    return float(manage("shell", "-c", SAVE.format(count=count))[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    figures = {"FULL": [], "NORMAL": []}
    for _ in range(options.rounds):
        for name in figures:  # interleaved, so a busy moment hits both
            with tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp:
                figures[name].append(per_result_ms(tmp, options.results, normal=name == "NORMAL"))
    full, normal = (statistics.median(figures[name]) for name in ("FULL", "NORMAL"))
    print(f"saved results: {options.results} per round, {options.rounds} rounds, median ms per result")
    print(f"synchronous=NORMAL  {normal:7.2f} ms  (baseline)")
    print(f"synchronous=FULL    {full:7.2f} ms  x{full / normal:.2f}")


if __name__ == "__main__":
    main()
