from django.db import migrations

from advisor import roles


class Migration(migrations.Migration):
    dependencies = [("advisor", "0004_presets_answer_only_what_the_audience_implies")]

    operations = [migrations.RunPython(roles.migrate_groups, migrations.RunPython.noop)]
