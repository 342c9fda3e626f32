"""Email goes through Django 6.1's MAILERS: real SMTP in production, the console in development."""

import warnings

from django.core import mail
from django.test import override_settings

from tests.production import _settings_for, production_overrides


def test_production_sends_email_over_smtp_configured_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_EMAIL_HOST", "smtp.example.org")
    monkeypatch.setenv("DJANGO_EMAIL_PORT", "587")
    monkeypatch.setenv("DJANGO_EMAIL_USE_TLS", "1")
    mailers = production_overrides()["MAILERS"]
    assert mailers["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailers["default"]["OPTIONS"]["host"] == "smtp.example.org"
    assert mailers["default"]["OPTIONS"]["port"] == 587
    assert mailers["default"]["OPTIONS"]["use_tls"] is True
    with override_settings(MAILERS=mailers), warnings.catch_warnings():
        warnings.simplefilter("error")  # no RemovedInDjango2028Warning on the way
        backend = mail.mailers.default
    assert (backend.host, backend.port, backend.use_tls) == ("smtp.example.org", 587, True)


def test_development_prints_email_to_the_console():
    assert _settings_for("development")["MAILERS"]["default"]["BACKEND"].endswith("console.EmailBackend")


def test_no_deprecated_email_setting_is_defined():
    for environment in ("development", "production"):
        names = set(_settings_for(environment))
        assert not names & {"EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"}
        assert not names & {"EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_TIMEOUT"}
