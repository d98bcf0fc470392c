"""Pages: visibility (district A vs B, Macau before/after share, leadership), duplicate
detection, bad input in the user's language, export, and a fixed query count for the list."""
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

import cases_factories as factories
from cases.models import Case, CaseAttachment, CaseStatus, Person
from core.models import AuditEvent
from core.visibility import share_with_agency, unshare_with_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(users):
    a = factories.case(users["district"], factories.person(users["district"], name="香洲人"))
    b = factories.case(users["district2"], factories.person(users["district2"], name="斗门人"))
    return a, b


def _listed(response):
    return {case.pk for case in response.context["page"]}


def test_district_a_cannot_list_open_edit_or_export_district_b(client_for, two_cases):
    a, b = two_cases
    client = client_for("district")
    assert _listed(client.get(reverse("cases:case_list"))) == {a.pk}
    assert client.get(reverse("cases:case_detail", args=[b.pk])).status_code == 404
    assert client.get(reverse("cases:case_edit", args=[b.pk])).status_code == 404
    response = client.post(reverse("cases:case_note", args=[b.pk]), {"note-text": "x"})
    assert response.status_code == 404
    response = client.post(reverse("cases:case_status", args=[b.pk]), {"status-status": "under_review"})
    assert response.status_code == 404
    assert Case.objects.get(pk=b.pk).status == CaseStatus.OPEN and not b.events.filter(kind="note")
    assert client.get(reverse("cases:person_detail", args=[b.subject_id])).status_code == 404
    export = client.get(reverse("cases:case_export"))
    sheet = load_workbook(BytesIO(export.content)).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [a.number]
    assert AuditEvent.objects.filter(action="case.export", changes__rows=1).exists()


