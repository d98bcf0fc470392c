"""Issue 23, finding 3, for the case and joint-meeting notifications: what reaches an inbox or
a mailbox names the record (its number, or a meeting's kind and date), the event and the
deadline — never the person, nor any text a user typed (share reasons, titles, places,
descriptions)."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.models import Meeting, MeetingKind, MeetingStatus
from cases.secretariat.services import (
    action_item_create,
    action_items_remind_overdue,
    agenda_item_propose_key_case,
    meeting_create,
    meeting_status_change,
    minutes_circulate,
    minutes_save,
)
from cases.services import case_open, case_share, person_register
from core.calendar import add_working_days

pytestmark = pytest.mark.django_db

NAME = "欧阳秘密"
PHONE = "13912345678"
ADDRESS = "香洲区机密路 88 号"
TYPED = ["机密理由甲", "机密标题乙", "机密地点丙", "机密描述丁", "机密纪要戊", "机密研判己"]


@pytest.fixture
def case(users):
    from cases.models import CaseCategory, ResidenceStatus, Sex

    person = person_register(
        actor=users["district"], name_zh=NAME, name_latin="AU YEUNG SECRET", sex=Sex.MALE,
        date_of_birth=date(1960, 5, 5), residence_status=ResidenceStatus.MACAU_RESIDENT,
        document_type="macau_id", document_number="1234567(8)", phone=PHONE, address=ADDRESS)
    return case_open(actor=users["district"], subject=person, category=CaseCategory.OTHER,
                     summary="机密摘要")


def _secrets(case):
    person = case.subject
    return [NAME, person.name_latin, PHONE, ADDRESS, "1234567", "机密摘要", *TYPED]


def test_case_and_meeting_notifications_carry_no_personal_data(users, agencies, case,
                                                               messages_sent):
    with messages_sent.capture():
        case_share(actor=users["district"], case=case, agency=agencies["mo-ias"],
                   reason=f"{TYPED[0]}：{NAME}")
        meeting = meeting_create(
            actor=users["city"], title=f"{TYPED[1]}·{NAME}", kind=MeetingKind.JOINT_CONFERENCE,
            starts_at=timezone.now() + timedelta(days=2), place=f"{TYPED[2]}",
            invited_agencies=[agencies["mo-ias"]], invited_people=[users["hengqin"]])
        agenda_item_propose_key_case(actor=users["district"], case=case,
                                     title=f"{TYPED[5]}{NAME}", reason=f"{TYPED[0]}{PHONE}")
        action_item_create(actor=users["city"], meeting=meeting, title=f"{TYPED[1]}{NAME}",
                           description=TYPED[3], owner_agency=agencies["zh-xiangzhou"],
                           due_date=timezone.localdate() - timedelta(days=1))
        # on a working day of the owner (a Zhuhai district): reminders wait for one
        assert action_items_remind_overdue(
            today=add_working_days(timezone.localdate(), 1, "mainland")) == 1
        Meeting.objects.filter(pk=meeting.pk).update(  # it has taken place
            starts_at=timezone.now() - timedelta(hours=2))
        meeting_status_change(actor=users["city"], meeting=meeting, status=MeetingStatus.HELD)
        minutes_save(actor=users["city"], meeting=meeting, text=f"{TYPED[4]}{NAME}")
        minutes_circulate(actor=users["city"], meeting=meeting)
    messages_sent.assert_free_of(
        _secrets(case), kinds={"cases.share", "cases.meeting", "cases.key_case",
                               "cases.action_item", "cases.action_item_overdue",
                               "cases.minutes"})
    # what the message does say: the reference, and where to act
    share = next(n for n in messages_sent.notifications() if n.kind == "cases.share")
    assert case.number in share.title and share.url.endswith(f"/{case.pk}/")
    assert messages_sent.emails(), "the notifications are e-mailed"
