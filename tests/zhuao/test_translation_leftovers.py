"""No Chinese translation carries its English source as well (a merge of two catalogues once
left "个案将列入……The case goes on the agenda …" on a page)."""
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("*/locale/zh_*/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_translation_repeats_its_english_source(path):
    leftovers = [entry.msgid for entry in polib.pofile(str(path))
                 if len(entry.msgid) > 12 and entry.msgstr != entry.msgid
                 and entry.msgid in entry.msgstr]
    assert leftovers == []
