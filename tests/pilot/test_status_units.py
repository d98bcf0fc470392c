"""Only accepted reports count, and a task is done when each responsible unit's is (issue 23,
finding 17). Computed in one place (``selectors.attach_health``) for the dashboard, the pages,
the API and the year-end report."""
from datetime import date

import pytest

import pilot_factories as factories
from pilot.dashboard import collect
from pilot.models import Plan, ProgressReport
from pilot.selectors import task_health_for, tasks_with_health
from pilot.services import progress_report_review
from pilot.status import TaskHealth

pytestmark = pytest.mark.django_db

DAY = date(2022, 6, 20)
TODAY = date(2022, 6, 21)


@pytest.fixture(autouse=True)
def _plan(users):
    """After the demo agencies exist (a transactional test elsewhere may have emptied the
    tables, and then the agencies come back with ``users``): the plan's units link to them."""
    factories.plan_2021()


def _done(user, number, *, review=None, day=DAY):
    report = factories.report(user, number, day=day, status="done", percent=100)
    if review is not None:
        reviewer, accept = review
        progress_report_review(actor=reviewer, report=report, accept=accept,
                               comment="" if accept else "不足")
    return report


def _health(number):
    return task_health_for(factories.task(number), today=TODAY)


def _everywhere(number):
    """The task's status in the dashboard and report data and the plan page's list."""
    plan = Plan.objects.get(year=2021)
    dashboard = next(row for row in collect(plan=plan, start=plan.starts_on, end=plan.ends_on,
                                            today=TODAY)["tasks"] if row["number"] == number)
    listed = next(task for task in tasks_with_health(plan, today=TODAY) if task.number == number)
    return {dashboard["health"], str(listed.health)}


def test_one_district_pending_done_does_not_finish_a_citywide_task(users):
    _done(users["district"], 5)
    assert _health(5) not in (TaskHealth.DONE, TaskHealth.AWAITING_REVIEW)
    assert str(TaskHealth.DONE) not in _everywhere(5)


def test_one_district_accepted_done_does_not_finish_a_citywide_task(users):
    report = _done(users["district"], 5)
    progress_report_review(actor=users["city"], report=report, accept=True)
    assert _health(5) != TaskHealth.DONE


def test_a_single_unit_task_pending_done_awaits_review_then_is_done(users):
    report = _done(users["city"], 3, day=date(2022, 2, 10))
    assert task_health_for(factories.task(3), today=date(2022, 2, 11)) \
        == TaskHealth.AWAITING_REVIEW
    progress_report_review(actor=users["city"], report=report, accept=True)
    assert task_health_for(factories.task(3), today=date(2022, 2, 11)) == TaskHealth.DONE


def test_lead_and_cooperating_unit_each_need_an_accepted_done(users):
    """Task 8: 市民政局 leads, 市金融工作局 cooperates."""
    by_finwork = _done(users["finwork"], 8)
    progress_report_review(actor=users["city"], report=by_finwork, accept=True)
    assert _health(8) != TaskHealth.DONE
    by_city = _done(users["city"], 8)
    assert _health(8) == TaskHealth.AWAITING_REVIEW
    progress_report_review(actor=users["city"], report=by_city, accept=True)
    assert _health(8) == TaskHealth.DONE


def test_a_returned_done_does_not_count_nor_await_review(users):
    by_finwork = _done(users["finwork"], 8)
    progress_report_review(actor=users["city"], report=by_finwork, accept=False, comment="缺佐证")
    by_city = _done(users["city"], 8)
    progress_report_review(actor=users["city"], report=by_city, accept=True)
    assert _health(8) not in (TaskHealth.DONE, TaskHealth.AWAITING_REVIEW)


def test_a_task_on_every_district_is_done_only_when_every_district_is(users, agencies):
    """Task 5: 市民政局 leads, every district bureau cooperates; each unit's accepted done."""
    from pilot.models import Task

    task = factories.task(5)
    units = list(task.units.select_related("agency"))
    assert len(units) > 2
    for unit in units[:-1]:
        ProgressReport.objects.create(task=task, agency=unit.agency, reported_by=users["city"],
                                      reported_on=DAY, status="done", percent=100,
                                      narrative="完成", review_status="accepted")
    assert _health(5) != TaskHealth.DONE
    ProgressReport.objects.create(task=task, agency=units[-1].agency, reported_by=users["city"],
                                  reported_on=DAY, status="done", percent=100, narrative="完成")
    assert _health(5) == TaskHealth.AWAITING_REVIEW
    ProgressReport.objects.filter(task=task).update(review_status="accepted")
    assert _health(5) == TaskHealth.DONE
    assert Task.objects.count() == 17


def test_the_api_agrees(users, api_client_for):
    _done(users["district"], 5)
    rows = api_client_for("city").get("/api/v1/pilot/tasks/?page_size=50").json()["results"]
    assert next(row for row in rows if row["number"] == 5)["health"] != "done"
    task_id = factories.task(5).pk
    assert api_client_for("city").get(f"/api/v1/pilot/tasks/{task_id}/").json()["health"] \
        != "done"


def test_status_queries_do_not_grow_with_reports(users, django_assert_max_num_queries):
    plan = Plan.objects.get(year=2021)
    factories.report(users["city"], 3, day=date(2022, 1, 5))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        tasks_with_health(plan, today=TODAY)
    for number in range(1, 18):
        for day in (date(2022, 1, 10), date(2022, 2, 10), date(2022, 3, 10)):
            factories.report(users["city"], number, day=day)
            factories.report(users["district"], number, day=day) if number in (1, 5, 17) \
                else None
    with django_assert_max_num_queries(len(few.captured_queries)):
        tasks_with_health(plan, today=TODAY)
