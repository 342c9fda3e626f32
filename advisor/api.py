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
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Status
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from advisor import catalogue, forms, models, ratelimit, schemas, services
from advisor.engine import questions
from advisor.middleware import API_STATUS_MESSAGES
from advisor.views.results import result_json
from advisor.views.rooms import room_json


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

# The fields of a room or a member, besides the answers.
ROOM_FIELDS = {"title", "context", "deadline", "name"}

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
        if location[:1] and location[0] in ROOM_FIELDS:
            messages = {
                "missing": _("This field is required."),
                "string_too_short": _("This field is required."),
                "string_pattern_mismatch": _("This field is required."),
                "string_too_long": _("This is too long."),
                "text_too_long": _("This is too long."),
                "null_character": _("Null characters are not allowed."),
            }
            if location[0] == "deadline":
                message = _("Give a day as YYYY-MM-DD.")
            else:
                message = messages.get(item.get("type"), _("Give text."))
            errors.setdefault(location[0], []).append(message)
            continue
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
    errors = _answer_errors(exc.errors)
    if set(errors) <= ROOM_FIELDS:
        body = error(_("Some fields are missing or invalid."), errors)
    else:
        body = error(_("Some answers are missing or invalid."), errors)
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
        "presets": [_preset_description(preset) for preset in catalogue.published_catalogue().presets],
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


# -- Decision rooms ------------------------------------------------------------------------------

ROOM_ERRORS = {**ERRORS, 404: schemas.Error, 409: schemas.Error}


def _refused(response):
    response["Retry-After"] = str(ratelimit.retry_after())
    return Status(429, error(_("Too many submissions from your address. Wait a minute, then try again.")))


def _not_found():
    return Status(404, error(_("There is no such room or member; check the link.")))


@api.post(
    "/rooms",
    response={201: schemas.RoomCreated, **ERRORS},
    operation_id="createRoom",
    summary="Open a decision room; answers the lead's manage token (shown only now) and the links to share.",
    url_name="rooms",
)
def create_room(request, payload: schemas.RoomIn, response: HttpResponse):
    # The schema asks for a character that is not a space, so the stripped title is never empty.
    fields = {"title": payload.title.strip(), "context": payload.context, "deadline": payload.deadline}
    if forms.deadline_in_the_past(payload.deadline):
        return Status(400, error(_("Some fields are missing or invalid."), {"deadline": [str(forms.DEADLINE_PAST)]}))
    if ratelimit.over_limit(request, purpose=ratelimit.ROOMS):
        return _refused(response)
    try:
        room, token = services.room_create(
            **fields, admit=lambda: ratelimit.submission_allowed(request, purpose=ratelimit.ROOMS)
        )
    except services.SubmissionRefused:
        return _refused(response)
    response["Location"] = request.build_absolute_uri(room.get_absolute_url())
    return Status(
        201,
        {
            "manage_token": token,
            "answer_token": room.answer_token,
            "view_token": room.view_token,
            "links": {
                "view": request.build_absolute_uri(room.get_absolute_url()),
                "answer": request.build_absolute_uri(room.answer_url()),
                "manage": request.build_absolute_uri(reverse("advisor:room-manage", kwargs={"token": token})),
            },
        },
    )


@api.get(
    "/rooms/{token}",
    response={200: schemas.Room, 404: schemas.Error},
    operation_id="getRoom",
    summary="Where the team stands (with the view token, or the lead's manage token).",
    url_name="room",
)
def get_room(request, token: str):
    room = models.DecisionRoom.objects.select_related("record").filter(view_token=token).first()
    room = room or services.room_for_manager(token)
    if room is None:
        return _not_found()
    return Status(200, room_json(request, room))


def _member_answers(payload):
    answers, errors = forms.validate_answers(payload.answers.model_dump())
    return answers, errors, " ".join(payload.name.split())


@api.post(
    "/rooms/{token}/members",
    response={201: schemas.MemberCreated, **ROOM_ERRORS},
    operation_id="answerRoom",
    summary="A member answers (with the room's answer token); answers the member's own token to revise them.",
    description="409: the room is closed, or has 50 members already.",
    url_name="room-members",
)
def answer_room(request, token: str, payload: schemas.MemberIn, response: HttpResponse):
    room = models.DecisionRoom.objects.filter(answer_token=token).first()
    if room is None:
        return _not_found()
    answers, errors, name = _member_answers(payload)
    if errors:
        return Status(400, error(_("Some answers are missing or invalid."), errors))
    if ratelimit.over_limit(request, purpose=ratelimit.ROOM_ANSWERS):
        return _refused(response)
    try:
        _member, member_token = services.member_add(
            room=room,
            name=name,
            answers=answers,
            admit=lambda: ratelimit.submission_allowed(request, purpose=ratelimit.ROOM_ANSWERS),
        )
    except services.SubmissionRefused:
        return _refused(response)
    except services.RoomClosed:
        return Status(409, error(_("This decision is closed: it takes no more answers.")))
    except services.RoomFull:
        message = _("This room has %(max)s members already, which is as many as a room takes.")
        return Status(409, error(message % {"max": models.DecisionRoom.MAX_MEMBERS}))
    edit_link = request.build_absolute_uri(reverse("advisor:room-member", kwargs={"token": member_token}))
    return Status(201, {"name": name, "member_token": member_token, "edit_link": edit_link})


@api.put(
    "/members/{token}",
    response={200: schemas.Room, **ROOM_ERRORS},
    operation_id="reviseAnswers",
    summary="A member replaces their own answers (with their member token) while the room is open.",
    url_name="member",
)
def revise_answers(request, token: str, payload: schemas.MemberIn):
    member = services.member_for_token(token)
    if member is None:
        return _not_found()
    answers, errors, name = _member_answers(payload)
    if errors:
        return Status(400, error(_("Some answers are missing or invalid."), errors))
    try:
        services.member_revise(member=member, name=name, answers=answers)
    except services.RoomClosed:
        return Status(409, error(_("This decision is closed: it takes no more answers.")))
    member.room.refresh_from_db()
    return Status(200, room_json(request, member.room))


@api.post(
    "/rooms/{token}/close",
    response={200: schemas.Room, **ROOM_ERRORS},
    operation_id="closeRoom",
    summary="The lead closes the room (with the manage token) into a decision record.",
    url_name="room-close",
)
def close_room(request, token: str):
    room = services.room_for_manager(token)
    if room is None:
        return _not_found()
    room = services.room_close(room=room)
    return Status(200, room_json(request, room))
