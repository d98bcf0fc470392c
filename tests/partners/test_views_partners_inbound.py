"""Issue 25, through the pages and the API: a Macau liaison refers a person its agency
registered to an NGO contract; the city bureau sees the referral but does not work on it."""
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import ResidenceStatus, Sex
from cases.services import person_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def macau_person(users):
    return person_register(actor=users["macau"], name_zh="梁小玲", sex=Sex.FEMALE,
                           date_of_birth=date(1961, 5, 4),
                           residence_status=ResidenceStatus.MACAU_RESIDENT,
                           document_type="macau_id", document_number="7123456(2)",
                           address="珠海市香洲区拱北", district="xiangzhou")


def test_inbound_referral_through_the_page_and_the_api(client_for, api_client_for, users,
                                                       macau_person, contracts):
    from partners.models import Referral

    contract = contracts["kaifong"]
    page = client_for("macau").get(reverse("partners:referral_create"))
    assert page.status_code == 200
    response = client_for("macau").post(reverse("partners:referral_create"), {
        "person": macau_person.pk, "contract": contract.pk, "reason": "独居长者需要探访",
        "needs": "", "consent_given": "yes",
        "consent_date": (timezone.localdate() - timedelta(days=1)).isoformat()})
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get()
    assert referral.originating_side == "macau" and referral.case_id is None
    client_for("macau").post(reverse("partners:referral_send", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == "sent"
    city_list = client_for("city").get(reverse("partners:referral_list"))
    assert referral in list(city_list.context["page"].object_list)
    # the city bureau sees it but does not send it for Macau
    assert client_for("city").post(
        reverse("partners:referral_consent", args=[referral.pk])).status_code == 403
    created = api_client_for("macau").post("/api/v1/partners/referrals/", {
        "person": macau_person.pk, "contract": contract.pk, "reason": "复诊陪同",
        "consent_given": False}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["originating_side"] == "macau" and created.json()["case"] is None
    other = api_client_for("hengqin").post("/api/v1/partners/referrals/", {
        "person": macau_person.pk, "contract": contract.pk, "reason": "x"}, format="json")
    assert other.status_code == 400  # a person Hengqin does not see is answered as missing
