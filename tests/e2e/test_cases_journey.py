"""A district officer registers a Macau resident, opens a case and shares it with Macau; the
Macau liaison signs in and sees it; a city officer puts it on a joint-conference agenda and
records the decision and an action item."""
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import ActionItem, Case, Decision, Person


def _sign_out(page):
    page.context.clear_cookies()


@pytest.mark.django_db(transaction=True)
def test_register_share_and_review_at_the_joint_conference(page, live_server, login, users,
                                                           agencies):
    # 1. The Xiangzhou officer registers a Macau resident (the Macau ID typed the old way).
    login(page, "district")
    page.goto(f"{live_server.url}/cases/people/new/")
    page.fill("#id_name_zh", "梁澳生")
    page.fill("#id_name_latin", "Leong Ou Sang")
    page.select_option("#id_sex", "male")
    page.fill("#id_date_of_birth", "1955-06-01")
    page.select_option("#id_residence_status", "macau_resident")
    page.select_option("#id_document_type", "macau_id")
    page.fill("#id_document_number", "7/123456/3")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    person = Person.objects.get(name_zh="梁澳生")
    assert page.url.endswith(f"/cases/people/{person.pk}/")
    # the number is shown masked; the full one is a deliberate, reasoned click (core.reveal)
    assert "7123456(3)" not in page.content()

    # 2. She opens a cross-border verification case.
    page.click(f"a[href='/cases/people/{person.pk}/cases/new/']")
    page.select_option("#id_category", "verification")
    page.select_option("#id_risk_level", "high")
    page.fill("#id_summary", "澳门居民在珠海居住，需核实在澳收入。")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    case = Case.objects.get(subject=person)
    assert case.number in page.locator("h1").inner_text()

    # 3. She shares it with Macau's IAS, with a reason.
    page.select_option("#id_share-agency", str(agencies["mo-ias"].pk))
    page.fill("#id_share-reason", "请社工局协查家庭经济状况")
    page.click("form[action$='/share/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已共享给" in page.content()
    _sign_out(page)

    # 4. The Macau liaison signs in and sees the case (numbers masked).
    login(page, "macau")
    page.goto(f"{live_server.url}/cases/")
    page.click(f"text={case.number}")
    page.wait_for_load_state("networkidle")
    assert "梁澳生" in page.content() and "7123456(3)" not in page.content()
    assert page.locator("form[action$='/share/']").count() == 0
    _sign_out(page)

    # 5. A city officer schedules a joint conference and puts the case on its agenda.
    login(page, "city")
    page.goto(f"{live_server.url}/cases/meetings/new/")
    page.fill("#id_title", "珠澳社会救助联席会议")
    page.select_option("#id_kind", "joint_conference")
    starts = timezone.localtime() - timedelta(hours=1)  # decided once held (issue 23)
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "市民政局三楼会议室")
    page.check(f"input[name=invited_agencies][value='{agencies['mo-ias'].pk}']")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.click("#add-agenda-item > summary")  # each action opens its own form (issue 26)
    page.fill("#id_agenda-title", "重点个案研判")
    page.select_option("#id_agenda-kind", "key_case_review")
    page.fill("#id_agenda-case_numbers", case.number)
    page.click("form[action$='/agenda/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert case.number in page.locator("section[aria-labelledby=agenda]").inner_text()

    # 6. ... marks it held, records the key-case decision (outcome, agencies present) and an
    # action item for Xiangzhou.
    page.click("form[action$='/held/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.locator("details[id^=decide-] > summary").first.click()
    page.fill("textarea[name='decision-text']", "同意给予临时救助，由香洲区跟进。")
    page.select_option("select[name='decision-outcome']", "approved")
    page.check(f"input[name='decision-participating_agencies'][value='{agencies['mo-ias'].pk}']")
    page.click("form[action*='/decision/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "同意给予临时救助" in page.locator("section[aria-labelledby=agenda]").inner_text()
    page.click("#add-action-item > summary")
    page.fill("#id_action-title", "发放临时救助金")
    page.select_option("#id_action-owner_agency", str(agencies["zh-xiangzhou"].pk))
    page.fill("#id_action-due_date", (timezone.localdate() + timedelta(days=14)).isoformat())
    page.select_option("#id_action-decision", str(Decision.objects.get().pk))
    page.click("form[action$='/action-items/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "发放临时救助金" in page.locator("section[aria-labelledby=action-items]").inner_text()
    item = ActionItem.objects.get()
    assert item.owner_agency == agencies["zh-xiangzhou"] and item.decision is not None
    case.refresh_from_db()
    assert case.is_key_case

    # 7. From the case she reaches the person's whole page: each section, then the timeline.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.click(f"a[href='/cases/people/{person.pk}/']")
    page.wait_for_load_state("networkidle")
    for key in ("cases", "meetings", "action_items"):
        page.click(f"#section-counts a[href='#section-{key}']")
        assert page.locator(f"#section-{key} table a").count() >= 1
    assert case.number in page.locator("#section-cases").inner_text()
    assert "同意给予临时救助" in page.locator("#section-meetings").inner_text()
    page.click(f"a[href='/cases/people/{person.pk}/?view=timeline']")
    page.wait_for_load_state("networkidle")
    assert "发放临时救助金" in page.locator("section[aria-labelledby=timeline]").inner_text()
    page.click(f"section[aria-labelledby=timeline] a[href='/cases/{case.pk}/']")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/cases/{case.pk}/")
