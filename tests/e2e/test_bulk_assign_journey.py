"""The Xiangzhou team lead ticks two cases on the case list, assigns them to a colleague on the
confirm page, and reads on the result page what was done and what was refused."""
from datetime import date

import pytest

from cases.models import Case, CaseStatus
from cases.services import case_open, case_status_change, person_register
from devtools.demo import ensure_user
from core.roles import Role


def _mainland_id(seq: int) -> str:
    first17 = f"44040219800101{seq:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


@pytest.mark.django_db(transaction=True)
def test_team_lead_bulk_assigns_with_confirm(page, live_server, login, users, agencies):
    colleague = ensure_user("district_c", agencies["zh-xiangzhou"], Role.DISTRICT, "香洲区 孙专员")
    officer = users["district"]
    cases = []
    for number, name in enumerate(("甲", "乙", "丙")):
        person = person_register(actor=officer, name_zh=f"陈{name}", sex="male",
                                 date_of_birth=date(1980, 1, 1),
                                 residence_status="zhuhai_household",
                                 document_type="mainland_id",
                                 document_number=_mainland_id(number + 700))
        cases.append(case_open(actor=officer, subject=person, category="other"))
    case_status_change(actor=officer, case=cases[2], status=CaseStatus.UNDER_REVIEW)
    case_status_change(actor=officer, case=cases[2], status=CaseStatus.CLOSED)

    login(page, "district_lead")
    page.goto(f"{live_server.url}/cases/")
    page.check(f"input[name=ids][value='{cases[0].pk}']")
    page.check(f"input[name=ids][value='{cases[2].pk}']")
    page.click("#bulk-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert cases[0].number in page.content() and cases[2].number in page.content()
    assert Case.objects.get(pk=cases[0].pk).assigned_officer == officer  # nothing yet
    page.select_option("#id_officer", str(colleague.pk))
    page.click("form button.button--primary")
    page.wait_for_load_state("networkidle")
    assert page.locator(".bulk-succeeded").inner_text().strip() == cases[0].number
    assert cases[2].number in page.locator(".bulk-refused").inner_text()
    assert Case.objects.get(pk=cases[0].pk).assigned_officer == colleague
    assert Case.objects.get(pk=cases[1].pk).assigned_officer == officer
    assert Case.objects.get(pk=cases[2].pk).assigned_officer == officer
