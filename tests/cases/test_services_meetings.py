from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from cases.models import AgendaItemKind, AgendaItemStatus, MeetingKind, MeetingStatus, Meeting
from cases.secretariat.services import agenda_item_propose_key_case
from core.models import AuditEvent

import cases_factories as factories

pytestmark = pytest.mark.django_db


def _meeting(agency, *, days, kind=MeetingKind.JOINT_CONFERENCE, status=MeetingStatus.SCHEDULED):
    return Meeting.objects.create(title=f"m{days}", kind=kind, status=status,
                                  starts_at=timezone.now() + timedelta(days=days),
                                  organiser_agency=agency)


def test_propose_key_case_without_a_scheduled_conference_waits_in_the_queue(users):
    case = factories.case(users["district"])
    item = agenda_item_propose_key_case(actor=users["district"], case=case, title="研判",
                                        reason="金额超过区级限额", source="tempaid:1")
    case.refresh_from_db()
    assert case.is_key_case
    assert item.meeting is None and item.status == AgendaItemStatus.PENDING
    assert item.kind == AgendaItemKind.KEY_CASE_REVIEW
    assert list(item.cases.all()) == [case]
    assert AuditEvent.objects.filter(action="agendaitem.propose_key_case").count() == 1
    again = agenda_item_propose_key_case(actor=users["district"], case=case, title="研判",
                                         reason="再次", source="tempaid:1")
    assert again.pk == item.pk


def test_propose_key_case_goes_to_the_next_future_joint_conference(users, agencies):
    city = agencies["zh-civil-affairs"]
    _meeting(city, days=-1)  # past
    _meeting(city, days=3, kind=MeetingKind.LEADING_GROUP)
    _meeting(city, days=5, status=MeetingStatus.CANCELLED)
    later = _meeting(city, days=20)
    sooner = _meeting(city, days=10)
    case = factories.case(users["district"])
    item = agenda_item_propose_key_case(actor=users["city"], case=case, title="研判", reason="r")
    assert item.meeting == sooner and item.status == AgendaItemStatus.SCHEDULED
    assert later.agenda_items.count() == 0
    with pytest.raises(Exception):
        agenda_item_propose_key_case(actor=users["city"], case=case, title="", reason="r")


@time_machine.travel(datetime(2026, 12, 9, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_invitations_proposals_and_overdue_reminders_notify_once(users, agencies):
    from cases.secretariat.services import (action_item_create, action_items_remind_overdue,
                                            meeting_create)
    from cases.tasks import remind_overdue_action_items
    from core.models import Notification

    meeting = meeting_create(actor=users["city"], title="联席", kind="joint_conference",
                             starts_at=timezone.now() + timedelta(days=2), place="室",
                             invited_agencies=[agencies["mo-ias"]],
                             invited_people=[users["hengqin"]])
    assert Notification.objects.filter(kind="cases.meeting", recipient=users["macau"]).exists()
    assert Notification.objects.filter(kind="cases.meeting", recipient=users["hengqin"]).exists()
    agenda_item_propose_key_case(actor=users["district"], case=factories.case(users["district"]),
                                 title="研判", reason="r")
    assert Notification.objects.filter(kind="cases.key_case", recipient=users["city"]).exists()
    item = action_item_create(actor=users["city"], meeting=meeting, title="逾期",
                              owner_agency=agencies["zh-xiangzhou"],
                              due_date=date.today() - timedelta(days=1))
    action_item_create(actor=users["city"], meeting=meeting, title="未到期",
                       owner_agency=agencies["zh-xiangzhou"],
                       due_date=date.today() + timedelta(days=1))
    assert remind_overdue_action_items() == 1
    assert action_items_remind_overdue() == 0
    reminders = Notification.objects.filter(kind="cases.action_item_overdue")
    # the owner agency's officers: Xiangzhou's district officer and its team lead
    assert sorted(reminders.values_list("recipient__username", flat=True)) == [
        "district", "district_lead"]
    item.due_date = date.today() - timedelta(days=2)
    item.save()
    assert action_items_remind_overdue() == 1


@pytest.mark.parametrize(("owner", "reminded_on_the_holiday"), [("mo-ias", False),
                                                                ("zh-xiangzhou", True)])
def test_an_overdue_reminder_waits_for_a_working_day_of_the_owner(users, agencies, owner,
                                                                    reminded_on_the_holiday):
    """8 December 2026 is a Macau government holiday and a mainland working day."""
    from cases.secretariat.services import (action_item_create, action_items_remind_overdue,
                                            meeting_create)

    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
                             tick=False):
        meeting = meeting_create(actor=users["city"], title="联席", kind="joint_conference",
                                 starts_at=timezone.now() + timedelta(days=1), place="室",
                                 invited_agencies=[agencies["mo-ias"]])
        action_item_create(actor=users["city"], meeting=meeting, title="逾期",
                           owner_agency=agencies[owner], due_date=date(2026, 12, 4))
    assert action_items_remind_overdue(today=date(2026, 12, 8)) == int(reminded_on_the_holiday)
    assert action_items_remind_overdue(today=date(2026, 12, 9)) == int(
        not reminded_on_the_holiday)
