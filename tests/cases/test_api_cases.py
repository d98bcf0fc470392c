"""API under /api/v1/cases/: the pages' visibility, duplicate detection, bad input."""
from datetime import date, timedelta

import cases_factories as factories
import pytest
from django.utils import timezone

from cases.models import Person
from cases.secretariat.services import action_item_create, agenda_item_add, meeting_create
from core.visibility import share_with_agency, unshare_with_agency

pytestmark = pytest.mark.django_db

BASE = "/api/v1/cases/"


@pytest.fixture
def two_cases(users):
    return (factories.case(users["district"]), factories.case(users["district2"]))


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_district_a_cannot_list_or_open_district_b(api_client_for, two_cases):
    a, b = two_cases
    client = api_client_for("district")
    assert _ids(client.get(BASE + "cases/")) == {a.pk}
    assert client.get(f"{BASE}cases/{b.pk}/").status_code == 404
    assert client.get(f"{BASE}people/{b.subject_id}/").status_code == 404
    assert _ids(client.get(BASE + "people/")) == {a.subject_id}
    assert _ids(api_client_for("city").get(BASE + "cases/")) == {a.pk, b.pk}


def test_people_list_and_detail_mask_numbers_even_for_officers(api_client_for, two_cases):
    a, _b = two_cases
    document = a.subject.documents.get()
    client = api_client_for("district")
    listed = client.get(BASE + "people/").json()["results"][0]["documents"][0]["number"]
    assert listed != document.number and "*" in listed
    detail = client.get(f"{BASE}people/{a.subject_id}/").json()
    assert detail["documents"][0]["number"] != document.number
    revealed = client.post(f"{BASE}people/{a.subject_id}/documents/{document.pk}/reveal/",
                           {"reason": "verification"}, format="json")
    assert revealed.json()["number"] == document.number


def test_macau_sees_the_case_only_while_shared(api_client_for, users, agencies, two_cases):
    a, _b = two_cases
    client = api_client_for("macau")
    assert _ids(client.get(BASE + "cases/")) == set()
    share_with_agency(a, agencies["mo-ias"], actor=users["district"], reason="协查")
    assert _ids(client.get(BASE + "cases/")) == {a.pk}
    detail = client.get(f"{BASE}people/{a.subject_id}/").json()
    assert "*" in detail["documents"][0]["number"]
    assert client.post(BASE + "cases/", {"subject": a.subject_id, "category": "other"}).status_code == 403
    unshare_with_agency(a, agencies["mo-ias"], actor=users["district"])
    assert _ids(client.get(BASE + "cases/")) == set()
    assert client.get(f"{BASE}cases/{a.pk}/").status_code == 404


@pytest.mark.parametrize("username, status", [("anonymous", 401), ("leader", 403),
                                              ("finance", 403), ("ngo", 403)])
def test_refused_users_get_nothing(api_client_for, two_cases, username, status):
    client = api_client_for(username)
    for path in ("cases/", "people/", "households/"):
        assert client.get(BASE + path).status_code == status


def test_create_person_duplicate_and_bad_input(api_client_for, users):
    client = api_client_for("district")
    payload = {"name_zh": "陈大文", "sex": "male", "date_of_birth": "1960-01-01",
               "residence_status": "macau_resident", "document_type": "macau_id",
               "document_number": "1234567(8)"}
    created = client.post(BASE + "people/", payload, format="json")
    assert created.status_code == 201
    again = client.post(BASE + "people/", {**payload, "document_number": "1/234567/8"},
                        format="json")
    assert again.status_code == 409 and again.json()["existing"] == created.json()["id"]
    bad = client.post(BASE + "people/", {**payload, "document_number": "9999999(9)"},
                      format="json")
    assert bad.status_code == 400 and "document_number" in bad.json()
    future = client.post(BASE + "people/", {**payload, "document_number": "5123456(7)",
                                            "date_of_birth": (date.today() + timedelta(days=1)).isoformat()},
                         format="json")
    assert future.status_code == 400 and "date_of_birth" in future.json()
    assert Person.objects.count() == 1
    case = client.post(BASE + "cases/", {"subject": created.json()["id"],
                                         "category": "temporary_relief"}, format="json")
    assert case.status_code == 201 and case.json()["number"].startswith("ZH-")
    other = api_client_for("district2").post(BASE + "cases/", {
        "subject": created.json()["id"], "category": "other"}, format="json")
    assert other.status_code == 400


