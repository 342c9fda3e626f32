"""Decision rooms: a lead opens one, members answer, the room shows what divides them, the lead closes it."""

import datetime
import re

from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisor import models, roles, versions
from tests.conftest import complete_answers

TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def answer_data(name="", **overrides):
    return {"name": name, **complete_answers(**overrides)}


class RoomFlow(TestCase):
    """Helpers that drive the pages as people would."""

    fixtures = ["catalogue.json", "presets.json"]

    def setUp(self):
        super().setUp()
        versions.publish()

    def open_room(self, client=None, **fields):
        client = client or self.client
        data = {"title": "Model for the support assistant", "context": "Replies to customers.", **fields}
        response = client.post(reverse("advisor:room-create"), data)
        assert response.status_code == 303, response.content.decode()[:2000]
        manage_url = response["Location"]
        assert re.fullmatch(r"/rooms/manage/[A-Za-z0-9_-]{43}/", manage_url)
        room = models.DecisionRoom.objects.get()
        return room, manage_url

    def answer(self, room, client, name="", **overrides):
        response = client.post(room.answer_url(), answer_data(name, **overrides))
        assert response.status_code == 303, response.content.decode()[:3000]
        return response["Location"]


class OpeningARoomTests(RoomFlow):
    def test_the_home_page_offers_a_decision_room(self):
        response = self.client.get(reverse("advisor:home"))
        self.assertContains(response, f'href="{reverse("advisor:room-create")}"')

    def test_the_lead_gets_the_manage_link_once_and_in_a_cookie(self):
        room, manage_url = self.open_room(deadline="2027-01-15")
        cookie = self.client.cookies[f"room-lead-{room.pk}"]
        assert cookie.value == manage_url.split("/")[-2]
        assert cookie["httponly"]
        first = self.client.get(manage_url)
        self.assertContains(first, "Keep this page")
        self.assertContains(first, "http://testserver" + manage_url)
        self.assertContains(first, "http://testserver" + room.answer_url())
        self.assertContains(first, "http://testserver" + room.get_absolute_url())
        self.assertContains(first, "Replies to customers.")
        self.assertContains(first, "Decide by")
        again = self.client.get(manage_url)
        self.assertNotContains(again, "Keep this page")
        # The lead's browser finds its way back from the links it shares; nobody else's does.
        self.assertContains(self.client.get(room.get_absolute_url()), f'href="{manage_url}"')
        self.assertContains(self.client.get(room.answer_url()), f'href="{manage_url}"')
        self.assertNotContains(self.client_class().get(room.get_absolute_url()), manage_url)
        # Only a digest of the manage token is stored.
        assert manage_url.split("/")[-2] not in str(models.DecisionRoom.objects.values().get())

    def test_a_room_needs_a_title_and_a_real_date(self):
        response = self.client.post(reverse("advisor:room-create"), {"title": "", "deadline": "31/31/2026"})
        assert response.status_code == 400
        self.assertContains(response, "This field is required.", status_code=400)
        self.assertContains(response, "Enter a valid date.", status_code=400)
        yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        past = self.client.post(reverse("advisor:room-create"), {"title": "A", "deadline": yesterday})
        self.assertContains(past, "The deadline is in the past", status_code=400)
        api = self.client.post("/api/v1/rooms", {"title": "A", "deadline": yesterday}, content_type="application/json")
        assert api.status_code == 400
        assert api.json()["errors"] == {"deadline": ["The deadline is in the past; choose today or a later day."]}
        assert not models.DecisionRoom.objects.exists()

    @override_settings(ADVISOR_SUBMISSION_LIMIT=2, ADVISOR_SUBMISSION_WINDOW=10**9)  # no window ends mid-test
    def test_opening_rooms_is_limited_per_client(self):
        for _ in range(2):
            assert self.client.post(reverse("advisor:room-create"), {"title": "A"}).status_code == 303
        response = self.client.post(reverse("advisor:room-create"), {"title": "A"})
        assert response.status_code == 429
        assert response["Retry-After"]
        assert models.DecisionRoom.objects.count() == 2

    def test_unknown_and_malformed_tokens_are_404(self):
        room, _manage_url = self.open_room()
        other = "A" * 43
        for name in ("room-manage", "room-answer", "room-member", "room-view", "room-close"):
            url = reverse(f"advisor:{name}", kwargs={"token": other})
            assert self.client.get(url).status_code in (404, 405), name
            assert self.client.post(url).status_code in (404, 405), name
        for bad in ("short", room.view_token + "x", "!" * 43):
            assert self.client.get(f"/rooms/view/{bad}/").status_code == 404
        # A token of one kind opens nothing of another kind.
        assert self.client.get(reverse("advisor:room-manage", kwargs={"token": room.view_token})).status_code == 404
        assert self.client.get(reverse("advisor:room-manage", kwargs={"token": room.answer_token})).status_code == 404
        assert self.client.get(reverse("advisor:room-member", kwargs={"token": room.answer_token})).status_code == 404


