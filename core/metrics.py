"""Prometheus metrics (prometheus-client), served at ``/metrics`` to the monitoring system only
(``ZHUAO_METRICS_TOKEN`` as a bearer token, or a client address in
``ZHUAO_METRICS_NETWORKS``).

Three kinds of figure, each kept where several web and worker nodes can all be counted:

* **requests** (latency histogram per view name and status class, 5xx errors): counted in the
  web process. Under gunicorn's several processes set ``PROMETHEUS_MULTIPROC_DIR`` (an empty
  folder per node, emptied at start): prometheus-client's multiprocess mode then adds up the
  processes of the node; Prometheus scrapes every node and sums them.
* **tasks** (latency per task name and outcome): a worker is another process, often on another
  node, so each task run is added to counters in the shared cache (Redis in production) by
  ``task_postrun``, and any web node reports the totals. Counters restart from zero when
  Redis is flushed, which Prometheus's ``rate()`` treats as a counter reset.
* **state** read when scraped: queue lengths (Redis lists), the outbox backlog, overdue
  verification requests, funds below their threshold, the worker heartbeat's age. Counts and
  fund codes only: no personal data.
"""
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily

from core.models import OutboxJob, WorkerHeartbeat
from infosharing.selectors import verification_requests_overdue_count
from tempaid.selectors import funds_for_monitoring
from zhuao.celery import app

LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
TASK_BUCKETS = (0.05, 0.25, 1.0, 5.0, 30.0, 120.0, 600.0)

_request_registry = CollectorRegistry(auto_describe=True)
REQUEST_LATENCY = Histogram(
    "zhuao_http_request_duration_seconds", "Time to answer a request, per view and status class.",
    ["view", "method", "status"], buckets=LATENCY_BUCKETS, registry=_request_registry)
REQUEST_ERRORS = Counter(
    "zhuao_http_server_errors", "Requests answered with a 5xx status, per view.", ["view"],
    registry=_request_registry)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def view_name(request) -> str:
    """The resolver's view name (``cases:case_detail``), never the path: the path holds
    record numbers and would make one series per record. ``unresolved`` for an unknown
    address."""
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match is not None and match.view_name else "unresolved")[:100]


def request_observe(request, status: int, duration: float, view: str) -> None:
    status_class = f"{status // 100}xx"
    REQUEST_LATENCY.labels(view=view, method=request.method[:10], status=status_class).observe(
        duration)
    if status >= 500:
        REQUEST_ERRORS.labels(view=view).inc()


# --- tasks: counters in the shared cache ---------------------------------------------------

_TASK_STATES = {"SUCCESS": "success", "FAILURE": "failure", "RETRY": "retry"}


def _task_key(name: str, state: str, part: str) -> str:
    return f"metrics:task:{name}:{state}:{part}"


def _incr(cache, key: str, amount: int) -> None:
    cache.add(key, 0, timeout=None)
    cache.incr(key, amount)


def task_observe(name: str, state: str, duration: float) -> None:
    """One run of task ``name``: its count, total time (milliseconds) and bucket."""
    state = _TASK_STATES.get(state, "other")
    try:
        _incr(cache, _task_key(name, state, "count"), 1)
        _incr(cache, _task_key(name, state, "sum_ms"), int(duration * 1000))
        for bound in TASK_BUCKETS:
            if duration <= bound:
                _incr(cache, _task_key(name, state, f"le_{bound:g}"), 1)
    except Exception:  # noqa: BLE001 - metrics never fail a task (Redis down: the outbox works)
        pass


def task_names() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def task_figures() -> list[dict]:
    """Per task and outcome that ran: count, total seconds and cumulative buckets."""
    rows, keys = [], []
    for name in task_names():
        for state in _TASK_STATES.values():
            keys += [_task_key(name, state, part) for part in
                     ("count", "sum_ms", *(f"le_{bound:g}" for bound in TASK_BUCKETS))]
    try:
        values = cache.get_many(keys)
    except Exception:  # noqa: BLE001
        values = {}
    for name in task_names():
        for state in _TASK_STATES.values():
            count = values.get(_task_key(name, state, "count"))
            if not count:
                continue
            buckets = [(f"{bound:g}", values.get(_task_key(name, state, f"le_{bound:g}"), 0))
                       for bound in TASK_BUCKETS]
            rows.append({"task": name, "state": state, "count": count,
                         "sum": values.get(_task_key(name, state, "sum_ms"), 0) / 1000,
                         "buckets": buckets})
    return rows


