"""Operations: /healthz, /readyz, /metrics (Prometheus), the administrators' status page, the
request id in responses, error pages and JSON log lines, down to the Celery task it caused."""
import io
import json
import logging
import sys
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from core.models import AuditEvent, OutboxJob, WorkerHeartbeat

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-for-tests-0123456789"


def _fresh_heartbeat():
    WorkerHeartbeat.objects.update_or_create(name="worker", defaults={"beat_at": timezone.now()})


def test_healthz_answers_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert uuid.UUID(response["X-Request-ID"])


def test_readyz_is_ready_when_every_check_passes(settings):
    _fresh_heartbeat()
    response = Client().get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "redis", "storage", "worker"}
    assert all(check["status"] == "ok" for check in body["checks"].values())


def test_readyz_refuses_when_redis_is_unreachable(settings):
    _fresh_heartbeat()
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = Client().get("/readyz")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "not_ready"
    assert body["checks"]["redis"]["status"] == "failed"
    assert body["checks"]["database"]["status"] == "ok"
    assert "127.0.0.1" not in response.content.decode()  # no host names in the answer


def test_readyz_refuses_without_a_recent_worker_heartbeat(settings):
    WorkerHeartbeat.objects.update_or_create(
        name="worker", defaults={"beat_at": timezone.now() - timezone.timedelta(hours=1)})
    body = Client().get("/readyz").json()
    assert body["status"] == "not_ready" and body["checks"]["worker"]["error"] == "stale"
    WorkerHeartbeat.objects.all().delete()
    response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["worker"]["status"] == "failed"


def test_readyz_refuses_when_storage_is_not_writable(settings, tmp_path):
    _fresh_heartbeat()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["status"] == "failed"


def _families(text: str) -> dict:
    return {family.name: family for family in text_string_to_metric_families(text)}


def test_metrics_are_refused_without_the_token(settings):
    settings.ZHUAO_METRICS_TOKEN = ""
    settings.ZHUAO_METRICS_NETWORKS = []
    assert Client().get("/metrics").status_code == 404  # not configured: not there
    settings.ZHUAO_METRICS_TOKEN = TOKEN
    refused = Client().get("/metrics")
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Bearer")
    wrong = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 401 and b"zhuao_" not in wrong.content
    assert not AuditEvent.objects.filter(object_id__contains="metrics").exists()


def test_metrics_from_an_allowed_network_need_no_token(settings):
    settings.ZHUAO_METRICS_TOKEN = ""
    settings.ZHUAO_METRICS_NETWORKS = ["10.9.0.0/16"]
    assert Client(REMOTE_ADDR="10.9.3.4").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.8.3.4").get("/metrics").status_code == 401


def test_metrics_are_scraped_and_parsed(settings, client_for, users):
    from tempaid.models import Fund
    from core.metrics import task_observe

    settings.ZHUAO_METRICS_TOKEN = TOKEN
    Fund.objects.create(code="monitor-low", name="monitor", balance=Decimal("100.00"),
                        available=Decimal("100.00"), low_balance_threshold=Decimal("500.00"))
    OutboxJob.objects.create(fingerprint="f" * 64, task_name="zhuao.heartbeat")
    task_observe("zhuao.heartbeat", "SUCCESS", 0.2)
    task_observe("zhuao.heartbeat", "SUCCESS", 3.0)
    client = client_for("district")
    assert client.get(reverse("home")).status_code == 200
    assert client.get("/cases/no-such-page/").status_code == 404

    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    families = _families(response.content.decode())

    latency = families["zhuao_http_request_duration_seconds"]
    counts = {(s.labels["view"], s.labels["status"]): s.value for s in latency.samples
              if s.name.endswith("_count")}
    assert counts[("home", "2xx")] >= 1 and counts[("unresolved", "4xx")] >= 1
    assert not any("/" in view for view, _status in counts)  # view names, never paths
    assert "zhuao_http_server_errors" in families

    gauges = {(f.name, tuple(sorted(s.labels.items()))): s.value
              for f in families.values() for s in f.samples}
    assert gauges[("zhuao_outbox_jobs", ())] == 1
    assert gauges[("zhuao_fund_below_threshold", (("fund", "monitor-low"),))] == 1
    assert gauges[("zhuao_fund_available_cny", (("fund", "monitor-low"),))] == 100
    assert ("zhuao_verification_requests_overdue", ()) in gauges  # its value: the test below
    assert ("zhuao_celery_queue_length", (("queue", "celery"),)) in gauges
    task = {s.labels.get("le"): s.value for s in families["zhuao_celery_task_duration_seconds"]
            .samples if s.labels.get("task") == "zhuao.heartbeat" and s.name.endswith("_bucket")}
    assert task["0.25"] == 1 and task["5"] == 2 and task["+Inf"] == 2
    text = response.content.decode()
    for person in users["district"].first_name, users["district"].username:
        if person:
            assert person not in text


