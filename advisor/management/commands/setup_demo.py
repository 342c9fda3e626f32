import secrets
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from advisor import models, versions
from advisor.history import baseline_all


class Command(BaseCommand):
    help = "Load the demo catalogue into an empty database and make sure an editor account exists."

    def add_arguments(self, parser):
        parser.add_argument("--editor", default="editor", help="Username of the editor account to create.")
        parser.add_argument("--site", default="http://127.0.0.1:8000", help="Where the site will be served.")

    def handle(self, *args, editor, site, **options):
        if models.AIModel.objects.exists():
            self.stdout.write("Catalogue already has content; leaving it as editors left it.")
        else:
            fixtures = sorted(Path(settings.FIXTURE_DIRS[0]).glob("*.json"))
            call_command("loaddata", *[f.name for f in fixtures], verbosity=0)
            baseline_all(lambda name: apps.get_model("advisor", name), when=timezone.now())
            versions.publish(note="")
            self.stdout.write(f"Loaded and published the demo catalogue: {models.AIModel.objects.count()} models.")

        group = Group.objects.get(name="Editors")
        User = get_user_model()
        if group.user_set.exists() or User.objects.filter(username=editor).exists():
            self.stdout.write(
                f"Editors sign in at {site}/admin/. Forgot the password? Run: "
                f".venv/bin/python manage.py changepassword {editor}"
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=editor, password=password, is_staff=True)
        user.groups.add(group)
        self.stdout.write(self.style.SUCCESS("Created an editor account (shown once, write it down):"))
        self.stdout.write(f"    sign in at {site}/admin/ as {editor!r} with password {password!r}")
