import functools
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from advisor import scoring

# A neutral, explicit team: every question answered, nothing assumed by the code under test.
COMPLETE_ANSWERS = {
    "use_case": "assistant",
    "quality": "high",
    "modalities": ["text"],
    "languages": ["en"],
    "context": "any",
    "data_sensitivity": "internal",
    "sector": "general",
    "restricted_uses": [],
    "deployment": "any-api",
    "hardware": "none",
    "transparency": "low",
    "customisation": "light",
    "mlops": "some",
    "budget": "either",
    "volume": "medium",
    "time_to_market": "months",
    "lock_in": "medium",
    "outages": "tolerable",
    "commercial": "yes",
    "users": "under-1m",
    "revenue": "under-20m",
    "jurisdiction": "US",
    "hosted_service": "no",
    "train_on_outputs": "no",
}


def publish(note=""):
    """Publish the working catalogue as readers and the engine will see it (``advisor.versions``)."""
    from advisor import versions

    return versions.publish(note=note)


def complete_answers(**overrides):
    """A complete, valid set of answers (``COMPLETE_ANSWERS``), with overrides; a fresh copy each time."""
    answers = {key: list(value) if isinstance(value, list) else value for key, value in COMPLETE_ANSWERS.items()}
    answers.update(overrides)
    return answers


def outside_changes_since(content):
    """A permalink page without its "what changed since" list, the one place it names today's catalogue."""
    return re.sub(r'<ul class="mb-2 changed-since">.*?</ul>', "", content, flags=re.S)


def editors_group():
    """The Editors group as the data migrations make it (``advisor.roles``).

    A transactional test's flush empties tables that migrations filled, so
    apply the roles again rather than trusting the group survived.
    """
    from django.contrib.auth.models import Permission

    from advisor import roles

    return roles.groups_sync(Group, Permission)[roles.EDITORS]


@pytest.fixture
def editor(db, django_user_model):
    user = django_user_model.objects.create_user(username="ed", password="pw-for-tests-only", is_staff=True)
    user.groups.add(editors_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# --- Catalogue builders for the browse-and-compare tests -------------------
# Small helpers instead of a factory library; bulk_create keeps a catalogue of
# hundreds of models fast to build (and skips the fingerprint signals, which
# tests of the public pages do not need).

CRITERION_SLUGS = list(scoring.CRITERIA)


def criteria_create():
    """The 13 fixed criteria, saved one by one so their *_html is rendered."""
    from advisor import models

    return [
        models.Criterion.objects.create(
            slug=slug,
            name=slug.replace("-", " ").capitalize(),
            position=position,
            summary=f"What {slug} asks.",
            open_view=f"Open models on **{slug}**.",
            closed_view=f"Closed models on *{slug}*.",
            scoring_rule="Set by editors.",
            from_article=position < 9,
        )
        for position, slug in enumerate(CRITERION_SLUGS)
    ]


def licence_create(**fields):
    from advisor import models

    values = {
        "slug": "apache-2.0",
        "name": "Apache License 2.0",
        "spdx_id": "Apache-2.0",
        "category": "permissive",
        "osi_approved": True,
        "commercial_use": "yes",
        "may_modify": True,
        "may_redistribute": True,
        "may_fine_tune": True,
        "outputs_may_train_models": "yes",
        "attribution_required": True,
        "obligations": "Include the licence text\nKeep the NOTICE file",
        "notable_clauses": "Grants a patent licence.\nNo trademark rights.",
        "url": "https://www.apache.org/licenses/LICENSE-2.0",
    }
    values.update(fields)
    return models.Licence.objects.create(**values)


def provider_create(**fields):
    from advisor import models

    values = {"name": "Acme AI", "slug": "acme-ai", "country": "France", "website": "https://acme.example"}
    values.update(fields)
    return models.Provider.objects.create(**values)


def ai_model_build(index, *, provider, licence, **fields):
    """An unsaved published model; pass fields to override the defaults."""
    import datetime

    from advisor import models

    values = {
        "name": f"Model {index:04d}",
        "slug": f"model-{index:04d}",
        "provider": provider,
        "licence": licence,
        "release_date": datetime.date(2024, 1, 1) + datetime.timedelta(days=index),
        "access": "open-weights",
        "parameters": f"{index + 1}B",
        "context_window": 8192 + index,
        "modalities": ["text"],
        "languages": "English, French",
        "language_codes": ["en", "fr"],
        "language_coverage": "listed",
        "weights_available": True,
        "fine_tuning": ["full", "lora"],
        "deployment": ["self-host"],
        "min_gpu_memory_gb": 16,
        "price_input_per_mtok": None,
        "price_output_per_mtok": None,
        "strengths": "Small\nFast",
        "status": "published",
        "last_reviewed": datetime.date.today(),
    }
    values.update(fields)
    return models.AIModel(**values)


def scores_create(ai_models, criteria):
    """A score on every criterion for every model, in one bulk insert."""
    from advisor import models

    models.Score.objects.bulk_create(
        models.Score(
            ai_model=ai_model,
            criterion=criterion,
            value=(ai_model.pk + position) % 11,
            rationale=f"{criterion.slug} rationale for {ai_model.slug}.",
        )
        for ai_model in ai_models
        for position, criterion in enumerate(criteria)
    )


def catalogue_create(n, *, criteria=None, provider=None, licence=None):
    """N published models with scores on all 13 criteria and one source each."""
    from advisor import models

    criteria = criteria or criteria_create()
    provider = provider or provider_create()
    licence = licence or licence_create()
    ai_models = models.AIModel.objects.bulk_create(
        ai_model_build(index, provider=provider, licence=licence) for index in range(n)
    )
    scores_create(ai_models, criteria)
    models.Source.objects.bulk_create(
        models.Source(ai_model=m, url="https://example.org/card", title=f"{m.name} model card", as_of="2025-06")
        for m in ai_models
    )
    return ai_models


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the tests that use the live server last.

    They flush the database after themselves (the live server runs in another thread and
    cannot share a test transaction). pytest-django puts transactional tests after the
    others, but pytest then groups tests by pytest-playwright's session-scoped browser
    parameter and undoes that; a flush would then empty the tables (the Editors group)
    under the ordinary tests that follow.
    """
    items.sort(key=lambda item: "live_server" in getattr(item, "fixturenames", ()))


SEED_FILES = [Path(__file__).resolve().parent.parent / "fixtures" / name for name in ("catalogue.json", "presets.json")]


@functools.cache
def seed_text():
    return [path.read_text() for path in SEED_FILES]


@pytest.fixture
def seed(transactional_db):
    """The seed catalogue and the audience presets, published.

    The same rows ``loaddata`` would save, inserted with one bulk insert per
    model: saving them one by one takes seconds next to the live server's
    connection, and every live-server test needs them again after the flush.
    """
    from django.core import serializers
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from advisor import versions

    batches = {}  # model -> instances, in the fixtures' (dependency) order
    for text in seed_text():
        for deserialized in serializers.deserialize("json", text):
            batches.setdefault(type(deserialized.object), []).append(deserialized.object)
    with transaction.atomic():
        for model, instances in batches.items():
            model.objects.bulk_create(instances)
        # Explicit primary keys do not move PostgreSQL's sequences; loaddata resets them too.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(batches)):
                cursor.execute(sql)
    versions.publish()
