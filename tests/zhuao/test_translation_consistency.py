"""One word per meaning across the catalogues.

Django merges every app's catalogue into one per language; when the same (context, msgid)
appears in two catalogues with different translations, the first catalogue wins
(``core/locale`` via LOCALE_PATHS, then INSTALLED_APPS order) and the other app silently shows
the wrong word ("minutes" as 会议纪要 in a duration field). Either use the same words, or give the
string a context: ``pgettext_lazy("<app>", "Approve")`` / ``{% translate "Approve" context "<app>" %}``
(docs/translations.md)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "scripts" / "i18n.py")
i18n = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(i18n)


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_same_message_has_one_translation_in_every_catalogue(locale):
    conflicts = i18n.conflicts(locale)
    assert not conflicts, (
        f"{len(conflicts)} messages are translated differently in different catalogues ({locale}); "
        "the first catalogue wins, so the others show the wrong word. Use the same words, or give "
        "the string a context (pgettext / {% translate ... context \"<app>\" %}):\n  "
        + "\n  ".join(conflicts))


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_every_message_is_served_as_written(locale):
    """What Django serves for each of our messages is what that catalogue says: neither another
    app's catalogue nor a third-party one earlier in INSTALLED_APPS (admin, django_celery_beat:
    "Name" -> 任务名, "Filter" -> 过滤器) replaces it. Fix: a context (``{% translate "Filter"
    context "list" %}``, ``pgettext("person", "Name")``) or the served wording."""
    wrong = i18n.shadowed([locale])
    assert not wrong, (f"{len(wrong)} messages are served differently from their catalogue "
                       f"({locale}):\n  " + "\n  ".join(wrong))
