from django.db import migrations
from django.utils import timezone

from advisor.history import baseline_all


def baseline(apps, schema_editor):
    baseline_all(lambda name: apps.get_model("advisor", name), when=timezone.now())


class Migration(migrations.Migration):
    """Give every catalogue row loaded without history (fixtures, backups) a baseline record."""

    dependencies = [("advisor", "0011_decision_rooms")]

    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]
