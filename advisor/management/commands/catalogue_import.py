from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from advisor import history, models, reference, scoring, services, versions, vocab

TOOLS = Path(settings.BASE_DIR) / "tools"


class Command(BaseCommand):
    help = (
        "Import licences and models from a folder in the reference format (schema 2): licenses.yaml, "
        "models.yaml and the editorial file (capability scores and what else the reference has no place for). "
        "Every problem is reported with its file, entry id and field; if there is any, nothing is changed. "
        "Entries are matched by id: new ones are added, existing ones updated, none deleted. An entry's sources "
        "are matched by URL and as-of date: those the database lacks are added, and the ones editors recorded "
        "are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A folder holding licenses.yaml and models.yaml")
        parser.add_argument(
            "--editorial",
            type=Path,
            help=(
                f"The editorial file; by default {reference.EDITORIAL_FILE} in the folder, "
                f"or else tools/{reference.EDITORIAL_FILE} (the repository's own ratings)"
            ),
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the imported catalogue as a new version (by default only a first import is published).",
        )

    def handle(self, *args, folder, editorial, publish, **options):
        if editorial is None:
            editorial = folder / reference.EDITORIAL_FILE
            if not editorial.is_file():
                editorial = TOOLS / reference.EDITORIAL_FILE
        paths = [folder / reference.LICENCES_FILE, folder / reference.MODELS_FILE, editorial]
        documents = [_load(path) for path in paths]
        found = reference.read(*documents, computed=scoring.COMPUTED)
        problems = list(found.problems)
        if not problems:
            with transaction.atomic():
                first_load = not models.AIModel.objects.exists() and not models.Licence.objects.exists()
                counts = _write(found, problems)
                if problems:
                    transaction.set_rollback(True)
                elif first_load:
                    # Loading an empty catalogue is its starting point, not a change to list on /changes/.
                    for name in history.TRACKED:
                        apps.get_model("advisor", f"Historical{name}").objects.update(
                            history_change_reason=history.BASELINE_REASON
                        )
        if problems:
            raise CommandError(
                "\n".join([f"{len(problems)} problem(s) found; nothing was imported.", *(f"  {p}" for p in problems)])
            )
        try:
            published = versions.publish(note="") if publish or first_load else None
        except versions.NothingToPublish:
            published = None
        for owner, source, stated in counts["kept"]:
            self.stdout.write(
                f"{owner}: kept the recorded source {source.url} as of {source.as_of} "
                f"({source.title!r}, {source.confidence}); the file says {stated['title']!r}, {stated['confidence']}."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {counts['licences']} licences and {counts['models']} models from {folder} "
                f"({counts['created']} new, the others updated), with the editorial file {editorial}."
                + (" Created the criteria from tools/criteria.yaml." if counts["criteria"] else "")
            )
        )
        if published:
            self.stdout.write(f"Published as catalogue version {published.pk}.")
        else:
            self.stdout.write("Not published yet: review the changes and publish them (admin, or publish_catalogue).")


def _load(path):
    if not path.is_file():
        raise CommandError(f"There is no {path.name} at {path}. Nothing was imported.")
    try:
        return reference.parse(path.read_text())
    except yaml.YAMLError as error:
        raise CommandError(f"{path} is not valid YAML: {error}. Nothing was imported.") from error


