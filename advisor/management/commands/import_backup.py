from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from advisor import catalogue
from advisor.management.backup import FORMATS, backed_up_models, has_backup_name


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

        occupied = [
            f"{model._base_manager.count()} {model._meta.verbose_name_plural}"
            for model in backed_up_models()
            if model._base_manager.exists()
        ]
        if occupied:
            raise CommandError(
                f"The database is not empty (it holds {', '.join(occupied)}). import_backup only restores "
                "into an empty database, so nothing is overwritten or mixed: create a new database, run "
                "`manage.py migrate`, then import."
            )

        with transaction.atomic():
            call_command("loaddata", str(path), verbosity=0)
            catalogue.catalogue_refresh()
        counts = ", ".join(
            f"{model._base_manager.count()} {model._meta.verbose_name_plural}" for model in backed_up_models()
        )
        self.stdout.write(self.style.SUCCESS(f"Restored {counts} from {path}."))
