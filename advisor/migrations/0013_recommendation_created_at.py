from django.db import migrations


class Migration(migrations.Migration):
    """Name a recommendation's creation time ``created_at``, as every other model does (issue #10).

    The column is renamed in place: no row is copied or lost.
    """

    dependencies = [("advisor", "0012_history_baseline")]

    operations = [
        migrations.RenameField(model_name="recommendation", old_name="created", new_name="created_at"),
        migrations.AlterModelOptions(
            name="recommendation",
            options={
                "ordering": ["-created_at"],
                "verbose_name": "recommendation",
                "verbose_name_plural": "recommendations",
            },
        ),
    ]
