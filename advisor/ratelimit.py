"""Per-client limits on anonymous submissions, and the friendly 429 page.

Counts live in the database (``SubmissionCounter``), so every worker process
and every server shares them: a fixed window of ``ADVISOR_SUBMISSION_WINDOW``
seconds in which a client may submit ``ADVISOR_SUBMISSION_LIMIT`` times. The
client is the address ``advisor.middleware.client_ip`` reads (right behind
trusted proxies), its IPv6 /64, stored only as a keyed hash.

Usage in a view, after the input validated and before anything is saved::

    if not ratelimit.submission_allowed(request):
        return ratelimit.ratelimited(request)

An API that answers in JSON builds its own 429 and sets
``response["Retry-After"] = str(ratelimit.retry_after())``.
"""

import math
import time

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.shortcuts import render
from django.utils.translation import gettext as _

from advisor.middleware import client_pseudonym
from advisor.models import SubmissionCounter

# What is counted: each has its own counters, and its limit per window in settings.
RESULTS = "advisor.submissions"
ROOMS = "advisor.rooms"
ROOM_ANSWERS = "advisor.room-answers"
LIMITS = {
    RESULTS: "ADVISOR_SUBMISSION_LIMIT",
    ROOMS: "ADVISOR_SUBMISSION_LIMIT",
    # A whole team may answer from behind one office address.
    ROOM_ANSWERS: "ADVISOR_ROOM_ANSWER_LIMIT",
}


def client_key(request, purpose=RESULTS):
    """A keyed pseudonym of the client's network: IPv4 address or IPv6 /64 (no raw addresses stored)."""
    return client_pseudonym(request, purpose=purpose)


def _limit(purpose):
    return getattr(settings, LIMITS[purpose])


def _window_length():
    return max(1, int(settings.ADVISOR_SUBMISSION_WINDOW))


def current_window(now=None):
    return int((time.time() if now is None else now) // _window_length())


def retry_after(now=None):
    """Whole seconds until the current window ends (at least 1)."""
    now = time.time() if now is None else now
    length = _window_length()
    return max(1, math.ceil(length - (now % length)))


def _increment(key, window):
    """Add one to an existing counter row and return its new count, or None when there is no row.

    One statement, ``UPDATE ... RETURNING`` (PostgreSQL, and SQLite since 3.35): the row is
    locked while it is counted, so each caller sees exactly its own count.
    """
    table = connection.ops.quote_name(SubmissionCounter._meta.db_table)
    count, client, window_column = (connection.ops.quote_name(name) for name in ("count", "client", "window"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {count} = {count} + 1 WHERE {client} = %s AND {window_column} = %s "  # noqa: S608 - names quoted, values bound
            f"RETURNING {count}",
            [key, window],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def hit(key, now=None):
    """Count one submission for ``key`` in the current window and return the count so far."""
    window = current_window(now)
    for _attempt in range(3):
        count = _increment(key, window)
        if count is not None:
            return count
        try:
            with transaction.atomic():
                SubmissionCounter.objects.create(client=key, window=window, count=1)
        except IntegrityError:
            # Another process created the row in between (and a request already in the next window
            # may have removed it since): count again.
            continue
        # The first submission of a client in a window: a good moment to drop finished windows
        # (everyone's). Only older ones: a request still counting in this window must never remove
        # the next window's rows.
        SubmissionCounter.objects.filter(window__lt=window).delete()
        return 1
    raise OperationalError("the submission counter stayed contended; try again")


def over_limit(request, now=None, purpose=RESULTS):
    """True when the client has used up the current window already (a read, nothing counted)."""
    key, window = client_key(request, purpose), current_window(now)
    used = SubmissionCounter.objects.filter(client=key, window=window).values_list("count", flat=True).first()
    return (used or 0) >= _limit(purpose)


def submission_allowed(request, purpose=RESULTS):
    """Count this submission; False once the client is over the limit for the window."""
    return hit(client_key(request, purpose)) <= _limit(purpose)


def too_many_requests(request, *, retry_seconds, message=None):
    """The friendly 429 page, with a Retry-After header."""
    context = {"message": message, "retry_minutes": max(1, math.ceil(retry_seconds / 60))}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(int(retry_seconds))
    return response


def ratelimited(request):
    """The 429 answer for a submission that ``submission_allowed`` refused."""
    return too_many_requests(request, retry_seconds=retry_after())


def admin_lockout(request, original_response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): the same 429 page, for sign-ins."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 3600
    return too_many_requests(
        request,
        retry_seconds=seconds,
        message=_("Too many failed sign-in attempts for this account from your address."),
    )
