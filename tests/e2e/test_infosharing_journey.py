"""The verification journey across two accounts: the district officer records an
authorization and sends a request; the Macau liaison acknowledges and answers; the district
officer reads the finding (audited) and closes the request."""
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
             b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def test_verification_journey(page, live_server, login, users, tmp_path):
    from datetime import date

    from cases.models import CaseCategory, ResidenceStatus, Sex
    from cases.services import case_open, person_register
    from infosharing.models import RequestStatus, VerificationRequest
    from core.models import AuditEvent

    person = person_register(actor=users["district"], name_zh="陈大文", sex=Sex.MALE,
                             date_of_birth=date(1955, 1, 1),
                             residence_status=ResidenceStatus.MACAU_RESIDENT,
                             document_type="macau_id", document_number="1234567(8)")
    case = case_open(actor=users["district"], subject=person, category=CaseCategory.VERIFICATION)
    scan = Path(tmp_path / "授权书.pdf")
    scan.write_bytes(PDF_BYTES)

    login(page, "district")
    page.goto(f"{live_server.url}/infosharing/authorizations/new/")
    # the person field searches as the officer types (a select of every person would not do)
    page.fill("#id_person_search", "陈大文")
    page.locator("#id_person_search ~ ul[role=listbox] [role=option]").first.wait_for()
    page.press("#id_person_search", "ArrowDown")
    page.press("#id_person_search", "Enter")
    assert page.locator("#id_person").input_value() == str(person.pk)
    page.fill("#id_signatories", "陈大文")
    page.check("input[name=categories][value=income]")
    page.check("input[name=sides][value=macau]")
    page.fill("#id_valid_from", "2026-01-01")
    page.fill("#id_valid_until", "2030-12-31")
    page.set_input_files("#id_scan", str(scan))
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/infosharing/authorizations/" in page.url

    page.goto(f"{live_server.url}/infosharing/requests/new/?case={case.pk}")
    page.select_option("#id_receiving_side", "macau")
    page.check("input[name=categories][value=income]")
    page.select_option("#id_authorization", index=1)
    page.fill("#id_question", "请核实收入")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.click("form[action$='/send/'] button")
    page.wait_for_load_state("networkidle")
    request = VerificationRequest.objects.get()
    assert request.status == RequestStatus.SENT

    page.context.clear_cookies()
    login(page, "macau")
    page.goto(f"{live_server.url}/infosharing/requests/{request.pk}/")
    assert case.number not in page.content()
    page.click("form[action$='/receive/'] button")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/infosharing/requests/{request.pk}/answer/")
    page.select_option("#id_outcome_income", "found")
    page.fill("#id_text_income", "每月领取养老金 3740 澳门元")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED

    page.context.clear_cookies()
    login(page, "district")
    page.goto(f"{live_server.url}/infosharing/requests/{request.pk}/")
    assert "每月领取养老金 3740 澳门元" in page.content()
    assert AuditEvent.objects.filter(action="verificationfinding.view",
                                     actor_username="district").exists()
    page.click("a[href$='/close/']")  # the check page, then the confirm button
    page.wait_for_load_state("networkidle")
    page.click("#confirm-close")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/requests/{request.pk}/closed/")
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
