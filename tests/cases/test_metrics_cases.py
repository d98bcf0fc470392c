from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import cases_factories as factories
from cases.metrics import figures
from cases.models import ActionItemStatus, CaseStatus, MeetingStatus
from cases.secretariat.services import action_item_create, action_item_progress, meeting_create
from cases.services import case_status_change

pytestmark = pytest.mark.django_db


def test_figures(users, agencies):
    today = timezone.localdate()
    for _ in range(3):
        factories.case(users["district"])
    closed = factories.case(users["district2"])
    case_status_change(actor=users["district2"], case=closed, status=CaseStatus.UNDER_REVIEW)
    case_status_change(actor=users["district2"], case=closed, status=CaseStatus.CLOSED)
    meeting = meeting_create(actor=users["city"], title="m", kind="joint_conference",
                             starts_at=timezone.now() - timedelta(days=2), place="p")
    meeting.status = MeetingStatus.HELD
    meeting.save()
    on_time = action_item_create(actor=users["city"], meeting=meeting, title="a",
                                 owner_agency=agencies["zh-xiangzhou"], due_date=today)
    action_item_progress(actor=users["district"], action_item=on_time, text="ok",
                         status=ActionItemStatus.DONE)
    action_item_create(actor=users["city"], meeting=meeting, title="b",
                       owner_agency=agencies["zh-doumen"], due_date=today - timedelta(days=1))
    start, end = today - timedelta(days=30), today
    with CaptureQueriesContext(connection) as queries:
        result = figures(start=start, end=end)
    assert len(queries.captured_queries) == 4
    assert result == {"cases_total": 4, "cases_open": 3,
                      "cases_by_district": {"xiangzhou": 3, "doumen": 1}, "meetings_held": 1,
                      "action_items_total": 2, "action_items_closed_on_time": 1,
                      "action_items_overdue": 1}
    doumen = figures(start=start, end=end, district="doumen")
    assert doumen["cases_total"] == 1 and doumen["action_items_overdue"] == 1
    assert doumen["action_items_total"] == 1
    assert figures(start=date(2020, 1, 1), end=date(2020, 12, 31))["cases_total"] == 0