def _saved(instance, problems, file, entry, exclude=()):
    """Validate and save a row; each ValidationError becomes a problem naming the entry and the field."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.extend(reference.Problem(file, entry, field, str(message)) for message in messages)
        return False
    instance.save()
    return True


def _criteria_create():
    """The fixed criteria, as the fixture builder makes them, when the database has none yet."""
    entries = yaml.safe_load((TOOLS / "criteria.yaml").read_text())["criteria"]
    for position, entry in enumerate(entries, start=1):
        models.Criterion.objects.create(
            slug=entry["slug"],
            name=entry["name"],
            position=position,
            summary=entry["summary"],
            open_view=entry["open_view"].strip(),
            closed_view=entry["closed_view"].strip(),
            scoring_rule=scoring.RULES[entry["slug"]],
            from_article=bool(entry["from_article"]),
        )
    return len(entries)


def _write(found, problems):
    counts = {"licences": 0, "models": 0, "created": 0, "criteria": 0, "kept": []}
    if not models.Criterion.objects.exists():
        counts["criteria"] = _criteria_create()
    criteria = {criterion.slug: criterion for criterion in models.Criterion.objects.all()}

    providers = {}
    for name, extra in found.providers.items():
        provider = models.Provider.objects.filter(name=name).first()
        provider = provider or models.Provider(name=name, slug=reference.provider_slug(name))
        provider.country, provider.website = extra["country"], extra["website"]
        if _saved(provider, problems, reference.MODELS_FILE, name):
            providers[name] = provider

    licences = {}
    for entry in found.licences:
        fields = entry["fields"]
        licence = models.Licence.objects.filter(slug=fields["slug"]).first() or models.Licence()
        counts["created"] += licence.pk is None
        for name, value in {**fields, "last_reviewed": _last_reviewed(licence, fields)}.items():
            setattr(licence, name, value)
        if _saved(licence, problems, reference.LICENCES_FILE, fields["slug"]):
            licences[fields["slug"]] = licence
            _sources_add(licence, "licence", entry["sources"], problems, reference.LICENCES_FILE, counts["kept"])
            counts["licences"] += 1

    for entry in found.models:
        fields, slug = entry["fields"], entry["fields"]["slug"]
        if entry["provider"] not in providers or entry["licence"] not in licences:
            continue  # already reported
        ai_model = models.AIModel.objects.filter(slug=slug).first() or models.AIModel()
        counts["created"] += ai_model.pk is None
        for name, value in {**fields, "last_reviewed": _last_reviewed(ai_model, fields)}.items():
            setattr(ai_model, name, value)
        ai_model.provider, ai_model.licence = providers[entry["provider"]], licences[entry["licence"]]
        # Published needs a rated capability, which needs the row: a new (or unrated) model is saved
        # as a draft first. One already rated keeps its status, so the history records one change.
        if ai_model.pk is None or ai_model.unrated_editorial_criteria():
            ai_model.status = vocab.EditorialStatus.DRAFT
        if not _saved(ai_model, problems, reference.MODELS_FILE, slug):
            continue
        _sources_add(ai_model, "ai_model", entry["sources"], problems, reference.MODELS_FILE, counts["kept"])
        _scores_write(ai_model, criteria, found, problems)
        if fields["status"] != ai_model.status:
            ai_model.status = fields["status"]
            _saved(ai_model, problems, reference.MODELS_FILE, slug)
        counts["models"] += 1
    return counts


def _last_reviewed(entry, fields):
    """The file's review date, unless the row was reviewed later (an editor marked it verified since)."""
    stated = fields["last_reviewed"]
    if entry.last_reviewed and (stated is None or entry.last_reviewed.isoformat() > stated):
        return entry.last_reviewed
    return stated


def _sources_add(owner, owner_field, sources, problems, file, kept):
    """Add the file's sources that the entry lacks, matched by URL and as-of date; never drop or edit one.

    Editors record sources the file may not know about (Mark as verified), and those stay. A recorded source
    whose title or confidence differs from the file's is kept as it is and listed in ``kept``.
    """
    recorded = {}
    for source in models.Source.objects.filter(**{owner_field: owner}).order_by("pk"):
        recorded.setdefault((source.url, source.as_of), []).append(source)
    for stated in sources:
        same = recorded.get((stated["url"], stated["as_of"]))
        if not same:
            _saved(models.Source(**{owner_field: owner}, **stated), problems, file, owner.slug)
        elif all((source.title, source.confidence) != (stated["title"], stated["confidence"]) for source in same):
            kept.append((owner.slug, same[0], stated))


def _scores_write(ai_model, criteria, found, problems):
    """The editorial rating and the overrides from the file; then the computed scores from the facts."""
    stated = dict(found.overrides.get(ai_model.slug, {}))
    if ai_model.slug in found.capability:
        stated["capability"] = (*found.capability[ai_model.slug], "")
    existing = {score.criterion_id: score for score in ai_model.scores.all()}
    for slug, criterion in criteria.items():
        score = existing.get(criterion.pk)
        if slug in stated:
            value, rationale, reason = stated[slug]
            score = score or models.Score(ai_model=ai_model, criterion=criterion)
            score.value, score.rationale = value, rationale
            score.is_override, score.override_reason = bool(reason), reason
            _saved(score, problems, reference.EDITORIAL_FILE, ai_model.slug)
        elif score is not None and score.is_override:
            # The file names no override for it any more: the rule sets it again.
            score.is_override, score.override_reason = False, ""
            score.save()
    services.scores_recompute(ai_model=ai_model)
