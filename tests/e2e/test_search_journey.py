"""Issue 24's journey: a district officer types "chan tai man" in the header box and opens
陳大文's page; choosing a person and a case on a form is a search-as-you-type field (keyboard
only) that tells two people of the same name apart."""
from datetime import date

import pytest

from cases.models import ResidenceStatus, Sex
from cases.services import case_open, person_register


def _register(actor, name, number, born, district="xiangzhou"):
    return person_register(actor=actor, name_zh=name, sex=Sex.MALE, date_of_birth=born,
                           residence_status=ResidenceStatus.MACAU_RESIDENT,
                           document_type="macau_id", document_number=number, district=district)


@pytest.mark.django_db(transaction=True)
def test_find_a_person_in_the_header_and_choose_one_by_typing(page, live_server, login, users):
    district = users["district"]
    chan = _register(district, "陳大文", "1234567(8)", date(1958, 3, 1))
    namesake = _register(district, "陈大文", "5123456(2)", date(1990, 7, 9))
    case = case_open(actor=district, subject=chan, category="verification")
    doumen = _register(users["district2"], "陳大文", "7123456(3)", date(1960, 1, 1),
                       district="doumen")

    # 1. The header box on the home page: "chan tai man", Enter.
    login(page, "district")
    page.fill("#global-search", "chan tai man")
    page.press("#global-search", "Enter")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}/search/"  # the query is not in the address
    hits = page.locator("section[aria-labelledby=hits-people]")
    for person in (chan, namesake):
        assert hits.locator(f"a[href='/cases/people/{person.pk}/']").count() == 1
    # Doumen's namesake is not hers to see (other files' demo data may add more hits)
    assert hits.locator(f"a[href='/cases/people/{doumen.pk}/']").count() == 0
    text = page.locator("section[aria-labelledby=hits-people]").inner_text()
    assert "1958年3月1日" in text and "1990年7月9日" in text
    assert "1234567(8)" not in text  # masked

    # 2. She opens 陳大文's page.
    page.click(f"a[href='/cases/people/{chan.pk}/']")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/cases/people/{chan.pk}/")
    assert "陳大文" in page.locator("h1").inner_text()
    assert case.number in page.content()

    # 3. An urgent notification: the person field searches as she types; keyboard only.
    page.goto(f"{live_server.url}/infosharing/urgent/new/")
    field = page.locator("#id_person_search")
    assert field.get_attribute("role") == "combobox"
    field.fill("chan tai man")
    options = page.locator("#id_person_search ~ ul[role=listbox] [role=option]")
    options.first.wait_for()
    assert options.count() == 2
    assert "1990-07-09" in page.locator("ul[role=listbox]").inner_text()
    assert field.get_attribute("aria-expanded") == "true"
    for _ in range(2):
        field.press("ArrowDown")
        if "1990-07-09" in page.locator("[role=option][aria-selected=true]").inner_text():
            break
    field.press("Enter")
    assert page.locator("#id_person").input_value() == str(namesake.pk)
    assert field.get_attribute("aria-expanded") == "false"

    # 4. A relief application: the case number field offers her cases as she types.
    page.goto(f"{live_server.url}/tempaid/new/")
    case_field = page.locator("#id_case")
    case_field.fill(case.number[:9])
    page.locator("#id_case ~ ul[role=listbox] [role=option]").first.wait_for()
    case_field.press("ArrowDown")
    case_field.press("Enter")
    assert case_field.input_value() == case.number
