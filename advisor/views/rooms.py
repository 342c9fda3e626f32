"""Decision rooms: a lead opens one, members answer the questionnaire, the lead closes it into a record.

No accounts: each room has capability links. The lead's *manage* link (kept in a cookie on the
lead's browser too), the *answer* link to invite members, the read-only *view* link, and each
member's own *edit* link (also in a cookie on the member's browser). Every page under a link
is kept out of search engines and Referer headers, like a result permalink.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from advisor import catalogue, forms, models, presenters, ratelimit, services
from advisor.engine import questions
from advisor.views.results import initial_answers, preset_answers, preset_or_none, see_other

MANAGE_COOKIE = "room-lead-{pk}"
MEMBER_COOKIE = "room-member-{pk}"
COOKIE_SECONDS = 180 * 24 * 60 * 60


def _capability_headers(response):
    # Capability URLs: keep them out of search engines and out of Referer headers to other sites.
    # "same-origin", not "no-referrer": these pages post forms, and under "no-referrer" browsers
    # send "Origin: null", which Django's CSRF check rightly refuses.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _set_cookie(response, name, token):
    """Remember a capability token in this browser, for the pages under /rooms/ only."""
    response.set_cookie(
        name,
        token,
        max_age=COOKIE_SECONDS,
        path=reverse("advisor:room-create"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def room_create(request):
    """Open a decision room; the lead lands on the manage page, told once to keep its link."""
    form = forms.RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if ratelimit.over_limit(request, purpose=ratelimit.ROOMS):
            return ratelimit.ratelimited(request)
        try:
            room, token = services.room_create(
                **form.cleaned_data, admit=lambda: ratelimit.submission_allowed(request, purpose=ratelimit.ROOMS)
            )
        except services.SubmissionRefused:
            return ratelimit.ratelimited(request)
        manage_url = reverse("advisor:room-manage", kwargs={"token": token})
        messages.success(
            request,
            _(
                "Your decision room is open. Keep this page's link: it is the only way to manage the room, "
                "and it is shown only now: %(link)s"
            )
            % {"link": request.build_absolute_uri(manage_url)},
            extra_tags="keep-link",
        )
        response = see_other(manage_url)
        _set_cookie(response, MANAGE_COOKIE.format(pk=room.pk), token)
        return response
    status = 400 if form.is_bound else 200
    return render(request, "advisor/room_form.html", {"form": form}, status=status)


def _room_page(request, room, *, manage_token=None, member=None, lead_url=None):
    members = list(room.members.all())
    state = services.room_state(room, members)
    display = presenters.room_for_display(state)
    if manage_token and not room.is_closed and state.get("answers"):
        for row in display["merged"]:
            value = (row["override"] or row)["value"]
            row["override_form"] = forms.OverrideForm(
                question_key=row["key"], answers=state["answers"], initial={"value": value}
            )
    context = {
        "room": room,
        "state": display,
        "manage_token": manage_token,
        "member": member,
        "lead_url": lead_url,
        "answer_link": request.build_absolute_uri(room.answer_url()),
        "view_link": request.build_absolute_uri(room.get_absolute_url()),
        "max_members": models.DecisionRoom.MAX_MEMBERS,
    }
    return _capability_headers(render(request, "advisor/room_detail.html", context))


def _lead_url(request, room):
    """The manage page, for the browser that holds the room's lead cookie (the lead lost the link)."""
    token = request.COOKIES.get(MANAGE_COOKIE.format(pk=room.pk), "")
    if len(token) != models.CAPABILITY_TOKEN_LENGTH or models.token_digest(token) != room.manage_digest:
        return None
    return reverse("advisor:room-manage", kwargs={"token": token})


@require_safe
def room_view(request, token):
    """The read-only view for stakeholders; once closed, the decision record."""
    room = get_object_or_404(models.DecisionRoom.objects.select_related("record"), view_token=token)
    return _room_page(request, room, lead_url=_lead_url(request, room))


