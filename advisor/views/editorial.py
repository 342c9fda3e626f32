"""Pages for editors beside the admin's own: what recent catalogue changes do to saved results."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from advisor import changes, services

IMPACT_DAYS = 90
IMPACT_LIMIT = 1000
IMPACT_SECONDS = 10.0


@require_safe
@staff_member_required
def catalogue_impact(request):
    """The latest changes, and how today's catalogue would change the results saved recently."""
    if not request.user.has_perm("advisor.change_aimodel"):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": _("Impact of catalogue changes"),
        "impact": services.catalogue_impact(days=IMPACT_DAYS, limit=IMPACT_LIMIT, budget_seconds=IMPACT_SECONDS),
        "changes": changes.recent(20),
        "limit": IMPACT_LIMIT,
    }
    return render(request, "admin/advisor/catalogue_impact.html", context)
