"""Logging helpers: structured lines, and no capability URL in any of them.

Django's own loggers name the request path ("Forbidden (CSRF token missing.): /r/<code>/",
"Internal Server Error: /r/<code>/"). A permalink code is a capability: whoever reads it can
open the result, so ``RoutePatternFilter`` writes the route pattern ("r/<uuid:code>/") instead.
"""

import logging

from django.urls import Resolver404, resolve


def route_pattern(path):
    try:
        return resolve(path).route or "(unmatched)"
    except Resolver404:
        return "(unmatched)"


class RoutePatternFilter(logging.Filter):
    def filter(self, record):
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path and isinstance(record.args, tuple):
            pattern = route_pattern(getattr(request, "path_info", path))
            record.args = tuple(pattern if arg in (path, request.path_info) else arg for arg in record.args)
        return True
