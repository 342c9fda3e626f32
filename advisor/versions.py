"""Publishing the catalogue: a new numbered version, and what changed since the one before.

Editors change the working catalogue; ``publish`` copies it into an immutable
``CatalogueVersion`` (the engine's snapshot and the public rows), with who published it, when,
and a summary of what changed, worked out here by comparing the rows of the two versions entry
by entry. A summary is plain data (field names and values, never sentences), so it is worded
in each reader's language when shown (``advisor.changes``).
"""

from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from advisor import catalogue, models

# What a summary is about: a serialised model's label -> the kind of entry readers see.
KINDS = {
    "advisor.aimodel": "model",
    "advisor.licence": "licence",
    "advisor.provider": "provider",
    "advisor.criterion": "criterion",
    "advisor.audiencepreset": "preset",
    "advisor.gpuprice": "gpu-price",
}
MODEL_CLASSES = {
    "model": models.AIModel,
    "licence": models.Licence,
    "provider": models.Provider,
    "criterion": models.Criterion,
    "preset": models.AudiencePreset,
    "gpu-price": models.GpuPrice,
}
# Fields not listed as changed: the identity (an entry whose slug changes is removed and added) and
# the status (a model withdrawn from the public is removed). HTML made from a Markdown field is
# left out too (the Markdown field is listed), and the records hold no created or updated times.
HIDDEN_FIELDS = {"status", "slug"}


class NothingToPublish(Exception):
    """The working catalogue is the latest published version: there is nothing to publish."""


def _identity(kind, fields):
    return fields["name"] if kind == "gpu-price" else fields["slug"]


def _one_line_ending(fields):
    r"""The fields with texts' line endings as "\n": a browser sends "\r\n", and an older version may hold it."""
    return {name: models.unix_line_breaks(value) if isinstance(value, str) else value for name, value in fields.items()}


class _Rows:
    """One version's records, indexed: entries by kind and identity, names of related rows by primary key.

    Texts are compared by what they say: a text that differs only in its line endings is unchanged.
    """

    def __init__(self, records):
        self.entries = {kind: {} for kind in MODEL_CLASSES}
        self.scores, self.sources = {}, {}
        names = {label: {} for label in KINDS}
        slugs = {label: {} for label in KINDS}
        records = [{**row, "fields": _one_line_ending(row["fields"])} for row in records]
        for row in records:
            label, fields = row["model"], row["fields"]
            if label in KINDS:
                kind = KINDS[label]
                self.entries[kind][_identity(kind, fields)] = fields
                names[label][row["pk"]] = fields.get("name", "")
                slugs[label][row["pk"]] = fields.get("slug", "")
        self.names, self.slugs = names, slugs
        for row in records:
            fields = row["fields"]
            if row["model"] == "advisor.score":
                model_slug = slugs["advisor.aimodel"].get(fields["ai_model"])
                criterion = fields["criterion"]
                key = (model_slug, slugs["advisor.criterion"].get(criterion))
                self.scores[key] = {**fields, "criterion_name": names["advisor.criterion"].get(criterion, "")}
            elif row["model"] == "advisor.source":
                if fields["ai_model"] is not None:
                    owner = ("model", slugs["advisor.aimodel"].get(fields["ai_model"]))
                else:
                    owner = ("licence", slugs["advisor.licence"].get(fields["licence"]))
                key = (*owner, fields["url"], fields["title"], fields["as_of"], fields["confidence"])
                self.sources[key] = fields

    def related_name(self, kind, field_name, value):
        """A foreign key's value as the name of the row it points to (a provider's, a licence's)."""
        label = {"provider": "advisor.provider", "licence": "advisor.licence"}.get(field_name)
        if label is None or value is None:
            return value
        return self.names[label].get(value, value)


def _field_changes(kind, before, after, old_rows, new_rows):
    changed = []
    for model_field in MODEL_CLASSES[kind]._meta.concrete_fields:
        name = model_field.name
        if name in HIDDEN_FIELDS or name == "id" or name.endswith("_html") or name not in after:
            continue
        old = old_rows.related_name(kind, name, before.get(name))
        new = new_rows.related_name(kind, name, after.get(name))
        if old != new:
            changed.append([name, old, new])
    return changed


