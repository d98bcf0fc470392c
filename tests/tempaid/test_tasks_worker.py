"""The low-balance alert and the paperwork flag through a real Celery worker (Redis,
PostgreSQL), nothing mocked."""
import time
from datetime import timedelta

import pytest

import tempaid_factories as factories
from tempaid.models import Application, Fund
from core.models import Notification

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.worker]


def wait_for(condition, *, timeout=45.0, interval=0.3, message=""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(message or f"condition not met within {timeout} s")


def test_low_balance_alert_and_overdue_flag_through_the_worker(transactional_db, users,
                                                               celery_worker_factory):
    from tempaid.tasks import flag_overdue_paperwork

    celery_worker_factory()
    factories.policy(users["city"])
    fund = factories.fund(users["finance"], amount="5000", threshold="4500")
    case = factories.case(users["district"])
    application = factories.application(users["district"], case, amount="1000", fast_track=True)
    wait_for(lambda: Fund.objects.get(pk=fund.pk).low_balance_alerted_at,
             message="no low-balance alert")
    assert set(Notification.objects.filter(kind="tempaid.fund_low")
               .values_list("recipient__username", flat=True)) == {"city", "finance"}

    Application.objects.filter(pk=application.pk).update(
        paperwork_due=application.paperwork_due - timedelta(days=30))
    flag_overdue_paperwork.delay()
    wait_for(lambda: Application.objects.get(pk=application.pk).paperwork_overdue_at,
             message="paperwork not flagged")
