"""The schema 2 data migration carries existing rows over to the structured fields."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("advisor", "0002_create_editors_group")]
AFTER = [("advisor", "0003_reference_schema_2")]

schema_2 = importlib.import_module("advisor.migrations.0003_reference_schema_2")


@pytest.mark.parametrize(
    ("old", "expected"),
    [
        ((None, None, "", False), []),
        (
            (700_000_000, None, "gate", False),
            [{"kind": "mau", "value": 700_000_000, "effect": "separate-licence", "note": schema_2.CONVERTED_NOTE}],
        ),
        (
            (None, 240_000_000, "duty", False),
            [
                {
                    "kind": "annual_revenue_usd",
                    "value": 240_000_000,
                    "effect": "display-duty",
                    "note": schema_2.CONVERTED_NOTE,
                }
            ],
        ),
        (
            (None, 20_000_000, "gate", True),
            [
                {
                    "kind": "maas_group_revenue_12m_usd",
                    "value": 20_000_000,
                    "effect": "separate-licence",
                    "note": schema_2.CONVERTED_NOTE,
                }
            ],
        ),
    ],
)
def test_old_threshold_fields_become_threshold_entries(old, expected):
    assert schema_2.thresholds_from(*old) == expected


def test_a_threshold_without_a_recorded_effect_says_so():
    (entry,) = schema_2.thresholds_from(100, None, "", False)
    assert (entry["effect"], entry["note"]) == ("other", schema_2.CONVERTED_NOTE + schema_2.UNKNOWN_EFFECT_NOTE)


def test_forbidden_uses_become_forbidden_restrictions():
    assert schema_2.use_restrictions_from(["military"]) == [
        {"use": "military", "rule": "forbidden", "clause": "", "source": ""}
    ]
    assert schema_2.use_restrictions_from([]) is None  # an empty list never meant "read and found none"


@pytest.fixture
def executor(transactional_db):
    executor = MigrationExecutor(connection)
    yield executor
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_migration_converts_existing_rows(executor):
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Provider, Licence, AIModel = (old.get_model("advisor", name) for name in ("Provider", "Licence", "AIModel"))
    kimi = Licence.objects.create(
        slug="kimi-k3-license",
        name="Kimi K3 License",
        category="open-weights-restricted",
        commercial_use="conditional",
        revenue_threshold_usd=20_000_000,
        threshold_effect="gate",
        threshold_hosted_service_only=True,
    )
    Licence.objects.create(
        slug="rail",
        name="RAIL",
        category="responsible-ai-restricted",
        commercial_use="yes",
        mau_threshold=100_000_000,
        threshold_effect="duty",
        forbidden_uses=["medical-advice", "law-enforcement"],
    )
    provider = Provider.objects.create(name="Moonshot AI", slug="moonshot-ai")
    AIModel.objects.create(
        name="Kimi K3",
        slug="kimi-k3",
        provider=provider,
        licence=kimi,
        access="open-weights",
        release_date=datetime.date(2026, 4, 1),
        notes="MoE.\n\nRelease date known to the month only (2026-04); stored as the first of the month.",
        lifecycle="available",
    )
    AIModel.objects.create(
        name="Old API",
        slug="old-api",
        provider=provider,
        licence=kimi,
        access="closed-api",
        release_date=datetime.date(2024, 5, 13),
        lifecycle="deprecated",
        shutdown_date=datetime.date(2027, 1, 14),
    )

    executor.loader.build_graph()
    executor.migrate(AFTER)

    new = executor.loader.project_state(AFTER).apps
    Licence, AIModel = new.get_model("advisor", "Licence"), new.get_model("advisor", "AIModel")
    kimi = Licence.objects.get(slug="kimi-k3-license")
    assert [(t["kind"], t["value"], t["effect"]) for t in kimi.thresholds] == [
        ("maas_group_revenue_12m_usd", 20_000_000, "separate-licence")
    ]
    assert kimi.use_restrictions is None
    rail = Licence.objects.get(slug="rail")
    assert [(t["kind"], t["effect"]) for t in rail.thresholds] == [("mau", "display-duty")]
    assert [(r["use"], r["rule"]) for r in rail.use_restrictions] == [
        ("medical-advice", "forbidden"),
        ("law-enforcement", "forbidden"),
    ]
    k3 = AIModel.objects.get(slug="kimi-k3")
    assert (k3.lifecycle, k3.release_date_precision, k3.notes) == ("active", "month", "MoE.")
    old_api = AIModel.objects.get(slug="old-api")
    assert (old_api.lifecycle, old_api.release_date_precision) == ("deprecated", "day")


RENAMED = ("advisor", "0013_recommendation_created_at")


def test_renaming_created_to_created_at_keeps_every_creation_time(executor):
    before = [("advisor", "0012_history_baseline")]
    executor.migrate(before)
    Recommendation = executor.loader.project_state(before).apps.get_model("advisor", "Recommendation")
    when = datetime.datetime(2026, 3, 4, 5, 6, 7, 891_011, tzinfo=datetime.UTC)
    code = Recommendation.objects.create(
        answers={}, result={}, catalogue_fingerprint="x", engine_version="1", created=when
    ).code

    executor.loader.build_graph()
    executor.migrate([RENAMED])

    Recommendation = executor.loader.project_state([RENAMED]).apps.get_model("advisor", "Recommendation")
    assert Recommendation.objects.get(code=code).created_at == when


CONTENT_APART = [("advisor", "0015_catalogue_version_content")]


def test_a_versions_content_moves_to_its_own_table_and_back(executor):
    before = [("advisor", "0014_catalogue_publishing")]
    executor.migrate(before)
    CatalogueVersion = executor.loader.project_state(before).apps.get_model("advisor", "CatalogueVersion")
    snapshot = {"criteria": [], "models": [{"slug": "m"}], "gpu_prices": []}
    records = [{"model": "advisor.aimodel", "pk": 1, "fields": {"slug": "m"}}]
    kept = CatalogueVersion.objects.create(fingerprint="a" * 64, snapshot=snapshot)  # from before publishing
    published = CatalogueVersion.objects.create(
        fingerprint="b" * 64, snapshot=snapshot, records=records, published_at=datetime.datetime.now(datetime.UTC)
    )

    executor.loader.build_graph()
    executor.migrate(CONTENT_APART)
    Content = executor.loader.project_state(CONTENT_APART).apps.get_model("advisor", "CatalogueVersionContent")
    assert Content.objects.get(pk=kept.pk).snapshot == snapshot
    assert Content.objects.get(pk=kept.pk).records is None
    assert (Content.objects.get(pk=published.pk).snapshot, Content.objects.get(pk=published.pk).records) == (
        snapshot,
        records,
    )

    executor.loader.build_graph()
    executor.migrate(before)
    CatalogueVersion = executor.loader.project_state(before).apps.get_model("advisor", "CatalogueVersion")
    assert CatalogueVersion.objects.get(pk=published.pk).records == records
    assert CatalogueVersion.objects.get(pk=kept.pk).snapshot == snapshot
