from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _publish_first(sender, using="default", **kwargs):
    """After ``migrate``: a database upgraded from before publishing existed publishes what it showed."""
    from django.db import DEFAULT_DB_ALIAS

    from advisor import versions

    if using == DEFAULT_DB_ALIAS:  # the app keeps its catalogue in the default database
        versions.publish_first()


class AdvisorConfig(AppConfig):
    name = "advisor"
    verbose_name = _("Model Strategy Advisor")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_publish_first, sender=self, dispatch_uid="advisor-publish-first")
