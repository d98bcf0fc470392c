"""The error summary in a real browser: a failed form of several workstreams shows the summary
at the top, the title starts with "错误：", the focus is on the summary when the page loads, a
link of the summary moves the focus to its field, the field shows its own message, and axe
finds nothing on the failed page."""
from __future__ import annotations

import pytest

from tests.e2e.e2e_harness import AXE_JS, AXE_OPTIONS, AXE_PATH, require_axe

FAILED_FORMS = [
    ("district", "/cases/people/new/", "button.button--primary"),
    ("district", "/tempaid/new/", "button.button--primary"),
    ("city", "/pilot/plans/new/", "button.button--primary"),
    ("district", "/infosharing/urgent/new/", "form.card button[type=submit]"),
]


@pytest.mark.parametrize("username,path,submit", FAILED_FORMS)
def test_failed_form_focuses_the_error_summary_whose_links_reach_the_fields(
        page, live_server, login, users, username, path, submit):
    require_axe()
    page.context.add_init_script(path=str(AXE_PATH))
    login(page, username)
    page.goto(f"{live_server.url}{path}")
    page.click(submit)
    page.wait_for_load_state("load")

    assert page.title().startswith("错误："), page.title()
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')"), \
        "the focus is not on the error summary"
    heading = page.locator("main h1").first
    assert summary.bounding_box()["y"] < heading.bounding_box()["y"], "summary below the heading"

    link = summary.locator("a[data-error-link]").first
    target = link.get_attribute("data-error-link")
    link.click()
    # A select with a search box (the person and case lookups) hands the focus to the box.
    assert page.evaluate("document.activeElement.id") in (target, f"{target}_search")
    field = page.locator(f"#{target}").locator(
        "xpath=ancestor::*[contains(@class,'field')][1]")
    assert field.locator(".field__errors").count() or page.locator(".form-errors").count(), \
        "the field does not show its own message"

    violations = page.evaluate(AXE_JS, AXE_OPTIONS)
    assert violations == [], violations


def test_english_reader_sees_an_english_error_title(page, live_server, login, users):
    staff = users["district"].staff
    staff.language = "en"
    staff.save(update_fields=["language"])
    login(page, "district")
    page.goto(f"{live_server.url}/cases/people/new/")
    page.click("button.button--primary")
    page.wait_for_load_state("load")
    assert page.title().startswith("Error: ")
    assert page.locator("#error-summary-title").inner_text() == "There is a problem"
