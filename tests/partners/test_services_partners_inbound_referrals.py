"""Issue 25: Macau and Hengqin refer people of their side (or shared with them) to the NGO
service contracts. The referral hangs on the person (they have no Zhuhai case) and records the
side it came from; the consent check is the outbound one; Zhuhai's city officers see it and
are told when it is sent, the provider accepts it as any referral; nobody else sees it."""
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import ResidenceStatus, Sex
from cases.services import person_register
from partners import services
from partners.models import Referral, ReferralStatus
from partners.selectors import referable_contracts, referral_visible_to
from partners_factories import make_case
from core.errors import ApplicationError
from core.models import AuditEvent, AuditOutcome, Notification

pytestmark = pytest.mark.django_db

EVERYONE = ("city", "district", "district2", "finance", "finwork", "macau", "macau_backup",
            "hengqin", "ngo", "ngo2", "leader", "admin", "bank")


@pytest.fixture
def macau_person(users):
    return person_register(actor=users["macau"], name_zh="何美華", sex=Sex.FEMALE,
                           date_of_birth=date(1950, 3, 2),
                           residence_status=ResidenceStatus.MACAU_RESIDENT,
                           document_type="macau_id", document_number="1234567(3)",
                           phone="66881234", address="珠海市香洲区拱北", district="xiangzhou")


def inbound(users, person, contract, *, username="macau", consent=True, **kwargs):
    return services.referral_create(
        actor=users[username], person=person, contract=contract, reason="獨居長者需要上門探訪",
        needs="上門探訪", consent_given=consent,
        consent_date=date.today() - timedelta(days=1) if consent else None, **kwargs)


def who_sees(users, referral) -> set[str]:
    return {name for name in EVERYONE
            if referral_visible_to(users[name]).filter(pk=referral.pk).exists()}


def test_a_macau_referral_hangs_on_the_person_and_records_its_side(users, contracts,
                                                                   macau_person):
    referral = inbound(users, macau_person, contracts["kaifong"])
    assert referral.case is None and referral.person == macau_person
    assert referral.originating_side == "macau"
    assert referral.referring_agency.code == "mo-ias"
    assert referral.district == "xiangzhou"
    assert AuditEvent.objects.filter(action="referral.create", object_id=str(referral.pk),
                                     actor_username="macau").exists()
    # a draft: the referring agency and Zhuhai's city officers, not the provider yet
    assert who_sees(users, referral) == {"macau", "macau_backup", "city"}


def test_sent_the_provider_accepts_and_the_city_is_told(users, contracts, macau_person):
    referral = inbound(users, macau_person, contracts["kaifong"])
    services.referral_send(actor=users["macau_backup"], referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert who_sees(users, referral) == {"macau", "macau_backup", "city", "ngo"}
    assert AuditEvent.objects.filter(action="referral.disclose",
                                     object_id=str(referral.pk)).exists()
    for username, kind in (("city", "partners.referral_inbound"),
                           ("ngo", "partners.referral_sent")):
        note = Notification.objects.get(recipient=users[username], kind=kind)
        assert "何美華" not in note.title + note.body
        assert note.url == reverse("partners:referral_detail", args=[referral.pk])
    services.referral_accept(actor=users["ngo"], referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert Notification.objects.filter(recipient=users["macau"],
                                       kind="partners.referral_answered").exists()


def test_without_consent_it_is_not_sent_and_the_refusal_is_audited(users, contracts,
                                                                   macau_person):
    referral = inbound(users, macau_person, contracts["kaifong"], consent=False)
    with pytest.raises(ApplicationError) as refused:
        services.referral_send(actor=users["macau"], referral=referral)
    assert refused.value.code == "no_consent"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    assert not AuditEvent.objects.filter(action="referral.disclose").exists()
    assert AuditEvent.objects.filter(action="referral_send.refused", actor_username="macau",
                                     outcome=AuditOutcome.DENIED,
                                     object_id=str(referral.pk)).exists()
    assert who_sees(users, referral) == {"macau", "macau_backup", "city"}


def test_a_liaison_cannot_refer_a_person_it_does_not_see(users, contracts, macau_person):
    with pytest.raises(ApplicationError) as refused:
        inbound(users, macau_person, contracts["kaifong"], username="hengqin")
    assert refused.value.status == 403
    assert not Referral.objects.exists()
    assert AuditEvent.objects.filter(action="referral_create.refused", actor_username="hengqin",
                                     outcome=AuditOutcome.DENIED).exists()


def test_a_liaison_refers_a_zhuhai_person_shared_with_it(users, agencies, contracts):
    from cases.services import case_share

    case = make_case(users, "district")
    case_share(actor=users["district"], case=case, agency=agencies["hq-livelihood"],
               reason="横琴跟进")
    referral = inbound(users, case.subject, contracts["kaifong"], username="hengqin")
    assert referral.originating_side == "hengqin" and referral.case is None


def test_only_the_referring_agency_works_on_it(users, contracts, macau_person):
    referral = inbound(users, macau_person, contracts["kaifong"], consent=False)
    for username in ("hengqin", "city", "district"):
        with pytest.raises(ApplicationError) as refused:
            services.referral_record_consent(actor=users[username], referral=referral,
                                             consent_given=True, consent_date=date.today())
        assert refused.value.status == 403
        with pytest.raises(ApplicationError):
            services.referral_send(actor=users[username], referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT and not referral.consent_given
    assert not services.may_work_on_referral(users["city"], referral)
    assert services.may_work_on_referral(users["macau_backup"], referral)


def test_only_under_an_active_contract(users, contracts, macau_person):
    contract = contracts["kaifong"]
    contract.status = "closed"
    contract.save(update_fields=["status"])
    with pytest.raises(ApplicationError):
        inbound(users, macau_person, contract)
    assert not referable_contracts(users["macau"]).filter(pk=contract.pk).exists()
    assert not referable_contracts(users["ngo"]).exists()


def test_zhuhai_still_refers_cases_only(users, contracts):
    case = make_case(users, "district")
    with pytest.raises(ApplicationError) as refused:
        services.referral_create(actor=users["district"], person=case.subject,
                                 contract=contracts["kaifong"], reason="x")
    assert refused.value.code == "required"
    # and the database refuses a Zhuhai referral without a case
    referral = services.referral_create(actor=users["district"], case=case,
                                        contract=contracts["kaifong"], reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(case=None)
