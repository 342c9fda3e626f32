"""A small JSON API over the questionnaire and the engine.

``POST /api/v1/recommendations`` validates exactly as the form does (same
questions, same choices) and saves a result like the form would. It is not
protected by CSRF tokens: it takes only ``application/json``, which a
cross-site form cannot send without a CORS preflight this site never grants.
"""

import json

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from advisor import forms, models, questions, ratelimit, services
from advisor.views.results import result_json

MAX_BODY_BYTES = 16 * 1024


def _error(status, message, errors=None):
    body = {"error": message}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status)


def questionnaire_description():
    return {
        "sections": [{"key": key, "title": str(title)} for key, title in questions.SECTIONS],
        "questions": [
            {
                "key": q.key,
                "section": q.section,
                "label": str(q.label),
                "help_text": str(q.help_text),
                "multiple": q.kind == questions.MULTIPLE,
                "required": q.kind != questions.MULTIPLE or q.key in forms.REQUIRED_MULTIPLE,
                "choices": [{"value": value, "label": str(label)} for value, label in q.choices],
                "default": list(q.default) if q.kind == questions.MULTIPLE else q.default,
            }
            for q in questions.QUESTIONS
        ],
    }


@require_safe
def api_questionnaire(request):
    description = questionnaire_description()
    description["presets"] = [
        {
            "slug": preset.slug,
            "name": preset.name,
            "description": preset.description,
            "answers": {**questions.default_answers(), **forms.initial_from_answers(preset.answers)},
        }
        for preset in models.AudiencePreset.objects.all()
    ]
    return JsonResponse(description, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
def api_recommendations(request):
    if request.content_type != "application/json":
        return _error(415, _("Send the answers as JSON with Content-Type: application/json."))
    if len(request.body) > MAX_BODY_BYTES:
        return _error(413, _("The request body is too large."))
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: [[[[...]]]] nested too deep
        return _error(400, _("The request body is not valid JSON."))
    if not isinstance(payload, dict) or set(payload) != {"answers"}:
        return _error(400, _("Send an object with exactly one key, “answers”."))
    answers, errors = forms.validate_answers(payload["answers"])
    if errors:
        return _error(400, _("Some answers are missing or invalid."), errors)
    if not ratelimit.submission_allowed(request):
        response = _error(429, _("Too many submissions from your address. Wait a minute, then try again."))
        response["Retry-After"] = str(ratelimit.retry_after())
        return response
    recommendation = services.recommendation_create(answers=answers)
    response = JsonResponse(result_json(request, recommendation), status=201, json_dumps_params={"ensure_ascii": False})
    response["Location"] = request.build_absolute_uri(recommendation.get_absolute_url())
    return response


def _message_schema():
    return {
        "type": "object",
        "properties": {"msgid": {"type": "string"}, "params": {"type": "object"}, "text": {"type": "string"}},
        "required": ["msgid", "text"],
    }


@require_safe
def api_openapi(request):
    """OpenAPI 3.1 description, generated from the question definitions."""
    answer_properties = {}
    required = []
    for q in questions.QUESTIONS:
        enum = {"type": "string", "enum": q.values}
        if q.kind == questions.MULTIPLE:
            answer_properties[q.key] = {
                "type": "array",
                "items": enum,
                "uniqueItems": True,
                "description": str(q.label),
            }
            if q.key in forms.REQUIRED_MULTIPLE:
                required.append(q.key)
        else:
            answer_properties[q.key] = {**enum, "description": str(q.label)}
            required.append(q.key)
    message = _message_schema()
    result_schema = {
        "type": "object",
        "properties": {
            "code": {"type": "string", "format": "uuid"},
            "permalink": {"type": "string", "format": "uri"},
            "created": {"type": "string", "format": "date-time"},
            "engine_version": {"type": "string"},
            "catalogue_fingerprint": {"type": "string"},
            "answers": {"$ref": "#/components/schemas/Answers"},
            "verdict": {
                "type": "object",
                "properties": {
                    "kind": {"type": "string", "enum": ["open", "closed", "hybrid"]},
                    "confidence": {"type": "string", "enum": ["high", "medium", "low"]},
                    "headline": message,
                    "reasons": {"type": "array", "items": message},
                },
            },
            "ranking": {"type": "array", "items": {"type": "object"}},
            "excluded": {"type": "array", "items": {"type": "object"}},
        },
        "required": ["code", "permalink", "verdict", "ranking", "excluded", "answers", "engine_version"],
    }
    error_schema = {
        "type": "object",
        "properties": {
            "error": {"type": "string"},
            "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        },
        "required": ["error"],
    }
    spec = {
        "openapi": "3.1.0",
        "info": {
            "title": "Model Strategy Advisor API",
            "version": "1",
            "description": "Describe the questionnaire and create recommendations.",
        },
        "paths": {
            reverse("advisor:api-questionnaire"): {
                "get": {
                    "operationId": "getQuestionnaire",
                    "summary": "The questions, their allowed answers and the audience presets.",
                    "responses": {"200": {"description": "The questionnaire.", "content": {"application/json": {}}}},
                }
            },
            reverse("advisor:api-recommendations"): {
                "post": {
                    "operationId": "createRecommendation",
                    "summary": "Validate answers, compute and save a recommendation.",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"answers": {"$ref": "#/components/schemas/Answers"}},
                                    "required": ["answers"],
                                    "additionalProperties": False,
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "Saved; Location is the permalink.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Result"}}},
                        },
                        "400": {
                            "description": "Invalid answers, with per-field errors.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                        "413": {"description": "Body too large."},
                        "415": {"description": "Not JSON."},
                        "429": {"description": "Too many submissions."},
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Answers": {
                    "type": "object",
                    "properties": answer_properties,
                    "required": required,
                    "additionalProperties": False,
                },
                "Result": result_schema,
                "Error": error_schema,
            }
        },
    }
    return JsonResponse(spec)
