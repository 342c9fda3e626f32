import concurrent.futures
import shutil
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from advisor import catalogue


@require_safe
def home(request):
    shown = catalogue.published_catalogue()
    return render(request, "advisor/home.html", {"presets": shown.presets, "criteria": shown.criteria})


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@never_cache
@require_safe
def healthz(request):
    """The process is alive; touches nothing else."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
def readyz(request):
    """The database answers and can take writes, within ADVISOR_READYZ_TIMEOUT seconds; 503 otherwise.

    A SQLite database cannot take writes when its disk is (nearly) full; a PostgreSQL server
    cannot while it is a read-only standby. A database that hangs (a paused server, a network
    that drops packets) makes the probe answer 503 on time instead of hanging with it: the check
    runs in a thread of its own, one at a time (probes that arrive meanwhile wait for the same
    check), so hung checks never pile up.
    """
    global _probe
    with _probe_lock:
        if _probe is None or _probe.done():
            _probe = _probe_pool.submit(_database_state)
        probe = _probe  # probes arriving while a check runs wait for that same check
    try:
        state = probe.result(timeout=settings.ADVISOR_READYZ_TIMEOUT)
    except concurrent.futures.TimeoutError:
        state = "not answering"
    if state != "ok":
        return JsonResponse({"status": "unavailable", "database": state}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


_probe_pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="readyz")
_probe_lock = threading.Lock()
_probe = None  # the check in flight, or the last one


def _database_state():
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
            writable = _writable(cursor)
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        # A failure that took longer than a probe waits is a database that did not answer (a
        # connect timeout), whichever probe happens to be waiting for this check when it ends.
        slow = time.monotonic() - started >= settings.ADVISOR_READYZ_TIMEOUT
        return "not answering" if slow else "unreachable"
    finally:
        connection.close()  # this thread's own connection
    return "ok" if writable else "read-only"


def _writable(cursor):
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_is_in_recovery()")
        return not cursor.fetchone()[0]
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        folder = Path(connection.settings_dict["NAME"]).parent
        return shutil.disk_usage(folder).free >= settings.ADVISOR_MIN_FREE_DISK_MB * 1024 * 1024
    return True


def csrf_failure(request, reason=""):
    return render(
        request,
        "403_csrf.html",
        {"message": _("Your form expired or was sent from another site. Go back, reload the page and try again.")},
        status=403,
    )


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def database_unavailable(request):
    """The friendly 503 page when the database cannot be reached; the visitor may retry shortly."""
    response = render(request, "503.html", status=503)
    response["Retry-After"] = "30"
    return response


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)
