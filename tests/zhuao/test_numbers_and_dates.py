"""Numbers written as people read them: money grouped, to the cent, with its currency, through
one formatter (``core.money.money_display`` and the ``money`` filter built on it); dates on
Chinese pages in the long form (2026年12月5日).

Three layers: the formatter itself; a scan of every template (each money-named value goes
through ``|money``, no fixed date pattern outside attributes machines read); and a crawl of
the demo site as the city and finance officers, whose pages must hold no ungrouped or
over-precise amount (``419436.110000000``) and no ISO date in their text."""
from __future__ import annotations

import re
from collections import deque
from decimal import Decimal
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.template import Context, Template
from django.utils import translation

from core.money import money_display

ROOT = Path(__file__).resolve().parents[2]

#: A value named like money (the last attribute of a template variable).
MONEY_NAME = re.compile(r"(amount|(^|_)cny|(^|_)mop|budget|balance|_delta|available|threshold"
                        r"|(?<!frequency)_limit|price|cost|allocated)$")
VARIABLE = re.compile(r"\{\{\s*(.*?)\s*\}\}|\bwith\s+((?:\w+=\S+\s*)+)")
FIXED_DATE = re.compile(r'\|date:"(?![A-Z_]+")[^"]*[Ymd][^"]*"')  # a time alone (H:i) is fine


def _templates():
    for path in sorted(ROOT.glob("*/templates/**/*.html")):
        if ".venv" not in path.parts and "node_modules" not in path.parts:
            yield path
    yield from sorted((ROOT / "templates").glob("**/*.html"))


def _expressions(line: str):
    for match in VARIABLE.finditer(line):
        if match.group(1):
            yield match.group(1)
        else:
            for pair in match.group(2).split():
                if "=" in pair:
                    yield pair.split("=", 1)[1]


# --- the formatter -----------------------------------------------------------------------

@pytest.mark.parametrize("amount,currency,expected", [
    (Decimal("12345.6"), "MOP", "MOP 12,345.60"),
    (Decimal("12345.6"), "CNY", "¥12,345.60"),
    (Decimal("419436.110000000"), "CNY", "¥419,436.11"),
    ("419436.110000000", "MOP", "MOP 419,436.11"),
    (Decimal("-250"), "CNY", "-¥250.00"),
    (1000000, "CNY", "¥1,000,000.00"),
    (None, "CNY", "—"),
    ("", "MOP", "—"),
])
def test_money_display_groups_rounds_and_names_the_currency(amount, currency, expected):
    assert money_display(amount, currency) == expected


@pytest.mark.parametrize("amount,expected", [
    (Decimal("1000"), "+¥1,000.00"), (Decimal("-500"), "-¥500.00"), (Decimal("0"), "¥0.00"),
    (Decimal("0.004"), "¥0.00")])
def test_a_ledger_movement_is_signed(amount, expected):
    assert money_display(amount, "CNY", signed=True) == expected
    rendered = Template('{% load zhuao_tags %}{{ a|signed_money:"CNY" }}').render(
        Context({"a": amount}))
    assert rendered == expected


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_the_money_filter_is_the_same_formatter(language):
    with translation.override(language):
        rendered = Template('{% load zhuao_tags %}{{ a|money:"MOP" }} {{ b|money:"CNY" }}').render(
            Context({"a": Decimal("12345.6"), "b": Decimal("419436.110000000")}))
    assert rendered == "MOP 12,345.60 ¥419,436.11"


@pytest.mark.parametrize("language,expected", [
    ("zh-hans", "2026年12月5日"), ("zh-hant", "2026年12月5日"), ("en", "Dec. 5, 2026")])
def test_dates_are_written_in_the_long_form_of_the_language(language, expected):
    import datetime

    with translation.override(language):
        rendered = Template("{{ day|date }}").render(Context({"day": datetime.date(2026, 12, 5)}))
    assert rendered == expected