# --- state read at scrape time -------------------------------------------------------------

def queue_lengths() -> dict[str, int | None]:
    """Messages waiting in each Celery queue (a Redis list per queue); None when unreadable."""
    names = sorted(set(app.amqp.queues.keys()) | {app.conf.task_default_queue or "celery"})
    if not settings.REDIS_URL:
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", ""))
        waiting = len(list(folder.glob("*.msg"))) if folder.is_dir() else 0
        return {name: waiting for name in names}
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2,
                                      socket_timeout=2)
        return {name: int(client.llen(name)) for name in names}
    except Exception:  # noqa: BLE001 - Redis down: the queue length is unknown
        return {name: None for name in names}


def state_figures() -> dict:
    """The figures an operator watches, read now (a few counting queries)."""
    outbox = OutboxJob.objects.aggregate(oldest=Min("created_at"))
    beat = WorkerHeartbeat.objects.filter(name="worker").values_list("beat_at", flat=True).first()
    now = timezone.now()
    return {
        "queues": queue_lengths(),
        "outbox_jobs": OutboxJob.objects.count(),
        "outbox_oldest_seconds": (now - outbox["oldest"]).total_seconds()
        if outbox["oldest"] else 0.0,
        "verification_requests_overdue": verification_requests_overdue_count(),
        "funds": funds_for_monitoring(),
        "worker_heartbeat_age_seconds": (now - beat).total_seconds() if beat else None,
        "worker_heartbeat_stale_seconds": settings.WORKER_HEARTBEAT_STALE_SECONDS,
    }


class StateCollector:
    """Figures read when Prometheus scrapes (not kept in the process)."""

    def collect(self):
        state = state_figures()
        queues = GaugeMetricFamily("zhuao_celery_queue_length",
                                   "Messages waiting in a Celery queue.", labels=["queue"])
        for name, length in state["queues"].items():
            if length is not None:
                queues.add_metric([name], length)
        yield queues
        yield GaugeMetricFamily("zhuao_outbox_jobs",
                                "Jobs kept in the outbox because the broker was down.",
                                value=state["outbox_jobs"])
        yield GaugeMetricFamily("zhuao_outbox_oldest_job_age_seconds",
                                "Age of the oldest job in the outbox (0 when empty).",
                                value=state["outbox_oldest_seconds"])
        yield GaugeMetricFamily("zhuao_verification_requests_overdue",
                                "Verification requests awaiting an answer past their due date.",
                                value=state["verification_requests_overdue"])
        available = GaugeMetricFamily("zhuao_fund_available_cny",
                                      "Available balance of a relief fund (CNY).", labels=["fund"])
        threshold = GaugeMetricFamily("zhuao_fund_low_balance_threshold_cny",
                                      "Low-balance threshold of a relief fund (CNY).",
                                      labels=["fund"])
        below = GaugeMetricFamily("zhuao_fund_below_threshold",
                                  "1 when a fund's available balance is below its threshold.",
                                  labels=["fund"])
        for fund in state["funds"]:
            available.add_metric([fund["code"]], float(fund["available"]))
            threshold.add_metric([fund["code"]], float(fund["threshold"]))
            below.add_metric([fund["code"]], 1 if fund["is_low"] else 0)
        yield from (available, threshold, below)
        if state["worker_heartbeat_age_seconds"] is not None:
            yield GaugeMetricFamily("zhuao_worker_heartbeat_age_seconds",
                                    "Seconds since the worker last ran the heartbeat task.",
                                    value=state["worker_heartbeat_age_seconds"])
        tasks = HistogramMetricFamily("zhuao_celery_task_duration_seconds",
                                      "Time a Celery task took to run, per task and outcome.",
                                      labels=["task", "state"])
        for row in task_figures():
            tasks.add_metric([row["task"], row["state"]],
                             [*row["buckets"], ("+Inf", row["count"])], sum_value=row["sum"])
        yield tasks
        yield GaugeMetricFamily("zhuao_scrape_time_seconds", "When these figures were read.",
                                value=time.time())


def scrape(*, with_state: bool = True) -> bytes:
    """The text format of every metric of this node; without ``with_state``, the requests'
    alone (the figures read from the database and Redis are left out)."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_LATENCY)
        registry.register(REQUEST_ERRORS)
    if with_state:
        registry.register(StateCollector())
    return generate_latest(registry)
