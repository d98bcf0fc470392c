"""Reads of personal data in bulk are audited (issue 23, finding 15): exports, searches of
people, cases, recipients and applications by name or number (pages and API), the 360° person
page (sections and timeline) and its PDF. One row per request, with the number of rows and the
kinds of filter used; never the searched name or number, nor a full identity number; one
INSERT, so a page's queries stay constant."""
from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cases.cases_factories import case as make_case
from tests.cases.cases_factories import mainland_id
from tests.cases.cases_factories import person as make_person
from core.audit import audit_bulk_read
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

NAME = "欧阳审计"
BASE = "/api/v1/cases/"


@pytest.fixture
def searched(users):
    number = mainland_id(birth="19700101", seq=321)
    person = make_person(users["district"], name=NAME, number=number, born=date(1970, 1, 1))
    case = make_case(users["district"], person)
    make_case(users["district"], make_person(users["district"], name="另一位"))
    return {"person": person, "case": case, "number": number}


def _only_event(action: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, [event.summary for event in events]
    return events[0]


def _holds_no_search_text(event: AuditEvent, *texts: str) -> None:
    stored = f"{event.summary} {event.changes} {event.object_id}"
    for text in texts:
        assert text not in stored
        if any(character.isdigit() for character in text):
            assert text[-8:] not in stored and text[:8] not in stored


@pytest.mark.parametrize(("route", "action", "object_type"), [
    ("cases:person_list", "person.search", "cases.person"),
    ("cases:case_list", "case.search", "cases.case")])
@pytest.mark.parametrize("by", ["name", "number"])
def test_page_searches_are_audited_with_kinds_not_text(client_for, users, searched, route,
                                                       action, object_type, by):
    text = NAME if by == "name" else searched["number"]
    client = client_for("district")
    url = reverse(route)
    client.get(url)  # an unfiltered list is browsing, not a search
    assert not AuditEvent.objects.filter(action=action).exists()
    response = client.post(url, {"q": text}, follow=True)
    assert response.status_code == 200 and NAME in response.content.decode()
    event = _only_event(action)
    assert event.object_type == object_type and event.actor_username == "district"
    assert event.changes["rows"] == 1 and event.changes["q"] == f"<{by}>"
    _holds_no_search_text(event, text)


@pytest.mark.parametrize(("path", "action", "field"), [
    ("people/search/", "person.search", "q"), ("cases/search/", "case.search", "q"),
    ("cases/search/", "case.search", "document_number")])
def test_api_searches_are_audited_with_kinds_not_text(api_client_for, searched, path, action,
                                                      field):
    response = api_client_for("district").post(BASE + path, {field: searched["number"]},
                                               format="json")
    assert response.status_code == 200 and len(response.json()["results"]) == 1
    event = _only_event(action)
    assert event.changes["rows"] == 1 and event.changes[field] == "<number>"
    _holds_no_search_text(event, searched["number"])


@pytest.mark.parametrize(("route", "action", "object_type"), [
    ("cases:person_lookup", "person.lookup", "cases.person"),
    ("cases:case_lookup", "case.lookup", "cases.case")])
@pytest.mark.parametrize("by", ["name", "number"])
def test_select_widget_lookups_are_audited_with_kinds_not_text(client_for, searched, route,
                                                               action, object_type, by):
    text = NAME if by == "name" else searched["number"]
    if route == "cases:case_lookup" and by == "number":
        text = searched["case"].number
    response = client_for("district").post(reverse(route), {"q": text})
    assert response.status_code == 200 and len(response.json()["results"]) == 1
    event = _only_event(action)
    assert event.object_type == object_type and event.changes["rows"] == 1
    _holds_no_search_text(event, text)


def test_case_export_is_audited_without_the_search_text(client_for, searched):
    client = client_for("district")
    client.post(reverse("cases:case_list"), {"q": searched["number"], "status": "open"})
    AuditEvent.objects.all()  # the search itself wrote a case.search row; the export its own
    response = client.get(reverse("cases:case_export"))
    assert response.status_code == 200
    event = _only_event("case.export")
    assert event.changes["rows"] == 1 and event.changes["q"] == "<number>"
    assert event.changes["format"] == "xlsx"
    _holds_no_search_text(event, searched["number"])


def test_recipient_search_is_audited(client_for, users):
    from tests.remittance.remittance_factories import import_rows, row

    import_rows(users["finwork"], [row(1), row(2)])
    client = client_for("city")
    client.get(reverse("remittance:recipient_list"))
    assert not AuditEvent.objects.filter(action="recipient.search").exists()
    response = client.get(reverse("remittance:recipient_list"), {"q": "陈", "district": ""})
    assert len(response.context["rows"]) == 2
    event = _only_event("recipient.search")
    assert event.changes["rows"] == 2 and event.changes["q"] == "<name>"
    _holds_no_search_text(event, "陈")
    client.get(reverse("remittance:recipient_list"), {"q": "IAS-00002"})
    assert AuditEvent.objects.filter(action="recipient.search", changes__q="<number>",
                                     changes__rows=1).exists()


def test_relief_application_search_is_audited(client_for, users, searched):
    from tests.tempaid import tempaid_factories

    tempaid_factories.policy(users["city"])
    subject = tempaid_factories.person(users["district"], name=NAME)
    tempaid_factories.application(users["district"], tempaid_factories.case(users["district"],
                                                                            subject))
    response = client_for("district").get(reverse("tempaid:list"), {"q": NAME})
    assert len(response.context["page"].object_list) == 1
    event = _only_event("application.search")
    assert event.changes["rows"] == 1 and event.changes["q"] == "<name>"
    _holds_no_search_text(event, NAME)


@pytest.mark.parametrize("view", ["sections", "timeline"])
def test_the_person_page_audits_what_it_showed(client_for, searched, view):
    person = searched["person"]
    params = {"view": "timeline"} if view == "timeline" else {}
    client_for("district").get(reverse("cases:person_detail", args=[person.pk]), params)
    event = _only_event("person.view")
    assert event.object_id == str(person.pk)
    assert event.changes["rows"] >= 1 and event.changes["view"] == view
    _holds_no_search_text(event, searched["number"], NAME)


def test_the_person_pdf_audits_its_rows(client_for, searched):
    person = searched["person"]
    client_for("district").get(reverse("cases:person_overview_pdf", args=[person.pk]))
    event = _only_event("person.pdf")
    assert event.changes["rows"] >= 1
    _holds_no_search_text(event, searched["number"], NAME)


def test_a_search_page_writes_one_audit_row_and_its_queries_do_not_grow(client_for, users):
    for index in range(2):
        make_person(users["district"], name=f"{NAME}{index}")
    client = client_for("district")
    url = reverse("cases:person_list")
    client.post(url, {"q": NAME})
    client.get(url)
    measured = []
    for count in (2, 10):
        while AuditEvent.objects.filter(action="person.create").count() < count:
            make_person(users["district"], name=f"{NAME}{count}{AuditEvent.objects.count()}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(response.context["rows"]) == count
        inserts = [query for query in queries
                   if query["sql"].startswith('INSERT INTO "zhuao_auditevent"')]
        assert len(inserts) == 1
        measured.append(len(queries))
    assert measured[0] == measured[1]


def test_audit_bulk_read_keeps_codes_and_hides_free_text(users):
    event = audit_bulk_read(actor=users["city"], action="case.search", object_type="cases.case",
                            rows=3, filters={"q": "陈大文", "document_number": "44040219800101001X",
                                             "district": "xiangzhou", "risk_level": "high",
                                             "status": "", "page": 2})
    assert event.changes == {"rows": 3, "q": "<name>", "document_number": "<number>",
                             "district": "xiangzhou", "risk_level": "high", "page": 2}
    assert "陈大文" not in event.summary and "xiangzhou" in event.summary


@pytest.mark.parametrize("model", ["cases/person", "cases/case", "cases/household",
                                   "remittance/recipient", "tempaid/application",
                                   "partners/referral", "partners/socialworker"])
def test_the_admin_lists_and_record_pages_of_personal_data_are_audited(client, searched, model):
    """The administrator is no reader the audit trail does not see."""
    from django.contrib.auth import get_user_model

    superuser = get_user_model().objects.create_superuser("root-audit", "r@example.org",
                                                          "a-long-password-1")
    client.force_login(superuser)
    listing = client.get(f"/admin/{model}/", {"q": searched["number"]})
    assert listing.status_code == 200
    event = _only_event("admin.list")
    assert event.object_type == model.replace("/", ".") and event.changes["q"] == "<number>"
    _holds_no_search_text(event, searched["number"])
    record = {"cases/person": searched["person"].pk, "cases/case": searched["case"].pk}.get(model)
    if record is not None:
        assert client.get(f"/admin/{model}/{record}/change/").status_code == 200
        assert _only_event("admin.view").object_id == str(record)