def test_meetings_and_action_items_visibility(api_client_for, users, agencies):
    case = factories.case(users["district"], factories.person(users["district"], name="秘密名"))
    meeting = meeting_create(actor=users["city"], title="联席", kind="joint_conference",
                             starts_at=timezone.now() + timedelta(days=2), place="室",
                             invited_agencies=[agencies["mo-ias"]])
    agenda_item_add(actor=users["city"], meeting=meeting, title="研判", kind="key_case_review",
                    cases=[case])
    item = action_item_create(actor=users["city"], meeting=meeting, title="跟进",
                              owner_agency=agencies["zh-doumen"],
                              due_date=date.today() - timedelta(days=1))
    assert _ids(api_client_for("macau").get(BASE + "meetings/")) == {meeting.pk}
    assert _ids(api_client_for("hengqin").get(BASE + "meetings/")) == set()
    agenda = api_client_for("macau").get(f"{BASE}meetings/{meeting.pk}/agenda/").json()
    assert agenda[0]["cases"][0]["number"] == case.number
    assert "秘密名" not in str(agenda)
    assert api_client_for("hengqin").get(f"{BASE}meetings/{meeting.pk}/agenda/").status_code == 404
    # Doumen owns the action item without being invited; Hengqin sees neither.
    assert _ids(api_client_for("district2").get(BASE + "action-items/")) == {item.pk}
    assert _ids(api_client_for("hengqin").get(BASE + "action-items/")) == set()
    assert api_client_for("district2").get(BASE + "action-items/").json()["results"][0]["is_overdue"]
    refused = api_client_for("macau").post(f"{BASE}action-items/{item.pk}/progress/",
                                           {"text": "x"}, format="json")
    assert refused.status_code == 403
    done = api_client_for("district2").post(f"{BASE}action-items/{item.pk}/progress/",
                                            {"text": "已办结", "status": "done"}, format="json")
    assert done.status_code == 201
    assert _ids(api_client_for("ngo").get(BASE + "liaisons/")) >= set()
    assert api_client_for("anonymous").get(BASE + "liaisons/").status_code == 401


def test_api_case_list_query_count_does_not_grow(api_client_for, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client_for("city")

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(BASE + "cases/").status_code == 200
        return len(context.captured_queries)

    for _ in range(3):
        factories.case(users["district"])
    count()  # warm the user's role cache
    few = count()
    for _ in range(20):
        factories.case(users["district2"])
    assert count() == few


def test_households_api_follows_the_register(api_client_for, users, agencies):
    from cases.services import household_create

    mine = household_create(actor=users["district"], head=factories.person(users["district"]))
    theirs = household_create(actor=users["district2"], head=factories.person(users["district2"]))
    assert _ids(api_client_for("district").get(BASE + "households/")) == {mine.pk}
    assert _ids(api_client_for("city").get(BASE + "households/")) == {mine.pk, theirs.pk}
    assert _ids(api_client_for("macau").get(BASE + "households/")) == set()
    case = factories.case(users["district"], mine.head, household=mine)
    share_with_agency(case, agencies["mo-ias"], actor=users["district"], reason="协查")
    assert _ids(api_client_for("macau").get(BASE + "households/")) == {mine.pk}


def test_searches_take_names_and_numbers_in_the_body_not_the_address(api_client_for, users):
    """POST .../search/ finds by document number (paginated like the lists); the lists ignore
    q and document_number in the address, so no client is led to put them there."""
    number = factories.mainland_id(birth="19700101", seq=6)
    person = factories.person(users["district"], name="欧阳询", number=number,
                              born=date(1970, 1, 1))
    case = factories.case(users["district"], person)
    factories.case(users["district"])
    client = api_client_for("district")
    cases = client.post(BASE + "cases/search/", {"document_number": number}, format="json")
    assert cases.status_code == 200
    assert [row["id"] for row in cases.json()["results"]] == [case.pk]
    people = client.post(BASE + "people/search/", {"q": number}, format="json")
    assert [row["id"] for row in people.json()["results"]] == [person.pk]
    assert len(client.get(BASE + "cases/", {"document_number": number}).json()["results"]) == 2
    assert client.post(BASE + "cases/search/", {"status": "nonsense"},
                       format="json").status_code == 400
    assert api_client_for("district2").post(BASE + "cases/search/", {"document_number": number},
                                            format="json").json()["results"] == []


def test_a_form_field_sent_twice_is_refused_not_read_as_its_last_value(api_client_for):
    """``status=&status=`` is not a status: DRF would read the last value (blank, "any").
    Searches take JSON only (415 for a form); other endpoints refuse the repeated field."""
    client = api_client_for("city")
    response = client.post("/api/v1/cases/cases/search/", "status=&status=",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    from django.http import QueryDict
    from rest_framework import serializers as drf

    from web.api.serializers import Serializer

    class Probe(Serializer):
        status = drf.ChoiceField(choices=["open"], required=False, allow_blank=True)

    probe = Probe(data=QueryDict("status=&status="))
    assert not probe.is_valid() and "status" in probe.errors
