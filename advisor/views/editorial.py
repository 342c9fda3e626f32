"""The editors' publish page beside the admin: what publishing would change, then publish."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from advisor import changes, services, versions

IMPACT_DAYS = 90
IMPACT_LIMIT = 1000
IMPACT_SECONDS = 10.0


class PublishForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note for readers (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text=gettext_lazy("Shown with the version on the public What changed page."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_member_required
def catalogue_publish(request):
    """Preview the working catalogue against the latest version (the diff and its impact), then publish it."""
    if not request.user.has_perm("advisor.publish_catalogue"):
        raise PermissionDenied
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = versions.publish(user=request.user, note=form.cleaned_data["note"])
        except versions.NothingToPublish:
            messages.warning(request, _("Nothing to publish: the working catalogue is the latest version."))
            return redirect("catalogue-publish")
        messages.success(
            request, _("Published catalogue version %(number)s: readers see it now.") % {"number": version.pk}
        )
        return redirect(reverse("advisor:changes") + f"#version-{version.pk}")
    preview = versions.preview()
    context = {
        **admin.site.each_context(request),
        "title": _("Publish the catalogue"),
        "form": form,
        "latest": preview.latest,
        "pending": changes.from_summary(preview.summary),
        "first": preview.first,
        "engine_data_changed": preview.engine_data_changed,
        "impact": services.catalogue_impact(days=IMPACT_DAYS, limit=IMPACT_LIMIT, budget_seconds=IMPACT_SECONDS),
        "limit": IMPACT_LIMIT,
    }
    return render(request, "admin/advisor/catalogue_publish.html", context, status=400 if form.errors else 200)
