"""The benchmark behind ``manage.py bench``: serves the application with gunicorn on loopback
(as production does), then measures every main page and API endpoint as the roles that use
them, a baseline, a short load run, and the apps' heavy jobs.

Apps plug in through ``<app>/bench.py``:
- ``JOBS``: a list of ``BenchJob(name, run, …)``; ``run()`` does one heavy job (import, batch,
  report…) in this process and returns the number of rows it handled; the job's goal, if it
  has one, is ``max_seconds`` or ``min_rows_per_second``.
- ``EXTRA_PAGES``: optional ``(username, url)`` pairs that navigation does not reach.
Pages are found from each role's navigation and the first detail link of each list; API
endpoints from each app's router (list, and the first item's detail).

The baseline is a minimal authenticated view of each kind, measured for each role in the same
run: for pages, ``BASELINE_PAGE``, the layout every page is drawn in (session, user, the
navigation with its counts, the language menu) with nothing inside it; for the API,
``BASELINE_API`` (``whoami``). A page is compared with its role's empty page and an endpoint
with its role's ``whoami``, and the load run's mix with the same mix of those baselines: the
ratio then measures what a page or endpoint does on top of the framework's fixed cost, which
is what the 5× limit is about. (Against the cheapest JSON answer, an HTML page would spend
most of its allowance on drawing the layout before it showed anything.) The ratio to the
API baseline is reported for pages too (``ratio_to_api_baseline``)."""
from __future__ import annotations

import http.client
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.shortcuts import render
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import Agency
from core.tokens import token_issue
from core.two_factor import TOTP_NAME, totp_device
from core.workstreams import WORKSTREAMS, app_modules
from web.navigation import nav_items

ROOT = Path(__file__).resolve().parent.parent
ROLES = ["city", "district", "finance", "finwork", "macau", "hengqin", "ngo", "leader", "admin"]
API_ROLES = ("city", "district", "macau", "ngo", "finance", "finwork")
BASELINE_PAGE = "/bench/baseline/"
BASELINE_API = "/api/v1/auth/whoami/"

#: The goals of the scale issue, checked by ``goals()`` on every run.
LIST_PAGE_P50_MS = 50
API_LIST_P50_MS = 30
RATIO_LIMIT = 5
MAX_QUERIES = 15
LOAD_SHARE = 0.40
WORKER_MEMORY_MB = 300


@login_required
def baseline_page(request):
    """The pages' baseline (served by ``devtools.bench_urls`` under the bench settings only): the
    layout of every page with an empty content block."""
    return render(request, "base.html")


class QueryCountMiddleware:
    """Bench settings only: X-Query-Count and X-Server-Time-Ms on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        response["X-Query-Count"] = str(count)
        response["X-Server-Time-Ms"] = f"{(time.perf_counter() - started) * 1000:.2f}"
        return response


@dataclass
class BenchJob:
    name: str
    run: Callable[[], int]
    max_seconds: float | None = None
    min_rows_per_second: float | None = None


@dataclass
class Measure:
    kind: str  # page, api, baseline
    role: str
    path: str
    status: int = 0
    queries: list[int] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    size: int = 0

    @property
    def p50(self) -> float:
        return statistics.median(self.server_ms) if self.server_ms else 0.0

    @property
    def p95(self) -> float:
        if len(self.server_ms) < 2:
            return self.p50
        return statistics.quantiles(self.server_ms, n=20, method="inclusive")[18]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn on loopback with production's configuration (zhuao/gunicorn_conf.py) and the
    bench settings; two workers, one per core of the machine the figures come from."""

    def __init__(self, workers: int = 2, env: dict[str, str] | None = None):
        self.port = _free_port()
        self.workers = workers
        self.env = env or {}
        self.process: subprocess.Popen | None = None

    def __enter__(self):

        # Same key as this process: the sessions and tokens made here must be valid there.
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhuao.settings.bench",
               "SECRET_KEY": settings.SECRET_KEY, **self.env}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:zhuao.gunicorn_conf",
             "zhuao.wsgi:application", "--bind", f"127.0.0.1:{self.port}", "--workers",
             str(self.workers), "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _body, _headers = request(self.port, "GET", "/healthz")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def worker_peak_memory_mb(self) -> float:
        """The largest resident-set high-water mark among gunicorn's workers."""
        peak = 0
        for child in Path("/proc").glob("[0-9]*"):
            try:
                status = (child / "status").read_text()
                if f"PPid:\t{self.process.pid}\n" not in status:
                    continue
                match = re.search(r"VmHWM:\s+(\d+) kB", status)
                peak = max(peak, int(match.group(1)) if match else 0)
            except OSError:
                continue
        return peak / 1024

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)


