"""Gunicorn settings for a 2-core machine.

Threaded workers (gthread): each worker process runs a pool of threads, and its main thread
accepts connections and waits on them with a selector. An idle connection (a client that
connects and sends nothing, or a keep-alive connection between requests) costs no thread once
deferred, and a client that sends its request slowly holds one thread of a large pool rather than
a whole worker, so a few hundred slow or idle clients cannot stop the others being served
(tests/test_gunicorn.py measures it). The work itself is short and CPU-bound (rendering, scoring)
plus a database round trip, so the processes, two per core, do the computing; the threads are
mostly waiting on sockets. A request body that arrives too slowly is cut off after
ADVISOR_BODY_TIMEOUT seconds (advisor/wsgi.py). Behind a buffering proxy (nginx, a cloud load
balancer) none of this is reached, but the app does not depend on one.

On SIGTERM, gunicorn stops accepting connections and gives in-flight requests
``graceful_timeout`` seconds to finish, so a deploy or a restart drops nothing that a worker has
accepted. Connections still waiting in the listen backlog are refused once the listener closes,
so a load balancer should stop routing to an instance (e.g. on a failed /readyz) before it is
sent SIGTERM.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "64"))
worker_connections = 1000  # per worker: connections held open, idle ones included
timeout = 30
graceful_timeout = 30
keepalive = 5
# The worker heartbeat file lives in memory where available, so a slow or
# full disk can never make the master think a healthy worker hung.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - a RAM disk, not shared temp
# Recycle workers now and then so a slow leak can never grow without bound (GUNICORN_MAX_REQUESTS=0:
# never, as bench/run.py runs it: a worker exiting mid-measurement would take its CPU time along).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Load the app once in the master and fork: faster start, shared memory pages.
preload_app = True
accesslog = None  # the app logs one structured line per request itself
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket defaults to one shared path in the home directory, which a second
# instance on the machine would take over. The app does not use it: off unless a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


def post_fork(server, worker):
    """Never share a database connection the master may have opened while loading the app."""
    from django.db import connections

    connections.close_all()
