"""Redis down: an action whose follow-up work cannot reach the job queue still succeeds, the
work waits in the outbox, and the user is told it will go out when the queue is back — a
message on the page, the header ``Zhuao-Jobs-Queued-Later`` in the API (issue 23, finding 12).
The broker is made unreachable in process, as in test_job_faults.py (a closed port)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from pilot.models import PilotReport
from core.models import OutboxJob

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pilot"))
import pilot_factories  # noqa: E402

CLOSED_REDIS = "redis://127.0.0.1:1/0"
QUEUED_LATER_HEADER = "Zhuao-Jobs-Queued-Later"  # web.middleware.QUEUED_LATER_HEADER

pytestmark = pytest.mark.redis


def _reset_pools(app):
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    from zhuao.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = CLOSED_REDIS
    _reset_pools(app)
    yield
    app.conf.broker_url = previous
    _reset_pools(app)


@pytest.fixture
def plan(transactional_db, users):
    return pilot_factories.plan_2021()


def test_a_page_action_says_its_job_will_go_out_when_the_queue_is_back(
        broker_down, plan, client_for):
    client = client_for("city")
    response = client.post(reverse("pilot:report_request"), {
        "report-period_start": "2021-12-01", "report-period_end": "2022-12-31"})
    assert response.status_code == 302
    report = PilotReport.objects.get()
    assert OutboxJob.objects.filter(task_name="pilot.generate_report", args=[report.pk]).exists()
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("queue" in text or "队列" in text for text in shown), shown
    assert QUEUED_LATER_HEADER not in response


def test_an_api_action_says_so_in_a_header_documented_in_the_schema(
        broker_down, plan, api_client_for):
    client = api_client_for("city")
    response = client.post("/api/v1/pilot/reports/", {}, format="json")
    assert response.status_code == 201, response.content
    assert response[QUEUED_LATER_HEADER] == "1"
    assert OutboxJob.objects.filter(args=[response.json()["id"]]).exists()
    assert QUEUED_LATER_HEADER not in client.get("/api/v1/pilot/reports/")

    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    created = schema["paths"]["/api/v1/pilot/reports/"]["post"]["responses"]["201"]
    assert QUEUED_LATER_HEADER in created["headers"]


def test_nothing_is_said_when_the_queue_takes_the_job(plan, client_for, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from zhuao.celery import app

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app.Task, "apply_async", lambda *args, **kwargs: None)
        patch.setattr("zhuao.celery.OutboxTask.apply_async", lambda *args, **kwargs: None)
        response = client_for("city").post(reverse("pilot:report_request"), {
            "report-period_start": "2021-12-01", "report-period_end": "2022-12-31"})
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert not any("queue" in text or "队列" in text for text in shown), shown