def request(port: int, method: str, path: str, headers: dict | None = None,
            connection_: http.client.HTTPConnection | None = None):
    own = connection_ is None
    conn = connection_ or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, body, dict(response.getheaders())
    finally:
        if own:
            conn.close()


def session_headers(user) -> dict[str, str]:
    """A real session for ``user`` (as a login would create), as a Cookie header."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "core.auth.StaffModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # past the second factor, as after a sign-in with the user's authenticator code


    device = totp_device(user) or TOTPDevice.objects.create(user=user, name=TOTP_NAME,
                                                            confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}


def token_headers(user) -> dict[str, str]:
    _token, key = token_issue(user=user)
    return {"Authorization": f"Token {key}", "Accept": "application/json"}


def discover_pages(users) -> list[tuple[str, str]]:
    pages: list[tuple[str, str]] = []
    for username in ROLES:
        user = users.get(username)
        if user is None:
            continue
        for item in nav_items(user):
            if item.url_name in {"admin:index", "api_docs"}:
                continue
            pages.append((username, item.url))
    for module in _job_modules():
        pages.extend(getattr(module, "EXTRA_PAGES", []))
    return list(dict.fromkeys(pages))


def discover_api() -> list[str]:
    paths = []
    for app_name in WORKSTREAMS:
        try:
            router = import_module(f"{app_name}.api.urls").router
        except (ModuleNotFoundError, AttributeError):
            continue
        for prefix, _viewset, _basename in router.registry:
            paths.append(f"/api/v1/{app_name}/{prefix}/")
    return paths


_DETAIL_LINK = re.compile(rb'<tbody>.*?<a href="(/[^"#?]+)"', re.S)


def measure(port: int, kind: str, role: str, path: str, headers: dict, repeats: int) -> Measure:
    result = Measure(kind=kind, role=role, path=path)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        for _attempt in range(repeats):
            status, body, response_headers = request(port, "GET", path, headers, conn)
            result.status = status
            result.size = len(body)
            result.queries.append(int(response_headers.get("X-Query-Count", "-1")))
            result.server_ms.append(float(response_headers.get("X-Server-Time-Ms", "0")))
    finally:
        conn.close()
    result.last_body = body  # type: ignore[attr-defined]
    return result


def load_run(port: int, targets: list[tuple[str, dict]], *, clients: int, seconds: float) -> dict:
    """``clients`` threads with keep-alive connections cycle through ``targets`` for
    ``seconds``; returns throughput, errors and latency percentiles (client side)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int):
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        index = offset
        local: list[float] = []
        local_errors = 0
        while time.monotonic() < stop_at:
            path, headers = targets[index % len(targets)]
            index += 1
            started = time.perf_counter()
            try:
                status, _body, _h = request(port, "GET", path, headers, conn)
                if status >= 400:
                    local_errors += 1
            except (OSError, http.client.HTTPException):
                local_errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            local.append((time.perf_counter() - started) * 1000)
        conn.close()
        with lock:
            latencies.extend(local)
            errors += local_errors

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies), "errors": errors, "seconds": round(elapsed, 1),
        "throughput_rps": round(len(latencies) / elapsed, 1) if elapsed else 0,
        "p50_ms": round(latencies[len(latencies) // 2], 1) if latencies else 0,
        "p95_ms": round(latencies[int(len(latencies) * 0.95)], 1) if latencies else 0,
    }


def _job_modules():
    """``<app>/bench.py`` and, where an app's own bench.py is its engineer's script,
    ``<app>/bench_scale.py``."""
    yield from app_modules("bench")
    yield from app_modules("bench_scale")


def run_jobs(stdout, *, keep: bool = False) -> list[dict]:
    """Each job runs in a transaction rolled back afterwards (unless ``keep``), so repeated
    runs measure the same database."""
    results = []
    for module in _job_modules():
        for job in getattr(module, "JOBS", []):
            # Peak memory: the process's resident-set high-water mark after the job (tracemalloc
            # would slow allocation-heavy jobs two- to threefold and distort their times).
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            started = time.perf_counter()
            try:
                with transaction.atomic():
                    rows = job.run()
                    seconds = time.perf_counter() - started
                    transaction.set_rollback(not keep)
                error = ""
            except Exception as failure:  # noqa: BLE001 - report and go on
                rows, error = 0, f"{type(failure).__name__}: {failure}"
                seconds = time.perf_counter() - started
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            results.append({"job": job.name, "seconds": round(seconds, 2), "rows": rows,
                             "rows_per_second": round(rows / seconds, 1) if seconds and rows else 0,
                             "peak_rss_mb": round(rss_after, 1),
                             "rss_growth_mb": round(rss_after - rss_before, 1),
                             "max_seconds": job.max_seconds,
                             "min_rows_per_second": job.min_rows_per_second,
                             "error": error})
            stdout.write(f"  job {job.name}: {seconds:.2f} s, {rows} rows {error}")
    results.append({"job": "(process)", "max_rss_mb":
                    round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)})
    return results


