import io
import os
import socket
import time

from django.core.exceptions import BadRequest
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")

CHUNKED_BODY_LIMIT = 3 * 1024 * 1024  # above Django's 2.5 MB upload limit, so that limit still answers
BODY_TIMEOUT = float(os.environ.get("ADVISOR_BODY_TIMEOUT", "10"))  # seconds for a whole request body


class BodyTooSlow(BadRequest):
    """The client did not send its request body in time: Django answers 400 Bad Request."""


class DeadlineInput:
    """``wsgi.input`` that must be read to its end within a deadline.

    A client that trickles its body a byte at a time would otherwise hold a server thread for as
    long as it likes. Each read waits at most until the deadline, then fails.
    """

    def __init__(self, stream, sock, deadline):
        self.stream, self.sock, self.deadline = stream, sock, deadline

    def _call(self, method, *args):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise BodyTooSlow("request body timed out")
        self.sock.settimeout(remaining)
        try:
            return getattr(self.stream, method)(*args)
        except TimeoutError as error:
            raise BodyTooSlow("request body timed out") from error
        finally:
            self.sock.settimeout(None)

    def read(self, *args):
        return self._call("read", *args)

    def readline(self, *args):
        return self._call("readline", *args)

    def readlines(self, *args):
        return self._call("readlines", *args)

    def __iter__(self):
        return iter(self.readline, b"")


class RefusedInput:
    """``wsgi.input`` for a chunked body that timed out: reading it raises that error again."""

    def __init__(self, error):
        self.error = error

    def read(self, *args):
        raise self.error

    readline = readlines = read


def with_chunked_bodies(app):
    """Give a chunked request body a length, so Django reads it.

    gunicorn decodes ``Transfer-Encoding: chunked`` but passes no CONTENT_LENGTH, and Django
    reads a body only up to CONTENT_LENGTH: a chunked JSON body would arrive empty. Read it
    here, up to a bound, and pass it on with its length.
    """

    def wrapped(environ, start_response):
        sock = environ.get("gunicorn.socket")
        if isinstance(sock, socket.socket) and (environ.get("CONTENT_LENGTH") or environ.get("HTTP_TRANSFER_ENCODING")):
            environ["wsgi.input"] = DeadlineInput(environ["wsgi.input"], sock, time.monotonic() + BODY_TIMEOUT)
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower() and not environ.get("CONTENT_LENGTH"):
            try:
                body = environ["wsgi.input"].read(CHUNKED_BODY_LIMIT + 1)
            except BodyTooSlow as error:
                # Django answers it (400, JSON under /api/) when the view reads the body. Raised here, it
                # would reach gunicorn, which answers 500 and logs the request line: a token in the URL.
                environ["wsgi.input"] = RefusedInput(error)
                environ["CONTENT_LENGTH"] = "1"
            else:
                environ["wsgi.input"] = io.BytesIO(body)
                environ["CONTENT_LENGTH"] = str(len(body))
        return app(environ, start_response)

    return wrapped


application = with_chunked_bodies(get_wsgi_application())

# Import the URL configuration and every view module now: with gunicorn's preload_app this runs
# once in the master, so a new worker's first request does not pay for it.
get_resolver().url_patterns  # noqa: B018 - the access imports them