class AnsweringTests(RoomFlow):
    def test_a_member_answers_with_a_preset_and_a_name_and_can_revise(self):
        room, _manage_url = self.open_room()
        page = self.client.get(room.answer_url() + "?preset=startups")
        self.assertContains(page, 'name="name"')
        self.assertContains(page, "Prefilled for")
        self.assertContains(page, "noindex")
        assert page["Referrer-Policy"] == "same-origin"
        edit_url = self.answer(room, self.client, "Ada", deployment="own-cloud")
        assert re.fullmatch(r"/rooms/member/[A-Za-z0-9_-]{43}/", edit_url)
        member = models.RoomMember.objects.get()
        assert (member.name, member.answers["deployment"]) == ("Ada", "own-cloud")
        edit = self.client.get(edit_url)
        self.assertContains(edit, 'value="Ada"')
        self.assertContains(edit, "only you can change them")
        response = self.client.post(edit_url, answer_data("Ada L.", deployment="on-premises", hardware="gpu-80"))
        assert response.status_code == 303
        member.refresh_from_db()
        assert (member.name, member.answers["deployment"], member.answers["hardware"]) == (
            "Ada L.",
            "on-premises",
            "gpu-80",
        )
        # The answer link now points this browser to its own answers.
        self.assertContains(self.client.get(room.answer_url()), edit_url)

    def test_bad_answers_are_explained_and_nothing_is_saved(self):
        room, _manage_url = self.open_room()
        data = answer_data("Bob")
        data.pop("jurisdiction")
        data["deployment"] = "mars"
        response = self.client.post(room.answer_url(), data)
        assert response.status_code == 400
        self.assertContains(response, "Choose one answer.", status_code=400)
        self.assertContains(response, "That is not one of the choices.", status_code=400)
        self.assertContains(response, 'value="Bob"', status_code=400)
        assert not models.RoomMember.objects.exists()

    def test_a_member_edit_link_changes_only_that_members_answers(self):
        room, _manage_url = self.open_room()
        ada_url = self.answer(room, self.client_class(), "Ada")
        bob_url = self.answer(room, self.client_class(), "Bob")
        response = self.client_class().post(bob_url, answer_data("Bob", data_sensitivity="regulated"))
        assert response.status_code == 303
        answers = dict(models.RoomMember.objects.values_list("name", "answers__data_sensitivity"))
        assert answers == {"Ada": "internal", "Bob": "regulated"}
        assert ada_url != bob_url

    def test_unnamed_members_are_numbered(self):
        room, _manage_url = self.open_room()
        self.answer(room, self.client_class())
        self.answer(room, self.client_class())
        page = self.client.get(room.get_absolute_url())
        self.assertContains(page, "Anonymous member 1")
        self.assertContains(page, "Anonymous member 2")

    def test_the_fifty_first_member_is_told_the_room_is_full(self):
        room, _manage_url = self.open_room()
        models.RoomMember.objects.bulk_create(
            models.RoomMember(room=room, name=f"M{n}", answers=complete_answers(), edit_digest=f"{n:064}")
            for n in range(models.DecisionRoom.MAX_MEMBERS)
        )
        response = self.client.post(room.answer_url(), answer_data("Late"))
        assert response.status_code == 409
        self.assertContains(response, "50 members already", status_code=409)
        assert room.members.count() == models.DecisionRoom.MAX_MEMBERS

    @override_settings(ADVISOR_ROOM_ANSWER_LIMIT=2, ADVISOR_SUBMISSION_WINDOW=10**9)
    def test_answers_are_limited_per_client(self):
        room, _manage_url = self.open_room()
        self.answer(room, self.client)
        self.answer(room, self.client)
        assert self.client.post(room.answer_url(), answer_data()).status_code == 429
        assert room.members.count() == 2


