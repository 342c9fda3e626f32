"""What changed in the public catalogue, in words a reader follows: "Gemini 2.5 Pro: lifecycle Deprecated → Retired".

Every change to catalogue content is recorded by django-simple-history (who, when, every field
before and after). This module turns the records of models and licences into readable changes
for the public: the `/changes/` page and its Atom feed, each entry's own history page, and a
result's "what changed since". Editors' names are never shown, nor changes to models that were
not public before or after the change (drafts). Each listing costs a fixed number of queries:
the records of a page, then their predecessors in one query per kind.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advisor import models, vocab
from advisor.history import BASELINE_REASON

# Fields a reader does not need to see change (bookkeeping, or shown elsewhere).
HIDDEN_FIELDS = {"id", "created_at", "updated_at", "status", "release_date_precision", "slug", "last_reviewed"}
# Text longer than this is said to be "reworded" rather than quoted before and after.
QUOTED_UP_TO = 80

KINDS = {
    "model": gettext_lazy("Model"),
    "licence": gettext_lazy("Licence"),
}


@dataclass(slots=True)
class Change:
    """One recorded change to one entry, as readable lines."""

    kind: str  # "model" or "licence"
    slug: str
    name: str
    date: datetime.datetime
    action: str  # "added", "changed", "removed", "published", "withdrawn"
    lines: list = field(default_factory=list)
    history_id: int = 0

    @property
    def url(self):
        """The entry's page; for an entry removed since, its history (the page is gone)."""
        if self.action in ("removed", "withdrawn"):
            return self.history_url
        name = "advisor:model-detail" if self.kind == "model" else "advisor:licence-detail"
        return reverse(name, kwargs={"slug": self.slug})

    @property
    def history_url(self):
        """This change on its entry's history page."""
        name = "advisor:model-history" if self.kind == "model" else "advisor:licence-history"
        return reverse(name, kwargs={"slug": self.slug}) + f"#history-{self.history_id}"

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def title(self):
        """A one-line summary, e.g. "Gemini 2.5 Pro: lifecycle Deprecated → Retired"."""
        if self.action == "added":
            return _("%(name)s added to the catalogue") % {"name": self.name}
        if self.action == "published":
            return _("%(name)s published") % {"name": self.name}
        if self.action == "removed":
            return _("%(name)s removed from the catalogue") % {"name": self.name}
        if self.action == "withdrawn":
            return _("%(name)s withdrawn from the catalogue") % {"name": self.name}
        summary = "; ".join(self.lines[:2]) + ("; …" if len(self.lines) > 2 else "")
        return f"{self.name}: {summary}"


def _display(model_field, value):
    if value is None or value == "" or value == []:
        return _("none")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(_item_text(item) for item in value)
    return str(value)


def _item_text(item):
    if isinstance(item, dict):
        return ", ".join(f"{key} {value}" for key, value in item.items() if value not in (None, ""))
    return str(item)


def _line(model_class, field_name, old, new):
    model_field = model_class._meta.get_field(field_name)
    label = str(model_field.verbose_name)
    label = label[:1].upper() + label[1:]
    if isinstance(old, list) or isinstance(new, list):
        old_items = [_item_text(item) for item in old or []]
        new_items = [_item_text(item) for item in new or []]
        added = [item for item in new_items if item not in old_items]
        removed = [item for item in old_items if item not in new_items]
        parts = []
        if added:
            parts.append(_("added %(items)s") % {"items": "; ".join(added)})
        if removed:
            parts.append(_("removed %(items)s") % {"items": "; ".join(removed)})
        if not parts:
            parts.append(_("reordered"))
        return f"{label}: {', '.join(parts)}"
    if isinstance(new, str) and isinstance(old, str) and max(len(old), len(new)) > QUOTED_UP_TO:
        return _("%(field)s reworded") % {"field": label}
    if field_name in ("provider", "licence"):
        return _("%(field)s changed") % {"field": label}
    return f"{label}: {_display(model_field, old)} → {_display(model_field, new)}"


def _changed_fields(model_class, before, after):
    lines = []
    for model_field in model_class._meta.concrete_fields:
        if model_field.name in HIDDEN_FIELDS:
            continue
        # attname: a foreign key compares by its id, without loading the row.
        old, new = getattr(before, model_field.attname, None), getattr(after, model_field.attname, None)
        if old != new:
            lines.append(_line(model_class, model_field.name, old, new))
    return lines


def _is_baseline(record):
    return record.history_change_reason == BASELINE_REASON


def _is_public(record):
    return getattr(record, "status", vocab.EditorialStatus.PUBLISHED) == vocab.EditorialStatus.PUBLISHED


def _changes(kind, model_class, records):
    """Readable changes for historical ``records`` (newest first), their predecessors fetched in one query."""
    if not records:
        return []
    history = model_class.history.model
    ids = {record.id for record in records}
    latest = max(record.history_date for record in records)
    previous_rows = history.objects.filter(id__in=ids, history_date__lte=latest).order_by("id", "history_date")
    by_object = {}
    for row in previous_rows:
        by_object.setdefault(row.id, []).append(row)
    changes = []
    for record in records:
        rows = by_object.get(record.id, [])
        earlier = [row for row in rows if (row.history_date, row.history_id) < (record.history_date, record.history_id)]
        before = earlier[-1] if earlier else None
        public_now, public_before = _is_public(record), before is not None and _is_public(before)
        if _is_baseline(record):
            continue  # the state an entry was loaded in, not a change
        if record.history_type == "+":
            if not public_now:
                continue
            action, lines = "added", []
        elif record.history_type == "-":
            if not public_before and not public_now:
                continue
            action, lines = "removed", []
        elif before is None:
            if not public_now:
                continue
            # An entry loaded without history (see advisor.history): nothing to compare with.
            action, lines = "changed", [_("Details of this change were not recorded.")]
        elif public_now and not public_before:
            action, lines = "published", []
        elif public_before and not public_now:
            action, lines = "withdrawn", []
        elif public_now:
            action, lines = "changed", _changed_fields(model_class, before, record)
            if not lines:
                continue
        else:
            continue
        changes.append(
            Change(
                kind=kind,
                slug=record.slug,
                name=record.name,
                date=record.history_date,
                action=action,
                lines=lines,
                history_id=record.history_id,
            )
        )
    return changes


def _records(model_class, condition, limit=None):
    queryset = model_class.history.filter(condition).order_by("-history_date", "-history_id")
    return list(queryset[:limit] if limit else queryset)


def recent(limit=50, *, model_slugs=None, licence_slugs=None, since=None, names=None):
    """The latest public changes to models and licences, newest first (at most ``limit``).

    ``model_slugs`` / ``licence_slugs`` narrow it to some entries (an empty list: none of that
    kind); ``since`` to changes after a moment. ``names`` ({slug: name}) names entries as the
    reader knows them (a result says what changed since under the names it shows).
    """
    condition = Q(history_date__gt=since) if since else Q()
    changes = []
    for kind, model_class, slugs in (
        ("model", models.AIModel, model_slugs),
        ("licence", models.Licence, licence_slugs),
    ):
        if slugs is not None and not slugs:
            continue
        narrowed = condition & Q(slug__in=slugs) if slugs is not None else condition
        # A few more records than shown: some are skipped (drafts, changes to hidden fields).
        records = _records(model_class, narrowed, limit=limit * 2 if limit else None)
        changes += _changes(kind, model_class, records)
    for change in changes:
        change.name = (names or {}).get(change.slug, change.name)
    changes.sort(key=lambda change: (change.date, change.history_id), reverse=True)
    return changes[:limit] if limit else changes
