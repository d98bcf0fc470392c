"""Issue 25: records owned by each side and inbound verification. A Macau (or Hengqin) liaison
registers its own resident, puts the person's signed authorization on file, asks Zhuhai; a
city officer routes the request to a district, which acknowledges and answers; the liaison
reads the findings. Nobody else sees the person or the request."""
from datetime import date, timedelta

import pytest
from django.utils import timezone
from infosharing_factories import make_authorization, pdf_upload

from cases.models import ResidenceStatus, Sex
from cases.selectors import person_may_change, person_visible_to
from cases.services import person_register, person_update
from infosharing import services
from infosharing.models import RequestDirection, RequestStatus, VerificationRequest
from infosharing.selectors import (
    authorization_visible_to,
    verification_findings_for,
    verification_request_visible_to,
    verification_requests_to_route,
)
from core.errors import ApplicationError
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

EVERYONE = ("city", "district", "district2", "finance", "finwork", "macau", "macau_backup",
            "hengqin", "ngo", "ngo2", "leader", "admin")


def register_macau_resident(users, username="macau", name="梁小玲"):
    return person_register(actor=users[username], name_zh=name, sex=Sex.FEMALE,
                           date_of_birth=date(1961, 5, 4),
                           residence_status=ResidenceStatus.MACAU_RESIDENT,
                           document_type="macau_id", document_number="7123456(2)",
                           address="珠海市香洲区拱北", district="xiangzhou")


def who_sees(users, queryset_for, record) -> set[str]:
    return {name for name in EVERYONE if queryset_for(users[name]).filter(pk=record.pk).exists()}


@pytest.fixture
def macau_person(users):
    return register_macau_resident(users)


@pytest.fixture
def macau_authorization(users, macau_person):
    return make_authorization(users["macau"], macau_person,
                              categories=("property", "social_insurance"), sides=("zhuhai",))


def inbound_draft(users, person, authorization, username="macau"):
    return services.verification_request_create(
        actor=users[username], person=person, categories=["property", "social_insurance"],
        receiving_side="zhuhai", question="申请人是否在珠海有房产及社保缴纳记录？",
        authorization=authorization)


# --- records owned by each side ----------------------------------------------------------------

def test_a_macau_liaison_registers_its_resident_as_its_agency_record(users, macau_person):
    assert macau_person.owner_agency.code == "mo-ias"
    assert AuditEvent.objects.filter(action="person.create", object_id=str(macau_person.pk),
                                     actor_username="macau").exists()
    # its side sees it; Zhuhai's city and the district of the address do not, nor Hengqin
    assert who_sees(users, person_visible_to, macau_person) == {"macau", "macau_backup"}
    assert person_may_change(users["macau"], macau_person)
    assert not person_may_change(users["hengqin"], macau_person)
    assert not person_may_change(users["city"], macau_person)


def test_a_hengqin_liaison_registers_a_hengqin_resident(users):
    person = person_register(actor=users["hengqin"], name_zh="郑大明", sex=Sex.MALE,
                             date_of_birth=date(1970, 1, 2),
                             residence_status=ResidenceStatus.HENGQIN_RESIDENT,
                             document_type="mainland_id",
                             document_number="440402197001020010")
    assert person.owner_agency.code == "hq-livelihood"
    assert who_sees(users, person_visible_to, person) == {"hengqin"}


def test_a_liaison_registers_only_its_own_sides_residents(users):
    with pytest.raises(ApplicationError) as refused:
        person_register(actor=users["macau"], name_zh="张三", sex=Sex.MALE,
                        date_of_birth=date(1970, 1, 2),
                        residence_status=ResidenceStatus.ZHUHAI_HOUSEHOLD,
                        document_type="macau_id", document_number="7123457(8)")
    assert refused.value.code == "other_side_resident"
    with pytest.raises(ApplicationError) as refused:
        person_register(actor=users["macau"], name_zh="张三", sex=Sex.MALE,
                        date_of_birth=date(1970, 1, 2),
                        residence_status=ResidenceStatus.MACAU_RESIDENT,
                        document_type="macau_id", document_number="7123457(8)",
                        owner_agency=users["city"].staff.agency)
    assert refused.value.code == "not_owner"
    assert not person_visible_to(users["city"]).filter(name_zh="张三").exists()


def test_a_liaison_changes_only_its_own_records(users, macau_person):
    from infosharing_factories import make_case, make_person

    zhuhai_person = make_person(users["district"])
    case = make_case(users["district"], zhuhai_person)
    from cases.services import case_share

    case_share(actor=users["district"], case=case, agency=users["macau"].staff.agency,
               reason="协查")
    assert person_visible_to(users["macau"]).filter(pk=zhuhai_person.pk).exists()
    with pytest.raises(ApplicationError) as refused:
        person_update(actor=users["macau"], person=zhuhai_person, phone="123")
    assert refused.value.code == "not_owner"
    zhuhai_person.refresh_from_db()
    assert zhuhai_person.phone == ""
    person_update(actor=users["macau"], person=macau_person, phone="+853 6612 3456")
    macau_person.refresh_from_db()
    assert macau_person.phone == "+853 6612 3456"


