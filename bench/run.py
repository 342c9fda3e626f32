"""Benchmark the public pages under load: server CPU per request, against a minimal view.

    .venv/bin/python bench/run.py                     # 500-model catalogue, models list with 2,000
    .venv/bin/python bench/run.py --size 50 --list-size 50 --rounds 1 --duration 2   # a quick look

What it does:

1. Seeds two temporary file SQLite databases with a synthetic catalogue built
   from the seed catalogue (its licences, providers and criteria; models cloned
   from the real ones with jittered scores): ``--size`` models (default 500)
   for the result permalink, the questionnaire (GET and POST) and the compare
   page, and ``--list-size`` models (default 2,000) for the models list; and a
   third ``--size`` database for a "cold" server that keeps no rendered page
   (``ADVISOR_PAGE_CACHE=0``), whose permalink and questionnaire show what a
   first view costs: the page rendered afresh, the questions without their
   fragment cache.
2. Starts one gunicorn per database with ``gunicorn.conf.py`` and production
   settings on loopback (plain HTTP: ``DJANGO_SECURE_SSL_REDIRECT=0``),
   static files collected with the production (hashed, compressed) storage.
3. Drives load with ``wrk`` (Debian package ``wrk``), in ``--rounds``
   interleaved rounds, for every target and two baselines on each server: a
   minimal Django view through the full middleware (``/healthz``) and a
   static file served by WhiteNoise. The questionnaire POST is a real form
   POST (CSRF cookie and token fetched first) that validates, computes, saves
   and redirects.
4. Reads the server's CPU time from ``/proc`` (user + system time of the
   gunicorn master and its workers, including reaped workers) before and after
   every run, and prints per target: requests/s, p50/p99 latency, errors
   (non-2xx/3xx responses and socket errors) and CPU milliseconds per request
   (median over the rounds), with its ratio to the minimal view and the
   target ratio.

Throughput on a shared 2-core machine swings between rounds; CPU per request
is the stable figure, which is why the targets are ratios of it.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from engine_bench import BASE as BENCH_ANSWERS  # bench/ is on sys.path when run as a script

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from tests.gunicorn_server import GunicornServer  # noqa: E402 - the shared way to start gunicorn

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# name -> (server, maximum ratio to the minimal view's CPU per request, or None for a baseline)
TARGETS = {
    "minimal view (/healthz)": ("main", None),
    "static file (WhiteNoise)": ("main", None),
    "result permalink": ("main", 3),
    "questionnaire GET": ("main", 6),
    "questionnaire POST": ("main", 10),
    "compare page (4 models)": ("main", 6),
    "minimal view (/healthz) [list server]": ("list", None),
    "static file (WhiteNoise) [list server]": ("list", None),
    "models list": ("list", 10),
    # The same pages rendered afresh (ADVISOR_PAGE_CACHE=0): what a first view costs, reported so the
    # page cache cannot hide a slow render.
    "minimal view (/healthz) [cold server]": ("cold", None),
    "result permalink, cold": ("cold", 6),
    "questionnaire GET, cold": ("cold", None),
}
BASELINE = {
    "main": "minimal view (/healthz)",
    "list": "minimal view (/healthz) [list server]",
    "cold": "minimal view (/healthz) [cold server]",
}


# --- Seeding (runs in a subprocess with the server's environment) ----------------


def seed(size):
    """Replace the seed catalogue's models by ``size`` synthetic ones cloned from them."""
    import random

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from advisor import models, versions

    call_command("migrate", "--noinput", verbosity=0)
    call_command("loaddata", "catalogue.json", "presets.json", verbosity=0)
    rng = random.Random(size)
    templates = list(models.AIModel.objects.published().prefetch_related("scores"))
    with transaction.atomic():
        clones = []
        for index in range(size):
            template = templates[index % len(templates)]
            clone = models.AIModel.objects.get(pk=template.pk)
            clone.pk = clone.id = None
            clone.slug = f"{template.slug}-x{index:04d}"[:100]
            clone.name = f"{template.name} · variant {index}"
            if clone.context_window:
                clone.context_window = max(1024, clone.context_window + rng.randint(-4, 4) * 1024)
            clones.append(clone)
        clones = models.AIModel.objects.bulk_create(clones)
        scores, sources = [], []
        for index, clone in enumerate(clones):
            template = templates[index % len(templates)]
            for score in template.scores.all():
                value = min(10, max(0, score.value + rng.choice((-1, 0, 0, 1))))
                scores.append(
                    models.Score(
                        ai_model=clone, criterion_id=score.criterion_id, value=value, rationale=score.rationale
                    )
                )
            sources.append(
                models.Source(ai_model=clone, url="https://example.org/model-card", title="Model card", as_of="2025-06")
            )
        models.Score.objects.bulk_create(scores)
        models.Source.objects.bulk_create(sources)
        models.AIModel.objects.filter(pk__in=[t.pk for t in templates]).delete()
        models.AIModel.objects.exclude(status="published").delete()
    versions.publish(note="benchmark catalogue")
    print(f"seeded {models.AIModel.objects.published().count()} models", flush=True)


