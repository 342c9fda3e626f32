import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from advisor import models

BATCH = 500


class Command(BaseCommand):
    help = (
        "Delete saved results whose permalink has not been opened for ADVISOR_RESULT_RETENTION_DAYS days "
        "(or --days), counting from when each was saved or last opened. Run it daily; it does nothing "
        "when no retention is set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Overrides ADVISOR_RESULT_RETENTION_DAYS.")
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = days if days is not None else settings.ADVISOR_RESULT_RETENTION_DAYS
        if days is None:
            self.stdout.write("No retention is set (ADVISOR_RESULT_RETENTION_DAYS is empty): every result is kept.")
            return
        if days < 1:
            raise CommandError("--days must be at least 1.")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        # A team's decision record is kept with its room, like any record a team files.
        stale = models.Recommendation.objects.filter(created_at__lt=cutoff, room__isnull=True).filter(
            Q(last_opened__isnull=True) | Q(last_opened__lt=cutoff.date())
        )
        if dry_run:
            self.stdout.write(f"{stale.count()} results would be deleted (not opened for {days} days).")
            return
        deleted = 0
        while True:
            # In batches, so a large purge never holds the write lock or the memory for long.
            batch = list(stale.order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not batch:
                break
            with transaction.atomic():
                deleted += models.Recommendation.objects.filter(pk__in=batch).delete()[0]
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} results not opened for {days} days."))
