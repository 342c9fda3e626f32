"""What changed in the published catalogue, in words a reader follows: "Gemini 2.5 Pro: Lifecycle Deprecated → Retired".

Each published version carries a summary of what changed since the version before
(``advisor.versions.diff``): plain field names and values. This module words them in the
reader's language for the `/changes/` page and its Atom feed, each entry's own history, a
result's "what changed since" and the editors' preview before publishing. Editors' names are
never shown. Every listing reads the versions' summaries in one query.
"""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.dateparse import parse_date
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advisor import browse, catalogue, models, vocab
from advisor.versions import MODEL_CLASSES

EMPTY = catalogue.fingerprint_of(catalogue.EMPTY_SNAPSHOT)

# Text longer than this is said to be "reworded" rather than quoted before and after.
QUOTED_UP_TO = 80

KINDS = {
    "model": gettext_lazy("Model"),
    "licence": gettext_lazy("Licence"),
    "provider": gettext_lazy("Provider"),
    "criterion": gettext_lazy("Criterion"),
    "preset": gettext_lazy("Audience preset"),
    "gpu-price": gettext_lazy("GPU price"),
}
# Entries with a public page (and a history page of their own).
PAGES = {"model": "advisor:model-detail", "licence": "advisor:licence-detail"}
HISTORIES = {"model": "advisor:model-history", "licence": "advisor:licence-history"}


@dataclass(slots=True)
class Change:
    """What one published version changed in one entry, as readable lines."""

    kind: str  # a key of KINDS
    slug: str
    name: str
    action: str  # "added", "changed", "removed"
    version: int | None  # None: not published yet (the editors' preview)
    date: datetime.datetime | None
    lines: list = field(default_factory=list)

    @property
    def anchor(self):
        return f"v{self.version}-{self.kind}-{self.slug}"

    @property
    def url(self):
        """The entry's page; for an entry removed since, its history (the page is gone)."""
        if self.kind not in PAGES:
            return ""
        if self.action == "removed":
            return self.history_url
        return reverse(PAGES[self.kind], kwargs={"slug": self.slug})

    @property
    def history_url(self):
        """This change on its entry's history page (the /changes/ page for entries without one)."""
        if self.kind not in HISTORIES:
            return reverse("advisor:changes") + f"#version-{self.version}"
        return reverse(HISTORIES[self.kind], kwargs={"slug": self.slug}) + f"#{self.anchor}"

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def title(self):
        """A one-line summary, e.g. "Gemini 2.5 Pro: Lifecycle: Deprecated → Retired"."""
        if self.action == "added":
            return _("%(name)s added to the catalogue") % {"name": self.name}
        if self.action == "removed":
            return _("%(name)s removed from the catalogue") % {"name": self.name}
        summary = "; ".join(self.lines[:2]) + ("; …" if len(self.lines) > 2 else "")
        return f"{self.name}: {summary}"


