"""A whole team answering a decision room at the same moment, against a real gunicorn: nothing lost.

On a file SQLite database and on a fresh PostgreSQL database, each migrated and loaded with
the seed catalogue: 30 members answer one room at once (through the JSON API, released by a
barrier), then revise at once; 60 clients race for the 50 places of another room. Every
acknowledged answer is in the room, no response is a 5xx, and no room ends with more than 50
members.
"""

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.test_concurrency import Server, fresh_postgres_database, psql, request, sqlite_count, varied_answers

pytestmark = pytest.mark.slow
__all__ = ["fresh_postgres_database"]  # a fixture, used by name below

MEMBERS = 30
RACERS = 60
LARGEST_ROOM = "SELECT max(n) FROM (SELECT count(*) AS n FROM advisor_roommember GROUP BY room_id) AS sizes"


def post_json(port, path, body, method="POST"):
    status, _headers, content = request(
        port, method, path, json.dumps(body), {"Content-Type": "application/json"}, timeout=120
    )
    return status, json.loads(content) if content else None


def at_once(count, action):
    """Run ``action(n)`` for n in range(count) in as many threads, released together."""
    barrier = threading.Barrier(count)

    def one(n):
        barrier.wait()
        return action(n)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def team_answers_at_once(server):
    port = server.port
    status, room = post_json(port, "/api/v1/rooms", {"title": "Concurrency room"})
    assert status == 201, room
    answer = f"/api/v1/rooms/{room['answer_token']}/members"
    joined = at_once(MEMBERS, lambda n: post_json(port, answer, {"name": f"Member {n}", "answers": varied_answers(n)}))
    assert Counter(status for status, _ in joined) == Counter({201: MEMBERS}), joined
    # Each member revises their own answers, all at once.
    tokens = [body["member_token"] for _status, body in joined]
    revised = at_once(
        MEMBERS,
        lambda n: post_json(
            port, f"/api/v1/members/{tokens[n]}", {"name": f"Member {n}", "answers": varied_answers(n + 1)}, "PUT"
        ),
    )
    assert Counter(status for status, _ in revised) == Counter({200: MEMBERS}), revised
    status, state = post_json(port, f"/api/v1/rooms/{room['view_token']}", None, "GET")
    assert status == 200
    assert sorted(member["name"] for member in state["members"]) == sorted(f"Member {n}" for n in range(MEMBERS))

    # Sixty clients race for the fifty places of a new room.
    status, full = post_json(port, "/api/v1/rooms", {"title": "Full room"})
    racing = f"/api/v1/rooms/{full['answer_token']}/members"
    raced = at_once(RACERS, lambda n: post_json(port, racing, {"answers": varied_answers(n)}))
    statuses = Counter(status for status, _ in raced)
    assert statuses == Counter({201: 50, 409: RACERS - 50}), statuses
    assert "Traceback" not in server.output(), server.output()[-3000:]
    return room, full


def test_a_team_answering_at_once_loses_nothing_on_sqlite(tmp_path):
    db_path = tmp_path / "rooms.sqlite3"
    with Server(tmp_path, f"sqlite:///{db_path}", {"ADVISOR_ROOM_ANSWER_LIMIT": 10**6}) as server:
        team_answers_at_once(server)
    assert sqlite_count(db_path, "SELECT count(*) FROM advisor_roommember") == MEMBERS + 50
    assert (
        sqlite_count(db_path, "SELECT max(n) FROM (SELECT count(*) AS n FROM advisor_roommember GROUP BY room_id)")
        == 50
    )
    assert sqlite_count(db_path, "PRAGMA integrity_check") == "ok"


def test_a_team_answering_at_once_loses_nothing_on_postgresql(tmp_path, fresh_postgres_database):
    url, name = fresh_postgres_database
    with Server(tmp_path, url, {"ADVISOR_ROOM_ANSWER_LIMIT": 10**6}) as server:
        team_answers_at_once(server)
    assert int(psql(name, "SELECT count(*) FROM advisor_roommember")) == MEMBERS + 50
    assert int(psql(name, LARGEST_ROOM)) == 50
