"""One word per meaning across the catalogues.

Django merges every app's catalogue into one per language; when the same (context, msgid)
appears in two catalogues with different translations, the first catalogue wins
(``zhuao/locale`` via LOCALE_PATHS, then INSTALLED_APPS order) and the other app silently shows
the wrong word ("minutes" as 会议纪要 in a duration field). Either use the same words, or give the
string a context: ``pgettext_lazy("<app>", "Approve")`` / ``{% translate "Approve" context "<app>" %}``
(docs/translations.md)."""
from __future__ import annotations

import collections
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["zhuao", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot"]


def _conflicts(locale: str) -> list[str]:
    seen: dict[tuple[str, str], dict[str, str]] = collections.defaultdict(dict)
    for app in APPS:
        path = ROOT / app / "locale" / locale / "LC_MESSAGES" / "django.po"
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgid:
                continue
            if entry.msgid_plural:
                text = "\x00".join(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
            else:
                text = entry.msgstr
            if text:
                seen[(entry.msgctxt or "", entry.msgid)][app] = text
    lines = []
    for (context, msgid), by_app in sorted(seen.items()):
        if len(set(by_app.values())) > 1:
            where = ", ".join(f"{app}={text!r}" for app, text in by_app.items())
            label = f"{context!r}: {msgid!r}" if context else repr(msgid)
            lines.append(f"{label}: {where}")
    return lines


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_same_message_has_one_translation_in_every_catalogue(locale):
    conflicts = _conflicts(locale)
    assert not conflicts, (
        f"{len(conflicts)} messages are translated differently in different catalogues ({locale}); "
        "the first catalogue wins, so the others show the wrong word. Use the same words, or give "
        "the string a context (pgettext / {% translate ... context \"<app>\" %}):\n  "
        + "\n  ".join(conflicts))


@pytest.mark.parametrize(("language", "locale"), [("zh-hans", "zh_Hans"), ("zh-hant", "zh_Hant")])
def test_every_message_is_served_as_written(language, locale):
    """What Django serves for each of our messages is what that catalogue says: neither another
    app's catalogue nor a third-party one earlier in INSTALLED_APPS (admin, django_celery_beat:
    "Name" -> 任务名, "Filter" -> 过滤器) replaces it. Fix: a context (``{% translate "Filter"
    context "list" %}``, ``pgettext("person", "Name")``) or the served wording."""
    from django.utils import translation

    wrong = []
    with translation.override(language):
        for app in APPS:
            path = ROOT / app / "locale" / locale / "LC_MESSAGES" / "django.po"
            if not path.exists():
                continue
            for entry in polib.pofile(str(path)):
                if entry.obsolete or entry.msgid_plural or not entry.msgstr or entry.fuzzy:
                    continue
                served = (translation.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt
                          else translation.gettext(entry.msgid))
                if served != entry.msgstr:
                    label = f"{entry.msgctxt!r}: {entry.msgid!r}" if entry.msgctxt else repr(entry.msgid)
                    wrong.append(f"{app} {label}: written {entry.msgstr!r}, served {served!r}")
    assert not wrong, (f"{len(wrong)} messages are served differently from their catalogue "
                       f"({locale}):\n  " + "\n  ".join(wrong))
