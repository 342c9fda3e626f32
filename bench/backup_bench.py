"""Peak memory of export_backup and import_backup with many saved results, against a baseline.

    .venv/bin/python bench/backup_bench.py                  # 100,000 results
    .venv/bin/python bench/backup_bench.py --results 5000   # a quick look

A temporary SQLite database gets the seed catalogue and ``--results`` saved
results (copies of real ones, each with its own code and answers); then
``export_backup`` writes a ``.jsonl.gz`` file and ``import_backup`` restores it
into a second, empty database. Each command runs in its own process, and its
peak resident memory (``ru_maxrss``) is printed beside the baseline: the same
Django project running ``manage.py check``, in the same run. The target is
200 MB for 100,000 results.
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_MB = 200

SEED = """
import datetime, uuid
from django.utils import timezone
from advisor import models, services, versions
from tests.conftest import complete_answers
versions.publish(note="benchmark catalogue")
variants = [
    complete_answers(),
    complete_answers(deployment="on-premises", hardware="gpu-80", commercial="no"),
    complete_answers(mlops="none", time_to_market="weeks", languages=["en", "de"]),
]
made = [services.recommendation_create(answers=answers) for answers in variants]
rows, now = [], timezone.now()
for n in range({count} - len(made)):
    template = made[n % len(made)]
    rows.append(models.Recommendation(
        code=uuid.uuid4(), answers=template.answers, result=template.result,
        catalogue_version_id=template.catalogue_version_id, today=template.today,
        catalogue_fingerprint=template.catalogue_fingerprint, engine_version=template.engine_version,
        created_at=now - datetime.timedelta(seconds=n),
    ))
    if len(rows) == 5000:
        models.Recommendation.objects.bulk_create(rows)
        rows = []
models.Recommendation.objects.bulk_create(rows)
print(models.Recommendation.objects.count())
"""


def manage(env, *arguments):
    """Run a manage.py command in a new process; return (seconds, its own peak RSS in MB, last output line)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "manage.py", *arguments], cwd=BASE_DIR, env=env, stdout=out, stderr=err
        )
        _pid, status, usage = os.wait4(process.pid, 0)  # this child's own resource use
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        if process.returncode:
            sys.exit(f"manage.py {' '.join(arguments)} failed:\n{err.read()}")
        lines = out.read().strip().splitlines()
    return seconds, usage.ru_maxrss / 1024, lines[-1] if lines else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=100_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="backup-bench-") as tmp:
        tmp = Path(tmp)

        def env_for(name):
            env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
            env.update(
                DJANGO_SETTINGS_MODULE="advisor.settings",
                DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
                DJANGO_VAR_DIR=str(tmp / name),
                PYTHONPATH=str(BASE_DIR),
            )
            return env

        source, target = env_for("source"), env_for("target")
        for env in (source, target):
            manage(env, "migrate", "--noinput", "--verbosity", "0")
        _s, baseline, _ = manage(source, "check")
        manage(source, "loaddata", "catalogue.json", "presets.json", "--verbosity", "0")
        _s, _m, count = manage(source, "shell", "-c", SEED.format(count=options.results))
        backup = tmp / "backup.jsonl.gz"
        export_s, export_mb, _ = manage(source, "export_backup", str(backup))
        import_s, import_mb, _ = manage(target, "import_backup", str(backup))
        size_mb = backup.stat().st_size / 1e6
        print(f"results: {count}; backup file {size_mb:.1f} MB compressed")
        print(f"{'':22} {'seconds':>8} {'peak MB':>8} {'x baseline':>11}")
        print(f"{'baseline (check)':22} {'':>8} {baseline:8.0f} {1:11.2f}")
        for name, seconds, mb in (("export_backup", export_s, export_mb), ("import_backup", import_s, import_mb)):
            verdict = "ok" if mb <= TARGET_MB else f"over the {TARGET_MB} MB target"
            print(f"{name:22} {seconds:8.1f} {mb:8.0f} {mb / baseline:11.2f}  {verdict}")


if __name__ == "__main__":
    main()
