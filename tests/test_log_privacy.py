"""No capability in any log line: room tokens, like permalink codes, are logged as their route pattern.

These tests read what the handler configured in settings.LOGGING writes (its filter included), so
they fail if the filter is unwired as well as if a route or a logger starts naming a token.
"""

import io
import logging
from unittest import mock

import pytest
from django.test import Client

from tests.conftest import complete_answers


@pytest.fixture
def configured_log():
    """Everything the configured console handler writes, with its own filters, during the test."""
    # settings.LOGGING's console handler (pytest adds handlers of its own beside it).
    (handler,) = [h for h in logging.getLogger("django.request").handlers if type(h) is logging.StreamHandler]
    request_logger = logging.getLogger("advisor.request")
    # One handler for the request lines, Django's errors and everything that reaches the root logger.
    assert handler in request_logger.handlers and handler in logging.getLogger().handlers
    stream = io.StringIO()
    previous = handler.setStream(stream)
    old_level = request_logger.level
    request_logger.setLevel(logging.INFO)
    yield stream
    request_logger.setLevel(old_level)
    handler.setStream(previous)


@pytest.fixture
def room_tokens(db):
    client = Client()
    created = client.post("/api/v1/rooms", {"title": "Which model"}, content_type="application/json")
    assert created.status_code == 201, created.content
    room = created.json()
    member = client.post(
        f"/api/v1/rooms/{room['answer_token']}/members",
        {"name": "Ada", "answers": complete_answers()},
        content_type="application/json",
    )
    assert member.status_code == 201, member.content
    return {
        "manage": room["manage_token"],
        "answer": room["answer_token"],
        "view": room["view_token"],
        "member": member.json()["member_token"],
    }


def assert_no_token(written, tokens):
    assert written, "nothing was logged"
    for name, token in tokens.items():
        assert token not in written, (name, written)


@pytest.mark.django_db
def test_room_pages_and_room_api_calls_are_logged_without_their_tokens(configured_log, room_tokens):
    client = Client()
    for kind in ("manage", "answer", "member", "view"):
        assert client.get(f"/rooms/{kind}/{room_tokens[kind]}/").status_code == 200, kind
    assert client.get(f"/api/v1/rooms/{room_tokens['view']}").status_code == 200
    revised = client.put(
        f"/api/v1/members/{room_tokens['member']}",
        {"name": "Ada", "answers": complete_answers()},
        content_type="application/json",
    )
    assert revised.status_code == 200, revised.content
    assert client.post(f"/api/v1/rooms/{room_tokens['manage']}/close").status_code == 200
    written = configured_log.getvalue()
    assert_no_token(written, room_tokens)
    assert '"route": "rooms/manage/<token:token>/"' in written
    assert '"route": "rooms/member/<token:token>/"' in written


@pytest.mark.django_db
def test_a_csrf_refusal_and_a_server_error_on_a_room_log_the_route_not_the_token(configured_log, room_tokens):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    assert client.post(f"/rooms/answer/{room_tokens['answer']}/", {"name": "x"}).status_code == 403
    assert client.post(f"/rooms/manage/{room_tokens['manage']}/close/").status_code == 403

    from advisor import services

    with mock.patch.object(services, "room_state", side_effect=RuntimeError("broken")):
        assert client.get(f"/rooms/view/{room_tokens['view']}/").status_code == 500
        assert client.get(f"/rooms/manage/{room_tokens['manage']}/").status_code == 500

    written = configured_log.getvalue()
    assert "Forbidden" in written and "Internal Server Error" in written
    assert_no_token(written, room_tokens)
    assert "rooms/answer/<token:token>/" in written and "rooms/view/<token:token>/" in written


@pytest.mark.django_db
def test_a_chunked_body_that_never_arrives_is_answered_by_django_not_logged_by_gunicorn(room_tokens, monkeypatch):
    """gunicorn answers an exception escaping the app with a 500 and logs the request line, token and all."""
    import json
    import socket

    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    from advisor import wsgi

    monkeypatch.setattr(wsgi, "BODY_TIMEOUT", 0.2)
    server, client = socket.socketpair()
    try:
        client.sendall(b'{"name": "A')  # and nothing more
        environ = RequestFactory().generic("POST", f"/api/v1/rooms/{room_tokens['answer']}/members").environ
        environ.pop("CONTENT_LENGTH", None)
        environ.update(CONTENT_TYPE="application/json", HTTP_TRANSFER_ENCODING="chunked")
        environ["gunicorn.socket"] = server
        environ["wsgi.input"] = server.makefile("rb")
        status = []
        content = b"".join(wsgi.with_chunked_bodies(WSGIHandler())(environ, lambda s, h, e=None: status.append(s)))
    finally:
        server.close()
        client.close()
    assert status[0].startswith("400"), (status, content[:300])
    assert json.loads(content)["error"]