# --- Servers ------------------------------------------------------------------------


def check(condition, message):
    if not condition:
        raise SystemExit(f"bench: {message}")


class Server(GunicornServer):
    """One benchmark server (tests/gunicorn_server.py) on a synthetic catalogue of ``size`` models."""

    def __init__(self, name, size, workdir, static_root, workers, **env):
        self.name, self.size = name, size
        super().__init__(
            workdir / name,
            DJANGO_STATIC_ROOT=static_root,
            DATABASE_URL=f"sqlite:///{workdir / name / 'bench.sqlite3'}",
            ADVISOR_SUBMISSION_LIMIT=10**9,
            GUNICORN_WORKERS=workers,
            GUNICORN_LOG_LEVEL="warning",
            GUNICORN_MAX_REQUESTS=0,  # a recycled worker's CPU time would drop out of the measurement
            **env,
        )

    def seed(self):
        subprocess.run(
            [sys.executable, __file__, "--seed-only", str(self.size)], cwd=BASE_DIR, env=self.env, check=True
        )

    def start(self, timeout=30):
        try:
            return super().start(timeout)
        except RuntimeError as error:
            raise SystemExit(f"gunicorn ({self.name}) did not start; see {self.log_path}") from error

    def cpu_seconds(self):
        """User + system CPU of the master, its live workers, and workers already reaped."""
        master = self.process.pid
        total = _stat_ticks(master, children=True)
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == master:  # ppid
                    total += int(fields[11]) + int(fields[12])
        return total / CLOCK_TICKS


def _stat_ticks(pid, children=False):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the command name: state is fields[0], so utime is [11], stime [12], cutime [13], cstime [14].
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks


# --- Targets ------------------------------------------------------------------------


def _permalink(server, answers):
    status, _headers, body = server.request(
        "POST", "/api/v1/recommendations", json.dumps({"answers": answers}), {"Content-Type": "application/json"}
    )
    check(status == 201, f"the API answered {status}: {body[:300]!r}")
    return "/" + json.loads(body)["permalink"].split("/", 3)[3]


def prepare_targets(main, listing, cold, workdir):
    """Each target as (server, path, optional wrk Lua script)."""
    answers = BENCH_ANSWERS  # the neutral team of engine_bench.py: the questionnaire assumes no answer
    permalink = _permalink(main, answers)

    status, headers, page = main.request("GET", "/questionnaire/")
    check(status == 200, f"the questionnaire answered {status}")
    cookie = next(value for name, value in headers if name.lower() == "set-cookie" and "csrftoken=" in value)
    cookie = cookie.split(";", 1)[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    pairs = [("csrfmiddlewaretoken", token)]
    for key, value in answers.items():
        pairs += [(key, item) for item in value] if isinstance(value, list) else [(key, value)]
    form = urlencode(pairs)
    status, headers, _ = main.request(
        "POST", "/questionnaire/", form, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    )
    check(status == 303, f"the form POST answered {status}, not 303")
    post_script = workdir / "post.lua"
    post_script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(form)}\n"
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Cookie"] = {json.dumps(cookie)}\n'
    )

    static = {}
    for name, server in (("main", main), ("list", listing)):
        home = server.request("GET", "/")[2].decode()
        static[name] = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', home).group(1)
    slugs = re.findall(r'<option value="([^"]+)"', main.request("GET", "/compare/")[2].decode())[:4]
    check(len(slugs) == 4, f"not enough models to compare: {slugs}")
    targets = {
        "minimal view (/healthz)": (main, "/healthz", None),
        "static file (WhiteNoise)": (main, static["main"], None),
        "result permalink": (main, permalink, None),
        "questionnaire GET": (main, "/questionnaire/", None),
        "questionnaire POST": (main, "/questionnaire/", post_script),
        "compare page (4 models)": (main, "/compare/?" + "&".join(f"m={slug}" for slug in slugs), None),
        "minimal view (/healthz) [list server]": (listing, "/healthz", None),
        "static file (WhiteNoise) [list server]": (listing, static["list"], None),
        "models list": (listing, "/models/", None),
        "minimal view (/healthz) [cold server]": (cold, "/healthz", None),
        "result permalink, cold": (cold, _permalink(cold, answers), None),
        "questionnaire GET, cold": (cold, "/questionnaire/", None),
    }
    for name, (server, path, script) in targets.items():
        if script is None:
            status = server.request("GET", path)[0]
            check(status == 200, f"{name}: {path} answered {status}")
    return targets


