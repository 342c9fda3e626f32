from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from advisor import models, versions
from advisor.history import baseline_all
from advisor.management.backup import (
    FORMATS,
    backed_up_models,
    backup_rows,
    has_backup_name,
    open_backup,
    serializer_format,
)


def _sequences_reset(restored):
    """Move PostgreSQL's id sequences past the restored rows, so new rows get fresh ids."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(restored))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# The tables of the empty catalogue ``migrate`` publishes on a new database (its versions' pks).
VERSION_TABLES = (models.CatalogueVersion, models.CatalogueVersionContent)


class Command(BaseCommand):
    help = (
        "Restore a file written by export_backup into an empty, migrated database "
        "(it refuses a database that already holds catalogue content or recommendations)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backup written by export_backup")

    def handle(self, *args, file, **options):
        path = Path(file).resolve()
        if not path.is_file():
            raise CommandError(f"There is no backup file at {path}.")
        if not has_backup_name(path):
            raise CommandError(f"The backup file name must end in one of {', '.join(FORMATS)}.")

        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not fully migrated. Run `manage.py migrate` first, then import.")

        # A new database holds the empty catalogue ``migrate`` published: that is empty enough.
        empty = versions.empty_versions()
        occupied = [
            f"{model._base_manager.count()} {model._meta.verbose_name_plural}"
            for model in backed_up_models()
            if model._base_manager.exclude(**({"pk__in": empty} if model in VERSION_TABLES else {})).exists()
        ]
        if occupied:
            raise CommandError(
                f"The database is not empty (it holds {', '.join(occupied)}). import_backup only restores "
                "into an empty database, so nothing is overwritten or mixed: create a new database, run "
                "`manage.py migrate`, then import."
            )

        allowed = {model._meta.label for model in backed_up_models()}
        try:
            with transaction.atomic(), open_backup(path, "r") as stream:
                models.CatalogueVersion.objects.filter(pk__in=empty).delete()
                restored = set()
                for row in serializers.deserialize("python", backup_rows(stream, serializer_format(path))):
                    label = row.object._meta.label
                    if label not in allowed:
                        # Never users, groups or permissions: a backup restores content, not who may change it.
                        raise CommandError(
                            f"The backup holds {label} rows; import_backup restores only the advisor's own "
                            "catalogue, presets and results. Nothing was imported."
                        )
                    if isinstance(row.object, models.Criterion):
                        row.object.render_html()  # the stored HTML is re-made from the Markdown, never trusted
                    row.save()
                    restored.add(type(row.object))
                _sequences_reset(restored)
                # A backup holds no history: the restored state is each entry's baseline.
                baseline_all(lambda name: apps.get_model("advisor", name), when=timezone.now())
                # A backup written before publishing existed holds no published version: publish what it held.
                versions.publish_first()
        except (DeserializationError, FieldDoesNotExist, ValueError, OSError, EOFError) as error:
            raise CommandError(
                f"{path} is not a backup this version can read ({error}). Nothing was imported."
            ) from error
        counts = ", ".join(
            f"{model._base_manager.count()} {model._meta.verbose_name_plural}" for model in backed_up_models()
        )
        self.stdout.write(self.style.SUCCESS(f"Restored {counts} from {path}."))
