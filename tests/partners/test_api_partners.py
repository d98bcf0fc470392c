import pytest
from django.db import connection

from partners.models import Organisation, Referral, ReferralStatus, ServiceRecord
from cases.secretariat.selectors import action_items_for_api, meeting_visible_to
from partners.selectors import contracts_for_api, social_workers_for_api
from tests.plans import plan_at_scale

pytestmark = pytest.mark.django_db
BASE = "/api/v1/partners"


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_ngo_lists_only_its_referrals_with_minimal_fields(api_client_for, referrals):
    response = api_client_for("ngo").get(f"{BASE}/referrals/")
    assert _ids(response) == {referrals["kaifong"].pk}
    row = response.json()["results"][0]
    assert row["audience"] == "provider" and "case" not in row and "consent_given" not in row
    assert row["person_name"] == referrals["kaifong"].person_name


def test_ngo_guessing_ids_gets_404(api_client_for, referrals):
    other = referrals["faom"]
    client = api_client_for("ngo")
    assert client.get(f"{BASE}/referrals/{other.pk}/").status_code == 404
    assert client.post(f"{BASE}/referrals/{other.pk}/accept/").status_code == 404
    assert Referral.objects.get(pk=other.pk).status == ReferralStatus.SENT
    assert client.get(f"/api/v1/cases/cases/{other.case_id}/").status_code in (403, 404)


def test_role_gates_on_the_api(api_client_for, referrals):
    assert api_client_for("anonymous").get(f"{BASE}/referrals/").status_code == 401
    for username in ("leader", "finance", "admin", "bank"):
        assert api_client_for(username).get(f"{BASE}/referrals/").status_code == 403, username
    # Macau and Hengqin refer their own people (issue 25): they list only their agency's
    assert _ids(api_client_for("macau").get(f"{BASE}/referrals/")) == set()
    assert _ids(api_client_for("district").get(f"{BASE}/referrals/")) == {referrals["kaifong"].pk}
    assert _ids(api_client_for("city").get(f"{BASE}/referrals/")) == {
        referrals["kaifong"].pk, referrals["faom"].pk}
    assert _ids(api_client_for("ngo").get(f"{BASE}/organisations/")) == {
        referrals["kaifong"].organisation_id}


def test_referral_for_a_case_of_another_district_is_refused(api_client_for, users, contracts):
    from partners_factories import make_case

    doumen_case = make_case(users, "district2")
    response = api_client_for("district").post(f"{BASE}/referrals/", {
        "case": doumen_case.pk, "contract": contracts["kaifong"].pk, "reason": "x",
        "consent_given": True, "consent_date": "2020-01-01"}, format="json")
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_accept_and_record_a_service_over_the_api(api_client_for, referrals, workers, today):
    referral = referrals["kaifong"]
    client = api_client_for("ngo")
    assert client.post(f"{BASE}/referrals/{referral.pk}/accept/").json()["status"] == "accepted"
    body = {"contract": referral.contract_id, "referral": referral.pk,
            "worker": workers["kaifong"].pk, "service_date": today.isoformat(),
            "service_type": "home_visit", "duration_minutes": 45}
    assert client.post(f"{BASE}/service-records/", body, format="json").status_code == 201
    body["worker"] = workers["kaifong_expired"].pk
    response = client.post(f"{BASE}/service-records/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "registration_expired"
    assert ServiceRecord.objects.count() == 1
    body["worker"] = workers["faom"].pk  # another organisation's worker: not even choosable
    assert api_client_for("ngo").post(f"{BASE}/service-records/", body,
                                      format="json").status_code == 400


def test_invalid_uscc_and_negative_budget_over_the_api(api_client_for, orgs, today):
    client = api_client_for("city")
    response = client.post(f"{BASE}/organisations/", {
        "name": "x", "kind": "charity", "registered_in": "mainland", "uscc": "123"},
        format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and "uscc" in response.json()
    assert Organisation.objects.count() == 2
    response = client.post(f"{BASE}/contracts/", {
        "title": "x", "provider": orgs["kaifong"].pk, "budget": "-1",
        "period_start": today.isoformat(), "period_end": today.isoformat()}, format="json")
    assert response.status_code == 400 and "budget" in response.json()
    assert api_client_for("district").post(f"{BASE}/contracts/", {}, format="json").status_code == 403


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
@pytest.mark.parametrize("listed, index", [
    (social_workers_for_api, "social_worker_list_order"),
    (contracts_for_api, "contract_list_order"),
    (meeting_visible_to, "meeting_list_order"),
    (action_items_for_api, "action_item_list_order"),
])
def test_the_city_reads_each_list_in_the_order_of_an_index(users, listed, index):
    """A page of each list sorted every row (15,000 social workers, 5,000 meetings at a
    million people) rather than read them in the order of an index."""
    plan = plan_at_scale(listed(users["city"])[:50])
    assert index in plan, plan
