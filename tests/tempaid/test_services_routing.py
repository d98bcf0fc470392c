"""Each routing rule of the policy: district limit, city limit and key-case review, the fast
track and its paperwork deadline, the frequency limit and its audited override."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from cases.models import AgendaItem, AgendaItemKind
from tempaid import services
from tempaid.models import Application, LedgerEntry, Route, Status
from zhuao.errors import ApplicationError
from zhuao.models import AuditEvent

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
    from cases.services import decision_record
    from zhuao.models import Agency

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
    assert application.paperwork_due == services.add_working_days(date.today(), 5)
    assert application.paperwork_due.weekday() < 5
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


def test_working_days_skip_weekends():
    friday = date(2026, 11, 27)
    assert services.add_working_days(friday, 5) == date(2026, 12, 4)
    assert services.add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)


def test_overdue_fast_track_paperwork_is_flagged_once(users, make_application, mailoutbox):
    late = make_application("800", fast_track=True)
    done = make_application("800", fast_track=True)
    services.application_paperwork_complete(actor=users["district"], application=done)
    after_deadline = late.paperwork_due + timedelta(days=1)
    assert services.applications_flag_overdue_paperwork(today=late.paperwork_due) == []
    assert services.applications_flag_overdue_paperwork(today=after_deadline) == [late.pk]
    assert services.applications_flag_overdue_paperwork(today=after_deadline) == []
    late.refresh_from_db()
    assert late.is_paperwork_overdue
    assert AuditEvent.objects.filter(action="application.paperwork_overdue",
                                     object_id=str(late.pk)).count() == 1
    from zhuao.models import Notification

    recipients = set(Notification.objects.filter(kind="tempaid.paperwork_overdue")
                     .values_list("recipient__username", flat=True))
    assert recipients == {"city", "district"}


def test_the_flag_task_is_scheduled_daily():
    from tempaid.schedules import SCHEDULES

    assert [s.task for s in SCHEDULES] == ["tempaid.flag_overdue_paperwork"]


def test_frequency_limit_and_its_audited_override(users, reviewer, case, make_application):
    for _ in range(2):
        services.application_approve(actor=reviewer, application=make_application("100"))
    third = make_application("100", submit=False)
    with pytest.raises(ApplicationError) as error:
        services.application_submit(actor=users["district"], application=third)
    assert error.value.code == "frequency_limit"
    third.refresh_from_db()
    assert third.status == Status.DRAFT
    submitted = services.application_submit(actor=users["district"], application=third,
                                            frequency_override_reason="火灾后无处居住，确有需要")
    assert submitted.frequency_override_reason == "火灾后无处居住，确有需要"
    event = AuditEvent.objects.get(action="application.frequency_override")
    assert event.object_id == str(third.pk) and "火灾" in event.summary
    assert event.changes["grants_in_window"] == 2
    services.application_review_start(actor=users["district"], application=submitted)
    approved = services.application_approve(actor=reviewer, application=submitted)
    assert approved.status == Status.APPROVED


def test_grants_older_than_the_window_do_not_count(users, reviewer, make_application):
    from django.utils import timezone

    for _ in range(2):
        old = services.application_approve(actor=reviewer, application=make_application("100"))
        Application.objects.filter(pk=old.pk).update(
            decided_at=timezone.now() - timedelta(days=370))
    fresh = make_application("100")
    assert fresh.status == Status.DISTRICT_REVIEW


def test_a_new_policy_version_applies_to_new_applications_only(users, make_application):
    from tempaid.models import PolicyVersion

    before = make_application("2500")
    newer = services.policy_version_create(actor=users["city"], effective_from=date.today(),
                                           standard_amount="500")
    after = make_application("2500")
    before.refresh_from_db()
    assert before.policy != newer and before.route == Route.DISTRICT
    assert after.policy == newer and after.route == Route.CITY
    assert PolicyVersion.objects.count() == 2


def test_every_step_is_audited(users, make_application):
    application = make_application("4000")
    services.application_forward(actor=users["district"], application=application)
    services.application_approve(actor=users["city"], application=application)
    services.application_payment_record(actor=users["finance"], application=application,
                                        payment_reference="GK-5")
    services.application_close(actor=users["city"], application=application)
    actions = list(AuditEvent.objects.filter(object_type="tempaid.application",
                                             object_id=str(application.pk))
                   .order_by("id").values_list("action", "actor_username"))
    assert actions == [("application.create", "district"), ("application.submit", "district"),
                       ("application.review", "district"), ("application.forward", "district"),
                       ("application.approve", "city"), ("application.pay", "finance"),
                       ("application.close", "city")]


def test_admin_is_read_only(client_for):
    assert client_for("admin").get("/admin/tempaid/ledgerentry/").status_code == 200
    assert client_for("admin").get("/admin/tempaid/fund/add/").status_code == 403
    assert client_for("admin").get("/admin/tempaid/application/").status_code == 403


def test_limits_follow_the_one_rounding_rule():
    """standard × multiple is rounded half-up to the fen (zhuao.money), not half-even:
    1234.55 × 1.5 = 1851.825 -> 1851.83 (half-even would give 1851.82)."""
    from decimal import Decimal

    from tempaid.models import PolicyVersion

    policy = PolicyVersion(standard_amount=Decimal("1234.55"), district_limit_multiple=Decimal("1.5"),
                           city_limit_multiple=Decimal("2.5"), fast_track_limit_multiple=Decimal("0.5"))
    assert policy.district_limit == Decimal("1851.83")
    assert policy.city_limit == Decimal("3086.38")  # 3086.375
    assert policy.fast_track_limit == Decimal("617.28")  # 617.275