def test_the_liaisons_authorization_is_its_own(users, macau_authorization):
    assert who_sees(users, authorization_visible_to, macau_authorization) == {
        "macau", "macau_backup"}


# --- inbound verification, end to end ---------------------------------------------------------

def test_inbound_request_end_to_end(users, macau_person, macau_authorization):
    draft = inbound_draft(users, macau_person, macau_authorization)
    assert draft.direction == RequestDirection.INBOUND
    assert draft.case is None and draft.district == ""
    assert draft.receiving_agency.code == "zh-civil-affairs"
    assert who_sees(users, verification_request_visible_to, draft) == {
        "macau", "macau_backup", "city"}

    sent = services.verification_request_send(actor=users["macau"], request=draft)
    assert sent.status == RequestStatus.SENT and sent.due_date is not None
    due = sent.due_date
    # waiting at the city bureau: nobody can acknowledge it before it is routed
    assert list(verification_requests_to_route(users["city"])) == [sent]
    assert not verification_requests_to_route(users["district"]).exists()
    with pytest.raises(ApplicationError) as refused:
        services.verification_request_receive(actor=users["city"], request=sent)
    assert refused.value.status == 409
    for name in ("district", "macau", "hengqin"):
        with pytest.raises(ApplicationError) as refused:
            services.verification_request_route(actor=users[name], request=sent,
                                                district="xiangzhou")
        assert refused.value.status == 403

    routed = services.verification_request_route(actor=users["city"], request=sent,
                                                 district="xiangzhou")
    assert routed.receiving_agency.code == "zh-xiangzhou" and routed.district == "xiangzhou"
    assert routed.due_date == due  # the same service level, counted from sending
    assert routed.routed_by == users["city"]
    assert who_sees(users, verification_request_visible_to, routed) == {
        "macau", "macau_backup", "city", "district"}
    with pytest.raises(ApplicationError):  # routed once
        services.verification_request_route(actor=users["city"], request=routed,
                                            district="doumen")

    received = services.verification_request_receive(actor=users["district"], request=routed)
    answered = services.verification_request_answer(actor=users["district"], request=received,
                                                    findings=[
        {"category": "property", "outcome": "found", "text": "香洲区住宅一套"},
        {"category": "social_insurance", "outcome": "nothing_found", "text": ""}])
    assert answered.status == RequestStatus.ANSWERED
    findings, _attachments = verification_findings_for(users["macau"], answered)
    assert [finding.text for finding in findings] == ["香洲区住宅一套", ""]
    services.verification_request_close(actor=users["macau"], request=answered)
    actions = list(AuditEvent.objects.filter(object_id=str(draft.pk),
                                             object_type="infosharing.verificationrequest")
                   .order_by("id").values_list("action", flat=True))
    for step in ("create", "send", "route", "receive", "answer", "close"):
        assert f"verificationrequest.{step}" in actions
    assert "verificationfinding.view" in actions


def test_inbound_request_returned_and_resent_keeps_its_route(users, macau_person,
                                                            macau_authorization):
    sent = services.verification_request_send(
        actor=users["macau"], request=inbound_draft(users, macau_person, macau_authorization))
    routed = services.verification_request_route(actor=users["city"], request=sent,
                                                 district="xiangzhou")
    returned = services.verification_request_return(actor=users["district"], request=routed,
                                                    reason="请补充在珠海的住址")
    assert returned.status == RequestStatus.RETURNED
    resent = services.verification_request_send(actor=users["macau"], request=returned)
    assert resent.receiving_agency.code == "zh-xiangzhou" and resent.can_receive()


def test_inbound_overdue_request_reminds_the_district(users, macau_person, macau_authorization):
    sent = services.verification_request_send(
        actor=users["macau"], request=inbound_draft(users, macau_person, macau_authorization))
    services.verification_request_route(actor=users["city"], request=sent, district="xiangzhou")
    # reminders go out on the district's working days: a Wednesday, the day after the due date
    wednesday = date(2026, 12, 9)
    VerificationRequest.objects.filter(pk=sent.pk).update(due_date=wednesday - timedelta(days=1))
    assert services.verification_overdue_remind(today=wednesday) == 1
    assert AuditEvent.objects.filter(action="verificationrequest.remind",
                                     object_id=str(sent.pk)).exists()


# --- the consent gate, in the other direction --------------------------------------------------

def test_inbound_request_needs_an_authorization_allowing_zhuhai(users, macau_person):
    covers_macau_only = make_authorization(users["macau"], macau_person,
                                           categories=("property", "social_insurance"),
                                           sides=("hengqin",))
    draft = inbound_draft(users, macau_person, covers_macau_only)
    with pytest.raises(ApplicationError) as refused:
        services.verification_request_send(actor=users["macau"], request=draft)
    assert refused.value.code == "side_not_covered"
    draft.refresh_from_db()
    assert draft.status == RequestStatus.DRAFT


