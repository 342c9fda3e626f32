"""Rendered HTML kept in the default cache (per process, or shared when CACHE_URL or REDIS_URL is set).

A cache key names everything the HTML depends on (the published catalogue
version, the language, the query), so an entry is never stale: publishing a
new version changes the key and the old entries are simply never asked for
again. Editors' previews of the working catalogue are never kept. Only pages with nothing personal in them are kept: no
CSRF token, no session data, and no flash messages (a request with messages
waiting is rendered afresh and its page is not stored).
"""

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

TIMEOUT = 60 * 60  # entries also leave when the cache culls, or when their key stops being asked for
CACHED_STATUSES = {200, 400}


def key(name, *parts):
    """A cache key for page ``name`` in the active language, varying on ``parts`` (JSON-able)."""
    encoded = json.dumps([get_language(), *parts], separators=(",", ":"), default=str).encode()
    return f"page:{name}:{hashlib.sha256(encoded).hexdigest()}"


def query_parts(request):
    """The query string, normalised: parameters sorted by name, repeated values kept in order."""
    return sorted(request.GET.lists())


def cacheable(request):
    # len() loads the stored messages without marking them as shown.
    return settings.ADVISOR_PAGE_CACHE and not len(messages.get_messages(request))


def get(request, cache_key):
    """The cached response for ``cache_key``, or None."""
    if not cacheable(request):
        return None
    entry = cache.get(cache_key)
    if entry is None:
        return None
    status, content_type, content = entry
    return HttpResponse(content, status=status, content_type=content_type)


def store(request, cache_key, response):
    if response.status_code in CACHED_STATUSES and not response.streaming and cacheable(request):
        cache.set(cache_key, (response.status_code, response["Content-Type"], response.content), TIMEOUT)
    return response
