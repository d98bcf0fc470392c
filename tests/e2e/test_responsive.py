"""Usable on a phone (390 px) and at 1280 px, in every language.

Screenshots of each surveyed user's main pages (home, navigation, quick actions) at both
widths and in the three languages go to test-results/screenshots/<language>/<width>/ (a CI
artefact). Every page of every role is checked for horizontal scrolling at phone width (and
the leadership's pages on a tablet, 820 px): only wide tables may scroll, inside
``.table-wrap``."""
from __future__ import annotations

import pytest
from e2e_harness import LANGUAGES, ROLE_USERS, SCREENSHOT_USERS, write_json


def _overflow_report(reports) -> dict[str, dict]:
    return {r.path: {width: found for width, found in r.overflow.items() if found}
            for r in reports if any(r.overflow.values())}


@pytest.mark.parametrize("username", ROLE_USERS)
def test_no_page_scrolls_sideways_on_a_phone(crawler, username):
    reports = crawler.survey(username, "zh-hant")
    problems = _overflow_report(reports)
    write_json(f"responsive/{username}.json", problems)
    assert not problems, f"pages of {username} scroll sideways:\n" + "\n".join(
        f"  {path} at {width} px: {'; '.join(found)}"
        for path, widths in problems.items() for width, found in widths.items())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("username", SCREENSHOT_USERS)
def test_screenshots_of_the_main_pages(crawler, username, language):
    reports = crawler.survey(username, language)
    shots = [shot for r in reports for shot in r.screenshots]
    main_pages = [r for r in reports if r.depth <= 1 and r.ok]
    assert len(shots) == 2 * len(main_pages), "a screenshot is missing"
    problems = _overflow_report(reports)
    assert not problems, f"pages of {username} in {language} scroll sideways: {problems}"
