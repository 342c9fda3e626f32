"""What a backup holds, and how it is written: every advisor table except per-process bookkeeping."""

import bz2
import datetime
import gzip
import json
import lzma
import os

from django.apps import apps
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder

# Rate-limit counters are transient.
EXCLUDED = ("advisor.SubmissionCounter",)
# The change history names editor accounts, which a backup does not hold; PostgreSQL's own
# backups (docs/deploy.md) keep it with the accounts.
COMPRESSORS = {"": open, ".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
# JSON Lines (one row per line) is read and written a row at a time, so memory stays flat whatever
# the number of results; a plain JSON array (the older format) is still read, but whole.
OPENERS = {
    f"{base}{compression}": opener for base in (".jsonl", ".json") for compression, opener in COMPRESSORS.items()
}
FORMATS = tuple(OPENERS)
# Fields renamed since backups were first written, per serialised model: a backup written before a
# rename is read under today's names, so it restores like a new one.
RENAMED_FIELDS = {"advisor.recommendation": {"created": "created_at"}}
# Fields that moved to a table of their own: (model, fields) -> the model that holds them now (same pk).
MOVED_FIELDS = {"advisor.catalogueversion": (("snapshot", "records"), "advisor.catalogueversioncontent")}


def backed_up_models():
    return [
        model
        for model in apps.get_app_config("advisor").get_models()
        if model._meta.label not in EXCLUDED and not model.__name__.startswith("Historical")
    ]


def has_backup_name(path):
    return str(path).lower().endswith(FORMATS)


def _suffix(name):
    name = str(name).lower()
    return max((s for s in OPENERS if name.endswith(s)), key=len)


def serializer_format(name):
    """``"jsonl"`` or ``"json"``: the serialisation a backup file's name asks for."""
    return "jsonl" if _suffix(name).startswith(".jsonl") else "json"


def open_backup(path, mode, name=None):
    """Open ``path`` for text, compressed according to its name (or ``name``).

    A file written is created readable by its owner only: a backup holds every saved answer.
    """
    if mode == "w":
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        os.chmod(path, 0o600)
    return OPENERS[_suffix(name or path)](path, mode + "t", encoding="utf-8")


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it rounds them to milliseconds).

    A restored result must be identical, down to the moment it was created.
    """

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def backup_rows(stream, fmt):
    """Each row of a backup, for Django's ``"python"`` deserialiser, with renamed or moved fields where they are today.

    JSON Lines is read a line at a time; a JSON array is read whole, as Django reads it.
    """
    rows = json.load(stream) if fmt == "json" else (json.loads(line) for line in stream if line.strip())
    for row in rows:
        if not (isinstance(row, dict) and isinstance(row.get("model"), str) and isinstance(row.get("fields"), dict)):
            raise DeserializationError(f"a row is not a serialised model instance: {str(row)[:80]}")
        label = row["model"].lower()
        renamed = RENAMED_FIELDS.get(label, {})
        row["fields"] = {renamed.get(name, name): value for name, value in row["fields"].items()}
        moved_names, moved_to = MOVED_FIELDS.get(label, ((), None))
        moved = {name: row["fields"].pop(name) for name in moved_names if name in row["fields"]}
        yield row
        if moved:
            yield {"model": moved_to, "pk": row.get("pk"), "fields": moved}
