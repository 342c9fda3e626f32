"""gunicorn with the repository's config: SIGTERM lets accepted requests finish, slow or idle clients
do not stop other visitors being served, and a hung database answers 503 on time."""

import contextlib
import http.client
import json
import signal
import socket
import threading
import time

import pytest

from tests.conftest import complete_answers
from tests.gunicorn_server import BASE_DIR, GunicornServer
from tests.staticbuild import collected_static_root


def read_response(sock):
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@pytest.mark.slow
def test_sigterm_lets_in_flight_requests_finish(tmp_path):
    server = GunicornServer(tmp_path)
    server.manage("migrate", "--noinput", "--verbosity", "0")
    server.start(timeout=15)
    try:
        # Two requests in flight: accepted, the client still sending headers.
        in_flight = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(2)]
        for sock in in_flight:
            sock.sendall(b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n")

        # Meanwhile, a stream of quick requests.
        outcomes, stop = [], threading.Event()

        def hammer():
            while not stop.is_set():
                try:
                    outcomes.append(server.get("/readyz")[0])
                except (ConnectionError, http.client.RemoteDisconnected, TimeoutError) as error:
                    # Refused or reset: the listener closed before a worker accepted it.
                    outcomes.append(type(error).__name__)
                    if isinstance(error, ConnectionRefusedError):
                        return

        stream = threading.Thread(target=hammer)
        stream.start()
        time.sleep(0.7)
        served_before = sum(1 for outcome in outcomes if outcome == 200)

        server.process.send_signal(signal.SIGTERM)
        time.sleep(1.0)  # gunicorn is shutting down while both requests are still arriving

        for sock in in_flight:
            sock.sendall(b"Connection: close\r\n\r\n")
        finished = [read_response(sock) for sock in in_flight]
        stop.set()
        stream.join(timeout=10)

        assert [status for status, _ in finished] == [200, 200]
        assert all(json.loads(body) == {"status": "ok", "database": "ok"} for _, body in finished)
        assert served_before >= 5, outcomes
        statuses = [outcome for outcome in outcomes if isinstance(outcome, int)]
        assert set(statuses) == {200}, outcomes
        assert server.process.wait(timeout=15) == 0
    finally:
        server.stop()
    output = server.output()
    assert "Handling signal: term" in output
    assert "Traceback" not in output, output


@pytest.mark.slow
def test_other_visitors_are_served_while_hundreds_of_clients_are_idle_or_slow(tmp_path):
    """200 sockets that send nothing and 50 that send a body a byte at a time: p99 stays under a second."""
    server = GunicornServer(
        tmp_path,
        GUNICORN_WORKERS=4,
        ADVISOR_SUBMISSION_LIMIT=1000,
        ADVISOR_BODY_TIMEOUT=3,
        DJANGO_STATIC_ROOT=collected_static_root(),
    )
    server.manage("migrate", "--noinput", "--verbosity", "0")
    server.manage("loaddata", "catalogue.json", "--verbosity", "0")
    server.manage("publish_catalogue", "--verbosity", "0")
    server.start(timeout=20)
    held, stop = [], threading.Event()
    try:
        answers = json.loads((BASE_DIR / "fixtures" / "presets.json").read_text())[0]["fields"]["answers"]
        body = json.dumps({"answers": complete_answers(**answers)})
        status, _headers, created = server.request(
            "POST", "/api/v1/recommendations", body, {"Content-Type": "application/json"}
        )
        assert status == 201, created
        permalink = "/r/" + json.loads(created)["code"] + "/"

        held.extend(socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(200))
        slow = []
        for _ in range(50):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            sock.sendall(
                b"POST /api/v1/recommendations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"
            )
            slow.append(sock)
        held.extend(slow)

        def trickle():
            while not stop.wait(0.5):
                for sock in slow:
                    with contextlib.suppress(OSError):
                        sock.send(b" ")

        trickler = threading.Thread(target=trickle, daemon=True)
        trickler.start()
        time.sleep(1)  # every socket is accepted and waiting

        latencies = {"/healthz": [], permalink: []}
        deadline = time.monotonic() + 12
        while time.monotonic() < deadline:
            for path, measured in latencies.items():
                started = time.monotonic()
                status, _ = server.get(path, timeout=10)
                measured.append(time.monotonic() - started)
                assert status == 200, path
        for path, measured in latencies.items():
            p99 = percentile(measured, 0.99)
            p50 = percentile(measured, 0.5)
            print(f"{path}: {len(measured)} requests, p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")
            assert len(measured) >= 50
            assert p99 < 1.0, (path, p99)
        # A body still arriving after ADVISOR_BODY_TIMEOUT seconds is refused, and its thread freed.
        stop.set()
        trickler.join()
        assert slow[0].recv(100).startswith(b"HTTP/1.1 400")
    finally:
        stop.set()
        for sock in held:
            sock.close()
        server.stop()
    assert "Traceback" not in server.output()


@pytest.mark.slow
def test_a_hung_database_gives_503_quickly_and_pages_fail_fast(tmp_path):
    """The database server accepts connections and then says nothing, like a paused PostgreSQL."""
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(100)  # the kernel completes the TCP handshakes; nobody ever answers
    server = GunicornServer(
        tmp_path,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{hole.getsockname()[1]}/advisor",
        DJANGO_STATIC_ROOT=collected_static_root(),
    )
    try:
        server.start(timeout=20)
        for _ in range(3):
            started = time.monotonic()
            status, body = server.get("/readyz", timeout=10)
            assert status == 503
            assert json.loads(body) == {"status": "unavailable", "database": "not answering"}
            assert time.monotonic() - started < 2.0
        started = time.monotonic()
        status, body = server.get("/models/", timeout=10)
        assert status == 503
        assert b"cannot reach its database" in body
        assert time.monotonic() - started < 4.0
        # The liveness probe answers at once meanwhile.
        assert server.get("/healthz", timeout=2)[0] == 200
    finally:
        server.stop()
        hole.close()
