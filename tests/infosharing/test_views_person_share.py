"""Issue 25, through the pages and the API: a Macau liaison shares its own record with Zhuhai
(refused without an authorization allowing Zhuhai, in the user's language); whom it is
shared with then sees the person."""
from datetime import date

import pytest
from django.urls import reverse
from infosharing_factories import make_authorization

from cases.models import ResidenceStatus, Sex
from cases.services import person_register
from core.models import AuditEvent
from core.visibility import agencies_shared_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def macau_person(users):
    return person_register(actor=users["macau"], name_zh="梁小玲", sex=Sex.FEMALE,
                           date_of_birth=date(1961, 5, 4),
                           residence_status=ResidenceStatus.MACAU_RESIDENT,
                           document_type="macau_id", document_number="7123456(2)",
                           address="珠海市香洲区拱北", district="xiangzhou")


def test_the_share_panel_is_for_the_registering_agency(client_for, macau_person, agencies):
    page = client_for("macau").get(reverse("cases:person_detail", args=[macau_person.pk]))
    assert page.status_code == 200 and page.context["may_share"]
    assert set(page.context["person_share_form"].fields["agency"].queryset
               .values_list("code", flat=True)) == {"zh-civil-affairs", "zh-xiangzhou"}
    assert "与珠海共享" in page.content.decode() or "與珠海共享" in page.content.decode()
    assert client_for("district").get(
        reverse("cases:person_detail", args=[macau_person.pk])).status_code == 404


def test_share_through_the_page_then_the_district_sees_the_person(client_for, users, agencies,
                                                                  macau_person):
    make_authorization(users["macau"], macau_person, sides=("zhuhai",))
    url = reverse("cases:person_share", args=[macau_person.pk])
    response = client_for("macau").post(url, {"share-agency": agencies["zh-xiangzhou"].pk,
                                              "share-reason": "请区民政局跟进"})
    assert response.status_code == 302
    assert list(agencies_shared_with(macau_person)) == [agencies["zh-xiangzhou"]]
    page = client_for("district").get(reverse("cases:person_detail", args=[macau_person.pk]))
    assert page.status_code == 200
    assert not page.context["may_change"] and not page.context["may_share"]
    # the district reads it; it does not edit it
    assert client_for("district").get(
        reverse("cases:person_edit", args=[macau_person.pk])).status_code == 404
    # withdrawn by the liaison
    response = client_for("macau").post(
        reverse("cases:person_unshare", args=[macau_person.pk, agencies["zh-xiangzhou"].pk]),
        {f"u{agencies['zh-xiangzhou'].pk}-agency": agencies["zh-xiangzhou"].pk,
         f"u{agencies['zh-xiangzhou'].pk}-reason": "已结案"})
    assert response.status_code == 302
    assert list(agencies_shared_with(macau_person)) == []


def test_share_without_consent_is_refused_in_the_users_language(client_for, users, agencies,
                                                                macau_person):
    response = client_for("macau").post(
        reverse("cases:person_share", args=[macau_person.pk]),
        {"share-agency": agencies["zh-xiangzhou"].pk, "share-reason": "请跟进"},
        HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert response.status_code == 400
    assert "授權書" in response.content.decode()
    assert list(agencies_shared_with(macau_person)) == []
    assert AuditEvent.objects.filter(action="person_share.refused", outcome="denied").exists()


def test_share_over_the_api(api_client_for, users, agencies, macau_person):
    url = f"/api/v1/cases/people/{macau_person.pk}/share/"
    body = {"agency": "zh-civil-affairs", "reason": "市局统筹"}
    refused = api_client_for("macau").post(url, body, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "no_authorization"
    make_authorization(users["macau"], macau_person, sides=("zhuhai",))
    assert api_client_for("hengqin").post(url, body, format="json").status_code == 404
    assert api_client_for("city").post(url, body, format="json").status_code == 404
    shared = api_client_for("macau").post(url, body, format="json")
    assert shared.status_code == 200 and shared.json()["shared_with"] == ["zh-civil-affairs"]
    # now the city officer sees the person, and still may not share it
    assert api_client_for("city").get(f"/api/v1/cases/people/{macau_person.pk}/").status_code == 200
    assert api_client_for("city").post(url, body, format="json").status_code == 403
    assert api_client_for("macau").post(
        f"/api/v1/cases/people/{macau_person.pk}/unshare/", body, format="json").json() == {
        "shared_with": []}
