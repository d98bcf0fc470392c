"""Each routing rule of the policy: district limit, city limit and key-case review, the fast
track and its paperwork deadline, the frequency limit and its audited override."""
from datetime import date, datetime
from zoneinfo import ZoneInfo
from decimal import Decimal

import pytest
import time_machine

from cases.models import AgendaItem, AgendaItemKind
from tempaid import services
from tempaid.models import LedgerEntry, Route, Status
from core.calendar import add_working_days
from core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_within_the_district_limit_the_district_decides(users, reviewer, make_application):
    application = make_application("3000")
    assert application.route == Route.DISTRICT and application.status == Status.DISTRICT_REVIEW
    assert application.policy.district_limit == Decimal("3000.00")
    with pytest.raises(ApplicationError) as error:
        services.application_forward(actor=reviewer, application=application)
    assert error.value.code == "within_district_limit"
    approved = services.application_approve(actor=reviewer, application=application)
    assert approved.status == Status.APPROVED and approved.amount_approved == Decimal("3000.00")
    assert approved.fund.reserved == Decimal("3000.00")
    assert approved.fund.available == Decimal("97000.00")


def test_above_the_district_limit_goes_to_the_city(users, reviewer, make_application):
    application = make_application("3000.01")
    assert application.route == Route.CITY
    with pytest.raises(ApplicationError) as error:
        services.application_approve(actor=reviewer, application=application)
    assert error.value.code == "above_district_limit"
    application.refresh_from_db()
    assert application.status == Status.DISTRICT_REVIEW
    forwarded = services.application_forward(actor=reviewer, application=application,
                                             note="建议批准")
    assert forwarded.status == Status.CITY_REVIEW and forwarded.key_case_agenda_item_id is None
    with pytest.raises(ApplicationError):  # a district officer cannot decide in city review
        services.application_approve(actor=reviewer, application=forwarded)
    approved = services.application_approve(actor=users["city"], application=forwarded)
    assert approved.status == Status.APPROVED and approved.decided_by == users["city"]


def test_city_cannot_approve_above_its_limit_by_a_lower_amount_trick(users, make_application):
    application = make_application("5000")
    services.application_forward(actor=users["district"], application=application)
    with pytest.raises(ApplicationError) as error:
        services.application_approve(actor=users["city"], application=application, amount="5000.01")
    assert error.value.code == "above_request"
    approved = services.application_approve(actor=users["city"], application=application,
                                            amount="4000")
    assert approved.amount_approved == Decimal("4000.00")


def test_above_the_city_limit_goes_to_key_case_review(users, make_application):
    application = make_application("6000.01")
    assert application.route == Route.KEY_CASE
    forwarded = services.application_forward(actor=users["district"], application=application)
    item = AgendaItem.objects.get(pk=forwarded.key_case_agenda_item_id)
    assert item.kind == AgendaItemKind.KEY_CASE_REVIEW
    assert list(item.cases.all()) == [application.case]
    assert item.source == f"tempaid:{application.number}"
    application.case.refresh_from_db()
    assert application.case.is_key_case
    with pytest.raises(ApplicationError) as error:
        services.application_approve(actor=users["city"], application=forwarded)
    assert error.value.code == "key_case_decision_required"
    # a free-text note is no longer enough: the meeting's recorded decision is (finding 21)
    with pytest.raises(ApplicationError) as error:
        services.application_approve(actor=users["city"], application=forwarded,
                                     note="联席会议重点个案研判同意")
    assert error.value.code == "key_case_decision_required"
    assert not LedgerEntry.objects.filter(application=application).exists()
    from cases.models import Meeting, MeetingKind, MeetingStatus
    from cases.secretariat.services import decision_record
    from core.models import Agency

    meeting = Meeting.objects.create(title="联席会议", kind=MeetingKind.JOINT_CONFERENCE,
                                     status=MeetingStatus.HELD, starts_at=application.created_at,
                                     organiser_agency=Agency.objects.get(code="zh-civil-affairs"))
    item.meeting, item.status = meeting, "scheduled"
    item.save(update_fields=["meeting", "status"])
    decision_record(actor=users["city"], agenda_item=item, text="同意", outcome="approved",
                    participants=[users["city"]],
                    participating_agencies=[meeting.organiser_agency])
    approved = services.application_approve(actor=users["city"], application=forwarded,
                                            note="联席会议重点个案研判同意")
    assert approved.status == Status.APPROVED


def test_fast_track_pays_at_once_with_a_paperwork_deadline(users, make_application):
    application = make_application("1000", fast_track=True)
    assert application.route == Route.FAST_TRACK and application.status == Status.APPROVED
    assert application.decided_by == users["district"]
    assert application.paperwork_due == add_working_days(date.today(), 5, "mainland")
    paid = services.application_payment_record(actor=users["finance"], application=application,
                                               payment_reference="V-1")
    assert paid.status == Status.PAID
    with pytest.raises(ApplicationError):  # paperwork first
        services.application_close(actor=users["district"], application=paid)


def test_fast_track_above_its_limit_is_refused_and_nothing_changes(users, make_application):
    application = make_application("1000.01", fast_track=True, submit=False)
    with pytest.raises(ApplicationError) as error:
        services.application_submit(actor=users["district"], application=application)
    assert error.value.code == "fast_track_limit"
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.policy is None
    assert not LedgerEntry.objects.filter(application=application).exists()


def test_the_paperwork_deadline_counts_the_districts_working_days(make_application):
    """The owner district completes the paperwork: the mainland calendar, across National
    Day (1–7 October off, Saturday 10 October worked)."""
    with time_machine.travel(datetime(2026, 9, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
                             tick=False):
        application = make_application("1000", fast_track=True)
    assert application.paperwork_due == date(2026, 10, 13)  # not 7 October
