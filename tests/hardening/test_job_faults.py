"""Background-job faults with a real worker and Redis (ASVS 2.3.3, 16.5).

- a worker killed with SIGKILL mid-task: the task runs again on a new worker and its effect is
  applied once (late acks, reject on worker lost, Redis visibility timeout, run_once);
- a rolled-back transaction enqueues nothing (jobs are published by on_commit callbacks);
- Redis down: the web keeps working, /readyz says Redis failed, jobs asked for meanwhile wait
  in the outbox and run once the broker is back.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction

from core.models import AuditEvent, OutboxJob, TaskReceipt

ROOT = Path(__file__).resolve().parents[2]
CLOSED_REDIS = "redis://127.0.0.1:1/0"


def wait_for(condition, *, timeout: float = 45, interval: float = 0.3, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(message or f"condition not met within {timeout} s")


def _effects(key: str) -> int:
    return AuditEvent.objects.filter(action="selftest.increment", object_id=key).count()


def _queue_length() -> int:
    from zhuao.celery import app

    with app.connection_for_write() as connection:
        client = connection.default_channel.client
        return int(client.llen("celery"))


@pytest.fixture
def clean_broker():
    """Start from an empty queue in this test run's Redis database."""
    from zhuao.celery import app

    with app.connection_for_write() as connection:
        client = connection.default_channel.client
        client.delete("celery", "unacked", "unacked_index")
    yield


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.worker
def test_task_of_a_killed_worker_runs_again_and_acts_once(celery_worker_factory, clean_broker):
    from django.core.cache import cache

    from core.tasks import selftest_slow_increment

    short_visibility = {"CELERY_VISIBILITY_TIMEOUT": "3", "CELERY_UNACKED_RESTORE_INTERVAL": "1",
                        "CELERY_UNACKED_RESTORE_THROTTLE": "1"}
    first = celery_worker_factory(short_visibility)
    key = uuid.uuid4().hex
    selftest_slow_increment.delay(key, hold_seconds=120)
    wait_for(lambda: _effects(key) == 1, message="the first delivery never applied its effect")
    assert cache.get(f"selftest:done:{key}") is None  # still running, not acknowledged

    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)

    celery_worker_factory(short_visibility)
    wait_for(lambda: cache.get(f"selftest:done:{key}"), timeout=60,
             message="the task of the killed worker was not redelivered")
    assert cache.get(f"selftest:attempts:{key}") == 2  # it really ran twice
    assert _effects(key) == 1  # ...and acted once
    assert TaskReceipt.objects.filter(key=f"selftest:{key}").count() == 1


def test_run_once_applies_an_effect_once_per_key(db):
    from core.db import run_once

    calls = []
    assert run_once("k-1", lambda: calls.append(1)) is True
    assert run_once("k-1", lambda: calls.append(2)) is False
    assert calls == [1]


def test_run_once_rolls_back_the_receipt_with_a_failing_effect(db):
    from core.db import run_once

    def boom():
        raise RuntimeError("effect failed")

    with pytest.raises(RuntimeError):
        run_once("k-2", boom)
    assert not TaskReceipt.objects.filter(key="k-2").exists()  # the retry will run it


@pytest.mark.redis
@pytest.mark.postgres
def test_a_rolled_back_transaction_enqueues_nothing(transactional_db, clean_broker):
    from core.tasks import selftest_slow_increment

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            transaction.on_commit(lambda: selftest_slow_increment.delay("rolled-back"))
            raise RuntimeError("the service failed")
    assert _queue_length() == 0
    with transaction.atomic():
        transaction.on_commit(lambda: selftest_slow_increment.delay("committed"))
    assert _queue_length() == 1


@pytest.mark.postgres
def test_a_failed_service_sends_no_notification_email(transactional_db, users):
    """The real on-commit path of core.notifications: a rolled-back action mails nobody and
    leaves no inbox message."""
    from core.models import Notification
    from core.notifications import notify_users

    users["district"].email = "district@example.gov"
    users["district"].save(update_fields=["email"])
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            notify_users(recipients=[users["district"]], title="t", body="b")
            raise RuntimeError("the service failed after notifying")
    assert mail.outbox == []
    assert not Notification.objects.exists()
    with transaction.atomic():
        notify_users(recipients=[users["district"]], title="t", body="b")
    assert len(mail.outbox) == 1


