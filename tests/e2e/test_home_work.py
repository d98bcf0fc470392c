"""The home page's work list in a real browser, for each main role: an overdue item is listed
first, flagged in words; axe finds nothing on the home page nor on the dashboard. On a phone
(375 px) the dashboard's KPI table is still a table: no cell one character wide."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.e2e.e2e_harness import AXE_JS, AXE_OPTIONS, AXE_PATH, require_axe

sys.path.insert(0, str(Path(__file__).parent.parent / "zhuao"))
from work_data import OVERDUE_KIND, make_overdue_work  # noqa: E402

OVERDUE_WORDS = {"已逾期", "Overdue"}


@pytest.fixture(scope="module")
def overdue_site(demo_site, django_db_blocker):
    with django_db_blocker.unblock():
        make_overdue_work()
    return demo_site


def _signed_in(browser, site, username, **context_args):
    from django.conf import settings

    context = browser.new_context(**context_args)
    context.add_init_script(path=str(AXE_PATH))
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.ZHUAO_DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    from tests.two_factor_clients import pass_demo_second_factor

    pass_demo_second_factor(page)
    return page


def _no_axe_violations(page):
    violations = page.evaluate(AXE_JS, AXE_OPTIONS)
    assert violations == [], violations


@pytest.mark.parametrize("username", list(OVERDUE_KIND))
def test_home_lists_an_overdue_item_first(browser, overdue_site, username):
    require_axe()
    page = _signed_in(browser, overdue_site, username)
    rows = page.locator("[data-work-list] tr.work__item")
    assert rows.count() >= 1, f"{username} sees no work"
    first = rows.first
    assert "work__item--overdue" in first.get_attribute("class")
    assert set(first.locator("td").last.inner_text().split()) & OVERDUE_WORDS
    kinds = rows.evaluate_all("rows => rows.map(row => row.dataset.workKind)")
    assert OVERDUE_KIND[username] in kinds
    overdue = rows.evaluate_all(
        "rows => rows.map(row => row.classList.contains('work__item--overdue'))")
    assert overdue == sorted(overdue, reverse=True), "an overdue item after one not overdue"
    badge = page.locator("nav.sidenav [data-nav=home] .badge")
    assert badge.count() == 1 and int(badge.inner_text()) >= rows.count() or rows.count() >= 20
    _no_axe_violations(page)
    page.context.close()


def test_dashboard_kpi_table_is_a_table_on_a_phone(browser, overdue_site):
    require_axe()
    page = _signed_in(browser, overdue_site, "leader", viewport={"width": 375, "height": 800})
    page.goto(f"{overdue_site.url}/pilot/dashboard/")
    page.wait_for_load_state("load")
    assert page.locator("table[data-panel-table]").count() >= 1, "no KPI table on the dashboard"
    _no_axe_violations(page)
    # the charts' data tables too (folded under "Data table: …")
    page.evaluate("document.querySelectorAll('main details').forEach(d => { d.open = true; })")
    font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    for width in (375, 700, 820):  # a phone, and tablets (the leadership's)
        page.set_viewport_size({"width": width, "height": 800})
        widths = page.locator("main table th, main table td").evaluate_all(
            "cells => cells.filter(cell => cell.textContent.trim().length > 1)"
            ".map(cell => cell.getBoundingClientRect().width)")
        assert widths and min(widths) > 1.6 * font, \
            f"at {width} px a cell is about one character wide: {sorted(widths)[:5]}"
    # an ongoing task (长期推进) has its line on the timeline
    assert page.locator("figure svg").filter(has_text="长期推进").count() >= 1
    page.context.close()


def test_phone_menu_is_grouped_by_workstream(browser, overdue_site):
    """At 375 px the city officer's menu shows each workstream's name over its own entries."""
    require_axe()
    page = _signed_in(browser, overdue_site, "city", viewport={"width": 375, "height": 800})
    page.click("nav.sidenav .sidenav__toggle")  # folded on a phone
    groups = page.locator("nav.sidenav .sidenav__group")
    headings = page.locator("nav.sidenav .sidenav__heading")
    assert headings.count() >= 6
    for index in range(groups.count()):
        group = groups.nth(index)
        heading = group.locator(".sidenav__heading")
        links = group.locator("a[data-nav]")
        if heading.count():
            assert heading.is_visible()
            top = heading.bounding_box()["y"]
            assert all(links.nth(i).bounding_box()["y"] > top for i in range(links.count()))
    _no_axe_violations(page)
    page.context.close()
