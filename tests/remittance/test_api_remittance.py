"""API: visibility of lists (exact sets), onboarding steps, maker–checker, the whole batch
cycle, refused users change nothing, query counts do not grow with rows."""
import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from remittance.models import Batch, BatchStatus, OnboardingStatus, Payment, Recipient

from remittance_factories import activated, branch, csv_bytes, import_rows, row
from remittance_factories import checker as second_checker

pytestmark = pytest.mark.django_db
BASE = "/api/v1/remittance"


@pytest.fixture
def roster(users):
    import_rows(users["finwork"], [row(1), row(2), row(3, district="斗门区")])
    return {r.ias_case_no: r for r in Recipient.objects.all()}


@pytest.mark.parametrize("username,expected", [
    ("city", {"IAS-00001", "IAS-00002", "IAS-00003"}),
    ("finwork", {"IAS-00001", "IAS-00002", "IAS-00003"}),
    ("macau", {"IAS-00001", "IAS-00002", "IAS-00003"}),
    ("district", {"IAS-00001", "IAS-00002"}),
    ("district2", {"IAS-00003"}),
])
def test_recipient_list_visibility(api_client_for, roster, username, expected):
    response = api_client_for(username).get(f"{BASE}/recipients/?page_size=200")
    assert response.status_code == 200
    assert {item["ias_case_no"] for item in response.json()["results"]} == expected
    assert all("*" in doc["number"] for item in response.json()["results"]
               for doc in item["documents"])


@pytest.mark.parametrize("username,status", [("anonymous", (401, 403)), ("finance", (403,)),
                                             ("leader", (403,)), ("hengqin", (403,)),
                                             ("ngo", (403,))])
def test_recipient_list_refused(api_client_for, roster, username, status):
    assert api_client_for(username).get(f"{BASE}/recipients/").status_code in status


def test_onboarding_by_district_only_in_its_district(api_client_for, roster, users):
    other = roster["IAS-00003"]
    body = {"recipient": other.pk, "step": "visit", "on_date": "2030-01-01",
            "officers": "李专员"}
    for username, expected in (("anonymous", (401, 403)), ("district", (404,)),
                               ("macau", (403,)), ("finance", (403,))):
        assert api_client_for(username).post(f"{BASE}/onboarding/", body,
                                             format="json").status_code in expected
    other.refresh_from_db()
    assert other.onboarding_status == OnboardingStatus.NOT_STARTED
    response = api_client_for("district2").post(f"{BASE}/onboarding/", body, format="json")
    assert response.status_code == 201, response.json()
    other.refresh_from_db()
    assert other.onboarding_status == OnboardingStatus.VISIT_SCHEDULED
    # activation before a card exists is refused with a message
    response = api_client_for("district2").post(f"{BASE}/onboarding/", {
        "recipient": other.pk, "step": "activate", "on_date": "2022-01-01"}, format="json")
    assert response.status_code == 409


def test_import_over_api(api_client_for, users):
    client = api_client_for("finwork")
    upload = SimpleUploadedFile("r.csv", csv_bytes([row(1), row(2, district="火星")]))
    response = client.post(f"{BASE}/imports/", {"file": upload}, format="multipart")
    assert response.status_code == 201
    assert response.json()["errors"][0]["row"] == 3
    assert client.post(f"{BASE}/imports/{response.json()['id']}/commit/").status_code == 400
    upload = SimpleUploadedFile("r.csv", csv_bytes([row(1)]))
    run = client.post(f"{BASE}/imports/", {"file": upload}, format="multipart").json()
    assert client.post(f"{BASE}/imports/{run['id']}/commit/").json()["status"] == "committed"
    # IAS hands over its roster: the Macau liaison sees and uploads roster imports
    assert api_client_for("macau").get(f"{BASE}/imports/").status_code == 200
    assert api_client_for("hengqin").get(f"{BASE}/imports/").status_code == 403
    assert api_client_for("district").post(f"{BASE}/imports/", {}).status_code == 403