def diff(before_records, after_records):
    """What changed from one version's records to another's: a list of JSON-able entries.

    Each entry names its ``kind`` (model, licence, provider, criterion, preset, gpu-price),
    ``slug``, ``name`` and ``action`` (added, removed, changed), with the changed ``fields``
    as ``[name, before, after]``, a model's changed ``scores`` as ``[criterion, before, after,
    rationale reworded]`` and the ``sources_added`` and ``sources_removed`` of a model or licence.
    """
    old, new = _Rows(before_records), _Rows(after_records)
    entries = {}

    def entry(kind, key, fields, action):
        return entries.setdefault(
            (kind, key),
            {
                "kind": kind,
                "slug": key,
                "name": fields.get("name", key),
                "action": action,
                "fields": [],
                "scores": [],
                "sources_added": [],
                "sources_removed": [],
            },
        )

    for kind in MODEL_CLASSES:
        before_entries, after_entries = old.entries[kind], new.entries[kind]
        for key, fields in after_entries.items():
            if key not in before_entries:
                entry(kind, key, fields, "added")
            else:
                changed = _field_changes(kind, before_entries[key], fields, old, new)
                if changed:
                    entry(kind, key, fields, "changed")["fields"] = changed
        for key, fields in before_entries.items():
            if key not in after_entries:
                entry(kind, key, fields, "removed")
    kept_models = old.entries["model"].keys() & new.entries["model"].keys()
    for (model_slug, criterion_slug), score in sorted(new.scores.items()):
        earlier = old.scores.get((model_slug, criterion_slug))
        if model_slug not in kept_models or earlier is None:
            continue
        if any(earlier[name] != score[name] for name in ("value", "rationale", "is_override", "override_reason")):
            fields = new.entries["model"][model_slug]
            row = entry("model", model_slug, fields, "changed")
            row["scores"].append(
                [score["criterion_name"], earlier["value"], score["value"], earlier["rationale"] != score["rationale"]]
            )
    sides = ((new.sources, old.sources, "sources_added"), (old.sources, new.sources, "sources_removed"))
    for sources, other, side in sides:
        for key, fields in sorted(sources.items()):
            kind, slug = key[0], key[1]
            if key in other or slug not in old.entries[kind] or slug not in new.entries[kind]:
                continue  # unchanged, or its entry was added or removed as a whole
            row = entry(kind, slug, new.entries[kind][slug], "changed")
            row[side].append([fields["title"], fields["as_of"]])
    order = list(MODEL_CLASSES)
    return sorted(entries.values(), key=lambda item: (order.index(item["kind"]), item["name"], item["slug"]))


def latest_published():
    return models.CatalogueVersion.objects.filter(published_at__isnull=False).order_by("-pk").first()


def records_of(version):
    """The public rows ``version`` holds, or None (a version kept from before publishing existed)."""
    if version is None:
        return None
    return models.CatalogueVersionContent.objects.filter(pk=version.pk).values_list("records", flat=True).first()


class Preview(NamedTuple):
    """What publishing now would change."""

    latest: models.CatalogueVersion | None  # the latest published version
    summary: list  # its diff with the working catalogue, as summary entries
    first: bool  # publishing now starts the public record (as publish() records it: no summary)
    # No entry changed, but what the engine reads did (an upgrade of the app added to its snapshot):
    # publishing brings that to readers, as publish() allows.
    engine_data_changed: bool = False


def preview() -> Preview:
    previous = latest_published()
    previous_records = records_of(previous)
    if previous_records is None or not _has_entries(previous_records):
        return Preview(previous, [], first=True)
    summary = diff(previous_records, catalogue.catalogue_records())
    if summary:
        return Preview(previous, summary, first=False)
    fingerprint = catalogue.fingerprint_of(catalogue.catalogue_snapshot())
    return Preview(previous, [], first=False, engine_data_changed=fingerprint != previous.fingerprint)


def publish(*, user=None, note=""):
    """Publish the working catalogue as a new version and return it.

    Raises ``NothingToPublish`` when the working catalogue is the latest version already.
    The first version has no summary: it is where the record starts, not a change.
    """
    with transaction.atomic():
        # Publishers are serialised on the latest version's row (SQLite writes one at a time anyway).
        previous = (
            models.CatalogueVersion.objects.select_for_update()
            .filter(published_at__isnull=False)
            .order_by("-pk")
            .first()
        )
        snapshot = catalogue.catalogue_snapshot()
        records = catalogue.catalogue_records()
        fingerprint = catalogue.fingerprint_of(snapshot)
        summary = []
        previous_records = records_of(previous)
        if previous_records is not None:
            summary = diff(previous_records, records)
            if not summary and previous.fingerprint == fingerprint:
                raise NothingToPublish  # the same entries and facts (row ids may differ after a reload)
            if not _has_entries(previous_records):
                summary = []  # the first content of an empty catalogue is where its record starts, not a change
        version = models.CatalogueVersion.objects.create(
            fingerprint=fingerprint,
            summary=summary,
            note=note,
            published_at=timezone.now(),
            published_by=user.get_username() if user is not None else "",
        )
        models.CatalogueVersionContent.objects.create(version=version, snapshot=snapshot, records=records)
        return version


def _has_entries(records):
    return any(row["model"] in ("advisor.aimodel", "advisor.licence") for row in records)


def publish_first():
    """Publish the working catalogue if no version was ever published; return the version or None.

    ``migrate`` runs this after every migration (a no-op once a version exists): a new database
    starts with its (empty) catalogue published, and one upgraded from before publishing existed
    keeps showing what it showed.
    """
    if latest_published() is None:
        return publish()
    return None


def empty_versions():
    """Versions of an empty catalogue that no result refers to (what ``migrate`` publishes on a new database)."""
    unused = models.CatalogueVersionContent.objects.filter(version__recommendations__isnull=True)
    return [pk for pk, records in unused.values_list("pk", "records") if not _has_entries(records or [])]


def unpublished_edits():
    """How many recorded edits to catalogue content came after the latest published version."""
    from advisor.history import BASELINE_REASON, TRACKED

    previous = latest_published()
    count = 0
    for name in TRACKED:
        records = getattr(models, name).history.exclude(history_change_reason=BASELINE_REASON)
        if previous is not None:
            records = records.filter(history_date__gt=previous.published_at)
        count += records.count()
    return count
