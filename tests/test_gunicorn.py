"""gunicorn with the repository's config: a SIGTERM lets every accepted request finish."""

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import complete_answers
from tests.staticbuild import collected_static_root

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(var_dir, port):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "GUNICORN_", "AXES_", "ADVISOR_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="advisor.settings",
        DJANGO_ENV="production",
        DJANGO_SECURE_SSL_REDIRECT="0",  # TLS ends at the proxy in front
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_VAR_DIR=str(var_dir),  # a file SQLite database of its own
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="3",
    )
    return env


def get(port, path, timeout=5):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_until_up(port, server, deadline):
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError("gunicorn exited while starting")
        try:
            if get(port, "/healthz", timeout=1)[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start in time")


def read_response(sock):
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


@pytest.mark.slow
def test_sigterm_lets_in_flight_requests_finish(tmp_path):
    port = free_port()
    env = server_env(tmp_path, port)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=60,
    )
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(GUNICORN), "--config", "gunicorn.conf.py", "advisor.wsgi"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(port, server, time.monotonic() + 15)

        # Two requests in flight: accepted by a worker each, the client still sending headers.
        in_flight = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(2)]
        for sock in in_flight:
            sock.sendall(b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n")

        # Meanwhile, a stream of quick requests for the third worker.
        outcomes, stop = [], threading.Event()

        def hammer():
            while not stop.is_set():
                try:
                    outcomes.append(get(port, "/readyz")[0])
                except (ConnectionError, http.client.RemoteDisconnected, TimeoutError) as error:
                    # Refused or reset: the listener closed before a worker accepted it.
                    outcomes.append(type(error).__name__)
                    if isinstance(error, ConnectionRefusedError):
                        return

        stream = threading.Thread(target=hammer)
        stream.start()
        time.sleep(0.7)
        served_before = sum(1 for outcome in outcomes if outcome == 200)

        server.send_signal(signal.SIGTERM)
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
        assert server.wait(timeout=15) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        log.close()
    output = (tmp_path / "gunicorn.log").read_text()
    assert "Handling signal: term" in output
    assert "Traceback" not in output, output


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@pytest.mark.slow
def test_other_visitors_are_served_while_hundreds_of_clients_are_idle_or_slow(tmp_path):
    """200 sockets that send nothing and 50 that send a body a byte at a time: p99 stays under a second."""
    port = free_port()
    env = server_env(tmp_path, port)
    env.update(GUNICORN_WORKERS="4", ADVISOR_SUBMISSION_LIMIT="1000", DJANGO_STATIC_ROOT=str(collected_static_root()))
    for command in (["migrate", "--noinput", "--verbosity", "0"], ["loaddata", "catalogue.json", "--verbosity", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, check=True, timeout=120)
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(GUNICORN), "--config", "gunicorn.conf.py", "advisor.wsgi"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    held, stop = [], threading.Event()
    try:
        wait_until_up(port, server, time.monotonic() + 20)
        answers = json.loads((BASE_DIR / "fixtures" / "presets.json").read_text())[0]["fields"]["answers"]
        body = json.dumps({"answers": complete_answers(**answers)}).encode()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/api/v1/recommendations", body, {"Content-Type": "application/json"})
        created = conn.getresponse()
        assert created.status == 201, created.read()
        permalink = "/r/" + json.loads(created.read())["code"] + "/"
        conn.close()

        held.extend(socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(200))
        slow = []
        for _ in range(50):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
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
                status, _ = get(port, path, timeout=10)
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
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    output = (tmp_path / "gunicorn.log").read_text()
    assert "Traceback" not in output, output


@pytest.mark.slow
def test_a_hung_database_gives_503_quickly_and_pages_fail_fast(tmp_path):
    """The database server accepts connections and then says nothing, like a paused PostgreSQL."""
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(100)  # the kernel completes the TCP handshakes; nobody ever answers
    port = free_port()
    env = server_env(tmp_path, port)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{hole.getsockname()[1]}/advisor",
        DJANGO_STATIC_ROOT=str(collected_static_root()),
    )
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(GUNICORN), "--config", "gunicorn.conf.py", "advisor.wsgi"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(port, server, time.monotonic() + 20)
        for _ in range(3):
            started = time.monotonic()
            status, body = get(port, "/readyz", timeout=10)
            assert status == 503
            assert json.loads(body) == {"status": "unavailable", "database": "not answering"}
            assert time.monotonic() - started < 2.0
        started = time.monotonic()
        status, body = get(port, "/models/", timeout=10)
        assert status == 503
        assert b"cannot reach its database" in body
        assert time.monotonic() - started < 4.0
        # The probe of a site that is up answers at once meanwhile.
        assert get(port, "/healthz", timeout=2)[0] == 200
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        hole.close()