def test_batch_cycle_over_api(api_client_for, users):
    activated(users["finwork"], [row(1), row(2)])
    from rest_framework.test import APIClient

    maker, bank_desk = api_client_for("city"), api_client_for("finwork")
    checker = APIClient()
    checker.force_authenticate(second_checker())
    body = {"period": "2022-07-01", "rate": "0.870000", "rate_date": "2022-06-30",
            "rate_source": "中国银行"}
    for refused in ("finance", "finwork"):
        assert api_client_for(refused).post(f"{BASE}/batches/", body,
                                            format="json").status_code == 403
    assert Batch.objects.count() == 0
    batch = maker.post(f"{BASE}/batches/", body, format="json").json()
    assert batch["payment_count"] == 2
    for refused in ("city", "finance", "finwork"):
        assert api_client_for(refused).post(
            f"{BASE}/batches/{batch['id']}/approve/").status_code == 403
    assert api_client_for("finance").get(f"{BASE}/batches/").status_code == 403
    assert Batch.objects.get().status == BatchStatus.PREPARED
    assert checker.post(f"{BASE}/batches/{batch['id']}/approve/").json()["status"] == "approved"
    assert api_client_for("finance").post(
        f"{BASE}/batches/{batch['id']}/bank-file/").status_code == 403
    maker = bank_desk  # the Financial Work bureau exchanges the files with the bank
    response = maker.post(f"{BASE}/batches/{batch['id']}/bank-file/")
    assert response.status_code == 200
    data = b"".join(response.streaming_content).decode("utf-8")
    refs = [line[1] for line in csv.reader(io.StringIO(data)) if line[0] == "D"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["payment_reference", "status", "bank_reference", "reason"])
    writer.writerows([[refs[0], "PAID", "x", ""], [refs[1], "失败", "y", "户名不符"]])
    for attempt in (201, 200):
        upload = SimpleUploadedFile("result.csv", buffer.getvalue().encode("utf-8"))
        response = maker.post(f"{BASE}/batches/{batch['id']}/results/", {"file": upload},
                              format="multipart")
        assert response.status_code == attempt
    report = maker.get(f"{BASE}/batches/{batch['id']}/reconciliation/").json()
    assert report["matches"] and report["count"] == 2 and len(report["failed"]) == 1
    payments = api_client_for("macau").get(f"{BASE}/payments/").json()["results"]
    assert {p["status"] for p in payments} == {"paid", "failed"}
    assert api_client_for("district2").get(f"{BASE}/payments/").json()["results"] == []
    assert api_client_for("leader").get(f"{BASE}/payments/").status_code == 403


def test_appointments_api(api_client_for, roster, users):
    bank = branch(users["finwork"])
    recipient = roster["IAS-00001"]
    body = {"recipient": recipient.pk, "branch": bank.pk, "scheduled_at": "2031-03-01T10:00",
            "purpose": "open_card"}
    assert api_client_for("macau").post(f"{BASE}/appointments/", body).status_code == 403
    assert api_client_for("district2").post(f"{BASE}/appointments/", body).status_code == 404
    created = api_client_for("district").post(f"{BASE}/appointments/", body)
    assert created.status_code == 201
    outcome = api_client_for("finwork").post(
        f"{BASE}/appointments/{created.json()['id']}/outcome/", {"status": "served"})
    assert outcome.json()["status"] == "served"
    assert len(api_client_for("macau").get(f"{BASE}/appointments/").json()["results"]) == 1
    assert api_client_for("district2").get(f"{BASE}/appointments/").json()["results"] == []


def test_recipient_list_query_count_does_not_grow(api_client_for, users):
    client = api_client_for("city")
    import_rows(users["finwork"], [row(n) for n in range(1, 6)])
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{BASE}/recipients/").status_code == 200
    import_rows(users["finwork"], [row(n) for n in range(1, 51)])
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(f"{BASE}/recipients/").json()["results"]) == 50
    assert len(many) <= len(few)
    assert Payment.objects.count() == 0


def test_import_list_leaves_out_the_preview(api_client_for, users):
    import_rows(users["finwork"], [row(1)])
    items = api_client_for("city").get(f"{BASE}/imports/").json()["results"]
    assert len(items) == 1 and "errors" not in items[0] and items[0]["status"] == "committed"
    detail = api_client_for("city").get(f"{BASE}/imports/{items[0]['id']}/").json()
    assert detail["errors"] == [] and detail["diff"]["added"] == ["IAS-00001"]


def test_a_rate_jump_is_confirmed_over_the_api(api_client_for, users):
    activated(users["finwork"], [row(1)])
    maker = api_client_for("city")
    body = {"period": "2022-07-01", "rate": "0.870000", "rate_date": "2022-06-30",
            "rate_source": "中国银行"}
    assert maker.post(f"{BASE}/batches/", body, format="json").status_code == 201
    august = {**body, "period": "2022-08-01", "rate": "0.087000", "rate_date": "2022-07-29"}
    refused = maker.post(f"{BASE}/batches/", august, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "rate_unconfirmed"
    assert "rate_confirmed" in refused.json() and Batch.objects.count() == 1
    confirmed = maker.post(f"{BASE}/batches/", {**august, "rate_confirmed": True}, format="json")
    assert confirmed.status_code == 201 and Batch.objects.count() == 2
