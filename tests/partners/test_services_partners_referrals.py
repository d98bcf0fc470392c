import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from partners import services
from partners.models import Referral, ReferralStatus
from partners_factories import make_case, make_referral
from core.errors import ApplicationError
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_referral_without_consent_cannot_be_sent(users, contracts):
    case = make_case(users, "district")
    referral = make_referral(users, "district", case, contracts["kaifong"], send=False,
                             consent=False)
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        services.referral_send(actor=users["district"], referral=referral)
    assert caught.value.code == "no_consent"
    assert "同意" in str(caught.value)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT and referral.sent_at is None
    assert not AuditEvent.objects.filter(action="referral.disclose").exists()
    # the database refuses it too
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.SENT)


def test_consent_recorded_then_sent_and_disclosure_audited(users, contracts, today):
    case = make_case(users, "district")
    referral = make_referral(users, "district", case, contracts["kaifong"], send=False,
                             consent=False)
    with pytest.raises(ApplicationError):  # yes without a date
        services.referral_record_consent(actor=users["district"], referral=referral,
                                         consent_given=True, consent_date=None)
    services.referral_record_consent(actor=users["district"], referral=referral,
                                     consent_given=True, consent_date=today)
    services.referral_send(actor=users["district"], referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert AuditEvent.objects.filter(action="referral.disclose", object_id=str(referral.pk)).exists()
    assert referral.person_name == case.subject.name_zh


def test_an_officer_cannot_refer_a_case_they_cannot_see(users, contracts):
    doumen_case = make_case(users, "district2")
    with pytest.raises(ApplicationError) as caught:
        make_referral(users, "district", doumen_case, contracts["kaifong"], send=False)
    assert caught.value.status == 403
    assert not Referral.objects.exists()


def test_only_the_providers_staff_answer(users, referrals):
    referral = referrals["kaifong"]
    for username in ("ngo2", "district", "city"):
        with pytest.raises(ApplicationError):
            services.referral_accept(actor=users[username], referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    with pytest.raises(ApplicationError):
        services.referral_decline(actor=users["ngo"], referral=referral, reason="  ")
    services.referral_decline(actor=users["ngo"], referral=referral, reason="名额已满")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.decline_reason == "名额已满"


def test_provider_staff_are_notified_of_a_sent_referral(users, referrals):
    from core.models import Notification

    assert Notification.objects.filter(recipient=users["ngo"]).exists()
    assert not Notification.objects.filter(recipient=users["ngo2"],
                                           title__contains=referrals["kaifong"].number).exists()