#: A table with more dead rows than this is vacuumed before the pages are measured.
DEAD_ROWS_VACUUMED = 10_000


def vacuum_dead_rows(stdout, *, threshold: int = DEAD_ROWS_VACUUMED) -> list[str]:
    """Vacuum the tables holding many dead rows, as autovacuum would in time. The jobs of an
    earlier run insert their rows and roll them back (a batch's 200,000 payments): the dead rows
    sit at the head of the lists' indexes, newest first, and every list reading that index
    would walk past them, measuring the previous run rather than the data."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE n_dead_tup > %s "
                       "ORDER BY relname", [threshold])
        tables = [name for (name,) in cursor.fetchall()]
        for name in tables:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(name)}")
    if tables:
        stdout.write(f"vacuumed first (dead rows of earlier runs): {', '.join(tables)}")
    return tables


def run(*, repeats: int, clients: int, seconds: float, jobs: bool, load: bool, stdout,
        server_env: dict[str, str] | None = None) -> dict:
    """``server_env``: environment for gunicorn on top of this process's (the tests point it at
    their database)."""
    User = get_user_model()
    users = {user.username: user for user in User.objects.filter(username__in=ROLES)}
    if "city" not in users:
        raise RuntimeError("No demo users: run manage.py seed_demo (or seed_scale) first.")
    vacuum_dead_rows(stdout)
    cookie = {name: session_headers(user) for name, user in users.items()}
    tokens = {name: token_headers(user) for name, user in users.items()}
    counts = {"cases": _count("cases.Case"), "people": _count("cases.Person"),
              "agencies": Agency.objects.count()}
    report: dict = {"data": counts, "pages": [], "api": [], "jobs": []}
    with Server(env=server_env) as server:
        baselines: dict[str, dict[str, Measure]] = {"page": {}, "api": {}}
        for username in users:
            baselines["page"][username] = measure(server.port, "baseline", username,
                                                  BASELINE_PAGE, cookie[username], repeats)
            if username in API_ROLES:
                baselines["api"][username] = measure(server.port, "baseline", username,
                                                     BASELINE_API, tokens[username], repeats)
        refused = [f"{m.role} {m.path}: HTTP {m.status}" for by_role in baselines.values()
                   for m in by_role.values() if m.status != 200]
        if refused:  # every ratio would be measured against a redirect or an error page
            raise RuntimeError("a baseline did not answer: " + "; ".join(refused))
        report["baseline"] = {kind: {role: round(m.p50, 2) for role, m in by_role.items()}
                              for kind, by_role in baselines.items()}
        pages = discover_pages(users)
        details = []
        for username, path in pages:
            result = measure(server.port, "page", username, path, cookie[username], repeats)
            report["pages"].append(result)
            match = _DETAIL_LINK.search(result.last_body)
            if match and result.status == 200:
                details.append((username, match.group(1).decode()))
        for username, path in dict.fromkeys(details):
            report["pages"].append(measure(server.port, "detail", username, path,
                                           cookie[username], repeats))
        for path in discover_api():
            for username in API_ROLES:
                result = measure(server.port, "api", username, path, tokens[username], repeats)
                report["api"].append(result)
                if result.status != 200 or username != "city":
                    continue
                try:
                    body = json.loads(result.last_body)
                    first = (body.get("results") or [None])[0] if isinstance(body, dict) else None
                except ValueError:
                    first = None
                if isinstance(first, dict) and "id" in first:
                    report["api"].append(measure(server.port, "api-detail", username,
                                                 f"{path}{first['id']}/", tokens[username], repeats))
        if load:
            # The mix is every page and endpoint that answered 200, once each; the baseline's
            # run is the same mix with each request replaced by its role's baseline of its kind.
            mix = [(m.path, cookie[m.role], BASELINE_PAGE) for m in report["pages"]
                   if m.status == 200]
            mix += [(m.path, tokens[m.role], BASELINE_API) for m in report["api"]
                    if m.status == 200]
            report["load_baseline"] = load_run(
                server.port, [(baseline, headers) for _path, headers, baseline in mix],
                clients=clients, seconds=seconds / 2)
            report["load_mix"] = load_run(
                server.port, [(path, headers) for path, headers, _baseline in mix],
                clients=clients, seconds=seconds)
        report["web_worker_peak_memory_mb"] = round(server.worker_peak_memory_mb(), 1)
    if jobs:
        report["jobs"] = run_jobs(stdout)
    for key in ("pages", "api"):
        rows = []
        for m in report[key]:
            base = report["baseline"]["page" if key == "pages" else "api"].get(m.role) or 1
            api_base = report["baseline"]["api"].get(m.role) or report["baseline"]["api"]["city"]
            rows.append({**{k: v for k, v in asdict(m).items() if k not in {"queries", "server_ms"}},
                         "queries": max(m.queries) if m.queries else None,
                         "queries_stable": len(set(m.queries)) <= 1,
                         "p50_ms": round(m.p50, 1), "p95_ms": round(m.p95, 1),
                         "ratio_to_baseline": round(m.p50 / base, 1),
                         "ratio_to_api_baseline": round(m.p50 / (api_base or 1), 1)})
        report[key] = rows
    report["goals"] = goals(report)
    report["workstreams"] = WORKSTREAMS
    return report


def _count(label: str) -> int:
    try:
        return apps.get_model(label).objects.count()
    except LookupError:
        return 0


#: Pages of panels that draw on every workstream, not lists or records: their queries are
#: bounded whatever the data (``tests/scale/test_query_counts.py``), and the leadership
#: dashboard's figures are computed at most once a minute per period
#: (``PILOT_DASHBOARD_CACHE_SECONDS``; 30 queries then, 7 otherwise).
DASHBOARDS = {"/", "/pilot/dashboard/"}


def is_list_page(row: dict) -> bool:
    """A navigation page other than the dashboards and the forms."""
    return (row["kind"] == "page" and row["path"] not in DASHBOARDS
            and not row["path"].endswith("/new/"))


def goals(report: dict) -> list[dict]:
    """Each goal of the scale issue with what this run measured and whether it is met. The
    pages of Django's admin site are measured and printed but are not application pages (nor
    are they in ``tests/scale/test_query_counts.py``)."""
    pages = [row for row in report["pages"]
             if row["status"] == 200 and not row["path"].startswith("/admin/")]
    api = [row for row in report["api"] if row["status"] == 200]
    answered = pages + api
    rows: list[dict] = []

    def add(goal: str, measured: str, met: bool):
        rows.append({"goal": goal, "measured": measured, "met": met})

    def worst(candidates: list[dict], key: str) -> str:
        top = max(candidates, key=lambda row: row[key])
        return f"{top['role']} {top['path']}: {top[key]}"

    records = [row for row in pages if is_list_page(row) or row["kind"] == "detail"]
    over = [row for row in records if row["queries"] > MAX_QUERIES]
    if records:
        add(f"list and detail pages ≤ {MAX_QUERIES} queries",
            f"{len(over)} of {len(records)} over; most {worst(records, 'queries')}", not over)
    for label, chosen, limit in (
            ("HTML list pages", [row for row in pages if is_list_page(row)], LIST_PAGE_P50_MS),
            ("API list endpoints", [row for row in api if row["kind"] == "api"], API_LIST_P50_MS)):
        if chosen:
            slow = [row for row in chosen if row["p50_ms"] > limit]
            add(f"{label} p50 ≤ {limit} ms", f"{len(slow)} of {len(chosen)} over; median "
                f"{statistics.median(row['p50_ms'] for row in chosen):.1f} ms; slowest "
                f"{worst(chosen, 'p50_ms')} ms", not slow)
    if answered:
        slow = [row for row in answered if row["ratio_to_baseline"] > RATIO_LIMIT]
        add(f"no page or endpoint over {RATIO_LIMIT}× its baseline at p50",
            f"{len(slow)} of {len(answered)} over; highest {worst(answered, 'ratio_to_baseline')}×",
            not slow)
    mix, baseline = report.get("load_mix"), report.get("load_baseline")
    if mix and baseline:
        share = (mix["throughput_rps"] / baseline["throughput_rps"]
                 if baseline["throughput_rps"] else 0)
        add("load run: no errors", f"{mix['errors']} errors in {mix['requests']} requests",
            mix["errors"] == 0)
        add(f"load mix throughput ≥ {LOAD_SHARE:.0%} of its baseline's",
            f"{mix['throughput_rps']} vs {baseline['throughput_rps']} rps ({share:.0%})",
            share >= LOAD_SHARE)
    memory = report.get("web_worker_peak_memory_mb")
    if memory:
        add(f"web worker peak memory < {WORKER_MEMORY_MB} MB", f"{memory} MB",
            memory < WORKER_MEMORY_MB)
    for job in report.get("jobs", []):
        if job.get("max_seconds"):
            add(f"{job['job']} < {job['max_seconds']:g} s", f"{job['seconds']} s",
                not job["error"] and job["seconds"] < job["max_seconds"])
        if job.get("min_rows_per_second"):
            add(f"{job['job']} ≥ {job['min_rows_per_second']:,.0f} rows/s",
                f"{job['rows_per_second']:,.0f} rows/s",
                not job["error"] and job["rows_per_second"] >= job["min_rows_per_second"])
    return rows


def print_report(report: dict, stdout) -> None:
    stdout.write(f"Data: {report['data']}")
    for kind, by_role in report["baseline"].items():
        path = BASELINE_PAGE if kind == "page" else BASELINE_API
        stdout.write(f"Baseline {kind} ({path}) p50 ms: "
                     + ", ".join(f"{role} {p50:.1f}" for role, p50 in by_role.items()))
    header = f"{'kind':<10} {'role':<9} {'status':>6} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'× base':>7} {'bytes':>8}  path"
    stdout.write(header)
    stdout.write("-" * len(header))
    for row in report["pages"] + report["api"]:
        stdout.write(f"{row['kind']:<10} {row['role']:<9} {row['status']:>6} "
                     f"{row['queries'] if row['queries'] is not None else '-':>7} "
                     f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['ratio_to_baseline']:>7.1f} "
                     f"{row['size']:>8}  {row['path']}")
    for key in ("load_baseline", "load_mix"):
        if key in report:
            stdout.write(f"{key}: {report[key]}")
    stdout.write(f"web worker peak memory: {report.get('web_worker_peak_memory_mb')} MB")
    for job in report["jobs"]:
        stdout.write(f"job: {job}")
    stdout.write("Goals:")
    for row in report["goals"]:
        stdout.write(f"  {'met' if row['met'] else 'MISSED':<7} {row['goal']}: {row['measured']}")