def test_a_date_field_shows_its_initial_value_in_the_format_the_browser_accepts():
    """The first input format is how Django writes a form's initial date: ISO 8601, the one
    format an <input type="date"> takes, in every language."""
    import datetime

    from django import forms

    class DateForm(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    for language in ("zh-hans", "zh-hant", "en"):
        with translation.override(language):
            html = str(DateForm(initial={"day": datetime.date(2026, 12, 5)})["day"])
            assert 'value="2026-12-05"' in html, (language, html)
            assert DateForm({"day": "2026-12-05"}).is_valid()


# --- every template ------------------------------------------------------------------------

def test_every_money_value_in_a_template_goes_through_the_money_filter():
    """Every amount shown to people; an input's ``value`` (read by the form, not by people)
    keeps the plain number the field parses."""
    raw = []
    for path in _templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for expression in _expressions(line):
                variable = expression.split("|")[0].strip()
                in_value = re.search(r'value="\{\{\s*' + re.escape(variable), line)
                if (MONEY_NAME.search(variable.split(".")[-1]) and not in_value
                        and not re.search(r"\|(signed_)?money\b", expression)):
                    raw.append(f"{path.relative_to(ROOT)}:{number}: {expression}")
    assert raw == [], "money shown without the money filter:\n" + "\n".join(raw)


def test_no_template_writes_dates_in_a_fixed_pattern_for_people():
    """``|date:"Y-m-d"`` shows 2026-12-05 on a Chinese page; the language's formats
    (``|date``, ``|date:"DATETIME_FORMAT"``) show 2026年12月5日. A fixed pattern is allowed
    inside an HTML tag (a URL, a ``datetime`` or ``value`` attribute), where machines read."""
    fixed = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for match in FIXED_DATE.finditer(text):
            before = re.sub(r"\{[{%].*?[}%]\}", "", text[max(0, match.start() - 600):match.start()],
                            flags=re.S)
            if before.rfind("<") > before.rfind(">"):
                continue
            number = text.count("\n", 0, match.start()) + 1
            fixed.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)}")
    assert fixed == [], "dates in a fixed pattern:\n" + "\n".join(fixed)


# --- the demo site, as its officers see it -------------------------------------------------

#: An amount nobody formatted: four or more digits before the point without grouping
#: (4500.00, 419436.11), or more than six decimals (419436.110000000).
UNGROUPED_AMOUNT = re.compile(r"(?<![\d,.\w-])(\d{4,}\.\d+|\d+\.\d{7,})(?![\d\w])")
ISO_DATE = re.compile(r"(?<![\d\w-])20\d\d-[01]\d-[0-3]\d(?![\d\w-])")
SKIP = re.compile(r"^/(admin|api|static|media|accounts|language|help)/|/(download|export|file|pdf"
                  r"|xlsx|csv|lookup)(/|$)|\.(pdf|xlsx|csv|zip)$|/search/")
HREF = re.compile(r'href="(/[^"#?]*)"')


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|textarea|template)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _crawl(client, limit: int = 160):
    seen, queue, pages = {"/"}, deque(["/"]), {}
    while queue and len(pages) < limit:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[path] = html
        per_prefix = {}
        for href in HREF.findall(html):
            href = urlsplit(href).path
            if href in seen or SKIP.search(href):
                continue
            # a few detail pages of each list, not all of them
            prefix = re.sub(r"\d+/.*$", "", href)
            per_prefix[prefix] = per_prefix.get(prefix, 0) + 1
            if per_prefix[prefix] > 3:
                continue
            seen.add(href)
            queue.append(href)
    return pages


@pytest.mark.django_db
def test_demo_pages_show_every_amount_formatted_and_dates_in_the_long_form(client_for):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    problems = []
    crawled = 0
    for username in ("city", "finance"):
        pages = _crawl(client_for(username))
        crawled += len(pages)
        for path, html in pages.items():
            text = _visible_text(html)
            problems += [f"{username} {path}: amount {m}" for m in UNGROUPED_AMOUNT.findall(text)]
            problems += [f"{username} {path}: date {m}" for m in ISO_DATE.findall(text)]
    assert crawled > 40, f"only {crawled} pages crawled"
    assert problems == [], "\n".join(sorted(set(problems)))

    # The fund's ledgers: money in signed +, money out signed -, and the balance after each.
    for url in ("/tempaid/fund/", "/tempaid/fund/statement/?start=2021-01-01&end=2030-12-31"):
        text = _visible_text(client_for("finance").get(url).content.decode())
        assert re.search(r"\+¥[\d,]+\.\d\d", text), f"{url}: no money in, signed +"
        assert re.search(r"-¥[\d,]+\.\d\d", text), f"{url}: no money out, signed -"
