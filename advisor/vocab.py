"""Controlled vocabularies shared by the catalogue, the forms and the admin.

The stored values are plain strings, which is what the pure engine sees in a
catalogue snapshot; the labels are for people.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LicenceCategory(models.TextChoices):
    PERMISSIVE = "permissive", _("Permissive")
    COPYLEFT = "copyleft", _("Copyleft")
    OPEN_WEIGHTS_RESTRICTED = "open-weights-restricted", _("Open weights with restrictions")
    RESPONSIBLE_AI = "responsible-ai-restricted", _("Responsible-AI restricted")
    NON_COMMERCIAL = "non-commercial", _("Non-commercial")
    PROPRIETARY_API = "proprietary-api", _("Proprietary API terms")


class Permission(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    CONDITIONAL = "conditional", _("Conditional")
    UNKNOWN = "unknown", _("Unknown")


class ThresholdKind(models.TextChoices):
    MAU = "mau", _("Monthly active users")
    MONTHLY_REVENUE = "monthly_revenue_usd", _("Monthly revenue (USD)")
    ANNUAL_REVENUE = "annual_revenue_usd", _("Annual revenue (USD)")
    MAAS_GROUP_REVENUE = (
        "maas_group_revenue_12m_usd",
        _("Group revenue over any 12 months, for a Model-as-a-Service business (USD)"),
    )


class ThresholdEffect(models.TextChoices):
    SEPARATE_LICENCE = "separate-licence", _("Separate licence needed")
    DISPLAY_DUTY = "display-duty", _("Display duty")
    OTHER = "other", _("Other (see the note)")


class PromptTraining(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    FREE_TIER = "free-tier", _("Only on free or unpaid use")


class Access(models.TextChoices):
    FULLY_OPEN = "fully-open", _("Fully open")
    OPEN_WEIGHTS = "open-weights", _("Open weights")
    CLOSED_API = "closed-api", _("Closed API")


class Modality(models.TextChoices):
    TEXT = "text", _("Text")
    IMAGE = "image", _("Image")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")


class FineTuning(models.TextChoices):
    FULL = "full", _("Full fine-tuning")
    LORA = "lora", _("LoRA / adapters")
    API = "api-fine-tuning", _("Hosted fine-tuning API")
    NONE = "none", _("None")


class Deployment(models.TextChoices):
    SELF_HOST = "self-host", _("Self-host")
    MANAGED_API = "managed-api", _("Managed API")
    CLOUD_MARKETPLACE = "cloud-marketplace", _("Cloud marketplace")
    ON_DEVICE = "on-device", _("On-device")


class LanguageCoverage(models.TextChoices):
    LISTED = "listed", _("Full list documented")
    BROAD = "broad", _("Broadly multilingual (codes are examples)")
    UNKNOWN = "unknown", _("Not documented")


class Lifecycle(models.TextChoices):
    ACTIVE = "active", _("Active")
    DEPRECATED = "deprecated", _("Deprecated")
    RETIRED = "retired", _("Retired")


class EditorialStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Confidence(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month only")


class RestrictedUse(models.TextChoices):
    MEDICAL_ADVICE = "medical-advice", _("Medical advice or interpreting medical results")
    LEGAL_ADVICE = "legal-advice", _("Legal advice")
    FINANCIAL_ADVICE = "financial-advice", _("Financial advice")
    LAW_ENFORCEMENT = "law-enforcement", _("Law-enforcement, justice or immigration decisions")
    MILITARY = "military", _("Military use")
    AUTOMATED_LEGAL_DECISIONS = (
        "automated-legal-decisions",
        _("Automated decisions with legal or similarly significant effects on people"),
    )
    COMPETING_MODELS = "competing-models", _("Building models or products that compete with the vendor")
    BIOMETRIC_IDENTIFICATION = "biometric-identification", _("Biometric identification")
    OTHER = "other", _("Other")


class UseRule(models.TextChoices):
    FORBIDDEN = "forbidden", _("Forbidden")
    CONDITIONAL = "conditional", _("Allowed only under a condition")


class Jurisdiction(models.TextChoices):
    EU = "EU", _("European Union")
    EEA_CH_UK = "EEA-CH-UK", _("EEA, Switzerland or the UK (outside the EU)")
    US = "US", _("United States")
    CN = "CN", _("China")
    KR = "KR", _("South Korea")
    OTHER = "other", _("Elsewhere")
