"""What ``core.text.strip_invisible`` removes, by Unicode category, and what it leaves alone
(issue 23, finding 11): real names in Chinese and Portuguese survive untouched."""
import sys
import unicodedata

import pytest

from core.files import safe_filename
from core.text import INVISIBLE, strip_invisible

NAMES = ["陳大文", "黄志强", "João Conceição", "Ng Ka Wai", "Conceic\u0327a\u0303o",
         "ＡＢＣ　陳", "Line one\r\nline\ttwo", "李𠀋明", "葛\U000e0100城"]


@pytest.mark.parametrize("name", NAMES)
def test_names_survive_untouched(name):
    assert strip_invisible(name) == name


def test_every_format_and_control_character_goes():
    """Every Cf and Cc code point of this Python's Unicode (except tab, LF, CR) and every lone
    surrogate is removed: a newer Unicode adding a format character fails here."""
    kept = [f"U+{code:04X}" for code in range(sys.maxunicode + 1)
            if unicodedata.category(chr(code)) in ("Cf", "Cc", "Cs")
            and chr(code) not in "\t\n\r"
            and strip_invisible(f"a{chr(code)}b") != "ab"]
    assert kept == []


@pytest.mark.parametrize("hidden", [
    "\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c",  # bidi
    "\u200b", "\u200c", "\u200d", "\u2060", "\u2063", "\ufeff", "\u00ad", "\u180e",
    "\U000e0041", "\U000e007f", "\U000e0001",  # tags
    "\x01", "\x1b", "\x7f", "\x85", "\x9f", "\ud800",  # controls, a lone surrogate
    "\u034f", "\u3164", "\u115f", "\uffa0", "\u17b4",  # default-ignorable, not Cf
    "\ufe0f", "\U000e0100",  # variation selectors after a Latin letter
])
def test_hidden_characters_go(hidden):
    assert strip_invisible(f"Ng{hidden} Ka{hidden}{hidden} Wai") == "Ng Ka Wai"
    assert strip_invisible(f"陳{hidden}大文") == "陳大文" or (
        hidden in "\ufe0f\U000e0100")  # an ideographic variation sequence keeps its selector


def test_variation_selectors_only_after_an_ideograph():
    assert strip_invisible("葛\U000e0100") == "葛\U000e0100"
    assert strip_invisible("\U000e0100葛") == "葛"
    assert strip_invisible("city\ufe0f") == "city"
    assert strip_invisible("👍\ufe0f") == "👍"


def test_the_pattern_finds_what_it_strips():
    assert INVISIBLE.search("Ng Ka Wai") is None
    assert INVISIBLE.search("Ng\u202eKa") is not None


@pytest.mark.parametrize("name, cleaned", [
    ("報告\u202ecod.pdf", "報告cod.pdf"),
    ("..\\..\\C:\\evil\u200b.pdf", "evil.pdf"),
    ("../../etc/passwd", "passwd"),
    ("João Conceição.xlsx", "João Conceição.xlsx"),
])
def test_upload_names_are_cleaned(name, cleaned):
    assert safe_filename(name) == cleaned
