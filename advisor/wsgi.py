import io
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")

CHUNKED_BODY_LIMIT = 3 * 1024 * 1024  # above Django's 2.5 MB upload limit, so that limit still answers


def with_chunked_bodies(app):
    """Give a chunked request body a length, so Django reads it.

    gunicorn decodes ``Transfer-Encoding: chunked`` but passes no CONTENT_LENGTH, and Django
    reads a body only up to CONTENT_LENGTH: a chunked JSON body would arrive empty. Read it
    here, up to a bound, and pass it on with its length.
    """

    def wrapped(environ, start_response):
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower() and not environ.get("CONTENT_LENGTH"):
            body = environ["wsgi.input"].read(CHUNKED_BODY_LIMIT + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return app(environ, start_response)

    return wrapped


application = with_chunked_bodies(get_wsgi_application())
