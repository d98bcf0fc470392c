"""Issue 23, finding 3, for the pilot's notifications: a returned progress report and a
deadline reminder name the task's number, the event and the deadline, and link to the task —
not the reviewer's comment nor the reporter's narrative (typed text stays on the page)."""
from datetime import date

import pytest

from pilot.services import progress_report_review, reminders_send

import pilot_factories as factories

pytestmark = pytest.mark.django_db

COMMENT = "机密退回意见：陈某某家庭材料不全"
NARRATIVE = "机密进展：走访欧阳某某"


def test_returned_report_and_reminders_carry_no_typed_text(users, messages_sent):
    factories.plan_2021()
    with messages_sent.capture():
        report = factories.report(users["district"], 1, day=date(2022, 2, 10),
                                  narrative=NARRATIVE)
        progress_report_review(actor=users["city"], report=report, accept=False,
                               comment=COMMENT)
        assert reminders_send(today=date(2022, 6, 23))
    returned = next(n for n in messages_sent.notifications()
                    if n.kind == "pilot.progress_returned")
    assert "1" in returned.title and returned.url == f"/pilot/tasks/{report.task_id}/"
    messages_sent.assert_free_of([COMMENT, "陈某某", NARRATIVE, "欧阳某某"],
                                 kinds={"pilot.progress_returned", "pilot.overdue",
                                        "pilot.due_soon"})