def _reset_pools(app):
    app._pool = None
    app.amqp._producer_pool = None


def test_publish_with_the_broker_down_goes_to_the_outbox(db, settings):
    """In-process: an on_commit publish that cannot reach the broker does not raise; it is
    stored once per distinct job and logged."""
    from zhuao.celery import app
    from core.tasks import selftest_slow_increment

    previous = app.conf.broker_url
    app.conf.broker_url = CLOSED_REDIS
    _reset_pools(app)
    try:
        assert selftest_slow_increment.delay("while-down") is None
        selftest_slow_increment.delay("while-down")
    finally:
        app.conf.broker_url = previous
        _reset_pools(app)
    jobs = OutboxJob.objects.filter(task_name="zhuao.selftest_slow_increment")
    assert [job.args for job in jobs] == [["while-down"]]
    assert jobs.get().last_error


_DOWN_SCRIPT = r"""
import json, os
import django
django.setup()
from django.conf import settings
from django.test.utils import override_settings
from zhuao.settings import base
# production's API throttling (it counts in the cache, which lives in the same Redis)
override_settings(REST_FRAMEWORK=base.REST_FRAMEWORK).enable()
from django.db import transaction
from django.test import Client
from tests.two_factor_clients import VerifiedClient
from django.contrib.auth import get_user_model
from core.models import OutboxJob
from core.tasks import selftest_slow_increment

report = {}
report["healthz_status"] = Client().get("/healthz").status_code
ready = Client().get("/readyz")
report["readyz_status"] = ready.status_code
report["readyz"] = ready.json()
client = VerifiedClient()
client.force_login(get_user_model().objects.get(username="district"))
report["home"] = client.get("/").status_code
report["inbox"] = client.get("/inbox/").status_code
api = VerifiedClient()
api.force_login(get_user_model().objects.get(username="macau"))
report["api_root"] = api.get("/api/v1/").status_code
with transaction.atomic():
    transaction.on_commit(lambda: selftest_slow_increment.delay(os.environ["JOB_KEY"]))
report["outbox"] = list(OutboxJob.objects.values_list("task_name", flat=True))
print("REPORT" + json.dumps(report))
"""


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.worker
def test_redis_down_web_works_and_jobs_run_when_it_is_back(celery_worker_factory, users,
                                                           clean_broker):
    """A web process whose Redis is unreachable (closed port): pages and API answer, /readyz
    says Redis failed, and a job asked for meanwhile waits in the outbox; once the
    broker is back the sweep publishes it and the worker runs it."""
    from django.core.cache import cache

    from tests.conftest import _database_url_for_subprocess
    from core.tasks import outbox_sweep

    key = uuid.uuid4().hex
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhuao.settings.test",
           "DATABASE_URL": _database_url_for_subprocess(), "REDIS_URL": CLOSED_REDIS,
           "JOB_KEY": key, "ALLOWED_HOSTS": "testserver,localhost"}
    result = subprocess.run([sys.executable, "-c", _DOWN_SCRIPT], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("REPORT"))
    report = json.loads(line[len("REPORT"):])
    assert report["healthz_status"] == 200, report  # alive: the web still answers
    checks = report["readyz"]["checks"]
    assert report["readyz_status"] == 503 and checks["redis"]["status"] == "failed", report
    assert checks["database"]["status"] == "ok"
    assert report["home"] == 200 and report["inbox"] == 200 and report["api_root"] == 200, report
    assert report["outbox"] == ["zhuao.selftest_slow_increment"]
    assert "broker unavailable" in result.stderr  # logged, with the task name
    assert key not in result.stderr  # arguments (ids) are not logged

    celery_worker_factory()
    assert outbox_sweep() == 1
    assert not OutboxJob.objects.exists()
    wait_for(lambda: cache.get(f"selftest:done:{key}"), message="the stored job never ran")
    assert _effects(key) == 1
