"""Every catalogue complete in simplified and traditional Chinese, and what is served is what
was written: no untranslated or fuzzy message, placeholders kept, .mo files compiled from the
current .po files (``scripts/i18n.py compile``)."""
from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot"]
LOCALES = ["zh_Hans", "zh_Hant"]
CATALOGUES = [(app, locale) for app in APPS for locale in LOCALES]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")


def _po(app: str, locale: str) -> polib.POFile:
    path = ROOT / app / "locale" / locale / "LC_MESSAGES" / "django.po"
    if not path.exists():
        pytest.skip(f"{app} has no {locale} catalogue yet")
    return polib.pofile(str(path))


def _translations(entries) -> dict[tuple[str, str], str]:
    """(context, id) -> translation; plural forms joined."""
    found = {}
    for entry in entries:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
            continue
        if entry.msgid_plural:
            value = "\x00".join(entry.msgstr_plural[key] for key in sorted(entry.msgstr_plural))
        else:
            value = entry.msgstr
        if value:
            found[(entry.msgctxt or "", entry.msgid)] = value
    return found


@pytest.mark.parametrize(("app", "locale"), CATALOGUES)
def test_catalogue_is_complete_and_not_fuzzy(app, locale):
    po = _po(app, locale)
    missing = [entry.msgid for entry in po
               if not entry.obsolete and (not entry.translated() or entry.fuzzy)]
    assert not missing, (f"{app} {locale}: {len(missing)} untranslated or fuzzy messages "
                         f"(scripts/i18n.py todo {app}): {missing[:15]}")


@pytest.mark.parametrize(("app", "locale"), CATALOGUES)
def test_translations_keep_their_placeholders(app, locale):
    """A translation that drops %(name)s hides data; one that invents a name crashes."""
    wrong = []
    for entry in _po(app, locale):
        if entry.obsolete or not entry.translated():
            continue
        expected = sorted(filter(None, (a or b for a, b in PLACEHOLDER.findall(entry.msgid))))
        translations = ([entry.msgstr] if not entry.msgid_plural
                        else list(entry.msgstr_plural.values()))
        for text in translations:
            got = sorted(filter(None, (a or b for a, b in PLACEHOLDER.findall(text))))
            if got != expected:
                wrong.append(f"{entry.msgid!r} -> {text!r}")
    assert not wrong, f"{app} {locale}: placeholders differ:\n  " + "\n  ".join(wrong[:15])


@pytest.mark.parametrize(("app", "locale"), CATALOGUES)
def test_python_format_translations_can_be_formatted(app, locale):
    """A lone % in a python-format translation ("（%）") makes ``text % values`` raise where
    the English works."""
    broken = []
    for entry in _po(app, locale):
        if entry.obsolete or not entry.translated() or "python-format" not in entry.flags:
            continue
        names = {a for a, _b in PLACEHOLDER.findall(entry.msgid) if a}
        values = {name: 1 for name in names} if names else ()
        try:
            entry.msgid % values
        except (TypeError, ValueError):
            continue  # xgettext's guess ("100 % complete"): never formatted
        translations = ([entry.msgstr] if not entry.msgid_plural
                        else list(entry.msgstr_plural.values()))
        for text in translations:
            try:
                text % values
            except (TypeError, ValueError, KeyError) as error:
                broken.append(f"{text!r}: {error}")
    assert not broken, f"{app} {locale}:\n  " + "\n  ".join(broken[:15])


@pytest.mark.parametrize(("app", "locale"), CATALOGUES)
def test_compiled_catalogue_matches_its_source(app, locale):
    po = _po(app, locale)
    mo_path = Path(po.fpath).with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} missing: run scripts/i18n.py compile"
    compiled = _translations(polib.mofile(str(mo_path)))
    written = _translations(po)
    stale = sorted(key[1] for key in written.keys() | compiled.keys()
                   if written.get(key) != compiled.get(key))
    assert not stale, (f"{mo_path.relative_to(ROOT)} is older than its .po "
                       f"(run scripts/i18n.py compile): {stale[:10]}")


def test_simplified_and_traditional_differ_where_they_should():
    """Traditional catalogues are not copies of the simplified ones: a few characters that
    always change (这/這, 个/個, 请/請, 为/為, 数/數, 时/時) do not appear in zh_Hant."""
    simplified_only = set("这个请为数时认证务员")
    leaks = []
    for app in APPS:
        path = ROOT / app / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            texts = [entry.msgstr, *entry.msgstr_plural.values()]
            if any(simplified_only & set(text) for text in texts):
                leaks.append(f"{app}: {entry.msgid!r} -> {texts[0] or texts[-1]!r}")
    assert not leaks, "simplified characters in traditional catalogues:\n  " + "\n  ".join(leaks[:15])


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_money_and_numbers_are_shown_the_same_way_in_every_language(language):
    from decimal import Decimal

    from django.template import Context, Template
    from django.utils import translation

    template = Template('{% load zhuao_tags %}{{ a|money:"MOP" }}|{{ b|money:"CNY" }}|'
                        '{{ c|money:"CNY" }}|{{ d|money:"MOP" }}|{{ n|number }}|{{ r|number:4 }}')
    with translation.override(language):
        shown = template.render(Context({"a": Decimal("1234.5"), "b": Decimal("1234.505"),
                                         "c": Decimal("-5"), "d": None, "n": 12345,
                                         "r": Decimal("0.87654")}))
    assert shown == "MOP 1,234.50|¥1,234.51|-¥5.00|—|12,345|0.8765"