def _display(model_field, value):
    if value is None or value == "" or value == []:
        return _("none")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(model_field, models.models.DateField) and isinstance(value, str) and parse_date(value):
        return formats.date_format(parse_date(value), "DATE_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(_item_text(item) for item in value)
    return str(value)


def _item_text(item):
    if isinstance(item, dict):
        return ", ".join(f"{key} {value}" for key, value in item.items() if value not in (None, ""))
    return str(item)


def _threshold_text(item):
    (row,) = browse.threshold_rows(SimpleNamespace(thresholds=[item]))
    return _("%(what)s (%(effect)s)") % {"what": row["what"], "effect": row["effect_short"]}


def _use_restriction_text(item):
    (row,) = browse.use_restriction_rows(SimpleNamespace(use_restrictions=[item]))
    return _("%(use)s (%(rule)s)") % {"use": browse.use_name(row), "rule": row["rule"]}


def _label_of(choices):
    labels = dict(choices.choices)
    return lambda item: str(labels.get(item, item))


# List fields whose items are said as the public pages say them ("More than 700 million monthly
# active users: separate licence needed", "European Union"); other lists name their items' keys and values.
ITEM_TEXT = {
    "thresholds": _threshold_text,
    "use_restrictions": _use_restriction_text,
    "excluded_jurisdictions": _label_of(vocab.Jurisdiction),
    "modalities": _label_of(vocab.Modality),
    "fine_tuning": _label_of(vocab.FineTuning),
    "deployment": _label_of(vocab.Deployment),
}


def _label(model_field):
    label = str(model_field.verbose_name)
    return label[:1].upper() + label[1:]


# List fields where None means "not verified" and [] "verified: none" (Licence.thresholds, .use_restrictions).
UNVERIFIED_WHEN_NONE = frozenset({"thresholds", "use_restrictions"})


def value_text(model_class, field_name, value, *, up_to=300):
    """A field's value as readers read it (choices by label, gates as sentences), shortened to ``up_to``."""
    model_field = model_class._meta.get_field(field_name)
    if value is None and field_name in UNVERIFIED_WHEN_NONE:
        return _("not verified")
    if isinstance(value, list) and value:
        text = "; ".join(ITEM_TEXT.get(field_name, _item_text)(item) for item in value)
    else:
        text = _display(model_field, value)
    return Truncator(text).chars(up_to)


def _line(model_class, field_name, old, new):
    model_field = model_class._meta.get_field(field_name)
    label = _label(model_field)
    if (old is None or new is None) and field_name in UNVERIFIED_WHEN_NONE:
        return f"{label}: {value_text(model_class, field_name, old)} → {value_text(model_class, field_name, new)}"
    if isinstance(old, list) or isinstance(new, list):
        text = ITEM_TEXT.get(field_name, _item_text)
        added = [text(item) for item in new or [] if item not in (old or [])]
        removed = [text(item) for item in old or [] if item not in (new or [])]
        if added and sorted(added) == sorted(removed):  # only what the text leaves out (a note, a source)
            return _("%(field)s reworded") % {"field": label}
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
    return f"{label}: {_display(model_field, old)} → {_display(model_field, new)}"


def lines(entry):
    """An entry of a version's summary as readable lines."""
    model_class = MODEL_CLASSES[entry["kind"]]
    found = [_line(model_class, name, old, new) for name, old, new in entry["fields"]]
    for criterion, old, new, reworded in entry["scores"]:
        if old != new:
            found.append(_("%(criterion)s score: %(old)s → %(new)s") % {"criterion": criterion, "old": old, "new": new})
        elif reworded:
            found.append(_("%(criterion)s score: rationale reworded") % {"criterion": criterion})
    for title, as_of in entry["sources_added"]:
        found.append(_("Source added: %(title)s (as of %(as_of)s)") % {"title": title, "as_of": as_of})
    for title, _as_of in entry["sources_removed"]:
        found.append(_("Source removed: %(title)s") % {"title": title})
    return found


def from_summary(summary, *, version=None, date=None):
    return [
        Change(
            kind=entry["kind"],
            slug=entry["slug"],
            name=entry["name"],
            action=entry["action"],
            version=version,
            date=date,
            lines=lines(entry) if entry["action"] == "changed" else [],
        )
        for entry in summary
    ]


@dataclass(slots=True)
class Version:
    """A published version as /changes/ lists it."""

    number: int
    date: datetime.datetime
    note: str
    changes: list


def _published(condition=None):
    """Published versions, newest first; an empty catalogue (what ``migrate`` publishes first) is no news."""
    queryset = models.CatalogueVersion.objects.filter(published_at__isnull=False).exclude(fingerprint=EMPTY, summary=[])
    if condition is not None:
        queryset = queryset.filter(condition)
    return queryset.order_by("-pk").values_list("pk", "published_at", "note", "summary")


def versions(limit=None):
    """The published versions, newest first, each with its changes (one query)."""
    rows = _published()
    return [
        Version(number=number, date=date, note=note, changes=from_summary(summary, version=number, date=date))
        for number, date, note, summary in (rows[:limit] if limit else rows)
    ]


def recent(limit=50, *, kinds=None, slugs=None, after_version=None, names=None):
    """The latest published changes, newest first (at most ``limit``; None: all).

    ``kinds`` and ``slugs`` narrow it to some entries (a set of kinds, a set of ``(kind, slug)``);
    ``after_version`` to versions published after it. ``names`` ({slug: name}) names entries as
    the reader knows them (a result says what changed since under the names it shows).
    """
    condition = Q(pk__gt=after_version) if after_version is not None else None
    found = []
    for number, date, _note, summary in _published(condition).iterator():
        entries = [
            entry
            for entry in summary
            if (kinds is None or entry["kind"] in kinds) and (slugs is None or (entry["kind"], entry["slug"]) in slugs)
        ]
        found += from_summary(entries, version=number, date=date)
        if limit and len(found) >= limit:
            break
    for change in found:
        change.name = (names or {}).get(change.slug, change.name)
    return found[:limit] if limit else found
