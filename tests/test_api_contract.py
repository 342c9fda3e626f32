"""The API keeps the contract its OpenAPI document states.

Schemathesis reads /api/v1/openapi.json from the live server (the seed catalogue, on the
test database: SQLite or PostgreSQL) and generates requests from it, valid and invalid, for
every operation in the document; every check it has must pass, response-schema
conformance included. A failure prints the seed and Schemathesis' own reproduction, so
``ADVISOR_SCHEMATHESIS_SEED=<seed> pytest tests/test_api_contract.py`` replays it.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import complete_answers

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
SEED = int(os.environ.get("ADVISOR_SCHEMATHESIS_SEED", "20261202"))
EXAMPLES_PER_OPERATION = 100


def error_body(response, status):
    assert response.status_code == status
    assert response["Content-Type"].split(";")[0] == "application/json"
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    return body


# -- What Schemathesis found, as ordinary tests --------------------------------------------------


@pytest.mark.django_db
def test_the_document_and_the_validator_agree_on_empty_lists(client):
    schema = client.get(reverse("api:openapi-json")).json()["components"]["schemas"]["Answers"]
    assert schema["properties"]["modalities"]["minItems"] == 1
    assert schema["properties"]["languages"]["minItems"] == 1
    assert "minItems" not in schema["properties"]["restricted_uses"]

    for key in ("modalities", "languages"):
        response = client.post(
            reverse("api:recommendations"), {"answers": complete_answers(**{key: []})}, content_type="application/json"
        )
        assert error_body(response, 400)["errors"] == {key: ["Choose at least one."]}


@pytest.mark.django_db
def test_an_undeclared_method_is_405_json_with_allow():
    client = Client(enforce_csrf_checks=True)  # as a real client: no CSRF exemption for tests
    for method, url, allowed in (
        ("QUERY", reverse("api:questionnaire"), "GET"),
        ("DELETE", reverse("api:questionnaire"), "GET"),
        ("GET", reverse("api:recommendations"), "POST"),
        ("PUT", reverse("api:recommendations"), "POST"),
    ):
        response = client.generic(method, url)
        error_body(response, 405)
        assert response["Allow"] == allowed


@pytest.mark.django_db
def test_every_refusal_under_the_api_is_a_json_error(client):
    url = reverse("api:recommendations")
    error_body(client.get("/api/v1/no-such-thing"), 404)
    error_body(client.post(url, "answers=1", content_type="application/x-www-form-urlencoded"), 415)
    error_body(client.post(url, "x" * (17 * 1024), content_type="application/json"), 413)
    error_body(client.post(url, b"{not json", content_type="application/json"), 400)
    over_the_django_limit = client.generic("POST", url, b"[" * (3 * 1024 * 1024), content_type="application/json")
    error_body(over_the_django_limit, 413)


@pytest.mark.django_db
def test_the_document_declares_every_status_an_operation_answers(client):
    paths = client.get(reverse("api:openapi-json")).json()["paths"]
    create = paths[reverse("api:recommendations")]["post"]["responses"]
    assert set(create) == {"201", "400", "413", "415", "429"}
    for status in ("400", "413", "415", "429"):
        assert create[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert set(paths[reverse("api:questionnaire")]["get"]["responses"]) == {"200"}


@pytest.mark.django_db
def test_a_server_error_under_the_api_is_a_json_error_and_saves_nothing(monkeypatch):
    from advisor import models, services

    def broken(**kwargs):
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(services, "recommendation_create", broken)
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("api:recommendations"), {"answers": complete_answers()}, content_type="application/json"
    )
    assert "engine broke" not in error_body(response, 500)["error"]
    assert models.Recommendation.objects.count() == 0


@pytest.mark.django_db
def test_our_objects_are_described_field_by_field(client):
    document = client.get(reverse("api:openapi-json")).json()

    def walk(node):
        if isinstance(node, dict):
            assert node.get("additionalProperties") is not True, node
            for value in node.values():
                yield from walk(value)
            if node.get("type") == "object" and "properties" not in node:
                yield node
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    free_objects = list(walk(document["components"]))
    # Only maps with typed values (message parameters, per-question errors, preset answers).
    assert all("additionalProperties" in node for node in free_objects), free_objects
    answers = document["components"]["schemas"]["Answers"]
    assert answers["additionalProperties"] is False
    assert answers["if"]["properties"]["deployment"] == {"const": "on-device"}


# -- The contract, property-based -----------------------------------------------------------------


# The room operations (rooms and members) run without one check: on them Schemathesis 4.32
# reports a body with an undeclared key as schema-valid (positive_data_acceptance, ST202)
# although the document says additionalProperties: false, and the API rightly refuses it.
# Every other check applies, and tests/test_rooms.py tests those operations as users would.
RUNS = {
    "questionnaire and recommendations": (["--exclude-path-regex", "^/api/v1/(rooms|members)"], 2),
    "decision rooms": (
        ["--include-path-regex", "^/api/v1/(rooms|members)", "--exclude-checks", "positive_data_acceptance"],
        5,
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("run_name", list(RUNS))
def test_every_operation_keeps_the_openapi_contract(live_server, seed, settings, tmp_path, run_name):
    settings.ADVISOR_SUBMISSION_LIMIT = 100_000  # generated requests, not a flood to refuse
    settings.ADVISOR_ROOM_ANSWER_LIMIT = 100_000
    options, operations = RUNS[run_name]
    command = [
        str(SCHEMATHESIS),
        "--no-color",
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(EXAMPLES_PER_OPERATION),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--request-timeout",
        "30",
        *options,
    ]
    run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=900, check=False)
    report = run.stdout + run.stderr
    assert run.returncode == 0, f"Schemathesis found contract failures (seed {SEED}):\n{report[-12000:]}"
    assert f"Selected: {operations}/7" in report and f"Tested: {operations}" in report, report[-3000:]
