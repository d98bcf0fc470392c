"""The translations follow the glossary (docs/glossary.md): each term in its language's form,
no forbidden variant (覈查 in traditional Chinese, 接口 in the menu), and Chinese punctuation
in Chinese text (a full-width colon after a Chinese character, not ``:``)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossary.md"
APPS = ["core", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot"]
LOCALES = ["zh_Hans", "zh_Hant"]
CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]"
#: Half-width punctuation right after Chinese text. A comma inside （,） names the character.
HALF_WIDTH_AFTER_CJK = re.compile(CJK + r"([:;?!]|,(?!）))")


def _tables() -> list[list[dict[str, str]]]:
    """The markdown tables of the glossary, each a list of {header: cell}."""
    tables, header, rows = [], None, []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if header is None:
                header = cells
            elif not set("".join(cells)) <= set("-: "):
                rows.append(dict(zip(header, cells, strict=False)))
        elif header is not None:
            tables.append(rows)
            header, rows = None, []
    return tables


def _terms():
    return _tables()[0]


def _forbidden():
    return _tables()[1]


def _texts(entry: polib.POEntry) -> list[str]:
    return [text for text in [entry.msgstr, *entry.msgstr_plural.values()] if text]


def _entries(locale: str):
    for app in APPS:
        path = ROOT / app / "locale" / locale / "LC_MESSAGES" / "django.po"
        for entry in polib.pofile(str(path)):
            if not entry.obsolete and entry.msgid:
                yield app, entry


def _menu_msgids() -> set[str]:
    """The labels of the navigation entries: the first argument of every NavItem(...) in the
    apps' navigation modules."""
    labels = set()
    for path in ROOT.glob("*/navigation.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "NavItem"
                    and node.args and isinstance(node.args[0], ast.Call)):
                for argument in node.args[0].args:
                    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                        labels.add(argument.value)
    return labels


def test_the_glossary_has_both_tables():
    assert len(_terms()) >= 15 and {"English", "简体中文", "繁體中文"} <= set(_terms()[0])
    assert len(_forbidden()) >= 5 and {"locale", "scope", "wrong", "right"} <= set(_forbidden()[0])
    assert len(_menu_msgids()) >= 20


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_use_the_glossary_terms(locale):
    column = "简体中文" if locale == "zh_Hans" else "繁體中文"
    strays = []
    for term in _terms():
        english = re.compile(r"\b" + re.escape(term["English"]) + r"(s|es)?\b", re.IGNORECASE)
        for app, entry in _entries(locale):
            allowed = [form.strip() for form in term[column].split(" / ")]
            if english.search(entry.msgid) and any(
                    not any(form in text for form in allowed) for text in _texts(entry)):
                strays.append(f"{app}: {entry.msgid!r} -> {_texts(entry)[:1]} "
                              f"(glossary: {term['English']} = {term[column]})")
    assert strays == [], "translations outside the glossary:\n  " + "\n  ".join(strays)


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_use_no_forbidden_variant(locale):
    menu = _menu_msgids()
    found = []
    for rule in _forbidden():
        if rule["locale"] not in (locale, "zh"):
            continue
        wrong = rule["wrong"]
        # "制單" but not the 制單 of 編制單位 (an organisation that compiles a plan)
        pattern = re.compile(r"(?<!編)" + re.escape(wrong) if wrong == "制單" else re.escape(wrong))
        for app, entry in _entries(locale):
            if rule["scope"] == "menu" and entry.msgid not in menu:
                continue
            if any(pattern.search(text) for text in _texts(entry)):
                found.append(f"{app}: {entry.msgid!r} -> {_texts(entry)[0]!r} "
                             f"({wrong} -> {rule['right']})")
    assert found == [], "forbidden variants:\n  " + "\n  ".join(found)


def test_traditional_help_pages_use_no_forbidden_variant():
    found = []
    for rule in _forbidden():
        if rule["locale"] not in ("zh_Hant", "zh") or rule["scope"] != "all":
            continue
        wrong = rule["wrong"]
        pattern = re.compile((r"(?<!編)" if wrong == "制單" else "") + re.escape(wrong))
        for path in sorted((ROOT / "templates" / "help" / "zh-hant").glob("*.html")):
            if pattern.search(path.read_text(encoding="utf-8")):
                found.append(f"{path.relative_to(ROOT)}: {rule['wrong']} -> {rule['right']}")
    assert found == [], "forbidden variants in help pages:\n  " + "\n  ".join(found)


@pytest.mark.parametrize("locale", LOCALES)
def test_chinese_text_uses_chinese_punctuation(locale):
    found = [f"{app}: {entry.msgid!r} -> {text!r}"
             for app, entry in _entries(locale) for text in _texts(entry)
             if HALF_WIDTH_AFTER_CJK.search(text)]
    assert found == [], "half-width punctuation after Chinese text:\n  " + "\n  ".join(found)


def test_the_checks_catch_what_they_are_for():
    assert HALF_WIDTH_AFTER_CJK.search("金额: 100")
    assert HALF_WIDTH_AFTER_CJK.search("是否继续?")
    assert not HALF_WIDTH_AFTER_CJK.search("金额：¥12,345.60")
    assert not HALF_WIDTH_AFTER_CJK.search("千位分隔符（,）")
    assert "API" in _menu_msgids()