def _managed_room_or_404(token):
    room = services.room_for_manager(token)
    if room is None:
        raise Http404("No such room.")
    return room


@require_safe
def room_manage(request, token):
    """The lead's page: the room as members see it, plus the links, overrides and closing."""
    room = _managed_room_or_404(token)
    response = _room_page(request, room, manage_token=token)
    _set_cookie(response, MANAGE_COOKIE.format(pk=room.pk), token)
    return response


@require_POST
def room_override(request, token, key):
    """The lead replaces a merged answer with a reason (or, with ``restore``, takes the merged one back)."""
    room = _managed_room_or_404(token)
    if key not in questions.BY_KEY:
        raise Http404("No such question.")
    manage_url = reverse("advisor:room-manage", kwargs={"token": token})
    if room.is_closed:
        messages.warning(request, _("The room is closed: its answers can no longer change."))
        return see_other(manage_url)
    if "restore" in request.POST:
        services.room_override(room=room, key=key)
        messages.success(request, _("The merged answer is back."))
        return see_other(manage_url + f"#answer-{key}")
    state = services.room_state(room, list(room.members.all()))
    if not state.get("answers"):
        messages.warning(request, _("Nobody has answered yet, so there is no merged answer to override."))
        return see_other(manage_url)
    form = forms.OverrideForm(request.POST, question_key=key, answers=state["answers"])
    if not form.is_valid():
        errors = " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
        messages.error(request, _("The override was not saved: %(errors)s") % {"errors": errors})
        return see_other(manage_url + f"#answer-{key}")
    services.room_override(room=room, key=key, value=form.cleaned_data["value"], reason=form.cleaned_data["reason"])
    messages.success(request, _("Override saved; the recommendation below uses it."))
    return see_other(manage_url + f"#answer-{key}")


@require_POST
def room_close(request, token):
    room = _managed_room_or_404(token)
    if not room.is_closed:
        services.room_close(room=room)
        messages.success(request, _("The decision is closed. The record below no longer changes."))
    return see_other(reverse("advisor:room-manage", kwargs={"token": token}))


def _earlier_url(request, room):
    """The edit link of the member whose cookie this browser holds for the room, if any."""
    token = request.COOKIES.get(MEMBER_COOKIE.format(pk=room.pk), "")
    member = services.member_for_token(token) if len(token) == models.CAPABILITY_TOKEN_LENGTH else None
    if member is None or member.room_id != room.pk:
        return None
    return reverse("advisor:room-member", kwargs={"token": token})


