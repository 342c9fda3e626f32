"""The admin index for editors: the review queue (what is overdue, how sure it is) and what awaits publishing."""

from django import template
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from advisor import models, versions

register = template.Library()


@register.inclusion_tag("admin/advisor/review_queue.html")
def review_queue():
    cutoff = timezone.localdate() - models.REVIEW_STALE_AFTER
    overdue = Q(last_reviewed__lt=cutoff) | Q(last_reviewed__isnull=True)
    return {
        "rows": [
            {
                "label": models.AIModel._meta.verbose_name_plural,
                "overdue": models.AIModel.objects.filter(overdue).count(),
                "overdue_url": reverse("admin:advisor_aimodel_changelist") + "?review=stale",
                "low": models.only_low_confidence_sources(models.AIModel.objects.all()).count(),
                "low_url": reverse("admin:advisor_aimodel_changelist") + "?sources=low",
            },
            {
                "label": models.Licence._meta.verbose_name_plural,
                "overdue": models.Licence.objects.filter(overdue).count(),
                "overdue_url": reverse("admin:advisor_licence_changelist") + "?review=stale",
                "low": models.only_low_confidence_sources(models.Licence.objects.all()).count(),
                "low_url": reverse("admin:advisor_licence_changelist") + "?sources=low",
            },
        ],
    }


@register.simple_tag
def unpublished_edits():
    """How many recorded edits to catalogue content came after the latest published version."""
    return versions.unpublished_edits()
