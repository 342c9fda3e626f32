"""Settings for the test suite: the real settings plus what tests need."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-secret-" + "k" * 40)
os.environ.setdefault("ADVISOR_SUBMISSION_LIMIT", "1000")

from advisor.settings import *  # noqa: F403
from advisor.settings import STORAGES

# Manifest storage needs collectstatic first; tests serve files as they are.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Serve static files straight from the finders, as runserver would.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not DATABASES["default"].get("TEST"):  # noqa: F405
    # A file, not Django's shared in-memory database: the live server's threads then open connections
    # of their own (WAL, busy timeout) as gunicorn's would, instead of sharing the test thread's one
    # connection, which deadlocked two admin requests running SQLite's Python date functions at once.
    # pytest-xdist gives each worker its own file (test.sqlite3_gw0, ...).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
