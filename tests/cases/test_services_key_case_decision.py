"""A key-case review (重点个案研判) is decided at a held meeting, with its outcome and who took
part (issue 23, finding 21); a refusal says what is missing and is audited."""
from datetime import timedelta

import pytest
from django.utils import timezone

import cases_factories as factories
from cases.models import Decision, KeyCaseOutcome, Meeting, MeetingKind, MeetingStatus
from cases.secretariat.selectors import key_case_approval_for
from cases.secretariat.services import agenda_item_propose_key_case, decision_record
from core.errors import ApplicationError
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(users, agencies):
    meeting = Meeting.objects.create(title="联席会议", kind=MeetingKind.JOINT_CONFERENCE,
                                     starts_at=timezone.now() + timedelta(days=3),
                                     organiser_agency=agencies["zh-civil-affairs"])
    case = factories.case(users["district"])
    item = agenda_item_propose_key_case(actor=users["district"], case=case, title="研判",
                                        reason="超出市级审批权限")
    assert item.meeting == meeting
    return item


def _held(item):
    Meeting.objects.filter(pk=item.meeting_id).update(status=MeetingStatus.HELD)


def _refused(users, item, code, **values):
    with pytest.raises(ApplicationError) as error:
        decision_record(actor=users["city"], agenda_item=item, text="同意救助", **values)
    assert error.value.code == code and str(error.value)
    assert not Decision.objects.exists()
    assert AuditEvent.objects.filter(action="decision.refused").exists()


def test_a_free_text_note_alone_does_not_decide_a_key_case(users, agencies, review):
    _refused(users, review, "meeting_not_held", outcome=KeyCaseOutcome.APPROVED,
             participating_agencies=[agencies["zh-civil-affairs"]])
    _held(review)
    _refused(users, review, "outcome_required",
             participating_agencies=[agencies["zh-civil-affairs"]])
    _refused(users, review, "participants_required", outcome=KeyCaseOutcome.APPROVED)
    assert key_case_approval_for(review.pk) is None


def test_the_decision_records_meeting_outcome_and_participants(users, agencies, review):
    _held(review)
    present = [agencies["zh-civil-affairs"], agencies["zh-finance"]]
    decision = decision_record(actor=users["city"], agenda_item=review, text="同意按申请金额救助",
                               outcome=KeyCaseOutcome.APPROVED, participants=[users["city"]],
                               participating_agencies=present)
    assert decision.agenda_item.meeting.status == MeetingStatus.HELD
    assert set(decision.participating_agencies.all()) == set(present)
    assert list(decision.participants.all()) == [users["city"]]
    assert key_case_approval_for(review.pk) == decision
    event = AuditEvent.objects.get(action="decision.create")
    assert event.changes["outcome"] == "approved" and "zh-finance" in event.changes["agencies"]


def test_a_rejected_or_deferred_review_is_no_approval(users, agencies, review):
    _held(review)
    decision_record(actor=users["city"], agenda_item=review, text="暂缓", outcome="deferred",
                    participating_agencies=[agencies["zh-civil-affairs"]])
    assert key_case_approval_for(review.pk) is None


def test_the_agenda_api_shows_outcome_and_who_took_part(users, agencies, review,
                                                        api_client_for):
    _held(review)
    decision_record(actor=users["city"], agenda_item=review, text="同意", outcome="approved",
                    participants=[users["city"]],
                    participating_agencies=[agencies["zh-civil-affairs"]])
    agenda = api_client_for("city").get(
        f"/api/v1/cases/meetings/{review.meeting_id}/agenda/").json()
    assert agenda[0]["key_case_decisions"] == [
        {"text": "同意", "outcome": "approved", "agencies_present": ["zh-civil-affairs"],
         "staff_present": 1}]
