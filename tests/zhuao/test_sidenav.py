"""``{% sidenav %}`` writes the same entries as the template loop it replaced: links, the
current page, the start of each section, the badge with its label in the user's language."""
import re

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from zhuao.navigation import nav_items

pytestmark = pytest.mark.django_db

LOOP = """{% load i18n %}{% for item in nav_items %}
<li{% ifchanged item.section %}{% if item.section and not forloop.first %} class="sidenav__section-start"{% endif %}{% endifchanged %}><a href="{{ item.url }}" data-nav="{{ item.url_name }}" class="sidenav__link{% if request.path == item.url %} is-current{% endif %}"{% if request.path == item.url %} aria-current="page"{% endif %}>{{ item.label }}{% if item.badge %} <span class="badge badge--count" aria-label="{% blocktranslate count counter=item.badge %}{{ counter }} unread{% plural %}{{ counter }} unread{% endblocktranslate %}">{{ item.badge }}</span>{% endif %}</a></li>
{% endfor %}"""


def _render(source, context):
    return re.sub(r">\s+<", "><", engines["django"].from_string(source).render(context)).strip()


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
@pytest.mark.parametrize("username", ["city", "district", "macau", "admin"])
def test_sidenav_is_the_loop_it_replaced(username, language, users):
    with translation.override(language):
        items = nav_items(users[username])
        items[1].badge, items[-1].badge = 3, 1  # the inbox, and an entry of the last section
        for path in (items[0].url, items[len(items) // 2].url, "/nowhere/"):
            context = {"nav_items": items, "request": RequestFactory().get(path)}
            shown = _render("{% load zhuao_tags %}{% sidenav %}", context)
            assert shown == _render(LOOP, context)
            assert shown.count("<li") == len(items)
            assert ("aria-current" in shown) is (path != "/nowhere/")
            assert 'class="sidenav__section-start"' in shown


def test_sidenav_without_a_request_marks_no_page(users):
    items = nav_items(users["city"])
    shown = _render("{% load zhuao_tags %}{% sidenav %}", {"nav_items": items})
    assert shown.count("<li") == len(items) and "aria-current" not in shown