def test_inbound_request_needs_every_category_covered(users, macau_person):
    property_only = make_authorization(users["macau"], macau_person, categories=("property",),
                                       sides=("zhuhai",))
    draft = inbound_draft(users, macau_person, property_only)
    with pytest.raises(ApplicationError) as refused:
        services.verification_request_send(actor=users["macau"], request=draft)
    assert refused.value.code == "category_not_covered"


def test_inbound_request_without_authorization_or_after_revocation(users, macau_person,
                                                                 macau_authorization):
    bare = inbound_draft(users, macau_person, None)
    with pytest.raises(ApplicationError) as refused:
        services.verification_request_send(actor=users["macau"], request=bare)
    assert refused.value.code == "no_authorization"
    sent = services.verification_request_send(
        actor=users["macau"], request=inbound_draft(users, macau_person, macau_authorization))
    services.authorization_revoke(actor=users["macau"], authorization=macau_authorization,
                                  reason="本人撤回")
    sent.refresh_from_db()
    assert sent.status == RequestStatus.WITHDRAWN


def test_a_liaison_asks_only_zhuhai_and_only_about_its_people(users, macau_person,
                                                             macau_authorization):
    with pytest.raises(ApplicationError) as refused:
        services.verification_request_create(
            actor=users["macau"], person=macau_person, categories=["property"],
            receiving_side="hengqin", authorization=macau_authorization)
    assert refused.value.code == "inbound_to_zhuhai"
    with pytest.raises(ApplicationError) as refused:  # Hengqin does not see Macau's person
        services.verification_request_create(
            actor=users["hengqin"], person=macau_person, categories=["property"],
            receiving_side="zhuhai")
    assert refused.value.code == "not_visible"
    assert not VerificationRequest.objects.filter(person=macau_person).exists()


def test_a_zhuhai_request_still_needs_a_case(users, macau_person):
    with pytest.raises(ApplicationError) as refused:
        services.verification_request_create(actor=users["district"], person=macau_person,
                                             categories=["income"], receiving_side="macau")
    assert refused.value.code == "required"


def test_authorization_scan_upload_for_inbound_person(users, macau_person):
    """The liaison puts the scan on file like a Zhuhai officer does."""
    authorization = services.authorization_record(
        actor=users["macau"], person=macau_person, signatories="梁小玲", categories=["property"],
        sides=["zhuhai"], valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + timedelta(days=30), scan=pdf_upload())
    assert authorization.owner_agency.code == "mo-ias" and authorization.district == "xiangzhou"
    # the address's district does not make a Macau record Xiangzhou's
    assert not authorization_visible_to(users["district"]).filter(pk=authorization.pk).exists()


# --- inbound urgent notifications ---------------------------------------------------------------

def test_inbound_urgent_notification_acknowledged_and_escalated_on_the_zhuhai_side(
        users, agencies, macau_person, django_capture_on_commit_callbacks):
    from infosharing.models import UrgentDelivery
    from infosharing.selectors import urgent_notification_visible_to

    with django_capture_on_commit_callbacks(execute=False):
        notification = services.urgent_notification_send(
            actor=users["macau"], person=macau_person, kind="hospitalisation",
            occurred_at=timezone.now() - timedelta(hours=1),
            description="在拱北口岸暈倒，已送珠海市人民醫院",
            agencies=[agencies["zh-civil-affairs"], agencies["zh-xiangzhou"]])
    assert notification.reporting_agency.code == "mo-ias"
    city_bureau = notification.recipients.get(agency__code="zh-civil-affairs")
    district = notification.recipients.get(agency__code="zh-xiangzhou")
    # each reaches someone at once: the city bureau's liaison; the district (no liaison on the
    # roster) its officers
    assert set(UrgentDelivery.objects.filter(recipient=city_bureau, escalation_level=0)
               .values_list("user__username", flat=True)) == {"city"}
    reached = UrgentDelivery.objects.filter(recipient=district, escalation_level=0,
                                            user__isnull=False)
    assert "district" in set(reached.values_list("user__username", flat=True))
    assert set(reached.values_list("user__staff__agency__code", flat=True)) == {"zh-xiangzhou"}
    assert who_sees(users, urgent_notification_visible_to, notification) >= {
        "macau", "city", "district"}
    assert "district2" not in who_sees(users, urgent_notification_visible_to, notification)
    assert "hengqin" not in who_sees(users, urgent_notification_visible_to, notification)
    services.urgent_acknowledge(actor=users["district"], recipient=district)
    with django_capture_on_commit_callbacks(execute=False):
        services.urgent_recipient_escalate(recipient_id=city_bureau.pk,
                                           now=city_bureau.ack_due_at + timedelta(minutes=1))
    city_bureau.refresh_from_db()
    district.refresh_from_db()
    assert city_bureau.escalation_level == 1 and district.escalation_level == 0
    assert district.acknowledged_by == users["district"]
