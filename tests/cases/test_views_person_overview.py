"""The 360° person page: each role sees exactly what its workstreams' doors let it see, the
page's queries do not grow with the person's history, the PDF is audited, numbers are links."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.secretariat import services as meeting_services
from cases.models import MeetingKind
from cases.person_overview import person_overview
from infosharing.models import EmergencyKind as UrgentKind
from infosharing.services import (
    urgent_notification_send,
    verification_request_create,
    verification_request_send,
)
from remittance.models import AidType, Recipient
from tests.infosharing.infosharing_factories import make_authorization, make_case, make_person
from tests.partners.partners_factories import (  # noqa: F401 (fixtures)
    contracts,
    make_active_contract,
    make_referral,
    orgs,
    today,
)
from tests.tempaid import tempaid_factories
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_with_records(users, agencies, contracts):  # noqa: F811
    district = users["district"]
    person = make_person(district)
    case = make_case(district, person)
    case_services.case_share(actor=district, case=case, agency=agencies["mo-ias"],
                             reason="核实澳门居民身份")
    authorization = make_authorization(district, person)
    referral = make_referral(users, "district", case, contracts["kaifong"])
    request = verification_request_send(actor=district, request=verification_request_create(
        actor=district, case=case, categories=["income"], receiving_side="macau",
        question="请核实其在澳门的收入", authorization=authorization))
    urgent_notification_send(actor=district, person=person, kind=UrgentKind.HOSPITALISATION,
                             occurred_at=timezone.now(), description="送医",
                             agencies=[agencies["hq-livelihood"]], case=case)
    tempaid_factories.policy(users["city"])
    application = tempaid_factories.application(district, case)
    case_services.household_create(actor=district, head=person, district="xiangzhou")
    city = users["city"]
    meeting = meeting_services.meeting_create(
        actor=city, title="第一次联席会议", kind=MeetingKind.JOINT_CONFERENCE,
        starts_at=timezone.now() + timedelta(days=3), place="市民政局会议室",
        invited_agencies=[agencies["mo-ias"]])
    agenda_item = meeting_services.agenda_item_add(actor=city, meeting=meeting, title="重点个案",
                                                   cases=[case])
    decision = meeting_services.decision_record(actor=city, agenda_item=agenda_item,
                                                text="由香洲区安排家访")
    meeting_services.action_item_create(actor=city, meeting=meeting, title="安排家访",
                                        owner_agency=agencies["zh-xiangzhou"],
                                        due_date=timezone.localdate() + timedelta(days=14),
                                        decision=decision)
    Recipient.objects.create(person=person, ias_case_no="IAS-360-1", aid_type=AidType.REGULAR,
                             monthly_amount_mop="2000", effective_from=date(2022, 1, 1),
                             district="xiangzhou")
    return {"person": person, "case": case, "referral": referral, "request": request,
            "application": application}


def _sections(users, username, person):
    return {section.key: section for section in person_overview(users[username], person)}


def test_each_role_sees_only_its_workstreams(users, person_with_records):
    person = person_with_records["person"]
    everything = {"cases", "households", "authorizations", "referrals", "requests", "urgent",
                  "relief", "meetings", "action_items", "remittance"}
    assert set(_sections(users, "city", person)) == everything
    # The district is not invited to the meeting: it sees the action item its agency owns,
    # not the meeting's agenda.
    assert set(_sections(users, "district", person)) == everything - {"meetings"}
    # The Macau liaison: the case shared with Macau, the request sent to it, the meeting it
    # is invited to, the remittance roster it reads; not the district's authorization,
    # household, referral, relief or the notification sent to Hengqin.
    assert set(_sections(users, "macau", person)) == {
        "cases", "requests", "meetings", "action_items", "remittance"}
    # Hengqin: only the urgent notification addressed to it.
    assert set(_sections(users, "hengqin", person)) == {"urgent"}
    # The provider sees only its own referral (its page stays closed to it: see below).
    assert set(_sections(users, "ngo", person)) == {"referrals"}
    # Another district, another provider and leadership see nothing of the person.
    for username in ("district2", "ngo2", "leader", "finance"):
        assert _sections(users, username, person) == {}, username


@pytest.mark.parametrize(("username", "status"), [
    ("anonymous", 302), ("district", 200), ("city", 200), ("macau", 200), ("district2", 404),
    ("hengqin", 404), ("ngo", 403), ("leader", 403), ("finance", 403)])
def test_the_page_per_role(client_for, person_with_records, username, status):
    person = person_with_records["person"]
    response = client_for(username).get(reverse("cases:person_detail", args=[person.pk]))
    assert response.status_code == status
    if status != 200:
        return
    page = response.content.decode()
    case = person_with_records["case"]
    assert f'href="{reverse("cases:case_detail", args=[case.pk])}"' in page
    referral_url = reverse("partners:referral_detail", args=[person_with_records["referral"].pk])
    assert (referral_url in page) == (username != "macau")
    request_url = reverse("infosharing:request_detail", args=[person_with_records["request"].pk])
    assert f'<a href="{request_url}">{person_with_records["request"].number}</a>' in page
    relief_url = reverse("tempaid:detail", args=[person_with_records["application"].pk])
    assert (relief_url in page) == (username != "macau")
    # Findings are never read on this page (their views are audited elsewhere).
    assert not AuditEvent.objects.filter(action="verificationfinding.view").exists()
    timeline = client_for(username).get(
        reverse("cases:person_detail", args=[person.pk]), {"view": "timeline"})
    assert case.number in timeline.content.decode()


def test_queries_do_not_grow_with_the_records(users, client_for, person_with_records):
    """One record of each kind, then more than a section shows, then twice that: the page
    reads every section in one query, so its count stays the same and within a detail page's
    15, for the city officer, who sees every section."""
    person = person_with_records["person"]
    client = client_for("city")
    url = reverse("cases:person_detail", args=[person.pk])
    client.get(url)
    measured = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        measured.append(len(queries))
        for _ in range(12):
            make_case(users["district"], person)
            make_authorization(users["district"], person)
    assert len(set(measured)) == 1 and measured[0] <= 15, measured
    page = response.content.decode()
    assert "See all" in page or "查看全部" in page


def test_the_pdf_holds_the_sections_and_is_audited(client_for, person_with_records):
    from io import BytesIO

    from pypdf import PdfReader

    person = person_with_records["person"]
    response = client_for("district").get(reverse("cases:person_overview_pdf", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert person_with_records["case"].number in text
    assert person_with_records["referral"].number in text
    assert AuditEvent.objects.filter(action="person.pdf", object_id=str(person.pk)).exists()


@pytest.mark.parametrize(("route", "record"), [
    ("partners:referral_detail", "referral"), ("infosharing:request_detail", "request"),
    ("tempaid:detail", "application")])
def test_case_numbers_on_detail_pages_are_links(client_for, person_with_records, route, record):
    case = person_with_records["case"]
    page = client_for("district").get(
        reverse(route, args=[person_with_records[record].pk])).content.decode()
    assert f'<a href="{reverse("cases:case_detail", args=[case.pk])}">{case.number}</a>' in page


def test_contract_number_and_person_are_links(client_for, person_with_records):
    referral = person_with_records["referral"]
    client = client_for("district")
    page = client.get(reverse("partners:referral_detail", args=[referral.pk])).content.decode()
    assert f'href="{reverse("partners:contract_detail", args=[referral.contract_id])}"' in page
    person_url = reverse("cases:person_detail", args=[person_with_records["person"].pk])
    request = person_with_records["request"]
    page = client.get(reverse("infosharing:request_detail", args=[request.pk])).content.decode()
    assert f'href="{person_url}"' in page


def test_the_timeline_orders_dates_and_times_together():
    from datetime import datetime

    from cases.person_overview import Item, Section, timeline

    section = Section(key="mixed", title="mixed", count=3, items=[
        Item(when=date(2024, 1, 2), number="B", label="", url="/b"),
        Item(when=None, number="Z", label="", url="/z"),
        Item(when=timezone.make_aware(datetime(2024, 1, 3, 9)), number="C", label="", url="/c")])
    assert [item.number for _section, item in timeline([section])] == ["C", "B", "Z"]


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_each_section_shows_what_its_records_hold(users, agencies, person_with_records, language):
    """The sections come back from one query as JSON: names (encrypted or translated), money,
    dates and times, related records and counts must read as they do from the records."""
    from django.utils import translation

    from core.money import money_display

    person = person_with_records["person"]
    application = person_with_records["application"]
    with translation.override(language):
        sections = _sections(users, "city", person)
        request = sections["requests"].items[0]
        assert request.label.endswith(agencies["mo-ias"].name)
        assert request.waiting and sections["requests"].waiting == 1
        assert request.when == person_with_records["request"].created_at
        assert person.name_zh in sections["households"].items[0].label
        relief = sections["relief"].items[0]
        assert money_display(application.amount_requested, "CNY") in relief.label
        assert relief.number == application.number and sections["relief"].waiting == 1
        assert "2000.00" in sections["remittance"].items[0].label
        assert sections["remittance"].items[0].when == date(2022, 1, 1)
        assert sections["meetings"].items[0].status == "由香洲区安排家访"
        assert agencies["zh-xiangzhou"].name in sections["action_items"].items[0].waiting
        assert sections["urgent"].items[0].status == agencies["zh-xiangzhou"].name
        referral = person_with_records["referral"]
        assert sections["referrals"].items[0].label == referral.organisation.name
