"""Urgent notifications (delivery, acknowledgement, escalation run twice escalates once) and
the dashboard figures (fixed query count). The two-way bulletins: test_services_bulletins.py."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from infosharing import metrics
from infosharing.models import DeliveryChannel, EmergencyKind
from infosharing.services import (
    urgent_acknowledge,
    urgent_escalate_due,
    urgent_notification_send,
    urgent_recipient_escalate,
    verification_request_answer,
    verification_request_receive,
)
from core.errors import ApplicationError
from core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def _send(users, agencies, person, *codes):
    return urgent_notification_send(
        actor=users["district"], person=person, kind=EmergencyKind.HOSPITALISATION,
        occurred_at=timezone.now(), description="突发脑溢血，送往珠海市人民医院",
        agencies=[agencies[code] for code in codes])


def test_delivered_at_once_to_primary_liaisons(users, agencies, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notification = _send(users, agencies, person, "mo-ias", "hq-livelihood")
    recipients = {r.agency.code: r for r in notification.recipients.all()}
    macau = recipients["mo-ias"]
    assert {(d.user, d.channel) for d in macau.deliveries.all()} == {
        (users["macau"], DeliveryChannel.INBOX), (users["macau"], DeliveryChannel.EMAIL)}
    assert Notification.objects.filter(recipient=users["macau"], kind="infosharing.urgent").count() == 1
    assert Notification.objects.filter(recipient=users["hengqin"], kind="infosharing.urgent").count() == 1
    assert not Notification.objects.filter(recipient=users["macau_backup"]).exists()


def test_escalation_run_twice_escalates_once_then_to_leadership(users, agencies, person,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notification = _send(users, agencies, person, "mo-ias")
        recipient = notification.recipients.get()
        assert not urgent_recipient_escalate(recipient_id=recipient.pk)  # not due yet
        later = recipient.ack_due_at + timedelta(seconds=1)
        assert urgent_recipient_escalate(recipient_id=recipient.pk, now=later)
        assert not urgent_recipient_escalate(recipient_id=recipient.pk, now=later)
        recipient.refresh_from_db()
        assert recipient.escalation_level == 1 and recipient.escalated_to_backup_at == later
        assert recipient.deliveries.filter(escalation_level=1, user=users["macau_backup"]).count() == 2
        # Macau has no leadership users: its own address and the city bureau's primary liaison
        assert urgent_escalate_due(now=later + timedelta(hours=3)) == 1
        assert urgent_escalate_due(now=later + timedelta(hours=3)) == 0
    recipient.refresh_from_db()
    assert recipient.escalation_level == 2 and recipient.next_escalation_at is None
    level2 = recipient.deliveries.filter(escalation_level=2)
    assert {d.address for d in level2 if d.user is None} == {agencies["mo-ias"].email}
    assert {d.user for d in level2 if d.user} == {users["city"]}
    assert AuditEvent.objects.filter(action="urgentnotification.escalate").count() == 2


def test_acknowledgement_stops_escalation(users, agencies, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notification = _send(users, agencies, person, "mo-ias")
        recipient = notification.recipients.get()
        with pytest.raises(ApplicationError):
            urgent_acknowledge(actor=users["hengqin"], recipient=recipient)
        urgent_acknowledge(actor=users["macau"], recipient=recipient)
        with pytest.raises(ApplicationError):
            urgent_acknowledge(actor=users["macau"], recipient=recipient)
        assert not urgent_recipient_escalate(recipient_id=recipient.pk,
                                             now=timezone.now() + timedelta(days=1))
    recipient.refresh_from_db()
    assert recipient.acknowledged_in_time and recipient.escalation_level == 0


def test_metrics_figures_with_fixed_query_count(users, agencies, sent):
    verification_request_receive(actor=users["macau"], request=sent)
    verification_request_answer(actor=users["macau"], request=sent, findings=[
        {"category": "income", "outcome": "found", "text": "x"},
        {"category": "deposits", "outcome": "found", "text": "y"}])
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as queries:
        figures = metrics.figures(start=today - timedelta(days=30), end=today)
    assert len(queries) <= 4
    assert figures["verification_requests_total"] == 1
    assert figures["verification_answered"] == 1
    assert figures["verification_answered_within_due_share"] == 1.0
    assert figures["verification_median_days_to_answer"] == 0.0
    assert metrics.figures(start=today, end=today, district="doumen")["verification_requests_total"] == 0
