"""Who may do what in the admin: the groups and their permissions, in one place.

Editors add, change, delete and view catalogue content, publish it as a new version, and nothing else: not saved
results (a team's answers and permalink codes), not users or groups. Result viewers may
view saved results; the group starts empty, for an operator who needs it.
The data migrations (``migrate_groups``) and the tests both apply these lists through ``groups_sync()``.
"""

EDITORS = "Editors"
RESULT_VIEWERS = "Result viewers"
CATALOGUE_MODELS = (
    "provider",
    "licence",
    "aimodel",
    "criterion",
    "score",
    "source",
    "audiencepreset",
    "gpuprice",
    "inaccuracyreport",
)
PERMISSIONS = {
    EDITORS: (
        *(f"{action}_{model}" for model in CATALOGUE_MODELS for action in ("add", "change", "delete", "view")),
        "publish_catalogue",
        "view_catalogueversion",
    ),
    RESULT_VIEWERS: ("view_recommendation",),
}


def groups_sync(group_model, permission_model):
    """Create the groups if needed and give each exactly its permissions (models from ``apps`` or the real ones)."""
    groups = {}
    for name, codenames in PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.set(
            permission_model.objects.filter(content_type__app_label="advisor", codename__in=codenames)
        )
        groups[name] = group
    return groups


def migrate_groups(apps, schema_editor):
    """The data migrations' step: make sure the permissions exist, then apply ``PERMISSIONS``."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    groups_sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
