import itertools
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError

from advisor.management.backup import (
    FORMATS,
    ExactJSONEncoder,
    backed_up_models,
    has_backup_name,
    open_backup,
    serializer_format,
)


class Command(BaseCommand):
    help = (
        "Export the catalogue, the audience presets and every saved recommendation to a JSON Lines file, "
        "one row per line (compressed when the name ends in .jsonl.gz, .jsonl.bz2 or .jsonl.xz; a .json name "
        "writes one JSON array instead). Written a row at a time, readable by its owner only. Restore it with "
        "import_backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup, e.g. backup-2026-01-31.jsonl.gz")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not has_backup_name(path):
            raise CommandError(f"The backup file name must end in one of {', '.join(FORMATS)}.")
        if path.exists():
            raise CommandError(f"{path} already exists; choose a new name rather than overwrite a backup.")
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")

        # Referenced rows first, in primary-key order; drafts and archived rows too
        # (the base manager), not only what is published.
        ordered = serializers.sort_dependencies(
            [(apps.get_app_config("advisor"), backed_up_models())], allow_cycles=True
        )
        rows = itertools.chain.from_iterable(model._base_manager.order_by("pk").iterator() for model in ordered)
        partial = path.with_name(f".{path.name}.partial")
        try:
            with open_backup(partial, "w", name=path) as stream:
                fmt = serializer_format(path)
                indent = 1 if fmt == "json" else None
                serializers.serialize(fmt, rows, stream=stream, cls=ExactJSONEncoder, indent=indent)
            partial.rename(path)  # a backup file is complete or absent, never half-written
        finally:
            partial.unlink(missing_ok=True)

        counts = ", ".join(
            f"{model._base_manager.count()} {model._meta.verbose_name_plural}" for model in backed_up_models()
        )
        self.stdout.write(self.style.SUCCESS(f"Exported {counts} to {path}."))
