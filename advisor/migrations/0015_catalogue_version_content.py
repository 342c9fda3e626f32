"""A version's snapshot and records move to a table of their own (``CatalogueVersionContent``).

SQLite stores a row's columns in order: listing versions (their summary, note, date) read through
megabytes of snapshot and records stored before them. Reversible: the content goes back into the
version's row.
"""

import django.db.models.deletion
from django.db import migrations, models


def content_apart(apps, schema_editor):
    CatalogueVersion = apps.get_model("advisor", "CatalogueVersion")
    Content = apps.get_model("advisor", "CatalogueVersionContent")
    for pk in CatalogueVersion.objects.order_by("pk").values_list("pk", flat=True):
        snapshot, records = CatalogueVersion.objects.values_list("snapshot", "records").get(pk=pk)
        Content.objects.create(version_id=pk, snapshot=snapshot or {}, records=records)


def content_back(apps, schema_editor):
    CatalogueVersion = apps.get_model("advisor", "CatalogueVersion")
    Content = apps.get_model("advisor", "CatalogueVersionContent")
    for content in Content.objects.order_by("pk").iterator(chunk_size=1):
        CatalogueVersion.objects.filter(pk=content.pk).update(snapshot=content.snapshot, records=content.records)
    CatalogueVersion.objects.filter(snapshot__isnull=True).update(
        snapshot={"criteria": [], "models": [], "gpu_prices": []}
    )


class Migration(migrations.Migration):

    dependencies = [
        ("advisor", "0014_catalogue_publishing"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueVersionContent",
            fields=[
                (
                    "version",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="content",
                        serialize=False,
                        to="advisor.catalogueversion",
                        verbose_name="version",
                    ),
                ),
                ("snapshot", models.JSONField(verbose_name="snapshot")),
                ("records", models.JSONField(blank=True, null=True, verbose_name="records")),
            ],
            options={
                "verbose_name": "catalogue version content",
                "verbose_name_plural": "catalogue version contents",
            },
        ),
        # Nullable for the way back: the column is re-added empty, then filled from the content.
        migrations.AlterField(
            model_name="catalogueversion",
            name="snapshot",
            field=models.JSONField(null=True, verbose_name="snapshot"),
        ),
        migrations.RunPython(content_apart, content_back),
        migrations.RemoveField(
            model_name="catalogueversion",
            name="records",
        ),
        migrations.RemoveField(
            model_name="catalogueversion",
            name="snapshot",
        ),
    ]