def test_overdue_verification_requests_are_counted(settings):
    from infosharing.models import AWAITING_ANSWER, VerificationRequest
    from infosharing.selectors import verification_requests_overdue_count

    expected = VerificationRequest.objects.filter(
        status__in=AWAITING_ANSWER, due_date__lt=timezone.localdate()).count()
    assert verification_requests_overdue_count() == expected
    settings.ZHUAO_METRICS_TOKEN = TOKEN
    families = _families(Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
                         .content.decode())
    assert families["zhuao_verification_requests_overdue"].samples[0].value == expected


def test_status_page_for_the_system_administrator_only(client_for):
    _fresh_heartbeat()
    page = client_for("admin").get(reverse("ops_status"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-checks" in html and "data-outbox" in html and "data-overdue" in html
    for role in ("city", "district", "finance", "macau"):
        assert client_for(role).get(reverse("ops_status")).status_code == 403
    assert client_for("anonymous").get(reverse("ops_status")).status_code == 302


def test_request_id_is_taken_from_the_header_when_valid():
    given = str(uuid.uuid4())
    assert Client().get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    other = Client().get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert other != "<script>" and uuid.UUID(other)


def test_error_pages_show_the_request_id(client_for, settings):
    given = str(uuid.uuid4())
    page = client_for("district").get("/no-such-page/", HTTP_X_REQUEST_ID=given)
    assert page.status_code == 404 and given in page.content.decode()
    assert page["X-Request-ID"] == given
    forbidden = client_for("district").get(reverse("audit_list"), HTTP_X_REQUEST_ID=given)
    assert forbidden.status_code == 403 and given in forbidden.content.decode()
    # the audit row of that refusal carries the same id
    assert AuditEvent.objects.filter(request_id=given, action="access.denied").exists()


@pytest.mark.urls("tests.zhuao.urls_with_error")
def test_server_error_page_shows_the_request_id(users):
    from tests.two_factor_clients import VerifiedClient

    client = VerifiedClient(raise_request_exception=False)
    client.force_login(users["district"])
    given = str(uuid.uuid4())
    response = client.get("/test-failure/", HTTP_X_REQUEST_ID=given)
    assert response.status_code == 500
    assert given in response.content.decode() and response["X-Request-ID"] == given


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        from zhuao.logs import formatter

        self.setFormatter(formatter(json_lines=True))
        self.stream = io.StringIO()

    def emit(self, record):
        self.stream.write(self.format(record) + "\n")

    def objects(self) -> list[dict]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines() if line]


@pytest.fixture
def log_lines():
    handler = _Lines()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


def test_one_json_line_per_request_with_ids_not_names(client_for, users, log_lines):
    given = str(uuid.uuid4())
    client_for("district").get(reverse("home"), HTTP_X_REQUEST_ID=given)
    lines = [line for line in log_lines.objects() if line.get("event") == "request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == given and line["view"] == "home" and line["status"] == 200
    assert line["user_id"] == users["district"].pk and line["duration_ms"] >= 0
    assert line["method"] == "GET" and line["level"] == "info" and "timestamp" in line
    text = log_lines.stream.getvalue()
    assert users["district"].username not in text


def test_the_console_log_gives_an_exception_as_pythons_own_traceback():
    """Not rich's boxed traceback with source excerpts: as readable in a log file, and rich's
    took half the time of every request that logs a refusal with its exception."""
    from zhuao.logs import formatter

    try:
        raise ValueError("refused")
    except ValueError:
        record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden",
                                   None, exc_info=sys.exc_info())
    text = formatter(json_lines=False).format(record)
    assert "Traceback (most recent call last):" in text and "ValueError: refused" in text
    assert not {"╭", "│", "╰"} & set(text)


@pytest.mark.redis
@pytest.mark.worker
def test_the_request_id_reaches_the_task_it_caused(transactional_db, users, client_for, settings,
                                                    celery_worker_factory, log_lines, tmp_path):
    """A web request that queues a background export: its JSON line and the worker's line for
    the task carry the same request id (a message header), and so does the task's audit row."""
    from cases.models import Case
    from tests.cases import cases_factories as factories
    from tests.conftest import wait_for
    from core.models import ExportJob

    settings.EXPORT_BACKGROUND_ROWS = 1
    celery_worker_factory(extra_env={"ZHUAO_LOG_JSON": "1"})
    for _index in range(2):
        factories.case(users["district"])
    assert Case.objects.count() >= 2
    given = str(uuid.uuid4())
    response = client_for("district").get(reverse("cases:case_export"), {"format": "csv"},
                                          HTTP_X_REQUEST_ID=given)
    assert response.status_code == 302
    web = [line for line in log_lines.objects() if line.get("event") == "request"]
    assert web and web[-1]["request_id"] == given and web[-1]["view"] == "cases:case_export"
    job = ExportJob.objects.get()
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == "done", timeout=60)
    log_file = tmp_path / "worker-0.log"

    def task_line():
        for raw in log_file.read_text().splitlines():
            try:
                line = json.loads(raw)
            except ValueError:
                continue
            if line.get("event") == "task" and line.get("task") == "zhuao.run_export":
                return line
        return None

    line = wait_for(task_line, timeout=20, message="no JSON line for the export task")
    assert line["request_id"] == given and line["state"] == "SUCCESS"
    assert line["duration_ms"] >= 0 and line["task_id"]
    assert AuditEvent.objects.filter(request_id=given, action="export.request").exists()


