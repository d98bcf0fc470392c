"""Chinese sessions show Chinese: no English left, no message id, no template syntax.

For each role the discovered pages (see e2e_harness.py) are visited with the user's profile
language set to simplified and to traditional Chinese. Visible text, accessible names,
options, confirmations and the title are read; a run of two or more English words of three
letters or more, a one-word interface string ("Status") or template syntax fails the test.
Data in Latin letters (people's Latin names, usernames, e-mails, codes, amounts) and words that
are the same in every language (MOP, CNY, PDF, API, …) are allowed; text marked
``translate="no"`` or with another ``lang`` is not read."""
from __future__ import annotations

import pytest
from e2e_harness import CHINESE, ROLE_USERS, broken_links, write_json


@pytest.mark.parametrize("language", CHINESE)
@pytest.mark.parametrize("username", ROLE_USERS)
def test_chinese_pages_have_no_english_left(crawler, username, language):
    reports = crawler.survey(username, language)
    assert not broken_links(reports), f"{username} is offered links that fail: {broken_links(reports)}"
    leftovers = {r.path: r.leftovers for r in reports if r.leftovers}
    write_json(f"languages/{language}/{username}.json", leftovers)
    assert not leftovers, report(username, language, leftovers)


def report(username: str, language: str, leftovers: dict[str, list[str]]) -> str:
    """One line per English string, with the pages that show it (the navigation's strings are
    on every page)."""
    pages_of: dict[str, list[str]] = {}
    for path, found in leftovers.items():
        for text in found:
            pages_of.setdefault(text, []).append(path)
    lines = [f"English left in {language} pages for {username} ({len(pages_of)} strings):"]
    for text, paths in sorted(pages_of.items(), key=lambda item: (-len(item[1]), item[0])):
        where = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        lines.append(f"  {text!r}: {where}")
    return "\n".join(lines)


@pytest.mark.parametrize(("username", "language", "expected"), [
    ("district", "zh-hans", "zh-Hans"), ("macau", "zh-hant", "zh-Hant"), ("leader", "en", "en")])
def test_the_page_declares_its_language(crawler, username, language, expected):
    """Screen readers pick their voice from <html lang>: it follows the user's choice."""
    page = crawler.page_for(username)
    previous = crawler.site.language_of(username)
    crawler.site.set_language(username, language)
    try:
        page.goto(crawler.site.url + "/")
        assert page.locator("html").get_attribute("lang") == expected
    finally:
        crawler.site.set_language(username, previous)