def test_anonymous_and_wrong_roles_are_refused(client_for, two_cases):
    a, _b = two_cases
    response = client_for("anonymous").get(reverse("cases:case_detail", args=[a.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    for username in ("leader", "finance", "ngo", "admin"):
        client = client_for(username)
        for url in (reverse("cases:case_list"), reverse("cases:case_export"),
                    reverse("cases:case_detail", args=[a.pk]),
                    reverse("cases:person_detail", args=[a.subject_id])):
            assert client.get(url).status_code == 403, (username, url)


def test_macau_sees_a_case_only_while_shared_and_read_only(client_for, users, agencies, two_cases):
    a, _b = two_cases
    macau = client_for("macau")
    assert _listed(macau.get(reverse("cases:case_list"))) == set()
    assert macau.get(reverse("cases:case_detail", args=[a.pk])).status_code == 404
    response = client_for("district").post(reverse("cases:case_share", args=[a.pk]), {
        "share-agency": agencies["mo-ias"].pk, "share-reason": "请协查在澳收入"})
    assert response.status_code == 302
    assert _listed(macau.get(reverse("cases:case_list"))) == {a.pk}
    detail = macau.get(reverse("cases:case_detail", args=[a.pk]))
    assert detail.status_code == 200 and not detail.context["may_change"]
    number = a.subject.documents.get().number
    assert number not in detail.content.decode()  # liaisons see numbers masked
    assert macau.post(reverse("cases:case_note", args=[a.pk]), {"note-text": "x"}).status_code == 403
    unshare_with_agency(a, agencies["mo-ias"], actor=users["district"], reason="done")
    assert _listed(macau.get(reverse("cases:case_list"))) == set()
    assert macau.get(reverse("cases:case_detail", args=[a.pk])).status_code == 404


def test_leadership_sees_meetings_but_no_personal_data(client_for, users, agencies):
    from cases.secretariat.services import agenda_item_add, meeting_create

    case = factories.case(users["district"], factories.person(users["district"], name="秘密名"))
    meeting = meeting_create(actor=users["city"], title="联席会议", kind="joint_conference",
                             starts_at=factories_now() + timedelta(days=3), place="会议室")
    agenda_item_add(actor=users["city"], meeting=meeting, title="研判", kind="key_case_review",
                    cases=[case])
    page = client_for("leader").get(reverse("cases:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert case.number in text and "秘密名" not in text
    assert client_for("leader").get(reverse("cases:person_list")).status_code == 403


def factories_now():
    from django.utils import timezone

    return timezone.now()


def test_register_page_leads_to_the_existing_person(client_for, users):
    existing = factories.person(users["district"], document_type="macau_id", number="1234567(8)",
                                residence="macau_resident")
    response = client_for("district").post(reverse("cases:person_create"), {
        "name_zh": "另一人", "sex": "male", "date_of_birth": "1960-01-01",
        "residence_status": "macau_resident", "document_type": "macau_id",
        "document_number": "1/234567/8"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:person_detail", args=[existing.pk])
    assert Person.objects.count() == 1
    # Another district does not see the person: told who registered it, nothing saved.
    response = client_for("district2").post(reverse("cases:person_create"), {
        "name_zh": "另一人", "sex": "male", "date_of_birth": "1960-01-01",
        "residence_status": "macau_resident", "document_type": "macau_id",
        "document_number": "12345678"})
    assert response.status_code == 200 and "香洲区民政局" in response.content.decode()
    assert Person.objects.count() == 1


GOOD = {"name_zh": "陈小文", "sex": "male", "date_of_birth": "1960-01-01",
        "residence_status": "macau_resident", "document_type": "macau_id",
        "document_number": "5123456(7)"}


@pytest.mark.parametrize("change, message", [
    ({"document_number": "9123456(7)"}, "澳门身份证号码以 1、5 或 7 开头"),
    ({"date_of_birth": (date.today() + timedelta(days=2)).isoformat()}, "出生日期不能晚于今天"),
    ({"name_zh": ""}, "该字段是必填项"),
])
def test_bad_input_on_the_register_page_is_explained_in_chinese(client_for, change, message):
    response = client_for("district").post(reverse("cases:person_create"), {**GOOD, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_attachment_page_refuses_wrong_type_and_oversized(client_for, users, settings):
    case = factories.case(users["district"])
    client = client_for("district")
    url = reverse("cases:case_attachment", args=[case.pk])
    response = client.post(url, {"attachment-file": SimpleUploadedFile("x.pdf", b"MZ" + b"\x00" * 50)})
    assert response.status_code == 400 and "不是" in response.content.decode()
    settings.UPLOAD_MAX_BYTES = 100
    pdf = b"%PDF-1.4\n" + b"0" * 500 + b"\n%%EOF\n"
    response = client.post(url, {"attachment-file": SimpleUploadedFile("x.pdf", pdf)})
    assert response.status_code == 400
    assert not CaseAttachment.objects.exists()


def test_case_search_by_name_document_number_and_case_number(client_for, users):
    number = factories.mainland_id(birth="19700101", seq=5)
    person = factories.person(users["district"], name="欧阳修", number=number,
                              born=date(1970, 1, 1))
    case = factories.case(users["district"], person)
    other = factories.case(users["district"])
    client = client_for("district")
    url = reverse("cases:case_list")
    for query in ("欧阳", number.lower(), case.number, case.number.lower()):
        searched = client.post(url, {"q": query}, follow=True)
        assert searched.redirect_chain == [(url, 303)]  # the search text stays out of the address
        assert _listed(searched) == {case.pk}, query
        assert _listed(client.get(url, {"page": "1"})) == {case.pk}  # kept while paging
    assert _listed(client.get(url, {"clear": "1"}, follow=True)) == {case.pk, other.pk}
    assert _listed(client.get(reverse("cases:case_list"), {"status": "closed"})) == set()
    assert _listed(client.get(reverse("cases:case_list"), {"district": "xiangzhou"})) == {
        case.pk, other.pk}


def _list_queries(client, page=1, url=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url or reverse("cases:case_list"), {"page": page})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_case_list_query_count_does_not_grow(client_for, users, agencies):
    district = users["district"]
    for _ in range(5):
        case = factories.case(district)
    share_with_agency(case, agencies["mo-ias"], actor=district, reason="x")
    client = client_for("city")
    client.get(reverse("cases:case_list"))  # warm caches (session, roles)
    at_5 = _list_queries(client)
    for _ in range(45):
        factories.case(district)
    at_50 = _list_queries(client)
    assert at_5 == at_50 == _list_queries(client, page=2)
    people = reverse("cases:person_list")
    assert _list_queries(client, url=people) == _list_queries(client, page=2, url=people)
    macau = client_for("macau")
    macau.get(reverse("cases:case_list"))
    assert _list_queries(macau) == at_5


def test_invited_macau_sees_a_key_case_only_as_far_as_the_meeting_needs(client_for, users,
                                                                        agencies):
    from cases.secretariat.services import agenda_item_add, meeting_create

    case = factories.case(users["district"], factories.person(users["district"], name="郭某人"),
                          summary="需研判的救助金额")
    meeting = meeting_create(actor=users["city"], title="联席会议", kind="joint_conference",
                             starts_at=factories_now() + timedelta(days=3), place="会议室",
                             invited_agencies=[agencies["mo-ias"]])
    agenda_item_add(actor=users["city"], meeting=meeting, title="研判", kind="key_case_review",
                    cases=[case])
    macau = client_for("macau")
    text = macau.get(reverse("cases:meeting_detail", args=[meeting.pk])).content.decode()
    assert case.number in text and "需研判的救助金额" in text and "郭某人" not in text
    assert reverse("cases:case_detail", args=[case.pk]) not in text
    assert macau.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    assert client_for("hengqin").get(
        reverse("cases:meeting_detail", args=[meeting.pk])).status_code == 404


def test_households_follow_the_register_visibility(client_for, users):
    from cases.services import household_create

    household = household_create(actor=users["district"], head=factories.person(users["district"]))
    url = reverse("cases:household_detail", args=[household.pk])
    assert client_for("district").get(url).status_code == 200
    assert client_for("city").get(url).status_code == 200
    assert client_for("district2").get(url).status_code == 404
    assert client_for("macau").get(url).status_code == 404
    response = client_for("district2").post(reverse("cases:income_add", args=[household.pk]), {
        "kind": "wages", "monthly_amount": "100", "currency": "CNY"})
    assert response.status_code == 404 and not household.income_items.exists()
    response = client_for("district").post(reverse("cases:income_add", args=[household.pk]), {
        "kind": "wages", "monthly_amount": "1,2", "currency": "CNY"})
    assert response.status_code == 400 and not household.income_items.exists()


def test_export_masks_numbers_and_neutralises_formulas(client_for, users):
    number = factories.mainland_id(birth="19700101", seq=9)
    person = factories.person(users["district"], name="=HYPERLINK(1)", number=number,
                              born=date(1970, 1, 1))
    factories.case(users["district"], person)
    export = client_for("city").get(reverse("cases:case_export"))
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(min_row=2,
                                                                         values_only=True))
    assert rows[0][1] == "'=HYPERLINK(1)"
    assert number not in str(rows) and number[:2] in rows[0][2] and "*" in rows[0][2]


def test_attachments_are_served_only_to_those_who_see_the_case(client_for, users, agencies):
    from cases.services import case_attachment_add

    case = factories.case(users["district"])
    attachment = case_attachment_add(
        actor=users["district"], case=case,
        file=SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
    url = reverse("cases:case_attachment_download", args=[case.pk, attachment.pk])
    response = client_for("district").get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for("district2").get(url).status_code == 404
    assert client_for("macau").get(url).status_code == 404
    assert client_for("leader").get(url).status_code == 403
    share_with_agency(case, agencies["mo-ias"], actor=users["district"], reason="协查")
    assert client_for("macau").get(url).status_code == 200
    assert AuditEvent.objects.filter(action="case.attachment_download").count() == 2