class WhereTheTeamStandsTests(RoomFlow):
    def test_a_disagreement_on_where_the_model_may_run_decides_the_outcome(self):
        room, _manage_url = self.open_room()
        self.answer(room, self.client_class(), "Ada", deployment="any-api")
        self.answer(room, self.client_class(), "Bob", deployment="any-api", sector="finance")
        self.answer(room, self.client_class(), "Sec", deployment="on-premises", hardware="node-8x80")
        page = self.client.get(room.get_absolute_url())
        content = page.content.decode()
        assert page.status_code == 200
        deciding = re.search(r'id="disagreement-deployment".*?</ul>', content, re.S)
        assert deciding, "the deployment disagreement is not shown as deciding"
        assert "changes the" in deciding.group(0)
        assert "On our own servers" in deciding.group(0) and "Sec" in deciding.group(0)
        assert "Any cloud API is fine" in deciding.group(0) and "Ada, Bob" in deciding.group(0)
        # It is listed before differences that change nothing, and the spread counts every answer.
        assert content.index('id="disagreement-deployment"') < content.index("Where may the model run?")
        self.assertContains(
            page, "2 \N{MULTIPLICATION SIGN} Any cloud API is fine, 1 \N{MULTIPLICATION SIGN} On our own servers"
        )
        # The strictest answer wins, traceably.
        merged = re.search(r'id="answer-deployment".*?</tr>', content, re.S).group(0)
        assert "On our own servers" in merged and "Sec" in merged and "strictest" in merged
        # Each member's own verdict and top pick are listed.
        assert content.count("members-table") == 1
        self.assertContains(page, "3 members answered")
        # The view page offers nothing to change.
        assert "<form" not in content.split('id="members-heading"')[1]

    def test_the_lead_overrides_a_merged_answer_with_a_reason(self):
        room, manage_url = self.open_room()
        self.answer(room, self.client_class(), "Ada", data_sensitivity="internal")
        self.answer(room, self.client_class(), "Bob", data_sensitivity="regulated")
        override_url = reverse(
            "advisor:room-override", kwargs={"token": manage_url.split("/")[-2], "key": "data_sensitivity"}
        )
        without_reason = self.client.post(override_url, {"data_sensitivity-value": "confidential"})
        assert without_reason.status_code == 303
        room.refresh_from_db()
        assert room.overrides == {}
        bad_value = self.client.post(override_url, {"data_sensitivity-value": "secret", "data_sensitivity-reason": "x"})
        assert bad_value.status_code == 303
        room.refresh_from_db()
        assert room.overrides == {}
        self.assertContains(self.client.get(manage_url), "The override was not saved")
        self.client.post(
            override_url,
            {"data_sensitivity-value": "confidential", "data_sensitivity-reason": "Legal confirmed: no health data."},
        )
        room.refresh_from_db()
        assert room.overrides == {
            "data_sensitivity": {"value": "confidential", "reason": "Legal confirmed: no health data."}
        }
        page = self.client.get(room.get_absolute_url())
        self.assertContains(page, "The lead's choice: Legal confirmed: no health data.")
        deciding = re.search(r'id="disagreement-data_sensitivity".*?</p>', page.content.decode(), re.S).group(0)
        assert "The lead chose “Confidential data or trade secrets”" in deciding
        # Only the manage link overrides: the view and answer tokens are not manage tokens.
        for token in (room.view_token, room.answer_token):
            url = reverse("advisor:room-override", kwargs={"token": token, "key": "data_sensitivity"})
            assert (
                self.client.post(url, {"data_sensitivity-value": "public", "data_sensitivity-reason": "x"}).status_code
                == 404
            )
        self.client.post(override_url, {"restore": "1"})
        room.refresh_from_db()
        assert room.overrides == {}

    def test_room_pages_cost_the_same_queries_for_1_10_and_50_members(self):
        room, manage_url = self.open_room()
        counts = {}
        for size in (1, 10, 50):
            have = room.members.count()
            models.RoomMember.objects.bulk_create(
                models.RoomMember(
                    room=room,
                    name=f"M{n}",
                    answers=complete_answers(deployment=["any-api", "own-cloud"][n % 2]),
                    edit_digest=f"{n:064}",
                )
                for n in range(have, size)
            )
            models.DecisionRoom.objects.filter(pk=room.pk).update(last_activity=timezone.now())
            for name, url in (("view", room.get_absolute_url()), ("manage", manage_url)):
                with CaptureQueriesContext(connection) as queries:
                    assert self.client.get(url).status_code == 200
                counts.setdefault(name, []).append(len(queries))
        assert len(set(counts["view"])) == 1, counts
        assert len(set(counts["manage"])) == 1, counts


