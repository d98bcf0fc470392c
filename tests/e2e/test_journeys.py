"""The main journeys of every role, checked on the pages the apps actually serve.

* The three things a role does most are quick actions on its home page (one click), and they
  work: each app marks them ``NavItem(is_primary=True)``.
* Lists remember their filters (static/js/zhuao.js: ``form.filters``).
* A form that fails validation keeps what was typed (one form per app).
* Destructive actions (a ``.button--danger`` in a POST form) ask for confirmation
  (``<form data-confirm="…">``)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from e2e_harness import ROLE_USERS, WORKING_ROLE_USERS

APPS = ["cases", "infosharing", "remittance", "tempaid", "partners", "pilot"]
MARK = "保留测试"


@pytest.mark.parametrize("username", WORKING_ROLE_USERS)
def test_three_quick_actions_on_the_home_page(crawler, username):
    reports = crawler.survey(username, "zh-hans")
    page = crawler.page_for(username)
    page.goto(crawler.site.url + "/")
    actions = page.eval_on_selector_all(".tiles a.tile", "links => links.map(l => l.getAttribute('href'))")
    assert len(actions) >= 3, f"{username} has {len(actions)} quick actions on the home page: {actions}"
    working = {r.path for r in reports if r.ok}
    broken = [href for href in actions if crawler.local_path(href) and crawler.local_path(href) not in working]
    assert not broken, f"quick actions of {username} that do not open: {broken}"


@pytest.mark.parametrize("username", ROLE_USERS)
def test_destructive_actions_ask_first(crawler, username):
    reports = crawler.survey(username, "zh-hans")
    unconfirmed = {r.path: r.unconfirmed for r in reports if r.unconfirmed}
    assert not unconfirmed, ("forms with a danger button but no data-confirm: "
                             + "; ".join(f"{path}: {forms}" for path, forms in unconfirmed.items()))


def test_lists_remember_their_filters(crawler):
    """A district officer filters a list, goes elsewhere and comes back through the menu."""
    reports = crawler.survey("district", "zh-hans")
    page = crawler.page_for("district")
    for report in (r for r in reports if r.depth == 1 and r.ok):
        page.goto(crawler.site.url + report.path)
        form = page.locator("main form.filters").first
        if not form.count() or (form.get_attribute("method") or "get").lower() != "get":
            continue
        chosen = page.evaluate("""() => {
          const form = document.querySelector('main form.filters');
          for (const select of form.querySelectorAll('select')) {
            const option = [...select.options].find(o => o.value && !o.selected);
            if (option) { select.value = option.value; return [select.name, option.value]; }
          }
          return null;
        }""")
        if not chosen:
            continue
        with page.expect_navigation(wait_until="load"):
            page.evaluate("() => { const f = document.querySelector('main form.filters');"
                          " f.requestSubmit ? f.requestSubmit() : f.submit(); }")
        assert chosen[1] in page.url, f"filtering {report.path} did not put the filter in the address"
        page.goto(crawler.site.url + "/")
        with page.expect_navigation(wait_until="load"):
            page.locator(f"nav.sidenav a[href='{report.path}']").first.click()
        page.wait_for_function("name => new URLSearchParams(location.search).has(name)", arg=chosen[0],
                               timeout=5000)
        query = urlsplit(page.url).query
        assert f"{chosen[0]}=" in query, f"{report.path} forgot its filter"
        clear = page.locator(f"main form.filters a[href='{report.path}']")
        if clear.count():  # "Clear" forgets them
            with page.expect_navigation(wait_until="load"):
                clear.first.click()
            page.goto(crawler.site.url + "/")
            with page.expect_navigation(wait_until="load"):
                page.locator(f"nav.sidenav a[href='{report.path}']").first.click()
            page.wait_for_timeout(300)
            assert not urlsplit(page.url).query, f"{report.path}: Clear did not forget the filters"
        page.evaluate("() => sessionStorage.clear()")
        return
    pytest.skip("no list page with a filter form yet")


FILL_JS = """mark => {
  const required = '[required]:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])';
  const form = [...document.querySelectorAll('main form')].find(f => (f.method || '').toLowerCase() === 'post'
    && f.querySelector(required));
  form.noValidate = true;
  const emptied = form.querySelector(required);
  if (emptied.tagName === 'SELECT') { emptied.selectedIndex = -1; } else { emptied.value = ''; }
  const filled = [];
  for (const field of form.querySelectorAll('input[type=text], input:not([type]), textarea')) {
    if (field === emptied || !field.name || field.readOnly || field.disabled) { continue; }
    field.value = mark + filled.length; filled.push(field.name);
  }
  const button = form.querySelector('button[type=submit], input[type=submit], button:not([type])');
  if (button) { button.click(); } else { form.submit(); }
  return filled;
}"""


@pytest.mark.parametrize("app", APPS)
def test_a_form_keeps_what_was_typed(crawler, app):
    """The first form of the app with a required field: left empty, the others typed in."""
    for username in ["district", "city", "finwork", "finance", "ngo", "macau", "leader"]:
        for report in crawler.survey(username, "zh-hans"):
            if not (report.fillable and report.path.startswith(f"/{app}/")):
                continue
            page = crawler.page_for(username)
            page.goto(crawler.site.url + report.path)
            with page.expect_navigation(wait_until="load"):
                filled = page.evaluate(FILL_JS, MARK)
            lost = [name for index, name in enumerate(filled)
                    if page.locator(f"main form [name='{name}']").first.input_value() != f"{MARK}{index}"]
            assert not lost, f"{report.path} ({username}) forgot what was typed in: {lost}"
            assert page.locator(".field--error, .form-errors, .errorlist").count(), \
                f"{report.path}: the form was not refused, nor does it say what is wrong"
            return
    pytest.skip(f"{app} has no form with a required field yet")
