"""A district officer refers a case under a contract, the NGO user accepts it and records two
services, the city officer sees the KPI progress."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from partners import services
from partners.models import KpiMeasure, OrganisationKind, RegistrationPlace, ServiceType
from tests.e2e.e2e_harness import AXE_JS, AXE_OPTIONS, AXE_PATH, require_axe


@pytest.fixture
def journey_data(users, agencies):
    from cases.models import CaseCategory, ResidenceStatus, Sex
    from cases.services import case_open, person_register

    today = timezone.localdate()
    city = users["city"]
    kaifong = services.organisation_create(
        actor=city, name="澳门街坊会联合总会广东办事处", kind=OrganisationKind.MACAU_NGO_OFFICE,
        registered_in=RegistrationPlace.MACAU, macau_registration_number="DSI-1",
        agency=agencies["ngo-kaifong"], districts_served=["xiangzhou"])
    services.social_worker_create(
        actor=city, organisation=kaifong, name="梁嘉欣", is_macau_social_worker=True,
        macau_registration_number="TS-1", macau_registration_valid_until=today + timedelta(days=900),
        practice_registration_number="ZH-1", practice_valid_from=today - timedelta(days=30),
        practice_valid_until=today + timedelta(days=300))
    contract = services.contract_create(
        actor=city, title="澳门居民社区关怀服务", provider=kaifong, budget="100000",
        period_start=today - timedelta(days=30), period_end=today + timedelta(days=300))
    services.contract_kpi_add(actor=city, contract=contract, name="服务时数",
                              measure=KpiMeasure.SERVICE_HOURS, target="10")
    services.contract_kpi_add(actor=city, contract=contract, name="家访次数",
                              measure=KpiMeasure.SERVICE_SESSIONS, target="4",
                              service_type=ServiceType.HOME_VISIT)
    services.contract_finance_check(actor=users["finance"], contract=contract)
    services.contract_approve(actor=city, contract=contract)
    contract = services.contract_activate(actor=city, contract=contract)
    person = person_register(
        actor=users["district"], name_zh="区丽华", sex=Sex.FEMALE, date_of_birth=date(1948, 3, 12),
        residence_status=ResidenceStatus.MACAU_RESIDENT, document_type="macau_id",
        document_number="1357924(6)", phone="13800001111", address="香洲区拱北夏湾路 12 号")
    case = case_open(actor=users["district"], subject=person, category=CaseCategory.OTHER)
    return {"contract": contract, "case": case, "today": today}


def _axe(page):
    violations = page.evaluate(AXE_JS, AXE_OPTIONS)
    assert violations == [], [(v["id"], v["impact"]) for v in violations]


def test_refer_accept_record_and_see_kpi_progress(page, live_server, login, journey_data):
    contract, case, today = journey_data["contract"], journey_data["case"], journey_data["today"]
    require_axe()
    page.context.add_init_script(path=str(AXE_PATH))

    # 1. The district officer refers the case, with the person's consent.
    login(page, "district")
    page.goto(f"{live_server.url}/partners/referrals/new/")
    page.fill("#id_case", case.number)
    page.select_option("#id_contract", str(contract.pk))
    page.fill("#id_reason", "独居澳门长者，需要定期家访")
    page.fill("#id_needs", "每月两次家访")
    page.check("input[name=consent_given][value=yes]")
    page.fill("#id_consent_date", today.isoformat())
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "转介已保存为草稿" in page.content()
    page.click("text=发送给承接机构")
    page.wait_for_load_state("networkidle")
    assert "转介已发送给承接机构" in page.content()
    referral_url = page.url
    page.click("button:has-text('退出'), button:has-text('登出'), form[action*=logout] button")
    page.wait_for_load_state("networkidle")

    # 2. The NGO user accepts it and records two services.
    login(page, "ngo")
    page.goto(f"{live_server.url}/partners/")
    page.click("table tbody tr:has-text('区丽华') a")
    page.wait_for_load_state("networkidle")
    assert page.url == referral_url
    assert case.number not in page.content()  # the case file stays with the officers
    page.click("text=接收转介")
    page.wait_for_load_state("networkidle")
    assert "已接收转介" in page.content()
    for minutes, service_type in (("90", "home_visit"), ("30", "counselling")):
        page.click("text=登记服务")
        page.wait_for_load_state("networkidle")
        page.select_option("#id_worker", label="梁嘉欣")
        page.select_option("#id_service_type", service_type)
        page.fill("#id_duration", minutes)
        page.select_option("#id_duration_unit", "minutes")
        page.fill("#id_outcome", "长者情绪稳定")
        page.click("form.card button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "服务记录已保存" in page.content()
    assert page.locator("table tbody tr").count() == 2

    # ...and closes the referral: a check page (records and time), then a confirmation page.
    page.click("#close-referral")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-check=records]").inner_text() == "2"
    assert page.locator("[data-check=minutes]").inner_text() == "120 分钟"
    _axe(page)
    page.click("#confirm-close")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-confirmation] h1").inner_text() == "转介已结束"
    _axe(page)
    page.click("form[action*=logout] button")
    page.wait_for_load_state("networkidle")

    # 3. The city officer sees the KPI progress on the contract.
    login(page, "city")
    page.goto(f"{live_server.url}/partners/contracts/{contract.pk}/")
    hours = page.locator("#kpi-progress tr[data-kpi='服务时数'] [data-actual]").inner_text()
    visits = page.locator("#kpi-progress tr[data-kpi='家访次数'] [data-actual]").inner_text()
    assert hours == "2" and visits == "1"
    assert "20%" in page.locator("#kpi-progress tr[data-kpi='服务时数']").inner_text()