class ClosingTests(RoomFlow):
    def test_closing_freezes_the_room_into_a_record(self):
        room, manage_url = self.open_room()
        ada = self.client_class()
        ada_edit = self.answer(room, ada, "Ada", deployment="any-api")
        self.answer(room, self.client_class(), "Sec", deployment="on-premises", hardware="node-8x80")
        token = manage_url.split("/")[-2]
        # The view link cannot close the room.
        assert self.client.post(reverse("advisor:room-close", kwargs={"token": room.view_token})).status_code == 404
        response = self.client.post(reverse("advisor:room-close", kwargs={"token": token}))
        assert response.status_code == 303
        room.refresh_from_db()
        assert room.is_closed and not room.closed_automatically
        record = room.record
        assert record.catalogue_version_id is not None
        assert record.answers["deployment"] == "on-premises"
        names = [person["name"] for person in room.closing["members"]]
        assert names == ["Ada", "Sec"]
        # No more answers, from new members or old ones; the answer link leads to the record.
        closed = self.client.get(room.answer_url())
        self.assertContains(closed, "closed")
        self.assertContains(closed, room.get_absolute_url())
        self.client.post(room.answer_url(), answer_data("Late"))
        ada.post(ada_edit, answer_data("Ada", deployment="on-device", hardware="phone"))
        assert room.members.count() == 2
        assert models.RoomMember.objects.get(name="Ada").answers["deployment"] == "any-api"
        # A stranger with the view link reads the record: participants, dissent, the recommendation.
        stranger = self.client_class().get(room.get_absolute_url())
        self.assertContains(stranger, "Decision record")
        self.assertContains(stranger, "Dissent")
        self.assertContains(stranger, "Sec")
        self.assertContains(stranger, record.get_absolute_url())
        self.assertNotContains(stranger, "Close the decision")
        # Closing again changes nothing.
        self.client.post(reverse("advisor:room-close", kwargs={"token": token}))
        assert models.Recommendation.objects.count() == 1

    def test_idle_rooms_close_themselves_keeping_what_was_answered(self):
        idle, _url = self.open_room()
        self.answer(idle, self.client_class(), "Ada")
        models.DecisionRoom.objects.filter(pk=idle.pk).update(
            last_activity=timezone.now() - datetime.timedelta(days=91)
        )
        recent = models.DecisionRoom.objects.create(title="Recent", manage_digest="b" * 64)
        empty = models.DecisionRoom.objects.create(
            title="Empty", manage_digest="c" * 64, last_activity=timezone.now() - datetime.timedelta(days=120)
        )
        call_command("close_idle_rooms", verbosity=0)
        idle.refresh_from_db()
        recent.refresh_from_db()
        empty.refresh_from_db()
        assert idle.is_closed and idle.closed_automatically and idle.record is not None
        assert idle.members.count() == 1
        assert not recent.is_closed
        assert empty.is_closed and empty.record is None
        page = self.client.get(idle.get_absolute_url())
        self.assertContains(page, "without activity")


