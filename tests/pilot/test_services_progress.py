from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pilot.models import ProgressReport, ReviewStatus
from pilot.selectors import progress_report_visible_to, task_health_for
from pilot.services import progress_report_review, progress_report_submit
from pilot.status import TaskHealth
from core.errors import ApplicationError
from core.models import AuditEvent

import pilot_factories as factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_district_reports_for_its_area_with_evidence(users):
    factories.plan_2021()
    evidence = SimpleUploadedFile("会议纪要.pdf", PDF, content_type="application/pdf")
    report = progress_report_submit(actor=users["district"], task=factories.task(1),
                                    reported_on=date(2021, 12, 15), status="in_progress",
                                    percent=60, narrative="香洲区已部署", files=[evidence])
    assert report.agency.code == "zh-xiangzhou" and report.district == "xiangzhou"
    assert report.evidence.count() == 1
    assert AuditEvent.objects.filter(action="pilot_progress.create", object_id=str(report.pk)).exists()


@pytest.mark.parametrize("username", ["finwork", "leader", "macau", "ngo2", "admin"])
def test_units_not_responsible_cannot_report(users, username):
    factories.plan_2021()
    with pytest.raises(ApplicationError):
        progress_report_submit(actor=users[username], task=factories.task(11),
                               reported_on=date(2022, 3, 1), status="in_progress", percent=10,
                               narrative="x")
    assert ProgressReport.objects.count() == 0


def test_cooperating_ngo_and_lead_finwork_may_report(users):
    factories.plan_2021()
    factories.report(users["ngo"], 15)
    factories.report(users["finwork"], 8)
    assert ProgressReport.objects.count() == 2


def test_done_needs_full_percent_and_no_future_dates(users):
    factories.plan_2021()
    with pytest.raises(ApplicationError):
        factories.report(users["city"], 3, status="done", percent=90)
    with pytest.raises(ApplicationError):
        factories.report(users["city"], 3, day=date(2999, 1, 1))
    assert ProgressReport.objects.count() == 0


def test_bad_evidence_refuses_the_whole_report(users):
    factories.plan_2021()
    bad = SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ApplicationError):
        progress_report_submit(actor=users["city"], task=factories.task(3),
                               reported_on=date(2022, 1, 5), status="in_progress", percent=10,
                               narrative="x", files=[bad])
    assert ProgressReport.objects.count() == 0


def test_city_reviews_and_returned_reports_stop_counting(users):
    factories.plan_2021()
    report = factories.report(users["city"], 3, day=date(2022, 2, 10), status="done", percent=100)
    assert task_health_for(factories.task(3), today=date(2022, 2, 11)) \
        == TaskHealth.AWAITING_REVIEW
    with pytest.raises(ApplicationError):
        progress_report_review(actor=users["district"], report=report, accept=True)
    with pytest.raises(ApplicationError):
        progress_report_review(actor=users["city"], report=report, accept=False, comment="")
    progress_report_review(actor=users["city"], report=report, accept=False, comment="缺少佐证")
    report.refresh_from_db()
    assert report.review_status == ReviewStatus.RETURNED
    assert task_health_for(factories.task(3), today=date(2022, 2, 11)) != TaskHealth.DONE
    assert users["city"].notifications.count() == 1
    with pytest.raises(ApplicationError):
        progress_report_review(actor=users["city"], report=report, accept=True)


def test_progress_report_visibility(users):
    factories.plan_2021()
    by_district = factories.report(users["district"], 1, day=date(2021, 12, 15))
    by_doumen = factories.report(users["district2"], 1, day=date(2021, 12, 16))
    by_finwork = factories.report(users["finwork"], 8)
    by_ngo = factories.report(users["ngo"], 15)
    everything = {by_district, by_doumen, by_finwork, by_ngo}
    assert set(progress_report_visible_to(users["city"])) == everything
    assert set(progress_report_visible_to(users["leader"])) == everything
    assert set(progress_report_visible_to(users["district"])) == {by_district}
    assert set(progress_report_visible_to(users["finwork"])) == {by_finwork}
    assert set(progress_report_visible_to(users["ngo"])) == {by_ngo}
    assert set(progress_report_visible_to(users["ngo2"])) == set()
    assert set(progress_report_visible_to(users["macau"])) == set()
