"""Escalation through a real Celery worker and Redis; times made short through the
environment (ZHUAO_URGENT_ACK_MINUTES), nothing mocked."""
import time

import pytest
from django.utils import timezone

from infosharing.models import EmergencyKind, UrgentRecipient
from infosharing.services import urgent_notification_send

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.worker]

ACK_MINUTES = "0.05"  # three seconds


def wait_for(condition, *, timeout=45.0, interval=0.3, message=""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(message or f"condition not met within {timeout} s")


def test_unacknowledged_notification_escalates_to_backup_then_leadership(
        transactional_db, users, agencies, monkeypatch, celery_worker_factory):
    from infosharing_factories import make_person

    monkeypatch.setenv("ZHUAO_URGENT_ACK_MINUTES", ACK_MINUTES)
    celery_worker_factory(extra_env={"ZHUAO_URGENT_ACK_MINUTES": ACK_MINUTES})
    person = make_person(users["district"])
    notification = urgent_notification_send(
        actor=users["district"], person=person, kind=EmergencyKind.ACCIDENT,
        occurred_at=timezone.now(), description="交通意外", agencies=[agencies["mo-ias"]])
    recipient = UrgentRecipient.objects.get(notification=notification)

    wait_for(lambda: UrgentRecipient.objects.get(pk=recipient.pk).escalation_level == 2,
             message="not escalated to leadership")
    recipient.refresh_from_db()
    assert recipient.escalated_to_backup_at >= recipient.ack_due_at
    assert recipient.escalated_to_leadership_at > recipient.escalated_to_backup_at
    levels = {(d.escalation_level, d.user.username if d.user else d.address)
              for d in recipient.deliveries.all()}
    assert (0, "macau") in levels and (1, "macau_backup") in levels
    assert (2, "city") in levels and (2, agencies["mo-ias"].email) in levels
    assert recipient.deliveries.filter(escalation_level=1).count() == 2  # inbox + e-mail, once


def test_acknowledged_in_time_does_not_escalate(transactional_db, users, agencies, monkeypatch,
                                                celery_worker_factory):
    from infosharing_factories import make_person

    from infosharing.services import urgent_acknowledge

    monkeypatch.setenv("ZHUAO_URGENT_ACK_MINUTES", ACK_MINUTES)
    celery_worker_factory(extra_env={"ZHUAO_URGENT_ACK_MINUTES": ACK_MINUTES})
    person = make_person(users["district"])
    notification = urgent_notification_send(
        actor=users["district"], person=person, kind=EmergencyKind.MISSING,
        occurred_at=timezone.now(), description="走失", agencies=[agencies["hq-livelihood"]])
    recipient = UrgentRecipient.objects.get(notification=notification)
    urgent_acknowledge(actor=users["hengqin"], recipient=recipient)
    time.sleep(5)  # past the deadline: the worker's check finds it acknowledged
    recipient.refresh_from_db()
    assert recipient.escalation_level == 0 and recipient.acknowledged_in_time
