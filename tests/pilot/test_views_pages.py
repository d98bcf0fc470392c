from datetime import date

import pytest

from pilot.models import Plan, ProgressReport, ReviewStatus

import pilot_factories as factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["city", "leader", "district", "finwork", "ngo", "macau"])
def test_plan_page_lists_the_seventeen_tasks(client_for, username):
    plan = factories.plan_2021()
    response = client_for(username).get(f"/pilot/plans/{plan.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('href="/pilot/tasks/') == 17
    assert "各区（功能区）民政部门" in html  # the plan's text as written
    assert ("長期推進" if username == "macau" else "长期推进") in html  # traditional for Macau


def test_anonymous_goes_to_login(client_for):
    plan = factories.plan_2021()
    response = client_for("anonymous").get(f"/pilot/plans/{plan.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_index_redirects_to_the_current_plan(client_for):
    plan = factories.plan_2021()
    response = client_for("city").get("/pilot/")
    assert response["Location"] == f"/pilot/plans/{plan.pk}/"


def test_status_filter(client_for, users):
    plan = factories.plan_2021()
    factories.report(users["city"], 3, day=date(2022, 2, 10), status="done", percent=100)
    # a pending "done" is awaiting review, not done, until the city bureau accepts it
    html = client_for("city").get(f"/pilot/plans/{plan.pk}/?status=done").content.decode()
    assert html.count('href="/pilot/tasks/') == 0
    html = client_for("city").get(
        f"/pilot/plans/{plan.pk}/?status=awaiting_review").content.decode()
    assert html.count('href="/pilot/tasks/') == 1


def test_district_reports_progress_through_the_page(client_for, users):
    factories.plan_2021()
    task = factories.task(7)
    client = client_for("district")
    page = client.get(f"/pilot/tasks/{task.pk}/").content.decode()
    assert 'name="narrative"' in page
    response = client.post(f"/pilot/tasks/{task.pk}/", {
        "reported_on": "2022-05-20", "status": "in_progress", "percent": "70",
        "narrative": "香洲区已完成七成摸排"})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.district == "xiangzhou" and report.agency.code == "zh-xiangzhou"


def test_bad_input_is_shown_and_nothing_saved(client_for):
    factories.plan_2021()
    task = factories.task(7)
    response = client_for("district").post(f"/pilot/tasks/{task.pk}/", {
        "reported_on": "2022-05-20", "status": "done", "percent": "70", "narrative": "x"})
    assert response.status_code == 200
    assert "100%" in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_unit_not_responsible_sees_no_form_and_cannot_post(client_for):
    factories.plan_2021()
    task = factories.task(8)  # 市金融工作局 only
    client = client_for("district")
    assert 'name="narrative"' not in client.get(f"/pilot/tasks/{task.pk}/").content.decode()
    response = client.post(f"/pilot/tasks/{task.pk}/", {
        "reported_on": "2022-05-20", "status": "in_progress", "percent": "10", "narrative": "x"})
    assert response.status_code == 404
    assert ProgressReport.objects.count() == 0


def test_city_reviews_through_the_page(client_for, users):
    factories.plan_2021()
    report = factories.report(users["district"], 7, day=date(2022, 5, 20))
    assert client_for("district").post(f"/pilot/progress/{report.pk}/",
                                       {"decision": "accept"}).status_code == 404
    response = client_for("city").post(f"/pilot/progress/{report.pk}/", {"decision": "accept"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.review_status == ReviewStatus.ACCEPTED


def test_progress_report_pages_follow_visibility(client_for, users):
    factories.plan_2021()
    report = factories.report(users["district"], 7, day=date(2022, 5, 20))
    assert client_for("district").get(f"/pilot/progress/{report.pk}/").status_code == 200
    assert client_for("district2").get(f"/pilot/progress/{report.pk}/").status_code == 404
    assert client_for("finwork").get(f"/pilot/progress/{report.pk}/").status_code == 404
    listing = client_for("district2").get("/pilot/progress/").content.decode()
    assert f"/pilot/progress/{report.pk}/" not in listing


@pytest.mark.parametrize("url", ["/pilot/plans/new/", "/pilot/plans/{pk}/tasks/new/",
                                 "/pilot/plans/{pk}/stages/new/", "/pilot/plans/{pk}/import/",
                                 "/pilot/plans/{pk}/summary/"])
def test_editing_pages_are_for_the_city_bureau(client_for, url):
    plan = factories.plan_2021()
    url = url.format(pk=plan.pk)
    assert client_for("city").get(url).status_code == 200
    for username in ["leader", "district", "finance"]:
        assert client_for(username).get(url).status_code == 403


def test_a_new_plan_through_the_pages(client_for):
    client = client_for("city")
    response = client.post("/pilot/plans/new/", {"year": "2023", "title": "2023年方案",
                                                 "starts_on": "2023-01-01",
                                                 "ends_on": "2023-12-31"})
    plan = Plan.objects.get(year=2023)
    assert response["Location"] == f"/pilot/plans/{plan.pk}/"
    client.post(f"/pilot/plans/{plan.pk}/stages/new/", {
        "order": "1", "name": "组织实施阶段", "starts_on": "2023-01-01", "ends_on": "2023-12-31"})
    response = client.post(f"/pilot/plans/{plan.pk}/tasks/new/", {
        "number": "1", "content": "建立信息共享机制", "key_points": "协查电子化。",
        "lead_units": "市民政局", "cooperating_units": "", "deadline": "2023-06",
        "workstream": "infosharing"})
    assert response.status_code == 302
    task = plan.tasks.get()
    assert task.deadline == date(2023, 6, 1) and task.stage is not None
    # the same number twice: a form error, nothing saved
    response = client.post(f"/pilot/plans/{plan.pk}/tasks/new/", {
        "number": "1", "content": "x", "key_points": "y", "lead_units": "市民政局",
        "is_ongoing": "on", "workstream": "pilot"})
    assert response.status_code == 200 and plan.tasks.count() == 1


def test_home_panel_lists_tasks_needing_attention(client_for):
    factories.plan_2021()
    html = client_for("finwork").get("/").content.decode()
    assert "/pilot/tasks/" in html


def test_evidence_download_follows_report_visibility(client_for, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pilot.services import progress_report_submit
    from core.models import AuditEvent

    factories.plan_2021()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    report = progress_report_submit(
        actor=users["district"], task=factories.task(7), reported_on=date(2022, 5, 1),
        status="in_progress", percent=20, narrative="摸排中",
        files=[SimpleUploadedFile("摸排表.pdf", pdf, content_type="application/pdf")])
    evidence = report.evidence.get()
    url = f"/pilot/progress/{report.pk}/evidence/{evidence.pk}/"
    for username, expected in [("anonymous", 302), ("district2", 404), ("finwork", 404),
                               ("ngo", 404), ("district", 200), ("city", 200)]:
        before = AuditEvent.objects.filter(action="pilot_progress.download").count()
        response = client_for(username).get(url)
        assert response.status_code == expected, username
        after = AuditEvent.objects.filter(action="pilot_progress.download").count()
        assert after == before + (1 if expected == 200 else 0)
        if expected == 200:
            assert response["Content-Disposition"].startswith("attachment")
    assert client_for("city").get(
        f"/pilot/progress/{report.pk}/evidence/{evidence.pk + 99}/").status_code == 404


def test_bench_command_runs_quickly(users, capsys):
    from django.core.management import call_command

    factories.plan_2021()
    call_command("bench_dashboard", "--quick", "--no-report")
    output = capsys.readouterr().out
    assert "queries per render" in output and "status 200" in output


def test_list_pages_use_a_fixed_number_of_queries(client_for, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = factories.plan_2021()
    client = client_for("city")

    def counts():
        result = []
        for url in [f"/pilot/plans/{plan.pk}/", "/pilot/progress/",
                    f"/pilot/tasks/{factories.task(1).pk}/"]:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    for day in range(1, 6):
        factories.report(users["city"], 1, day=date(2021, 12, day))
    counts()  # warm up: the first request of a session writes the session
    few = counts()
    for number in range(1, 18):
        for day in range(1, 4):
            factories.report(users["city"], number, day=date(2022, 1, day))
    assert counts() == few


def test_the_current_plan_is_the_running_one_else_the_latest(users):
    from pilot.selectors import current_plan

    plan = factories.plan_2021()
    later = Plan.objects.create(year=2030, title="后续方案", starts_on=date(2030, 1, 1),
                                ends_on=date(2030, 12, 31))
    assert current_plan(users["city"], today=date(2022, 6, 1)) == plan  # running, not the latest
    assert current_plan(users["city"], today=date(2026, 6, 1)) == later  # none running
    assert current_plan(users["city"], today=date(2030, 6, 1)) == later


def test_the_home_panel_keeps_its_figures_for_a_while(client_for, users, settings, monkeypatch):
    """Task health is a figure: kept FIGURES_CACHE_SECONDS per plan and unit (0: computed on
    every request)."""
    factories.plan_2021()
    client = client_for("finwork")
    monkeypatch.setenv("FIGURES_CACHE_SECONDS", "60")
    client.get("/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as kept:
        assert "/pilot/tasks/" in client.get("/").content.decode()
    monkeypatch.setenv("FIGURES_CACHE_SECONDS", "0")
    with CaptureQueriesContext(connection) as computed:
        assert "/pilot/tasks/" in client.get("/").content.decode()
    assert len(kept) < len(computed)
