"""Request logging, the API's JSON boundary and client-address helpers.

The log line is structured (one JSON object) and carries only the method, the
route, the status, the duration and a hash of the client address: never query
strings, form bodies, answers or cookies.
"""

import ipaddress
import json
import logging
import time

from django.conf import settings
from django.http import JsonResponse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from whitenoise.middleware import WhiteNoiseMiddleware

logger = logging.getLogger("advisor.request")


def client_ip(request):
    """The client's address, read correctly behind ``TRUSTED_PROXY_COUNT`` proxies.

    Each proxy appends the address it saw to X-Forwarded-For, so the client is
    the entry that many places from the right; anything further left is
    supplied by the client and cannot be trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count and _is_ip(forwarded[-count]):
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def client_network(request):
    """The address the client is known by: an IPv4 address, or the /64 of an IPv6 one.

    One IPv6 subscriber usually holds a whole /64, so counting single addresses would let
    them rotate around any per-client limit.
    """
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def client_pseudonym(request, purpose="advisor.client"):
    """A keyed hash of the client's network (HMAC with a key derived from SECRET_KEY).

    Pseudonymous, not anonymous: whoever holds the secret key can test a guessed address,
    nobody else can reverse it (an unkeyed hash of an IPv4 address can be brute-forced).
    """
    return salted_hmac(purpose, client_network(request), algorithm="sha256").hexdigest()


def _is_ip(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def axes_client_ip(request):
    """``client_ip`` for django-axes, which keeps it in an IP address column: None when unknown."""
    address = client_ip(request)
    return address if _is_ip(address) else None


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exc_type"] = record.exc_info[0].__name__
        return json.dumps(entry, sort_keys=True)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        fields = {
            "method": request.method,
            # The route pattern, not the path: permalink codes stay out of logs.
            "route": match.route if match else "(unmatched)",
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "client": client_pseudonym(request)[:12],
        }
        logger.info("request", extra={"fields": fields})
        return response


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with hashed (immutable) files cached for one year rather than ten.

    A year is what RFC 9111 caches are expected to honour and what the
    deployment checklists ask for; a hashed name changes with its content, so
    no visitor ever keeps a stale asset.
    """

    FOREVER = 365 * 24 * 60 * 60


API_PREFIX = "/api/"
API_MAX_BODY_BYTES = 16 * 1024
API_STATUS_MESSAGES = {
    400: gettext_lazy("The request could not be read."),
    403: gettext_lazy("This request is not allowed."),
    404: gettext_lazy("There is no such API endpoint."),
    405: gettext_lazy("This method is not allowed here; the Allow header lists those that are."),
    413: gettext_lazy("The request body is too large."),
    415: gettext_lazy("Send the answers as JSON with Content-Type: application/json."),
    429: gettext_lazy("Too many requests from your address. Wait a minute, then try again."),
}
API_SERVER_ERROR = gettext_lazy("Something went wrong on our side; nothing was saved. Try again later.")
API_OTHER_ERROR = gettext_lazy("The request was refused.")
KEPT_HEADERS = ("Allow", "Retry-After", "Vary")


class ApiMiddleware:
    """Under /api/ the site speaks JSON only.

    A body over 16 KB is refused before anything reads it (413; the API's parser refuses bodies
    that are not JSON with 415), and every error answer, whoever produced it (an unknown path, an unknown method, a CSRF
    refusal, a server error), becomes the API's ``Error`` object with the same status.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        response = self._refusal(request) or self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            response = self._as_json(response)
        return response

    def _refusal(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > API_MAX_BODY_BYTES:
            return JsonResponse({"error": _(API_STATUS_MESSAGES[413])}, status=413)
        return None

    def _as_json(self, response):
        status = response.status_code
        message = API_SERVER_ERROR if status >= 500 else API_STATUS_MESSAGES.get(status, API_OTHER_ERROR)
        converted = JsonResponse({"error": str(message)}, status=status)
        for header in KEPT_HEADERS:
            if header in response:
                converted[header] = response[header]
        return converted


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached answers 503 with the friendly page, not a server error.

    The connect and statement timeouts (settings) make a hung database fail fast; this turns
    that failure into "try again in a moment" (with ``Retry-After``), JSON under /api/.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        from advisor.views.core import database_unavailable

        logging.getLogger("advisor.request").warning("database unavailable: %s", type(exception).__name__)
        return database_unavailable(request)
