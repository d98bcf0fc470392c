"""Urgent notifications (delivery, acknowledgement, escalation run twice escalates once),
bulletins (one per agency and period, only what the agency may see, PDF, e-mail) and the
dashboard figures (fixed query count)."""
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from infosharing import metrics
from infosharing.models import Bulletin, DeliveryChannel, EmergencyKind
from infosharing.services import (
    bulletin_email,
    bulletins_produce,
    urgent_acknowledge,
    urgent_escalate_due,
    urgent_notification_send,
    urgent_recipient_escalate,
    verification_request_answer,
    verification_request_receive,
)
from zhuao.errors import ApplicationError
from zhuao.models import AuditEvent, Notification

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


def _last_month():
    end = timezone.localdate().replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def test_bulletin_task_twice_gives_one_bulletin_per_agency(users, agencies, sent,
                                                          django_capture_on_commit_callbacks):
    start, end = _last_month()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = bulletins_produce(period_start=start, period_end=end)
    with django_capture_on_commit_callbacks(execute=False):
        second = bulletins_produce(period_start=start, period_end=end)
    assert len(callbacks) == first  # one e-mail task per new bulletin
    assert first >= 3 and second == 0
    codes = list(Bulletin.objects.values_list("agency__code", flat=True))
    assert len(codes) == len(set(codes)) == first
    assert {"mo-ias", "hq-livelihood", "zh-civil-affairs", "zh-xiangzhou"} <= set(codes)
    macau = Bulletin.objects.get(agency=agencies["mo-ias"])
    assert bulletin_email(bulletin_id=macau.pk) and not bulletin_email(bulletin_id=macau.pk)
    macau.refresh_from_db()
    assert macau.emailed_at is not None and users["macau"].email in macau.emailed_to
    assert Notification.objects.filter(recipient=users["macau_backup"],
                                       kind="infosharing.bulletin").count() == 1
    message = next(m for m in mail.outbox if users["macau"].email in m.to)
    assert message.attachments[0][2] == "application/pdf"


def test_bulletin_holds_only_what_the_agency_may_see(users, agencies, sent):
    today = timezone.localdate()
    bulletins_produce(period_start=today - timedelta(days=today.day - 1), period_end=today)
    def rows(code, key):
        content = Bulletin.objects.get(agency__code=code).content
        return next(s for s in content["sections"] if s["key"] == key)
    assert rows("zh-xiangzhou", "cases")["figures"][0][1] == 1
    assert rows("zh-doumen", "cases")["figures"][0][1] == 0
    assert rows("mo-ias", "cases")["figures"][0][1] == 0  # the case was never shared with Macau
    assert rows("mo-ias", "verification")["figures"][0][1] == 1  # but the request was sent to it
    assert rows("hq-livelihood", "verification")["figures"][0][1] == 0


def test_bulletin_pdf_has_chinese_text(users, agencies, sent):
    import io

    from pypdf import PdfReader

    from infosharing.pdf import bulletin_pdf

    today = timezone.localdate()
    bulletins_produce(period_start=today.replace(day=1), period_end=today)
    from django.utils import translation

    with translation.override("zh-hans"):
        pdf = bulletin_pdf(Bulletin.objects.get(agency__code="zh-xiangzhou"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "香洲区民政局" in text and "共享个案" in text and "信息协查" in text


@pytest.mark.parametrize("path", ["/infosharing/bulletins/", "/api/v1/infosharing/bulletins/"])
def test_bulletin_lists_read_no_content(path, users, agencies, sent, client_for, api_client_for):
    """A bulletin's content (all its sections) is read by its own page, not by the lists."""
    today = timezone.localdate()
    bulletins_produce(period_start=today.replace(day=1), period_end=today)
    client = api_client_for("city") if path.startswith("/api/") else client_for("city")
    with CaptureQueriesContext(connection) as queries:
        listed_page = client.get(path)
    assert listed_page.status_code == 200
    assert listed_page.content.decode().count("zh-xiangzhou" if "/api/" in path else "/pdf/") >= 1
    [listed] = [query["sql"] for query in queries if 'FROM "infosharing_bulletin"' in query["sql"]]
    assert '"infosharing_bulletin"."period_start"' in listed
    assert '"infosharing_bulletin"."content"' not in listed
    assert '"infosharing_bulletin"."emailed_to"' not in listed


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
