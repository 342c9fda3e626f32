"""gunicorn as production runs it, for the tests and the benchmark: the one way they start a server.

``GunicornServer`` runs the repository's ``gunicorn.conf.py`` with production settings over plain
HTTP on a loopback port of its own (TLS would end at a proxy), with a SQLite database in its own
folder unless ``DATABASE_URL`` is given::

    with GunicornServer(tmp_path / "server", GUNICORN_WORKERS="2") as server:
        server.manage("loaddata", "catalogue.json")   # migrate has run
        server.manage("publish_catalogue")
        status, headers, body = server.request("GET", "/healthz")
"""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(var_dir, port):
    """The environment of a production server on loopback, none of the caller's settings leaking in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "GUNICORN_", "AXES_", "ADVISOR_", "REDIS_URL"))
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


def request(port, method, path, body=None, headers=None, timeout=30):
    """One request on a new connection: ``(status, headers as a list of pairs, body bytes)``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


class GunicornServer:
    def __init__(self, var_dir, **env):
        self.port = free_port()
        self.dir = Path(var_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.env = production_env(self.dir, self.port)
        self.env.update({key: str(value) for key, value in env.items()})
        self.log_path = self.dir / "gunicorn.log"
        self.process = None
        self._log = None

    def manage(self, *arguments, timeout=300, **env):
        """Run a manage.py command with the server's settings (plus ``env``); it must succeed."""
        subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=BASE_DIR,
            env={**self.env, **{key: str(value) for key, value in env.items()}},
            check=True,
            timeout=timeout,
        )

    def start(self, timeout=30):
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [str(GUNICORN), "--config", "gunicorn.conf.py", "advisor.wsgi"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited while starting:\n{self.output()}")
            try:
                if self.request("GET", "/healthz", timeout=1)[0] == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start within {timeout} s:\n{self.output()}")

    def stop(self, timeout=30):
        """SIGTERM (in-flight requests finish), then SIGKILL if it does not exit in time."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self):
        self.manage("migrate", "--noinput", "--verbosity", "0")
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def request(self, method, path, body=None, headers=None, timeout=30):
        return request(self.port, method, path, body, headers, timeout)

    def get(self, path, timeout=5):
        """``(status, body)`` of a GET."""
        status, _headers, body = self.request("GET", path, timeout=timeout)
        return status, body

    def output(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
