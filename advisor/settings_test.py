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
