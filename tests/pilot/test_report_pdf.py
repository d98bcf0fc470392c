"""The year-end pilot report: rendered with Chinese text and checked with pypdf."""
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from pilot.models import PilotReport, ReportStatus
from pilot.services import (pilot_report_generate, pilot_report_request, plan_update_summary,
                             progress_report_review)
from core.errors import ApplicationError
from core.models import AuditEvent

import pilot_factories as factories

pytestmark = pytest.mark.django_db


TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def quick_pdf(monkeypatch):
    """For tests about permissions and versions, not content: skip WeasyPrint."""
    monkeypatch.setattr("pilot.services.render_report_pdf", lambda report: TINY_PDF)


def pdf_text(report) -> str:
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_report_pdf_has_chapters_task_table_and_page_numbers(users, django_capture_on_commit_callbacks):
    plan = factories.plan_2021()
    progress = factories.report(users["city"], 3, day=date(2022, 2, 15), status="done",
                                percent=100, narrative="成立协作工作领导小组并召开首次会议")
    progress_report_review(actor=users["city"], report=progress, accept=True)  # only accepted count
    plan_update_summary(actor=users["city"], plan=plan, problems="授权书核验耗时较长",
                        next_steps="推动信息协查电子化")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = pilot_report_request(actor=users["leader"], plan=plan)
    assert len(callbacks) == 1 and report.status == ReportStatus.QUEUED
    report = pilot_report_generate(report_id=report.pk)
    assert report.status == ReportStatus.DONE and report.generated_at and report.file
    text = pdf_text(report)
    flat = squash(text)
    for title in ["试点工作报告", "目录", "一、主要数据", "搭建工作协作平台", "建立信息共享机制",
                  "优化跨境汇兑流程", "畅通社会救助渠道", "拓展社会救助服务", "任务完成情况",
                  "存在问题", "下一步工作"]:
        assert title in flat, title
    # the task table: every task's key points, lead units, and deadlines
    for needle in ["召开珠澳社会救助改革创新试点工作动员会。", "商定澳门经济援助金跨境汇兑方案。",
                   "市金融工作局", "长期推进", "2022年7月", "成立协作工作领导小组并召开首次会议",
                   "授权书核验耗时较长", "推动信息协查电子化"]:
        assert needle in flat, needle
    assert re.search(r"\b2\s*/\s*\d+\b", text)  # page numbers "n / N"
    # the table of contents points at pages (target-counter)
    assert re.search(r"任务完成情况\.{3,}\d+", flat)


def test_generating_twice_keeps_both_versions(users, quick_pdf):
    plan = factories.plan_2021()
    first = pilot_report_generate(report_id=pilot_report_request(actor=users["city"], plan=plan).pk)
    second = pilot_report_generate(report_id=pilot_report_request(actor=users["city"], plan=plan).pk)
    assert first.pk != second.pk and first.file.name != second.file.name
    assert PilotReport.objects.filter(status=ReportStatus.DONE).count() == 2
    assert first.download_name != second.download_name
    again = pilot_report_generate(report_id=first.pk)  # idempotent
    assert again.file.name == first.file.name


@pytest.mark.parametrize("username", ["district", "finwork", "macau", "ngo", "admin"])
def test_only_oversight_requests_reports(users, username):
    plan = factories.plan_2021()
    with pytest.raises(ApplicationError):
        pilot_report_request(actor=users[username], plan=plan)
    assert PilotReport.objects.count() == 0


def test_failed_rendering_is_recorded(users, monkeypatch):
    plan = factories.plan_2021()
    report = pilot_report_request(actor=users["city"], plan=plan)

    def broken(report):
        raise RuntimeError("no fonts")

    monkeypatch.setattr("pilot.services.render_report_pdf", broken)
    report = pilot_report_generate(report_id=report.pk)
    assert report.status == ReportStatus.FAILED and "no fonts" in report.error


@pytest.mark.parametrize("username, expected", [
    ("anonymous", 302), ("district", 403), ("ngo", 403), ("macau", 403), ("admin", 403),
    ("city", 200), ("leader", 200)])
def test_report_download_permissions(users, client_for, username, expected, quick_pdf):
    plan = factories.plan_2021()
    report = pilot_report_generate(report_id=pilot_report_request(actor=users["city"],
                                                                  plan=plan).pk)
    before = AuditEvent.objects.filter(action="pilot_report.download").count()
    response = client_for(username).get(f"/pilot/reports/{report.pk}/download/")
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert AuditEvent.objects.filter(action="pilot_report.download").count() == before + 1
    else:
        assert AuditEvent.objects.filter(action="pilot_report.download").count() == before


def test_request_page_and_status_polling(users, client_for, django_capture_on_commit_callbacks,
                                         quick_pdf):
    factories.plan_2021()
    client = client_for("leader")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/pilot/reports/request/", {"report-period_start": "2021-12-01",
                                                            "report-period_end": "2022-12-31"})
    report = PilotReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pilot/reports/{report.pk}/"
    page = client.get(f"/pilot/reports/{report.pk}/").content.decode()
    assert f'data-poll-url="/pilot/reports/{report.pk}/status/"' in page
    status = client.get(f"/pilot/reports/{report.pk}/status/").json()
    assert status["done"] is False and status["status_label"]
    pilot_report_generate(report_id=report.pk)
    status = client.get(f"/pilot/reports/{report.pk}/status/").json()
    assert status["done"] is True and status["download_url"]
    assert client_for("district").get(f"/pilot/reports/{report.pk}/status/").status_code == 403