@pytest.mark.redis
def test_a_job_kept_in_the_outbox_keeps_its_request_id(db):
    """Queued while the broker was down, published later by the sweep (a beat task, with no
    request of its own): the message still carries the id of the request that asked for it."""
    from celery.signals import before_task_publish

    from tests.hardening.test_job_faults import CLOSED_REDIS, _reset_pools
    from web import request_context
    from zhuao.celery import app
    from zhuao.logs import TASK_HEADER
    from core.tasks import outbox_sweep, selftest_slow_increment

    given = uuid.uuid4()
    token = request_context.set_current(request_context.RequestContext(request_id=given))
    previous = app.conf.broker_url
    app.conf.broker_url = CLOSED_REDIS
    _reset_pools(app)
    try:
        assert selftest_slow_increment.delay("kept-with-its-id") is None
    finally:
        app.conf.broker_url = previous
        _reset_pools(app)
        request_context.reset(token)
    assert OutboxJob.objects.get().request_id == given

    published = []

    def capture(headers=None, **kwargs):
        published.append(dict(headers or {}))

    before_task_publish.connect(capture, weak=False, dispatch_uid="test-capture")
    try:
        assert outbox_sweep() == 1
    finally:
        before_task_publish.disconnect(dispatch_uid="test-capture")
        with app.connection_for_write() as connection:
            connection.default_channel.client.delete("celery")
    assert [headers.get(TASK_HEADER) for headers in published] == [str(given)]


def test_the_example_alert_rules_use_metrics_that_exist(settings):
    """deploy/prometheus/alerts.yml names only metrics /metrics gives."""
    import re
    from pathlib import Path

    import yaml

    from core.metrics import task_observe

    settings.ZHUAO_METRICS_TOKEN = TOKEN
    task_observe("zhuao.heartbeat", "FAILURE", 0.1)
    WorkerHeartbeat.objects.update_or_create(name="worker", defaults={"beat_at": timezone.now()})
    Client().get("/no-such-page/")
    families = _families(Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
                         .content.decode())
    samples = {sample.name for family in families.values() for sample in family.samples}
    samples |= set(families)  # a family without samples yet (no fund, no server error)
    samples.add("zhuao_http_server_errors_total")
    rules = yaml.safe_load((Path(__file__).resolve().parents[2] / "deploy" / "prometheus"
                            / "alerts.yml").read_text())["groups"][0]["rules"]
    named = {name for rule in rules for name in re.findall(r"\bzhuao_\w+", rule["expr"])}
    assert named and named <= samples, named - samples