# --- wrk -----------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def run_wrk(server, path, script, duration, connections, threads):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", str(script)]
    command.append(f"http://127.0.0.1:{server.port}{path}")
    before = server.cpu_seconds()
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if not re.search(r"^\s+99%", output, re.MULTILINE):
        raise SystemExit(f"wrk gave no latency figures for {path}:\n{output}")
    cpu = server.cpu_seconds() - before
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"^\s*50%\s+([\d.]+(?:us|ms|s|m))", output, re.MULTILINE).group(1)),
        "p99": _ms(re.search(r"^\s*99%\s+([\d.]+(?:us|ms|s|m))", output, re.MULTILINE).group(1)),
        "errors": errors,
        "cpu_ms": 1000 * cpu / max(requests, 1),
    }


# --- Main --------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=500, help="models for permalink, questionnaire and compare")
    parser.add_argument("--list-size", type=int, default=2000, help="models for the models list")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (the median is reported)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per target per round")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per server")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (databases, logs)")
    parser.add_argument("--seed-only", type=int, metavar="SIZE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_only is not None:
        seed(args.seed_only)
        return 0
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2

    from tests.staticbuild import collected_static_root

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings_test")
    import django

    django.setup()  # only for the question definitions used to build the POST body

    workdir = Path(tempfile.mkdtemp(prefix="advisor-bench-"))
    static_root = collected_static_root()
    main_server = Server("main", args.size, workdir, static_root, args.workers)
    list_server = Server("list", args.list_size, workdir, static_root, args.workers)
    cold_server = Server("cold", args.size, workdir, static_root, args.workers, ADVISOR_PAGE_CACHE="0")
    servers = (main_server, list_server, cold_server)
    try:
        for server in servers:
            server.seed()
            server.start()
        targets = prepare_targets(main_server, list_server, cold_server, workdir)
        print(f"warming up ({len(targets)} targets)...", flush=True)
        for server, path, script in targets.values():
            run_wrk(server, path, script, 1, args.connections, args.threads)
        results = {name: [] for name in targets}
        for round_number in range(1, args.rounds + 1):
            for name, (server, path, script) in targets.items():
                result = run_wrk(server, path, script, args.duration, args.connections, args.threads)
                results[name].append(result)
                print(
                    f"round {round_number}: {name:40} {result['rps']:8.1f} req/s  "
                    f"{result['cpu_ms']:7.2f} CPU ms/req  errors {result['errors']}",
                    flush=True,
                )
        ok = report(results, args)
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


def report(results, args):
    sizes = {"main": args.size, "list": args.list_size, "cold": args.size}
    cpu = {name: statistics.median(r["cpu_ms"] for r in runs) for name, runs in results.items()}
    print()
    print(
        f"Benchmark: {args.rounds} interleaved round(s) of {args.duration} s per target, wrk -t{args.threads} "
        f"-c{args.connections}, gunicorn {args.workers} threaded workers, production settings, file SQLite"
    )
    header = (
        f"| {'target':40} | {'models':>6} | {'req/s':>7} | {'p50 ms':>7} | {'p99 ms':>7} | {'errors':>6} "
        f"| {'CPU ms/req':>10} | {'x minimal':>9} | {'target':>6} | {'meets':5} |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell) + 0) for cell in header.split("|")[1:-1]) + "|")
    all_ok = True
    for name, runs in results.items():
        server, limit = TARGETS[name]
        ratio = cpu[name] / cpu[BASELINE[server]]
        errors = sum(r["errors"] for r in runs)
        meets = errors == 0 and (limit is None or ratio <= limit)
        all_ok = all_ok and meets
        print(
            f"| {name:40} | {sizes[server]:>6} | {statistics.median(r['rps'] for r in runs):>7.1f} "
            f"| {statistics.median(r['p50'] for r in runs):>7.2f} | {statistics.median(r['p99'] for r in runs):>7.2f} "
            f"| {errors:>6} | {cpu[name]:>10.2f} | {ratio:>8.2f}x | {'-' if limit is None else f'<= {limit}x':>6} "
            f"| {'yes' if meets else 'NO':5} |"
        )
    print()
    print("All targets met with zero errors." if all_ok else "Some targets were missed (see 'meets').")
    return all_ok


if __name__ == "__main__":
    sys.exit(main())
