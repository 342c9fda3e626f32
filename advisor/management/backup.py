"""What a backup holds, and how it is written: every advisor table except per-process bookkeeping."""

import bz2
import datetime
import gzip
import lzma

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder

# Rate-limit counters are transient; the catalogue fingerprint is recomputed
# from the restored catalogue.
EXCLUDED = ("advisor.SubmissionCounter", "advisor.CatalogueState")
OPENERS = {".json": open, ".json.gz": gzip.open, ".json.bz2": bz2.open, ".json.xz": lzma.open}
FORMATS = tuple(OPENERS)


def backed_up_models():
    return [model for model in apps.get_app_config("advisor").get_models() if model._meta.label not in EXCLUDED]


def has_backup_name(path):
    return str(path).lower().endswith(FORMATS)


def open_backup(path, mode, name=None):
    """Open ``path`` for text, compressed according to its name (or ``name``)."""
    name = str(name or path).lower()
    suffix = max((s for s in OPENERS if name.endswith(s)), key=len)
    return OPENERS[suffix](path, mode + "t", encoding="utf-8")


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it rounds them to milliseconds).

    A restored result must be identical, down to the moment it was created.
    """

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)
