"""A small JSON API over the questionnaire and the engine.

``POST /api/v1/recommendations`` validates with ``questions.check()``, as the
form does, and saves a result like the form would; it is stricter than the form
only in asking for every question, ``restricted_uses`` included (``[]`` for none). It is not
protected by CSRF tokens: it takes only ``application/json``, which a
cross-site form cannot send without a CORS preflight this site never grants.
"""

import json

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from advisor import forms, models, ratelimit, services
from advisor.engine import questions
from advisor.views.results import result_json

MAX_BODY_BYTES = 16 * 1024


def _error(status, message, errors=None):
    body = {"error": message}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status)


def _question_description(question):
    return {
        "key": question.key,
        "section": question.section,
        "label": _(question.label),
        "help_text": _(question.help_text),
        "multiple": question.multiple,
        "required": forms.is_required(question),
        "constraining": question.constraining,
        "not_sure": questions.NOT_SURE if questions.NOT_SURE in question.values else None,
        "choices": [{"value": value, "label": _(label)} for value, label in question.choices],
    }


def questionnaire_description():
    return {
        "sections": [{"key": key, "title": _(title)} for key, title in questions.SECTIONS],
        "questions": [_question_description(question) for question in questions.QUESTIONS],
    }


def _preset_description(preset):
    answers = forms.initial_from_answers(preset.answers)
    return {
        "slug": preset.slug,
        "name": preset.name,
        "description": preset.description,
        "answers": answers,
        "open": [key for key in questions.KEYS if key not in answers],
    }


@require_safe
def api_questionnaire(request):
    description = questionnaire_description()
    description["presets"] = [_preset_description(preset) for preset in models.AudiencePreset.objects.all()]
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
    for q in questions.QUESTIONS:
        enum = {"type": "string", "enum": list(q.values)}
        description = _(q.label)
        if q.key == "hardware":
            description += " " + _(questions.ERRORS["device-needed"])
        if q.multiple:
            answer_properties[q.key] = {"type": "array", "items": enum, "uniqueItems": True, "description": description}
            if q.at_least_one:
                answer_properties[q.key]["minItems"] = 1
        else:
            answer_properties[q.key] = {**enum, "description": description}
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
                    "required": list(questions.KEYS),
                    "additionalProperties": False,
                },
                "Result": result_schema,
                "Error": error_schema,
            }
        },
    }
    return JsonResponse(spec)
