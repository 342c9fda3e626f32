"""The admin login resists guessing without letting anyone lock an editor out from elsewhere."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from advisor.middleware import axes_client_ip, client_ip

PASSWORD = "pw-for-tests-only"
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture
def editors(django_user_model):
    for username in ("ed", "flo"):
        django_user_model.objects.create_user(username=username, password=PASSWORD, is_staff=True)


def sign_in(client, username, password=PASSWORD, **meta):
    meta.setdefault("REMOTE_ADDR", "198.51.100.7")
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, **meta)


def fail(client, username, times=LIMIT, **meta):
    for _ in range(times):
        sign_in(client, username, "wrong-password", **meta)


def assert_locked(response):
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-in attempts" in page
    assert "Traceback" not in page
    assert int(response["Retry-After"]) == 15 * 60
    assert "Access-Control-Allow-Origin" not in response.headers


def assert_signed_in(response):
    assert response.status_code == 302, response.content[:300]
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_failures_below_the_limit_do_not_lock(client, editors):
    fail(client, "ed", times=LIMIT - 1)
    assert_signed_in(sign_in(client, "ed"))


@pytest.mark.django_db
def test_a_username_is_locked_from_the_guessing_address_only(client, editors):
    fail(client, "ed")

    # Even the right password is refused from the guessing address, with a friendly page.
    assert_locked(sign_in(client, "ed"))
    # Another editor at the same address is not affected...
    assert_signed_in(sign_in(client, "flo"))
    client.logout()
    # ...and the locked editor still signs in from anywhere else.
    assert_signed_in(sign_in(client, "ed", REMOTE_ADDR="203.0.113.20"))
    client.logout()
    # Signing in elsewhere does not lift the lock on the guessing address.
    assert_locked(sign_in(client, "ed"))


@pytest.mark.django_db
def test_the_lock_expires_after_the_cool_off(client, editors):
    fail(client, "ed")
    assert_locked(sign_in(client, "ed"))

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=14))
    assert_locked(sign_in(client, "ed"))

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert_signed_in(sign_in(client, "ed"))


@pytest.mark.django_db
@override_settings(AXES_COOLOFF_TIME=datetime.timedelta(minutes=2))
def test_the_retry_after_follows_the_configured_cool_off(client, editors):
    fail(client, "ed")
    response = sign_in(client, "ed")
    assert response.status_code == 429
    assert response["Retry-After"] == "120"
    assert "Wait 2 minutes" in response.content.decode()


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_is_ignored_without_a_trusted_proxy(client, editors):
    for attempt in range(LIMIT):
        sign_in(client, "ed", "wrong-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
    assert_locked(sign_in(client, "ed", HTTP_X_FORWARDED_FOR="192.0.2.200"))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw(client, editors):
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The left part is whatever the client claims; only the proxy's entry counts.
    for attempt in range(LIMIT):
        sign_in(client, "ed", "wrong-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.5", **proxy)
    assert_locked(sign_in(client, "ed", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy))
    # Another visitor through the same proxy is not locked out with them.
    assert_signed_in(sign_in(client, "ed", HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, None, "198.51.100.7"),
        (0, "192.0.2.1", "198.51.100.7"),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),
        (1, " 6.6.6.6 ,192.0.2.1 ", "192.0.2.1"),
        (2, "6.6.6.6, 192.0.2.1, 10.0.0.9", "192.0.2.1"),
        (2, "192.0.2.1", "198.51.100.7"),  # fewer entries than proxies: not trusted
        (1, "", "198.51.100.7"),
        (1, "6.6.6.6, not-an-address", "198.51.100.7"),  # a broken proxy chain falls back
    ],
)
def test_client_ip_reads_only_what_trusted_proxies_appended(proxies, forwarded_for, expected):
    meta = {"REMOTE_ADDR": "198.51.100.7"}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    request = RequestFactory().get("/", **meta)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


def test_axes_gets_none_rather_than_a_non_address():
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_ip(request) == "unknown"
    assert axes_client_ip(request) is None


def test_no_default_admin_account_is_created_by_migrations(django_user_model, db):
    assert not django_user_model.objects.exists()
