"""Issue 25 through the pages and the API: the Macau liaison registers a person, records the
signed authorization, asks Zhuhai; the city officer routes; the Xiangzhou district answers on
a page that shows the question; the liaison reads the findings."""
import pytest
from django.urls import reverse
from infosharing_factories import pdf_upload

from cases.models import Person
from infosharing.models import RequestDirection, RequestStatus, VerificationRequest

pytestmark = pytest.mark.django_db

QUESTION = "申请人是否在珠海有房产？"


def _register_on_the_page(macau):
    response = macau.post(reverse("cases:person_create"), {
        "name_zh": "梁小玲", "sex": "female", "date_of_birth": "1961-05-04",
        "residence_status": "macau_resident", "document_type": "macau_id",
        "document_number": "7123456(2)", "address": "珠海市香洲区拱北", "district": "xiangzhou"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Person.objects.get(name_zh="梁小玲")


def test_inbound_flow_through_the_pages(client_for, users):
    macau = client_for("macau")
    assert macau.get(reverse("cases:person_create")).status_code == 200
    person = _register_on_the_page(macau)
    assert person.owner_agency.code == "mo-ias"
    page = macau.get(reverse("cases:person_detail", args=[person.pk])).content.decode()
    assert reverse("infosharing:request_create") + f"?person={person.pk}" in page
    assert client_for("city").get(reverse("cases:person_detail", args=[person.pk])).status_code == 404
    assert client_for("district").get(
        reverse("cases:person_detail", args=[person.pk])).status_code == 404

    response = macau.post(reverse("infosharing:authorization_create"), {
        "person": person.pk, "signatories": "梁小玲", "categories": ["property"],
        "sides": ["zhuhai"], "valid_from": "2026-01-01", "valid_until": "2030-12-31",
        "received_on": "2026-01-02", "scan": pdf_upload()})
    assert response.status_code == 302, response.content.decode()[:2000]
    authorization = person.infosharing_authorizations.get()

    form = macau.get(reverse("infosharing:request_create") + f"?person={person.pk}")
    assert form.status_code == 200 and 'name="case"' not in form.content.decode()
    response = macau.post(reverse("infosharing:request_create"), {
        "person": person.pk, "categories": ["property"], "authorization": authorization.pk,
        "question": QUESTION})
    assert response.status_code == 302, response.content.decode()[:2000]
    request = VerificationRequest.objects.get(person=person)
    assert request.direction == RequestDirection.INBOUND
    macau.post(reverse("infosharing:request_step", args=[request.pk, "send"]))
    request.refresh_from_db()
    assert request.status == RequestStatus.SENT

    city = client_for("city")
    detail = city.get(reverse("infosharing:request_detail", args=[request.pk])).content.decode()
    assert reverse("infosharing:request_route", args=[request.pk]) in detail
    listed = city.get(reverse("infosharing:request_list") + "?status=to_route").content.decode()
    assert request.number in listed
    # only a city officer routes
    for name in ("district", "macau", "hengqin"):
        client_for(name).post(reverse("infosharing:request_route", args=[request.pk]),
                              {"district": "doumen"})
    request.refresh_from_db()
    assert request.routed_at is None
    city.post(reverse("infosharing:request_route", args=[request.pk]), {"district": "xiangzhou"})
    request.refresh_from_db()
    assert request.receiving_agency.code == "zh-xiangzhou"

    district = client_for("district")
    assert client_for("district2").get(
        reverse("infosharing:request_detail", args=[request.pk])).status_code == 404
    district.post(reverse("infosharing:request_step", args=[request.pk, "receive"]))
    answer = district.get(reverse("infosharing:request_answer", args=[request.pk]))
    assert answer.status_code == 200 and QUESTION in answer.content.decode()
    response = district.post(reverse("infosharing:request_answer", args=[request.pk]), {
        "outcome_property": "found", "text_property": "香洲区住宅一套"})
    assert response.status_code == 302
    findings = macau.get(reverse("infosharing:request_detail", args=[request.pk]))
    assert "香洲区住宅一套" in findings.content.decode()
    assert client_for("hengqin").get(
        reverse("infosharing:request_detail", args=[request.pk])).status_code == 404


def test_a_liaison_may_not_edit_a_shared_zhuhai_person(client_for, users):
    from infosharing_factories import make_case, make_person

    from cases.services import case_share

    person = make_person(users["district"])
    case = make_case(users["district"], person)
    case_share(actor=users["district"], case=case, agency=users["macau"].staff.agency,
               reason="协查")
    macau = client_for("macau")
    assert macau.get(reverse("cases:person_detail", args=[person.pk])).status_code == 200
    assert macau.get(reverse("cases:person_edit", args=[person.pk])).status_code == 404
    macau.post(reverse("cases:person_edit", args=[person.pk]), {
        "name_zh": "改名", "sex": "male", "date_of_birth": "1958-03-01",
        "residence_status": "macau_resident"})
    person.refresh_from_db()
    assert person.name_zh != "改名"


def test_inbound_flow_through_the_api(api_client_for, users):
    macau = api_client_for("macau")
    response = macau.post("/api/v1/cases/people/", {
        "name_zh": "何小明", "sex": "male", "date_of_birth": "1975-02-03",
        "residence_status": "macau_resident", "document_type": "macau_id",
        "document_number": "5123456(4)"}, format="json")
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert person.owner_agency.code == "mo-ias"
    from infosharing_factories import make_authorization

    authorization = make_authorization(users["macau"], person, categories=("vehicles",),
                                       sides=("zhuhai",))
    response = macau.post("/api/v1/infosharing/verification-requests/", {
        "person": person.pk, "receiving_side": "zhuhai", "categories": ["vehicles"],
        "question": "名下是否有珠海登记的车辆？", "authorization": authorization.pk},
        format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["direction"] == "inbound"
    pk = body["id"]
    base = f"/api/v1/infosharing/verification-requests/{pk}/"
    assert macau.post(base + "send/").status_code == 200
    assert api_client_for("district").post(base + "route/", {"district": "xiangzhou"},
                                           format="json").status_code == 404
    assert api_client_for("hengqin").post(base + "route/", {"district": "xiangzhou"},
                                          format="json").status_code == 404
    city = api_client_for("city")
    assert city.post(base + "receive/").status_code == 409
    routed = city.post(base + "route/", {"district": "xiangzhou"}, format="json")
    assert routed.status_code == 200 and routed.json()["receiving_agency"] == "zh-xiangzhou"
    district = api_client_for("district")
    assert district.post(base + "receive/").status_code == 200
    assert district.post(base + "answer/", {"findings": [
        {"category": "vehicles", "outcome": "nothing_found", "text": "无"}]},
        format="json").status_code == 200
    findings = macau.get(base + "findings/")
    assert findings.json() == [{"category": "vehicles", "outcome": "nothing_found", "text": "无"}]
    assert api_client_for("district2").get(base).status_code == 404


def test_a_liaison_reports_an_emergency_about_its_resident_to_zhuhai(client_for, users,
                                                                    agencies):
    from infosharing.models import UrgentNotification

    macau = client_for("macau")
    person = _register_on_the_page(macau)
    form = macau.get(reverse("infosharing:urgent_create") + f"?person={person.pk}")
    assert form.status_code == 200 and "梁小玲" in form.content.decode()
    response = macau.post(reverse("infosharing:urgent_create"), {
        "person": person.pk, "kind": "hospitalisation", "occurred_at": "2026-12-01T09:30",
        "description": "在拱北口岸暈倒", "agencies": [agencies["zh-civil-affairs"].pk,
                                                 agencies["zh-xiangzhou"].pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    notification = UrgentNotification.objects.get(person=person)
    district = client_for("district")
    page = district.get(reverse("infosharing:urgent_detail", args=[notification.pk]))
    assert page.status_code == 200 and "在拱北口岸暈倒" in page.content.decode()
    district.post(reverse("infosharing:urgent_acknowledge", args=[notification.pk]))
    assert notification.recipients.get(agency__code="zh-xiangzhou").acknowledged_by == users[
        "district"]
    assert client_for("district2").get(
        reverse("infosharing:urgent_detail", args=[notification.pk])).status_code == 404
    assert client_for("hengqin").get(
        reverse("infosharing:urgent_detail", args=[notification.pk])).status_code == 404


def test_a_liaison_changes_its_inbound_draft(client_for, users):
    from infosharing import services

    macau = client_for("macau")
    person = _register_on_the_page(macau)
    draft = services.verification_request_create(
        actor=users["macau"], person=person, categories=["property"], receiving_side="zhuhai")
    url = reverse("infosharing:request_edit", args=[draft.pk])
    page = macau.get(url)
    assert page.status_code == 200 and 'name="receiving_side"' not in page.content.decode()
    response = macau.post(url, {"categories": ["property", "vehicles"], "question": QUESTION})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.categories == ["property", "vehicles"] and draft.question == QUESTION
    assert draft.receiving_side == "zhuhai"
