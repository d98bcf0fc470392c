from datetime import date

import pytest

from pilot.models import PilotReport, ProgressReport

import pilot_factories as factories

pytestmark = pytest.mark.django_db


def test_tasks_api_lists_the_plan_with_status(api_client_for):
    plan = factories.plan_2021()
    assert api_client_for("anonymous").get("/api/v1/pilot/tasks/").status_code == 401
    response = api_client_for("district").get(f"/api/v1/pilot/tasks/?plan={plan.pk}")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["number"] for row in rows] == list(range(1, 18))
    assert (rows[7]["lead_units"], rows[7]["cooperating_units"]) == ("市民政局", "市金融工作局")
    assert rows[12]["deadline"] is None
    assert all(row["health"] for row in rows)
    assert {unit["agency"] for unit in rows[14]["units"]} >= {"ngo-kaifong", "ngo-faom"}


def test_plans_api(api_client_for):
    factories.plan_2021()
    body = api_client_for("leader").get("/api/v1/pilot/plans/").json()
    assert [plan["year"] for plan in body["results"]] == [2021]
    assert len(body["results"][0]["stages"]) == 3
    assert api_client_for("district").post("/api/v1/pilot/plans/", {
        "year": 2023, "title": "x", "starts_on": "2023-01-01",
        "ends_on": "2023-12-31"}).status_code == 403
    assert api_client_for("city").post("/api/v1/pilot/plans/", {
        "year": 2023, "title": "x", "starts_on": "2023-01-01",
        "ends_on": "2023-12-31"}).status_code == 201


def test_progress_reports_api(api_client_for, users):
    factories.plan_2021()
    task = factories.task(9)
    payload = {"task": task.pk, "reported_on": "2022-06-01", "status": "in_progress",
               "percent": 30, "narrative": "上门开卡"}
    assert api_client_for("district").post("/api/v1/pilot/progress-reports/", payload,
                                           format="json").status_code == 403
    assert ProgressReport.objects.count() == 0
    response = api_client_for("finwork").post("/api/v1/pilot/progress-reports/", payload,
                                              format="json")
    assert response.status_code == 201, response.content
    assert response.json()["agency"] == "zh-finwork"
    bad = dict(payload, status="done", percent=50)
    assert api_client_for("finwork").post("/api/v1/pilot/progress-reports/", bad,
                                          format="json").status_code == 400
    assert [r["id"] for r in api_client_for("finwork").get(
        "/api/v1/pilot/progress-reports/").json()["results"]] == [response.json()["id"]]
    assert api_client_for("district").get(
        "/api/v1/pilot/progress-reports/").json()["results"] == []
    report_id = response.json()["id"]
    assert api_client_for("finwork").post(f"/api/v1/pilot/progress-reports/{report_id}/review/",
                                          {"accept": True}, format="json").status_code == 403
    reviewed = api_client_for("city").post(f"/api/v1/pilot/progress-reports/{report_id}/review/",
                                           {"accept": True}, format="json")
    assert reviewed.status_code == 200 and reviewed.json()["review_status"] == "accepted"


def test_reports_api(api_client_for, django_capture_on_commit_callbacks):
    factories.plan_2021()
    for username in ["district", "ngo", "macau"]:
        assert api_client_for(username).post("/api/v1/pilot/reports/", {}).status_code == 403
        assert api_client_for(username).get("/api/v1/pilot/reports/").status_code == 403
    with django_capture_on_commit_callbacks(execute=False):
        response = api_client_for("leader").post("/api/v1/pilot/reports/",
                                                 {"period_end": "2022-06-30"}, format="json")
    assert response.status_code == 201, response.content
    report = PilotReport.objects.get()
    assert report.period_end == date(2022, 6, 30) and report.status == "queued"
    assert [r["id"] for r in api_client_for("city").get(
        "/api/v1/pilot/reports/").json()["results"]] == [report.pk]
