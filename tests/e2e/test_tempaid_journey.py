"""Temporary relief end to end in the browser: a district officer files an application above the
district limit, the city officer approves it, the Finance bureau records the payment, and the
fund statement shows the disbursement."""
from datetime import date

import pytest

from cases.models import CaseCategory, ResidenceStatus, Sex
from cases.services import case_open, person_register
from tempaid import services
from tempaid.models import Application, Status


@pytest.fixture
def relief_setup(users):
    services.policy_version_create(actor=users["city"], effective_from=date(2021, 12, 1),
                                   standard_amount="1000")
    fund = services.fund_create(actor=users["finance"], code="special", name="临时救助专项基金")
    services.fund_allocate(actor=users["finance"], fund=fund, amount="50000",
                           allocated_on=date(2022, 1, 1), document_reference="珠财〔2022〕1号")
    person = person_register(actor=users["district"], name_zh="梁小明", sex=Sex.MALE,
                             date_of_birth=date(1975, 3, 2),
                             residence_status=ResidenceStatus.MACAU_RESIDENT,
                             document_type="macau_id", document_number="5123987(1)")
    return case_open(actor=users["district"], subject=person,
                     category=CaseCategory.TEMPORARY_RELIEF)


def _sign_out(page):
    page.context.clear_cookies()


def test_district_files_city_approves_finance_pays_statement_shows_it(page, live_server, login,
                                                                      users, relief_setup):
    case = relief_setup
    login(page, "district")
    page.goto(f"{live_server.url}/tempaid/new/")
    page.fill("#id_case", case.number)
    page.select_option("#id_kind", "accident")
    page.fill("#id_description", "在拱北遭遇交通意外住院")
    page.fill("#id_amount_requested", "4,500")
    page.click("button[type=submit].button--primary")
    page.wait_for_load_state("networkidle")
    application = Application.objects.get()
    assert page.url.endswith(f"/tempaid/{application.pk}/")
    page.click("a[data-action=submit]")  # each step: a button to its own short page
    page.wait_for_load_state("networkidle")
    page.click("button[value=submit]")
    page.wait_for_load_state("networkidle")
    page.click("form[action$='/review/'] button")
    page.wait_for_load_state("networkidle")
    page.click("a[data-action=forward]")
    page.wait_for_load_state("networkidle")
    page.fill("#id_forward_note", "超过区级限额，建议市级审批")
    page.click("button[value=forward]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-status]").get_attribute("data-status") == "city_review"

    _sign_out(page)
    login(page, "city")
    page.goto(f"{live_server.url}/tempaid/")
    page.click(f"text={application.number}")
    page.wait_for_load_state("networkidle")
    page.click("a[data-action=approve]")
    page.wait_for_load_state("networkidle")
    page.fill("#id_approve_note", "同意")
    page.click("button[value=approve]")
    page.wait_for_load_state("networkidle")
    page.click("#confirm-approval")  # the check page: amount, applicant, fund after
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-confirmation]").first.is_visible()
    page.goto(f"{live_server.url}/tempaid/{application.pk}/")
    assert page.locator("[data-status]").get_attribute("data-status") == "approved"

    _sign_out(page)
    login(page, "finance")
    page.goto(f"{live_server.url}/tempaid/{application.pk}/")
    page.click("a[data-action=pay]")
    page.wait_for_load_state("networkidle")
    page.fill("#id_pay_payment_reference", "GK-2026-0042")
    page.click("button[value=pay]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-status]").get_attribute("data-status") == "paid"
    application.refresh_from_db()
    assert application.status == Status.PAID and application.paid_by == users["finance"]

    page.goto(f"{live_server.url}/tempaid/fund/")
    assert page.locator("[data-fund=balance]").inner_text() == "¥45,500.00"
    with page.expect_navigation():
        page.click("form[action$='/fund/statement/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/tempaid/fund/statement/?" in page.url
    table = page.locator("table.table").inner_text()
    assert application.number in table and "GK-2026-0042" in table
    assert "-¥4,500.00" in table
    assert page.locator("[data-statement=closing]").inner_text().startswith("¥45,500.00")
