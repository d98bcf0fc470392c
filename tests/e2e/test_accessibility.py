"""axe-core on every page every role can reach: no serious or critical violation.

Pages are discovered from each role's navigation and home page (see e2e_harness.py), so a page
that lands in an app is checked without anyone listing it here. The report (page, rule,
impact, nodes) is printed on failure; every violation, minor and moderate ones included, is
written to test-results/axe/<role>.json for whoever improves the pages next."""
from __future__ import annotations

import pytest
from e2e_harness import (AXE_JS, AXE_OPTIONS, AXE_PATH, FAILING_IMPACTS, ROLE_USERS,
                         broken_links, require_axe, write_json)


def format_report(username: str, findings: dict[str, list[dict]]) -> str:
    lines = [f"axe-core: serious/critical violations for {username}:"]
    for path, violations in findings.items():
        for violation in violations:
            lines.append(f"  {path}  [{violation['impact']}] {violation['id']}: {violation['help']}")
            for node in violation["nodes"][:5]:
                lines.append(f"      {node['target']}  {node['html']}")
                summary = (node["summary"] or "").replace("\n", " ")
                if summary:
                    lines.append(f"        {summary[:300]}")
            if len(violation["nodes"]) > 5:
                lines.append(f"      … and {len(violation['nodes']) - 5} more nodes")
    return "\n".join(lines)


@pytest.mark.parametrize("username", ROLE_USERS)
def test_every_page_of_the_role_passes_axe(crawler, username):
    require_axe()
    reports = crawler.survey(username, "zh-hans")
    write_json(f"axe/{username}.json", {r.path: r.axe for r in reports if r.axe is not None})
    assert not broken_links(reports), f"{username} is offered links that fail: {broken_links(reports)}"
    assert len(reports) >= 2, "no page found beyond the home page"
    failing = {r.path: [v for v in r.axe if v["impact"] in FAILING_IMPACTS]
               for r in reports if r.axe}
    failing = {path: violations for path, violations in failing.items() if violations}
    assert not failing, format_report(username, failing)


def test_public_pages_pass_axe(crawler, demo_site):
    """The sign-in page and the error page, for someone not signed in."""
    require_axe()
    context = crawler.browser.new_context(**crawler.context_args)
    context.add_init_script(path=str(AXE_PATH))
    page = context.new_page()
    failing = {}
    try:
        for path in ["/accounts/login/", "/no-such-page/"]:
            page.goto(demo_site.url + path)
            serious = [v for v in page.evaluate(AXE_JS, AXE_OPTIONS) if v["impact"] in FAILING_IMPACTS]
            if serious:
                failing[path] = serious
    finally:
        context.close()
    assert not failing, format_report("anonymous", failing)
