"""``{% sidenav %}`` writes the navigation entries grouped by workstream: each section a group
with its name as a heading (read as the name of its list), every entry once and in order, the
current page marked, the badge with its label in the user's language."""
import re

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from web.navigation import nav_items, section_label

pytestmark = pytest.mark.django_db


def _render(source, context):
    return re.sub(r">\s+<", "><", engines["django"].from_string(source).render(context)).strip()


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
@pytest.mark.parametrize("username", ["city", "district", "macau", "admin", "secadmin",
                                      "auditadmin"])
def test_sidenav_groups_the_entries_by_workstream(username, language, users):
    with translation.override(language):
        items = nav_items(users[username])
        items[1].badge, items[-1].badge = 3, 1  # the inbox, and an entry of the last section
        for path in (items[0].url, items[len(items) // 2].url, "/nowhere/"):
            context = {"nav_items": items, "request": RequestFactory().get(path)}
            shown = _render("{% load zhuao_tags %}{% sidenav %}", context)
            assert re.findall(r'data-nav="([^"]+)"', shown) == [item.url_name for item in items]
            assert ("aria-current" in shown) is (path != "/nowhere/")
            sections = list(dict.fromkeys(item.section for item in items))
            groups = re.findall(r'<li class="sidenav__group" data-section="([^"]*)">', shown)
            assert groups == [section or "main" for section in sections]
            for section in sections:
                label = section_label(section)
                if not label:
                    continue
                heading = f'<span class="sidenav__heading" id="nav-section-{section}">{label}'
                assert heading in shown
                assert f'aria-labelledby="nav-section-{section}"' in shown
            assert shown.count('class="badge badge--count"') == 2
            unread = translation.ngettext("%(counter)s unread", "%(counter)s unread", 3)
            assert f'aria-label="{unread % {"counter": 3}}"' in shown


def test_the_city_officers_menu_has_a_heading_per_workstream(users):
    with translation.override("zh-hans"):
        shown = _render("{% load zhuao_tags %}{% sidenav %}",
                        {"nav_items": nav_items(users["city"])})
    headings = re.findall(r'class="sidenav__heading"[^>]*>([^<]+)<', shown)
    assert len(headings) >= 6 and len(set(headings)) == len(headings)


def test_sidenav_without_a_request_marks_no_page(users):
    items = nav_items(users["city"])
    shown = _render("{% load zhuao_tags %}{% sidenav %}", {"nav_items": items})
    assert shown.count("data-nav=") == len(items) and "aria-current" not in shown
