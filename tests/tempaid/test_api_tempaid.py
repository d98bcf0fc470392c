"""API under /api/v1/tempaid/: applications, funds, ledger, policies."""
import pytest

from tempaid.models import Application, LedgerEntry, PolicyVersion, Status

pytestmark = pytest.mark.django_db


def test_application_lifecycle_over_the_api(users, api_client_for, case, policy, fund,
                                            reviewer):
    from rest_framework.test import APIClient

    district = api_client_for("district")
    response = district.post("/api/v1/tempaid/applications/", {
        "case": case.pk, "kind": "accident", "description": "交通意外",
        "amount_requested": "4500"}, format="json")
    assert response.status_code == 201, response.data
    pk = response.data["id"]
    assert district.post(f"/api/v1/tempaid/applications/{pk}/submit/").data["status"] == "submitted"
    assert district.post(f"/api/v1/tempaid/applications/{pk}/review/").data["route"] == "city"
    refused = district.post(f"/api/v1/tempaid/applications/{pk}/approve/")
    assert refused.status_code == 409 and refused.data["code"] == "above_district_limit"
    assert district.post(f"/api/v1/tempaid/applications/{pk}/forward/").status_code == 200
    approved = api_client_for("city").post(f"/api/v1/tempaid/applications/{pk}/approve/",
                                           {"amount": "4000"}, format="json")
    assert approved.data["status"] == "approved" and approved.data["amount_approved"] == "4000.00"
    paid = api_client_for("finance").post(f"/api/v1/tempaid/applications/{pk}/pay/",
                                          {"payment_reference": "GK-API"}, format="json")
    assert paid.status_code == 200 and paid.data["status"] == "paid"
    ledger = api_client_for("finance").get("/api/v1/tempaid/ledger/").data["results"]
    assert [row["kind"] for row in ledger][-2:] == ["reservation", "disbursement"]
    funds = api_client_for("city").get("/api/v1/tempaid/funds/").data["results"]
    assert funds[0]["balance"] == "96000.00"
    assert APIClient().get("/api/v1/tempaid/applications/").status_code == 401


def test_bad_input_over_the_api_saves_nothing(api_client_for, case, policy, fund):
    client = api_client_for("district")
    for raw in ("-1", "abc", "1.005", ""):
        response = client.post("/api/v1/tempaid/applications/", {
            "case": case.pk, "kind": "illness", "description": "x", "amount_requested": raw},
            format="json")
        assert response.status_code == 400, raw
    assert not Application.objects.exists()


def test_api_lists_are_scoped(users, api_client_for, make_application, reviewer, agencies):
    mine = make_application("100")
    assert [row["id"] for row in api_client_for("district").get(
        "/api/v1/tempaid/applications/").data["results"]] == [mine.pk]
    assert api_client_for("district2").get("/api/v1/tempaid/applications/").data["results"] == []
    assert api_client_for("macau").get("/api/v1/tempaid/applications/").data["results"] == []
    assert api_client_for("finance").get("/api/v1/tempaid/applications/").data["results"] == []
    assert api_client_for("district2").get(
        f"/api/v1/tempaid/applications/{mine.pk}/").status_code == 404
    assert api_client_for("leader").get("/api/v1/tempaid/applications/").status_code == 403
    assert api_client_for("district").get("/api/v1/tempaid/ledger/").status_code == 403
    refused = api_client_for("district2").post(f"/api/v1/tempaid/applications/{mine.pk}/reject/",
                                               {"reason": "x"}, format="json")
    assert refused.status_code == 404
    mine.refresh_from_db()
    assert mine.status == Status.DISTRICT_REVIEW


def test_own_application_approval_refused_over_the_api(api_client_for, make_application):
    application = make_application("100")
    response = api_client_for("district").post(
        f"/api/v1/tempaid/applications/{application.pk}/approve/")
    assert response.status_code == 403 and response.data["code"] == "own_application"
    assert not LedgerEntry.objects.filter(application=application).exists()


def test_policies_over_the_api(api_client_for, policy):
    data = {"effective_from": "2031-01-01", "standard_amount": "1100"}
    assert api_client_for("district").post("/api/v1/tempaid/policies/", data,
                                           format="json").status_code == 403
    assert PolicyVersion.objects.count() == 1
    created = api_client_for("city").post("/api/v1/tempaid/policies/", data, format="json")
    assert created.status_code == 201, created.data
    assert created.data["district_limit"] == "3300.00"
    bad = api_client_for("city").post("/api/v1/tempaid/policies/",
                                      {"effective_from": "2032-01-01", "standard_amount": "x"},
                                      format="json")
    assert bad.status_code == 400
    assert PolicyVersion.objects.count() == 2
    listed = api_client_for("finance").get("/api/v1/tempaid/policies/").data["results"]
    assert [row["effective_from"] for row in listed] == ["2031-01-01", "2021-12-01"]


def test_allocation_over_the_api(api_client_for, fund):
    url = f"/api/v1/tempaid/funds/{fund.pk}/allocations/"
    data = {"amount": "5000", "allocated_on": "2026-02-01", "document_reference": "珠财〔2026〕2号"}
    assert api_client_for("city").post(url, data, format="json").status_code == 403
    assert api_client_for("finance").post(url, {**data, "amount": "5,00"},
                                          format="json").status_code == 400
    assert api_client_for("finance").post(url, data, format="json").status_code == 201
    fund.refresh_from_db()
    assert str(fund.balance) == "105000.00"
