"""The settings ``DJANGO_ENV=production`` changes, for use with ``override_settings``.

advisor/settings.py reads the environment once, at import. To test the
production behaviour in-process, it is executed twice in a scratch namespace,
once per environment, and the difference is what production switches on.
Whatever production-only setting is added later is picked up automatically.
"""

import os
import runpy
from pathlib import Path
from unittest import mock

import advisor

SETTINGS_FILE = Path(advisor.__file__).with_name("settings.py")


def _settings_for(environment):
    env = {"DJANGO_ENV": environment, "DJANGO_DEBUG": "0"}
    with mock.patch.dict(os.environ, env):
        namespace = runpy.run_path(str(SETTINGS_FILE))
    return {name: value for name, value in namespace.items() if name.isupper()}


def production_overrides():
    development = _settings_for("development")
    production = _settings_for("production")
    return {name: value for name, value in production.items() if name not in development or development[name] != value}