def _questionnaire(request, form, context, status=200):
    context = {
        "form": form,
        "sections": [(key, _(title)) for key, title in questions.SECTIONS],
        "presets": catalogue.published_catalogue().presets,
        **context,
    }
    return _capability_headers(render(request, "advisor/room_answer.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
def room_answer(request, token):
    """A member answers: the questionnaire (presets included) with an optional name."""
    room = get_object_or_404(models.DecisionRoom.objects.select_related("record"), answer_token=token)
    if room.is_closed:
        return _capability_headers(render(request, "advisor/room_closed.html", {"room": room}, status=200))
    earlier_url = _earlier_url(request, room)
    lead_url = _lead_url(request, room)
    if request.method == "POST":
        preset = preset_or_none(request.POST.get("preset"))
        form = forms.RoomAnswerForm(request.POST, preset_answers=preset_answers(preset))
        if form.is_valid():
            if ratelimit.over_limit(request, purpose=ratelimit.ROOM_ANSWERS):
                return ratelimit.ratelimited(request)
            try:
                _member, member_token = services.member_add(
                    room=room,
                    name=form.cleaned_data["name"],
                    answers=form.to_answers(),
                    admit=lambda: ratelimit.submission_allowed(request, purpose=ratelimit.ROOM_ANSWERS),
                )
            except services.SubmissionRefused:
                return ratelimit.ratelimited(request)
            except services.RoomClosed:
                return _capability_headers(render(request, "advisor/room_closed.html", {"room": room}, status=409))
            except services.RoomFull:
                form.add_error(
                    None,
                    _("This room has %(max)s members already, which is as many as a room takes. Ask the lead.")
                    % {"max": models.DecisionRoom.MAX_MEMBERS},
                )
                return _questionnaire(request, form, {"room": room, "earlier_url": earlier_url}, status=409)
            edit_url = reverse("advisor:room-member", kwargs={"token": member_token})
            messages.success(
                request,
                _(
                    "Your answers are in. To change them until the room closes, use this page's link "
                    "(this browser remembers it): %(link)s"
                )
                % {"link": request.build_absolute_uri(edit_url)},
                extra_tags="keep-link",
            )
            response = see_other(edit_url)
            _set_cookie(response, MEMBER_COOKIE.format(pk=room.pk), member_token)
            return response
        return _questionnaire(request, form, {"room": room, "earlier_url": earlier_url}, status=400)
    initial, preset = initial_answers(request)
    form = forms.RoomAnswerForm(
        initial={**initial, "preset": preset.slug if preset else ""}, preset_answers=preset_answers(preset)
    )
    return _questionnaire(request, form, {"room": room, "earlier_url": earlier_url, "lead_url": lead_url})


def _member_or_404(token):
    member = services.member_for_token(token)
    if member is None:
        raise Http404("No such member.")
    return member


@require_http_methods(["GET", "HEAD", "POST"])
def room_member(request, token):
    """A member revises their own answers through their edit link, until the room closes."""
    member = _member_or_404(token)
    room = member.room
    if room.is_closed:
        return _capability_headers(render(request, "advisor/room_closed.html", {"room": room}, status=200))
    if request.method == "POST":
        form = forms.RoomAnswerForm(request.POST)
        if form.is_valid():
            try:
                services.member_revise(member=member, name=form.cleaned_data["name"], answers=form.to_answers())
            except services.RoomClosed:
                return _capability_headers(render(request, "advisor/room_closed.html", {"room": room}, status=409))
            messages.success(request, _("Your answers are updated."))
            return see_other(reverse("advisor:room-member", kwargs={"token": token}))
        return _questionnaire(request, form, {"room": room, "member": member}, status=400)
    form = forms.RoomAnswerForm(initial={**forms.initial_from_answers(member.answers), "name": member.name})
    response = _questionnaire(request, form, {"room": room, "member": member})
    _set_cookie(response, MEMBER_COOKIE.format(pk=room.pk), token)
    return response


def room_json(request, room, members=None):
    """A room as the API answers it: the same state the room page shows, members named."""
    members = list(room.members.all()) if members is None else members
    state = services.room_state(room, members)
    names = {person["id"]: person["name"] for person in state["members"]}

    def who(ids):
        return [names.get(member_id, "") for member_id in ids]

    result = state.get("result")
    return {
        "title": room.title,
        "context": room.context,
        "deadline": room.deadline,
        "status": "closed" if room.is_closed else "open",
        "created_at": room.created_at.isoformat(),
        "closed_at": room.closed_at.isoformat() if room.closed_at else None,
        "closed_automatically": room.closed_automatically,
        "links": {
            "view": request.build_absolute_uri(room.get_absolute_url()),
            "answer": None if room.is_closed else request.build_absolute_uri(room.answer_url()),
        },
        "members": [
            {
                "name": person["name"],
                "answered": person["answered"],
                "verdict": person["verdict"],
                "top_pick": person["top_pick"],
                "outdated": bool(person.get("outdated")),
            }
            for person in state["members"]
        ],
        "answers": state.get("answers"),
        "merged": [{**row, "given_by": who(row["given_by"])} for row in state["merged"]],
        "disagreements": [
            {**item, "sides": [{**side, "members": who(side["members"])} for side in item["sides"]]}
            for item in state["disagreements"]
        ],
        "recommendation": presenters.with_text(result) if result else None,
        "record": {
            "code": str(room.record.code),
            "permalink": request.build_absolute_uri(room.record.get_absolute_url()),
        }
        if room.record_id
        else None,
    }
