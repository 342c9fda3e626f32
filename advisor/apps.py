from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AdvisorConfig(AppConfig):
    name = "advisor"
    verbose_name = _("Model Strategy Advisor")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from advisor import catalogue, models

        catalogue_changed = catalogue.catalogue_changed
        catalogue_models = (
            models.Provider,
            models.Licence,
            models.AIModel,
            models.Criterion,
            models.Score,
            models.Source,
            models.AudiencePreset,
            models.GpuPrice,
        )
        for model in catalogue_models:
            post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-{model.__name__}-save")
            post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-{model.__name__}-delete")
        post_delete.connect(
            catalogue.revision_bump, sender=models.Recommendation, dispatch_uid="catalogue-Recommendation-delete"
        )
