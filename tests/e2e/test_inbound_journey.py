"""Issue 25 in the browser: the Macau liaison (traditional Chinese) registers a person, records
the signed authorization and asks Zhuhai; the city officer routes the request to Xiangzhou; the
district officer (simplified Chinese) answers on a page that shows the question; the liaison
reads the findings, and the inbox message the officer's answer sent her, in traditional
Chinese (the message is kept as keys and rendered in the reader's language)."""
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
             b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
QUESTION = "申請人是否在珠海有房產？"


def test_inbound_verification_journey(page, live_server, login, users, tmp_path):
    from cases.models import Person
    from infosharing.models import RequestStatus, VerificationRequest

    scan = Path(tmp_path / "授權書.pdf")
    scan.write_bytes(PDF_BYTES)

    login(page, "macau")
    page.goto(f"{live_server.url}/cases/people/new/")
    page.fill("#id_name_zh", "區美華")
    page.select_option("#id_sex", "female")
    page.fill("#id_date_of_birth", "1958-09-12")
    page.select_option("#id_residence_status", "macau_resident")
    page.select_option("#id_document_type", "macau_id")
    page.fill("#id_document_number", "7300001(1)")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    person = Person.objects.get(name_zh="區美華")
    assert person.owner_agency.code == "mo-ias"

    page.goto(f"{live_server.url}/infosharing/authorizations/new/?person={person.pk}")
    page.fill("#id_signatories", "區美華")
    page.check("input[name=categories][value=property]")
    page.check("input[name=sides][value=zhuhai]")
    page.fill("#id_valid_from", "2026-01-01")
    page.fill("#id_valid_until", "2030-12-31")
    page.set_input_files("#id_scan", str(scan))
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/infosharing/authorizations/" in page.url

    page.goto(f"{live_server.url}/cases/people/{person.pk}/")
    page.click(f"a[href$='/infosharing/requests/new/?person={person.pk}']")
    page.wait_for_load_state("networkidle")
    page.check("input[name=categories][value=property]")
    page.select_option("#id_authorization", index=1)
    page.fill("#id_question", QUESTION)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.click("form[action$='/send/'] button")
    page.wait_for_load_state("networkidle")
    request = VerificationRequest.objects.get(person=person)
    assert request.status == RequestStatus.SENT

    page.context.clear_cookies()
    login(page, "city")
    page.goto(f"{live_server.url}/infosharing/requests/{request.pk}/")
    page.click("a[href$='/route/']")  # routing is a page of its own
    page.wait_for_load_state("networkidle")
    page.select_option("#id_district", "xiangzhou")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    request.refresh_from_db()
    assert request.receiving_agency.code == "zh-xiangzhou"

    page.context.clear_cookies()
    login(page, "district")
    page.goto(f"{live_server.url}/infosharing/requests/{request.pk}/")
    page.click("form[action$='/receive/'] button")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/infosharing/requests/{request.pk}/answer/")
    assert QUESTION in page.content()
    assert "所答复的问题" in page.content()  # simplified Chinese for the district officer
    page.select_option("#id_outcome_property", "found")
    page.fill("#id_text_property", "香洲区住宅一套")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED

    page.context.clear_cookies()
    login(page, "macau")
    page.goto(f"{live_server.url}/infosharing/requests/{request.pk}/")
    content = page.content()
    assert "香洲区住宅一套" in content
    assert "核查情況" in content and "來件（向珠海查詢）" in content  # traditional Chinese

    page.goto(f"{live_server.url}/inbox/")
    inbox = page.locator("main").inner_text()
    assert f"協查函 {request.number} 已答覆" in inbox  # sent by a simplified-Chinese officer
    assert f"协查函 {request.number} 已答复" not in inbox
