from django.db import migrations


def sync_groups(apps, schema_editor):
    """Editors lose the view of saved results; a separate, empty "Result viewers" group has it."""
    from django.contrib.auth.management import create_permissions

    from advisor import roles

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    roles.groups_sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("advisor", "0004_presets_answer_only_what_the_audience_implies")]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
