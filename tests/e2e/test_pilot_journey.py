"""Leadership signs in, looks at the pilot dashboard's charts, asks for the year-end report, waits
for the progress indicator while a real Celery worker produces it, and downloads the PDF."""
import time

import pytest


def wait_for(condition, *, timeout: float = 60, interval: float = 0.5, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(message or f"condition not met within {timeout} s")


def test_leadership_dashboard_report_and_download(page, login, live_server, users, settings,
                                                   celery_worker_factory, tmp_path):
    from pilot import demo as pilot_demo
    from pilot.models import PilotReport, ReportStatus
    from devtools import demo as zhuao_demo

    # The worker process stores files under the test settings' MEDIA_ROOT: serve from there.
    settings.MEDIA_ROOT = settings.VAR_DIR / "test-media"
    pilot_demo.seed(zhuao_demo.seed())  # the 2021 plan with progress reports, year-end report
    celery_worker_factory()

    login(page, "leader")
    page.click("nav.sidenav [data-nav='pilot:dashboard']")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "试点工作看板"
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 3
    assert page.locator("svg[role=img] title").first.text_content() == "任务状态分布"
    assert page.locator("[data-panel]").count() == 5

    page.click("text=生成报告（PDF）")
    page.wait_for_load_state("networkidle")
    report = PilotReport.objects.get(requested_by=users["leader"])  # the demo's is scheduled
    assert page.url.endswith(f"/pilot/reports/{report.pk}/")

    # The poller reloads the page when the worker has finished.
    download_link = page.locator("a[data-download]")
    download_link.wait_for(timeout=60_000)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.requested_by == users["leader"]

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert download.suggested_filename.endswith(".pdf")
    assert target.read_bytes().startswith(b"%PDF")