class PrivacyTests(RoomFlow):
    def test_editors_cannot_see_rooms_or_answers(self):
        codenames = roles.PERMISSIONS[roles.EDITORS]
        assert not [name for name in codenames if "room" in name]
        from django.contrib import admin

        assert models.DecisionRoom not in admin.site._registry
        assert models.RoomMember not in admin.site._registry

    def test_room_pages_are_kept_out_of_search_engines_and_referers(self):
        room, manage_url = self.open_room()
        member_url = self.answer(room, self.client_class(), "Ada")
        for url in (manage_url, room.answer_url(), room.get_absolute_url(), member_url):
            response = self.client.get(url)
            assert response["X-Robots-Tag"] == "noindex, nofollow", url
            assert response["Referrer-Policy"] == "same-origin", url  # never to another site
            self.assertContains(response, '<meta name="robots" content="noindex, nofollow">')

    def test_every_room_form_needs_a_csrf_token(self):
        room, manage_url = self.open_room()
        client = self.client_class(enforce_csrf_checks=True)
        token = manage_url.split("/")[-2]
        posts = [
            (reverse("advisor:room-create"), {"title": "x"}),
            (room.answer_url(), answer_data()),
            (reverse("advisor:room-close", kwargs={"token": token}), {}),
            (reverse("advisor:room-override", kwargs={"token": token, "key": "sector"}), {}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == 403, url
        assert models.DecisionRoom.objects.count() == 1
        assert not models.RoomMember.objects.exists()


class ApiTests(RoomFlow):
    def post(self, url, body):
        return self.client.post(url, body, content_type="application/json")

    def test_a_room_through_the_api(self):
        created = self.post("/api/v1/rooms", {"title": "Coding assistant", "deadline": "2027-02-01"})
        assert created.status_code == 201, created.content
        links = created.json()
        assert TOKEN.fullmatch(links["manage_token"])
        answer_token, view_token = links["answer_token"], links["view_token"]
        ada = self.post(f"/api/v1/rooms/{answer_token}/members", {"name": "Ada", "answers": complete_answers()})
        assert ada.status_code == 201, ada.content
        sec = self.post(
            f"/api/v1/rooms/{answer_token}/members",
            {"answers": complete_answers(deployment="on-premises", hardware="node-8x80")},
        )
        assert sec.status_code == 201
        assert sec.json()["name"] == ""
        room = self.client.get(f"/api/v1/rooms/{view_token}").json()
        assert [member["name"] for member in room["members"]] == ["Ada", "Anonymous member 1"]
        assert room["answers"]["deployment"] == "on-premises"
        deployment = next(item for item in room["disagreements"] if item["key"] == "deployment")
        assert deployment["decides"]
        assert {tuple(side["members"]) for side in deployment["sides"]} == {("Ada",), ("Anonymous member 1",)}
        merged = next(row for row in room["merged"] if row["key"] == "deployment")
        assert merged["given_by"] == ["Anonymous member 1"] and merged["rule"] == "strictest"
        assert room["recommendation"]["headline"]["text"]
        # A member revises their own answers with their token; bad answers are refused with reasons.
        member_token = ada.json()["member_token"]
        bad = self.client.put(
            f"/api/v1/members/{member_token}",
            {"answers": {**complete_answers(), "deployment": "moon"}},
            content_type="application/json",
        )
        assert bad.status_code == 400
        assert bad.json()["errors"]["deployment"] == ["That is not one of the choices."]
        revised = self.client.put(
            f"/api/v1/members/{member_token}",
            {"name": "Ada", "answers": complete_answers(deployment="own-cloud")},
            content_type="application/json",
        )
        assert revised.status_code == 200
        assert models.RoomMember.objects.get(name="Ada").answers["deployment"] == "own-cloud"
        # Neither the view nor the answer token closes the room; the manage token does.
        assert self.post(f"/api/v1/rooms/{view_token}/close", {}).status_code == 404
        assert self.post(f"/api/v1/rooms/{answer_token}/close", {}).status_code == 404
        closed = self.post(f"/api/v1/rooms/{links['manage_token']}/close", {})
        assert closed.status_code == 200
        record = closed.json()["record"]
        assert closed.json()["status"] == "closed" and record["permalink"].endswith(f"/r/{record['code']}/")
        late = self.post(f"/api/v1/rooms/{answer_token}/members", {"answers": complete_answers()})
        assert late.status_code == 409
        assert late.json()["error"] == "This decision is closed: it takes no more answers."

    def test_unknown_tokens_and_bad_bodies_are_json_errors(self):
        assert self.client.get("/api/v1/rooms/nope").status_code == 404
        assert self.client.get("/api/v1/rooms/nope").json()["error"]
        assert self.post("/api/v1/rooms/nope/members", {"answers": complete_answers()}).status_code == 404
        for blank in ("", " \u3000", "\x1d", "\ufeff\t"):
            response = self.post("/api/v1/rooms", {"title": blank})
            assert response.status_code == 400, blank
            assert response.json() == {
                "error": "Some fields are missing or invalid.",
                "errors": {"title": ["This field is required."]},
            }
        response = self.post("/api/v1/rooms", {"title": "", "owner": "x"})
        assert response.status_code == 400
        assert response.json()["errors"]["title"] == ["This field is required."]
        # Lengths count as a browser's maxlength does: an emoji outside the BMP counts twice.
        assert self.post("/api/v1/rooms", {"title": "A", "context": "\N{GRINNING FACE}" * 1000}).status_code == 201
        too_long = self.post("/api/v1/rooms", {"title": "A", "context": "\N{GRINNING FACE}" * 1001})
        assert too_long.status_code == 400
        assert too_long.json()["errors"] == {"context": ["This is too long."]}
        nul = self.post("/api/v1/rooms", {"title": "A\x00B"})  # PostgreSQL cannot store it: never a 500
        assert nul.status_code == 400
        assert nul.json()["errors"] == {"title": ["Null characters are not allowed."]}
        member = self.post(f"/api/v1/rooms/{'A' * 43}/members", {"name": "\x00", "answers": complete_answers()})
        assert member.status_code == 400
        models.DecisionRoom.objects.all().delete()
        for deadline in (0, 1_700_000_000, "2027-01-01T00:00:00", "tomorrow"):
            assert self.post("/api/v1/rooms", {"title": "A", "deadline": deadline}).status_code == 400, deadline
        assert not models.DecisionRoom.objects.exists()

    def test_the_openapi_document_describes_the_room_operations(self):
        document = self.client.get("/api/v1/openapi.json").json()
        operations = {op["operationId"] for path in document["paths"].values() for op in path.values()}
        assert {"createRoom", "getRoom", "answerRoom", "reviseAnswers", "closeRoom"} <= operations


class TeamRecordTests(RoomFlow):
    def test_the_record_permalink_and_markdown_name_the_participants_overrides_and_dissent(self):
        room, manage_url = self.open_room(title="Support assistant model")
        self.answer(room, self.client_class(), "Ada", deployment="any-api")
        self.answer(room, self.client_class(), "Sec", deployment="on-premises", hardware="node-8x80")
        token = manage_url.split("/")[-2]
        self.client.post(
            reverse("advisor:room-override", kwargs={"token": token, "key": "volume"}),
            {"volume-value": "high", "volume-reason": "The launch plan doubles traffic."},
        )
        self.client.post(reverse("advisor:room-close", kwargs={"token": token}))
        room.refresh_from_db()
        page = self.client.get(room.record.get_absolute_url())
        self.assertContains(page, "A team decision")
        self.assertContains(page, "“Support assistant model”")
        self.assertContains(page, "Ada")
        self.assertContains(page, "Sec")
        self.assertContains(page, "The launch plan doubles traffic.")
        self.assertContains(page, "Dissent")
        self.assertContains(page, "The team's answers")
        record = self.client.get(reverse("advisor:recommendation-record", kwargs={"code": room.record.code}))
        text = record.content.decode()
        assert "## A team decision" in text
        assert "- Ada:" in text and "- Sec:" in text
        assert "The launch plan doubles traffic." in text
        assert "Where may the model run? " in text and "On our own servers: Sec (the team's answer)" in text
        # An ordinary result says nothing of a team.
        single = self.client.post(reverse("advisor:questionnaire"), complete_answers())
        assert "A team decision" not in self.client.get(single["Location"]).content.decode()
