"""The JSON API at /api/v1/, built with django-ninja.

django-ninja validates the request against ``advisor.schemas`` and serialises the response
through it, and generates the OpenAPI document (``/api/v1/openapi.json``) from the same
definitions. ``POST /recommendations`` then applies ``questions.check()``, as the form does,
and saves a result like the form would; it is stricter than the form only in asking for every
question, ``restricted_uses`` included (``[]`` for none). It is not protected by CSRF tokens:
it takes only ``application/json``, which a cross-site form cannot send without a CORS
preflight this site never grants. ``advisor.middleware.ApiMiddleware`` refuses other bodies
and makes every error under /api/ a JSON ``Error``.
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Status
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from advisor import forms, models, ratelimit, schemas, services
from advisor.engine import questions
from advisor.middleware import API_STATUS_MESSAGES
from advisor.views.results import result_json


class NotJson(Exception):
    pass


class JsonOnlyParser(Parser):
    """Bodies must say they are JSON: a cross-site form cannot send application/json."""

    def parse_body(self, request):
        if request.content_type != "application/json":
            raise NotJson
        return super().parse_body(request)


class AdvisorApi(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts):
        # django-ninja drops the rejected input from each error; keep whether it was empty,
        # so a null answer reads "Choose one answer." rather than "not one of the choices".
        validation_error = super().validation_error_from_error_contexts(error_contexts)
        inputs = [
            item.get("input")
            for context in error_contexts
            for item in context.pydantic_validation_error.errors(include_url=False)
        ]
        for item, given in zip(validation_error.errors, inputs, strict=True):
            item["empty"] = given is None or given == ""
        return validation_error


api = AdvisorApi(
    title="Model Strategy Advisor API",
    version="1",
    description="Describe the questionnaire and create recommendations.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,  # the interactive docs page loads its scripts from a CDN
    parser=JsonOnlyParser(),
)

ERRORS = {400: schemas.Error, 413: schemas.Error, 415: schemas.Error, 429: schemas.Error}


def error(message, errors=None):
    return {"error": message, "errors": errors or None}


# -- Requests that do not fit the schema --------------------------------------------------------

# pydantic's error types, as the questionnaire's own error codes (questions.ERRORS).
PYDANTIC_CODES = {
    "literal_error": "invalid-choice",
    "enum": "invalid-choice",
    "list_type": "not-a-list",
    "string_type": "not-a-string",
    "too_short": "at-least-one",
    "extra_forbidden": "unknown-question",
}


def _answer_errors(pydantic_errors):
    """{question key or "__all__": [message]} from pydantic's errors on the request body."""
    errors = {}
    for item in pydantic_errors:
        location = [str(part) for part in item.get("loc", ())][2:]  # drop "body", "payload"
        if location[:1] != ["answers"]:
            message = _("Send an object with exactly one key, “answers”.")
            errors.setdefault("__all__", []).append(message)
            continue
        key = location[1] if len(location) > 1 else "__all__"
        question = questions.BY_KEY.get(key)
        kind = item.get("type")
        if key == "__all__":
            message = _("“answers” must be an object mapping question keys to answers.")
        elif kind == "missing" or (len(location) == 2 and item.get("empty")):
            code = "not-a-list" if question is not None and question.multiple else "required"
            message = _(questions.ERRORS[code])
        elif len(location) > 2 and kind == "string_type":
            message = _(questions.ERRORS["not-a-list"])  # an item of a list that is not a string
        else:
            message = _(questions.ERRORS.get(PYDANTIC_CODES.get(kind), "invalid-choice"))
        if message not in errors.get(key, []):
            errors.setdefault(key[:50], []).append(message)
    return errors


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    body = error(_("Some answers are missing or invalid."), _answer_errors(exc.errors))
    return api.create_response(request, body, status=400)


@api.exception_handler(HttpError)
def http_error(request, exc):
    # django-ninja answers 400 "Cannot parse request body" when the parser fails, with the cause.
    if isinstance(exc.__cause__, NotJson):
        return api.create_response(request, error(str(API_STATUS_MESSAGES[415])), status=415)
    message = _("The request body is not valid JSON.") if exc.status_code == 400 else str(exc)
    return api.create_response(request, error(message), status=exc.status_code)


# -- Operations ----------------------------------------------------------------------------------


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


def _preset_description(preset):
    answers = forms.initial_from_answers(preset.answers)
    return {
        "slug": preset.slug,
        "name": preset.name,
        "description": preset.description,
        "answers": answers,
        "open": [key for key in questions.KEYS if key not in answers],
    }


@api.get(
    "/questionnaire",
    response=schemas.Questionnaire,
    operation_id="getQuestionnaire",
    summary="The questions, their allowed answers and the audience presets.",
    url_name="questionnaire",
)
def questionnaire(request):
    return {
        "sections": [{"key": key, "title": _(title)} for key, title in questions.SECTIONS],
        "questions": [_question_description(question) for question in questions.QUESTIONS],
        "presets": [_preset_description(preset) for preset in models.AudiencePreset.objects.all()],
    }


@api.post(
    "/recommendations",
    response={201: schemas.Result, **ERRORS},
    operation_id="createRecommendation",
    summary="Validate answers, compute and save a recommendation.",
    description="Saved results answer 201 with the permalink in Location. "
    "413: the body is over 16 KB; 415: the body is not application/json; "
    "429: too many submissions from this address (see Retry-After).",
    url_name="recommendations",
)
def create_recommendation(request, payload: schemas.RecommendationIn, response: HttpResponse):
    answers, errors = forms.validate_answers(payload.answers.model_dump())
    if errors:
        return Status(400, error(_("Some answers are missing or invalid."), errors))
    refused = Status(429, error(_("Too many submissions from your address. Wait a minute, then try again.")))
    if ratelimit.over_limit(request):
        response["Retry-After"] = str(ratelimit.retry_after())
        return refused
    try:
        recommendation = services.recommendation_create(
            answers=answers, whole=True, admit=lambda: ratelimit.submission_allowed(request)
        )
    except services.SubmissionRefused:
        response["Retry-After"] = str(ratelimit.retry_after())
        return refused
    response["Location"] = request.build_absolute_uri(recommendation.get_absolute_url())
    return Status(201, result_json(request, recommendation))
