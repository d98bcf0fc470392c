"""Verification requests: every guard refused with its own message and nothing sent; the
whole lifecycle; revocation withdraws pending requests; due dates and overdue reminders."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from infosharing_factories import make_authorization

from infosharing.models import RequestStatus, VerificationRequest
from infosharing.services import (
    authorization_revoke,
    verification_overdue_remind,
    verification_request_answer,
    verification_request_close,
    verification_request_create,
    verification_request_decline,
    verification_request_receive,
    verification_request_return,
    verification_request_send,
    verification_request_update,
    verification_request_withdraw,
)
from core.calendar import add_working_days
from core.errors import ApplicationError
from core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _assert_refused(users, request, code, words):
    audit_before = AuditEvent.objects.filter(action="verificationrequest.send").count()
    with pytest.raises(ApplicationError) as refused:
        verification_request_send(actor=users["district"], request=request)
    assert refused.value.code == code
    assert words in str(refused.value.message)
    request.refresh_from_db()
    assert request.status == RequestStatus.DRAFT and request.sent_at is None
    assert request.due_date is None
    assert AuditEvent.objects.filter(action="verificationrequest.send").count() == audit_before
    assert not Notification.objects.filter(recipient=users["macau"]).exists()
    return refused.value


def _draft(users, case, authorization, **overrides):
    fields = {"categories": ["income"], "receiving_side": "macau", "authorization": authorization}
    fields.update(overrides)
    return verification_request_create(actor=users["district"], case=case, **fields)


def test_no_authorization_is_refused(users, case):
    request = _draft(users, case, None)
    _assert_refused(users, request, "no_authorization", "No signed authorization")


def test_expired_authorization_is_refused(users, case, person):
    old = make_authorization(users["district"], person, valid_from=date(2022, 1, 1),
                             valid_until=date(2022, 12, 31))
    error = _assert_refused(users, _draft(users, case, old), "authorization_expired", "expired")
    assert "2022" in str(error.message)


def test_not_yet_valid_authorization_is_refused(users, case, person):
    future = timezone.localdate() + timedelta(days=5)
    later = make_authorization(users["district"], person, valid_from=future,
                               valid_until=future + timedelta(days=30))
    _assert_refused(users, _draft(users, case, later), "authorization_not_yet_valid", "valid only")


def test_revoked_authorization_is_refused(users, case, authorization):
    request = _draft(users, case, authorization)
    authorization_revoke(actor=users["district"], authorization=authorization, reason="本人撤回")
    request.refresh_from_db()
    # revocation withdrew the draft; a new draft on the revoked authorization is refused too
    assert request.status == RequestStatus.WITHDRAWN
    _assert_refused(users, _draft(users, case, authorization), "authorization_revoked", "revoked")


def test_category_not_covered_is_refused(users, case, authorization):
    request = _draft(users, case, authorization, categories=["income", "vehicles", "property"])
    error = _assert_refused(users, request, "category_not_covered", "does not cover")
    assert "Vehicles" in str(error.message) and "Real estate" in str(error.message)
    assert "Income" not in str(error.message)


def test_side_not_covered_is_refused(users, case, person):
    macau_only = make_authorization(users["district"], person, sides=["macau"])
    request = _draft(users, case, macau_only, receiving_side="hengqin")
    _assert_refused(users, request, "side_not_covered", "does not allow asking")


def test_own_side_cannot_be_asked(users, case, authorization):
    with pytest.raises(ApplicationError) as refused:
        _draft(users, case, authorization, receiving_side="zhuhai")
    assert refused.value.code == "own_side"
    assert not VerificationRequest.objects.exists()


def test_authorization_of_another_person_cannot_be_attached(users, case):
    from infosharing_factories import make_person

    other = make_person(users["district"], name="张三")
    with pytest.raises(ApplicationError) as refused:
        _draft(users, case, make_authorization(users["district"], other))
    assert refused.value.code == "authorization_other_person"


def test_full_lifecycle(users, agencies, draft):
    mail.outbox.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZHUAO_VERIFICATION_DUE_WORKING_DAYS", "15")
        request = verification_request_send(actor=users["district"], request=draft)
    assert request.status == RequestStatus.SENT
    assert request.receiving_agency == agencies["mo-ias"]
    assert request.due_date == add_working_days(timezone.localdate(), 15, "macau")
    assert Notification.objects.filter(recipient=users["macau"], kind="infosharing.verification").exists()
    # the requester cannot acknowledge or answer; the receiver cannot close
    with pytest.raises(ApplicationError):
        verification_request_receive(actor=users["district"], request=request)
    with pytest.raises(ApplicationError):
        verification_request_receive(actor=users["hengqin"], request=request)
    request = verification_request_receive(actor=users["macau_backup"], request=request)
    assert request.status == RequestStatus.RECEIVED and request.received_by == users["macau_backup"]
    with pytest.raises(ApplicationError) as incomplete:
        verification_request_answer(actor=users["macau"], request=request, findings=[
            {"category": "income", "outcome": "found", "text": "月收入约 3000 澳门元"}])
    assert incomplete.value.code == "findings_incomplete"
    assert not request.findings.exists()
    request = verification_request_answer(actor=users["macau"], request=request, findings=[
        {"category": "income", "outcome": "found", "text": "月收入约 3000 澳门元"},
        {"category": "deposits", "outcome": "nothing_found", "text": ""}])
    assert request.status == RequestStatus.ANSWERED and request.findings.count() == 2
    with pytest.raises(ApplicationError):
        verification_request_close(actor=users["macau"], request=request)
    request = verification_request_close(actor=users["district"], request=request)
    assert request.status == RequestStatus.CLOSED
    actions = set(AuditEvent.objects.filter(object_id=str(request.pk),
                                            object_type="infosharing.verificationrequest")
                  .values_list("action", flat=True))
    assert {"verificationrequest.create", "verificationrequest.send", "verificationrequest.receive",
            "verificationrequest.answer", "verificationrequest.close"} <= actions


def test_return_then_resend(users, sent):
    request = verification_request_return(actor=users["macau"], request=sent,
                                          reason="请补充其澳门身份证正反面")
    assert request.status == RequestStatus.RETURNED
    request = verification_request_update(actor=users["district"], request=request,
                                          categories=["income"], question="已补充",
                                          authorization=request.authorization)
    request = verification_request_send(actor=users["district"], request=request)
    assert request.status == RequestStatus.SENT and request.status_reason == ""


def test_decline_and_withdraw_need_reasons_and_end_the_request(users, case, authorization, sent):
    with pytest.raises(ApplicationError):
        verification_request_decline(actor=users["macau"], request=sent, reason=" ")
    declined = verification_request_decline(actor=users["macau"], request=sent, reason="非本局职权")
    assert declined.status == RequestStatus.DECLINED
    with pytest.raises(ApplicationError) as late:
        verification_request_withdraw(actor=users["district"], request=declined, reason="x")
    assert late.value.code == "invalid_status"
    other = _draft(users, case, authorization)
    withdrawn = verification_request_withdraw(actor=users["district"], request=other, reason="重复")
    assert withdrawn.status == RequestStatus.WITHDRAWN


def test_revocation_withdraws_pending_requests_and_is_audited(users, sent):
    authorization_revoke(actor=users["district"], authorization=sent.authorization,
                         reason="申请人撤回授权")
    sent.refresh_from_db()
    assert sent.status == RequestStatus.WITHDRAWN
    assert "撤回授权" in sent.status_reason
    assert AuditEvent.objects.filter(action="authorization.revoke").count() == 1
    assert AuditEvent.objects.filter(action="verificationrequest.withdraw",
                                     object_id=str(sent.pk)).exists()
    # the receiving liaison is told
    assert Notification.objects.filter(  # stored as a key: read in the recipient's language
        recipient=users["macau"],
        message__title__msgid="Verification request %(number)s was withdrawn").exists()


def test_only_the_holder_may_revoke(users, authorization):
    with pytest.raises(ApplicationError):
        authorization_revoke(actor=users["district2"], authorization=authorization, reason="x")
    authorization.refresh_from_db()
    assert authorization.revoked_at is None


def _sent_on(users, case, side, moment):
    with time_machine.travel(moment, tick=False):
        authorization = make_authorization(users["district"], case.subject)
        return verification_request_send(actor=users["district"],
                                         request=_draft(users, case, authorization,
                                                        receiving_side=side))


@pytest.mark.parametrize(("side", "due"), [
    ("macau", date(2026, 10, 26)),  # Macau: 1–2 Oct, 19 Oct (Double Ninth observed) off
    ("hengqin", date(2026, 10, 27)),  # mainland: 1–7 Oct off, Saturday 10 Oct worked
])
def test_the_due_date_counts_the_answering_sides_working_days(users, case, side, due):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZHUAO_VERIFICATION_DUE_WORKING_DAYS", "15")
        request = _sent_on(users, case, side, datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI))
    assert request.due_date == due  # Monday to Friday alone would give 21 October


@pytest.mark.parametrize(("side", "reminded"), [("macau", False), ("hengqin", True)])
def test_no_overdue_reminder_on_a_holiday_of_the_answering_side(users, case, side, reminded):
    request = _sent_on(users, case, side, datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI))
    VerificationRequest.objects.filter(pk=request.pk).update(due_date=date(2026, 12, 4))
    # 8 December (Immaculate Conception) is a Macau government holiday, a mainland working day
    assert verification_overdue_remind(today=date(2026, 12, 8)) == int(reminded)
    assert verification_overdue_remind(today=date(2026, 12, 9)) == 1


def test_overdue_reminder_once_a_day(users, sent):
    today = date(2026, 12, 9)  # a working day of Macau, the answering side
    VerificationRequest.objects.filter(pk=sent.pk).update(due_date=today - timedelta(days=1))
    before = Notification.objects.filter(recipient=users["macau"]).count()
    assert verification_overdue_remind(today=today) == 1
    assert verification_overdue_remind(today=today) == 0
    assert Notification.objects.filter(recipient=users["macau"]).count() == before + 1
    assert Notification.objects.filter(
        recipient=users["district"],
        message__title__msgid="Verification request %(number)s is overdue (due %(date)s)").exists()
