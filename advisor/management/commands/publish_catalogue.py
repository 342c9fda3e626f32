from django.core.management.base import BaseCommand, CommandError

from advisor import versions


class Command(BaseCommand):
    help = "Publish the working catalogue as a new version: what the public pages and the engine read."

    def add_arguments(self, parser):
        parser.add_argument("--note", default="", help="A note for readers of /changes/ (optional).")

    def handle(self, *args, note, **options):
        try:
            version = versions.publish(note=note)
        except versions.NothingToPublish as error:
            raise CommandError("Nothing to publish: the working catalogue is the latest version.") from error
        self.stdout.write(
            self.style.SUCCESS(f"Published catalogue version {version.pk} ({len(version.summary)} entries changed).")
        )
