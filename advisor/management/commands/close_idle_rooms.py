from django.conf import settings
from django.core.management.base import BaseCommand

from advisor import services


class Command(BaseCommand):
    help = (
        "Close the decision rooms left open without activity for ADVISOR_ROOM_IDLE_DAYS days (90 unless set), "
        "keeping what was answered: each becomes a decision record like a room its lead closed. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Close rooms idle for this many days instead of the setting.")

    def handle(self, *args, days=None, **options):
        days = days if days is not None else settings.ADVISOR_ROOM_IDLE_DAYS
        if days < 1:
            self.stderr.write("--days must be at least 1.")
            return
        closed = services.rooms_close_idle(days=days)
        self.stdout.write(self.style.SUCCESS(f"Closed {closed} decision room(s) idle for {days} days or more."))
