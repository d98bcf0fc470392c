"""The infosharing lists' bulk actions (core.bulk): reminders for overdue requests and
acknowledging several bulletins, each with mixed allowed and refused items."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from infosharing.models import BulletinRecipient, VerificationRequest
from infosharing.services import bulletin_open, bulletin_publish, bulletin_section_save
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_bulk_remind_mixed(users, sent, draft, client_for):
    # ``sent`` is ``draft`` sent: make a second, still a draft, and make the sent one overdue
    from infosharing.services import verification_request_create

    still_draft = verification_request_create(actor=users["district"], case=sent.case,
                                              categories=["income"], receiving_side="macau")
    VerificationRequest.objects.filter(pk=sent.pk).update(
        due_date=timezone.localdate() - timedelta(days=2))
    result = client_for("district").post("/infosharing/requests/remind/", {
        "ids": [sent.pk, still_draft.pk, 999999999], "confirm": "1"})
    assert result.status_code == 200
    assert result.context["result"].counts == {"succeeded": 1, "refused": 2}
    assert VerificationRequest.objects.get(pk=sent.pk).last_reminded_on == timezone.localdate()
    assert AuditEvent.objects.filter(action="verificationrequest.remind",
                                     object_id=str(sent.pk)).count() == 1
    # a second reminder the same day is refused
    again = client_for("district").post("/infosharing/requests/remind/", {
        "ids": [sent.pk], "confirm": "1"})
    assert again.context["result"].counts == {"succeeded": 0, "refused": 1}


def test_bulk_acknowledge_mixed(users, client_for, django_capture_on_commit_callbacks):
    bulletins = []
    for month in (7, 8):
        with django_capture_on_commit_callbacks(execute=False):
            bulletin, _created = bulletin_open(period_start=date(2026, month, 1),
                                               period_end=date(2026, month, 28))
        bulletin_section_save(actor=users["macau"], bulletin=bulletin, side="macau",
                              common_concern="澳門方面")
        bulletins.append(bulletin)
    with django_capture_on_commit_callbacks(execute=False):
        bulletin_publish(actor=users["city"], bulletin=bulletins[0])
    result = client_for("macau").post("/infosharing/bulletins/acknowledge/", {
        "ids": [b.pk for b in bulletins], "confirm": "1"})
    assert result.status_code == 200
    assert result.context["result"].counts == {"succeeded": 1, "refused": 1}
    assert BulletinRecipient.objects.filter(bulletin=bulletins[0],
                                            acknowledged_at__isnull=False).count() == 1
