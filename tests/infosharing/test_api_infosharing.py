"""API: lists are the selectors (exact sets), workflow steps through the services, refused
steps are 400/403/404 and change nothing, queries do not grow with rows."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from infosharing.models import RequestStatus, VerificationRequest
from infosharing.services import verification_request_create
from core.models import AuditEvent

pytestmark = pytest.mark.django_db
BASE = "/api/v1/infosharing/"


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("username, status, sees", [
    ("anonymous", 401, False), ("leader", 403, False), ("district2", 200, False),
    ("hengqin", 200, False), ("macau", 200, True), ("district", 200, True), ("city", 200, True)])
def test_request_list_is_the_selector(api_client_for, sent, username, status, sees):
    response = api_client_for(username).get(BASE + "verification-requests/")
    assert response.status_code == status
    if status == 200:
        assert _ids(response) == ({sent.pk} if sees else set())


def test_send_refusal_is_400_with_the_reason_and_changes_nothing(api_client_for, users, case):
    draft = verification_request_create(actor=users["district"], case=case, categories=["income"],
                                        receiving_side="macau")
    response = api_client_for("district").post(BASE + f"verification-requests/{draft.pk}/send/")
    assert response.status_code == 400 and response.json()["code"] == "no_authorization"
    draft.refresh_from_db()
    assert draft.status == RequestStatus.DRAFT


def test_journey_through_the_api(api_client_for, users, case, authorization):
    district, macau = api_client_for("district"), api_client_for("macau")
    created = district.post(BASE + "verification-requests/", {
        "case": case.pk, "receiving_side": "macau", "categories": ["income"],
        "authorization": authorization.pk}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert district.post(BASE + f"verification-requests/{pk}/send/").status_code == 200
    assert macau.post(BASE + f"verification-requests/{pk}/close/").status_code == 403
    assert macau.post(BASE + f"verification-requests/{pk}/receive/").status_code == 200
    answered = macau.post(BASE + f"verification-requests/{pk}/answer/", {
        "findings": [{"category": "income", "outcome": "nothing_found", "text": ""}]}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    findings = district.get(BASE + f"verification-requests/{pk}/findings/")
    assert findings.json() == [{"category": "income", "outcome": "nothing_found", "text": ""}]
    assert AuditEvent.objects.filter(action="verificationfinding.view",
                                     changes__channel="api").exists()
    assert district.post(BASE + f"verification-requests/{pk}/close/").json()["status"] == "closed"
    assert api_client_for("district2").post(BASE + f"verification-requests/{pk}/close/").status_code == 404


def test_authorizations_and_urgent_endpoints(api_client_for, users, authorization, person):
    assert _ids(api_client_for("district").get(BASE + "authorizations/")) == {authorization.pk}
    assert _ids(api_client_for("macau").get(BASE + "authorizations/")) == set()
    assert api_client_for("macau").get(BASE + f"authorizations/{authorization.pk}/scan/").status_code == 404
    created = api_client_for("district").post(BASE + "urgent-notifications/", {
        "person": person.pk, "kind": "death", "occurred_at": "2026-11-28T10:00:00+08:00",
        "description": "不幸离世", "agencies": ["mo-ias"]}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api_client_for("hengqin").post(BASE + f"urgent-notifications/{pk}/acknowledge/").status_code == 404
    ack = api_client_for("macau").post(BASE + f"urgent-notifications/{pk}/acknowledge/")
    assert ack.status_code == 200 and ack.json()["acknowledged_at"]
    revoked = api_client_for("district").post(BASE + f"authorizations/{authorization.pk}/revoke/",
                                              {"reason": "撤回"}, format="json")
    assert revoked.status_code == 200 and revoked.json()["is_revoked"]


def test_urgent_notification_to_an_unknown_agency_is_refused_in_the_users_language(
        api_client_for, person):
    from infosharing.models import UrgentNotification

    client = api_client_for("district")
    payload = {"person": person.pk, "kind": "death", "occurred_at": "2026-11-28T10:00:00+08:00",
               "description": "不幸离世", "agencies": ["mo-ias", "no-such-agency"]}
    refused = client.post(BASE + "urgent-notifications/", payload, format="json")
    assert refused.status_code == 400
    assert refused.json()["agencies"] == ["以下代码没有对应的在用机构：no-such-agency。"]
    english = client.post(BASE + "urgent-notifications/", payload, format="json",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["agencies"] == ["No active agency has these codes: no-such-agency."]
    assert not UrgentNotification.objects.exists()


def _count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BASE + "verification-requests/").status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_rows(api_client_for, users, case, authorization):
    def add(n):
        for _ in range(n):
            verification_request_create(actor=users["district"], case=case, categories=["income"],
                                        receiving_side="macau", authorization=authorization)
    client = api_client_for("district")
    add(5)
    few = _count_queries(client)
    add(45)
    assert _count_queries(client) <= few
    assert VerificationRequest.objects.count() == 50


def test_bulletin_list_leaves_the_sections_to_the_detail(api_client_for, agencies, sent):
    from infosharing.services import bulletins_produce

    bulletins_produce()
    client = api_client_for("city")
    listed = client.get("/api/v1/infosharing/bulletins/").json()["results"]
    assert listed and all("sections" not in item for item in listed)
    detail = client.get(f"/api/v1/infosharing/bulletins/{listed[0]['id']}/").json()
    assert detail["sections"] and {key: detail[key] for key in listed[0]} == listed[0]


def test_bulletin_through_the_api(api_client_for, users, sent, django_capture_on_commit_callbacks):
    """Macau writes its section, sees only its own while open; the city officer publishes;
    Macau acknowledges once; another side's writer and other roles are refused."""
    from infosharing.models import Bulletin
    from infosharing.services import bulletins_produce

    with django_capture_on_commit_callbacks(execute=False):
        bulletins_produce()
    bulletin = Bulletin.objects.get()
    url = f"/api/v1/infosharing/bulletins/{bulletin.pk}/"
    macau, city = api_client_for("macau"), api_client_for("city")
    wrote = macau.post(url + "section/", {"common_concern": "三宗住院個案", "submit": True},
                       format="json")
    assert wrote.status_code == 200, wrote.content
    sections = {s["side"]: s for s in wrote.json()["sections"]}
    assert sections["macau"]["is_in"] and sections["macau"]["common_concern"] == "三宗住院個案"
    assert sections["zhuhai"]["content"] == [] and not sections["zhuhai"]["is_in"]
    # the city officer sees the Macau section's state, not its text, until published
    seen = {s["side"]: s for s in city.get(url).json()["sections"]}
    assert seen["macau"]["is_in"] and seen["macau"]["common_concern"] == ""
    assert api_client_for("district").get(url).status_code == 404  # a draft: not a recipient yet
    assert api_client_for("leader").get(url).status_code == 403
    assert macau.post(url + "publish/").status_code == 403
    assert macau.post(url + "acknowledge/").status_code == 409
    assert macau.post(url + "section/", {"common_concern": "x" * 8001}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=False):
        published = city.post(url + "publish/")
    assert published.status_code == 200
    assert published.json()["missing_sides"] == ["zhuhai", "hengqin"]
    seen = {s["side"]: s for s in api_client_for("district").get(url).json()["sections"]}
    assert seen["macau"]["common_concern"] == "三宗住院個案"
    assert macau.post(url + "acknowledge/").status_code == 200
    assert api_client_for("macau_backup").post(url + "acknowledge/").status_code == 409
    assert api_client_for("ngo").post(url + "acknowledge/").status_code == 403
    assert macau.post(url + "section/", {"common_concern": "late"}, format="json").status_code == 409
