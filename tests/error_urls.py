"""A URLconf for tests only: the real one plus views that fail on purpose.

It lives under tests/, so production never routes to these views.
"""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from advisor.urls import handler400, handler403, handler404, handler500, urlpatterns

SECRET_DETAIL = "s3cr3t-detail-from-the-exception"


def explode(request):
    raise RuntimeError(f"database password is {SECRET_DETAIL}")


def forbid(request):
    raise PermissionDenied(SECRET_DETAIL)


def suspicious(request):
    raise SuspiciousOperation(SECRET_DETAIL)


urlpatterns = [
    path("test-explode/", explode),
    path("test-forbid/", forbid),
    path("test-suspicious/", suspicious),
    *urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
