from django.db import migrations

CATALOGUE_MODELS = ["provider", "licence", "aimodel", "criterion", "score", "source", "audiencepreset"]


def create_editors_group(apps, schema_editor):
    """Editors may add, change, delete and view catalogue content, and nothing else."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    codenames = [f"{action}_{model}" for model in CATALOGUE_MODELS for action in ("add", "change", "delete", "view")]
    codenames.append("view_recommendation")
    permissions = Permission.objects.filter(content_type__app_label="advisor", codename__in=codenames)
    group.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("advisor", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, migrations.RunPython.noop)]
