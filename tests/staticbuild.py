"""``collectstatic`` with the production storage, once per version of the static sources.

Hashing and brotli-compressing Bootstrap and the admin's files takes most of a
minute on a 2-core machine, so the result is kept in the temp directory under
a key made of the static sources and the package versions that ship static
files, and reused by every test run (and the benchmark) until one changes.
Parallel test workers wait for one build instead of each running their own.
"""

import fcntl
import hashlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _sources_key():
    digest = hashlib.sha256()
    for package in ("Django", "django-bootstrap-static", "whitenoise"):
        digest.update(f"{package}={metadata.version(package)}\n".encode())
    for path in sorted((BASE_DIR / "static").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(BASE_DIR)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update((BASE_DIR / "advisor" / "settings.py").read_bytes())
    return digest.hexdigest()[:16]


def collected_static_root():
    """A STATIC_ROOT filled by ``collectstatic`` with CompressedManifestStaticFilesStorage."""
    target = Path(tempfile.gettempdir()) / f"advisor-static-{_sources_key()}"
    if (target / "staticfiles.json").exists():
        return target
    with open(target.with_name(target.name + ".lock"), "w") as lock:
        # Two CPU-bound builds at once would each take twice as long: the second waits and reuses the first.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / "staticfiles.json").exists():
            _build(target)
    return target


def _build(target):
    building = Path(tempfile.mkdtemp(prefix="advisor-static-building-"))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="advisor.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_STATIC_ROOT=str(building / "static"),
        DJANGO_VAR_DIR=str(building / "var"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=600,
    )
    try:
        (building / "static").rename(target)  # atomic: a run without the lock (an older checkout) finds all or nothing
    except OSError:
        if not (target / "staticfiles.json").exists():
            raise
    shutil.rmtree(building, ignore_errors=True)
