"""Characters that change what an officer reads without being seen. They are removed from every
text a person sends: form fields and the query (``web.middleware.InputTextMiddleware``),
imported spreadsheets and CSV files, and uploaded file names (``core.files``). The API refuses
them in its bodies whatever their type (``web.api.parsers``): a program is told, not
silently corrected.

What goes, decided by Unicode category rather than by a list of known tricks:

* every format character (category Cf): bidirectional embeddings, overrides, isolates and marks
  (a name that displays as another), zero-width spaces and joiners, the word joiner and
  invisible operators, the byte-order mark, the soft hyphen, the Mongolian vowel separator,
  tag characters (U+E0001, U+E0020–E007F) and the few other invisible formatting marks;
* control characters (Cc, C0 and C1) other than tab, line feed and carriage return. NUL is
  refused with 400 before anything is stripped (``web.middleware``, ``web.api.parsers``),
  because PostgreSQL cannot store it; where text is only cleaned (imports) it goes too;
* lone surrogates (Cs), which a JSON ``\\ud800`` escape can produce and PostgreSQL's UTF-8
  encoding refuses;
* the other default-ignorable characters that render as nothing although they are not Cf: the
  combining grapheme joiner, Hangul fillers, Khmer inherent vowels, and variation selectors.

Variation selectors are kept after a CJK ideograph: an ideographic variation sequence picks the
glyph a person's registered name uses (Hong Kong and Macau records need this); everywhere else
(after a Latin letter, in emoji) they only make two equal-looking names differ. The zero-width
joiner goes although emoji sequences use it: names and case notes do not need emoji, and a
joiner inside a Chinese name disguises it.

Letters of every script, accents (combining or precomposed), full-width forms and ordinary
spaces are untouched: 陳大文, 黄志强, João Conceição, Ng Ka Wai read the same after cleaning."""
import re

#: Unicode 14 (Python 3.11) format characters, category Cf; ``tests/hardening`` checks the list
#: against ``unicodedata`` so that a newer Python adding some is noticed.
FORMAT = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
          "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
          "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
          "\U000e0020-\U000e007f")
#: C0 and C1 controls except tab, line feed and carriage return.
CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
#: Lone surrogates.
SURROGATE = "\ud800-\udfff"
#: Default-ignorable characters outside Cf: combining grapheme joiner, Hangul fillers, Khmer
#: inherent vowels, Mongolian free variation selectors, halfwidth Hangul filler, reserved
#: default-ignorables of plane 14.
IGNORABLE = ("\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u3164\uffa0\ufff0-\ufff8"
             "\U000e0000\U000e0002-\U000e001f\U000e0080-\U000e00ff\U000e01f0-\U000e0fff")
#: Variation selectors (standardised and ideographic).
VARIATION = "\ufe00-\ufe0f\U000e0100-\U000e01ef"
#: CJK ideographs (unified, extensions, compatibility) that a variation selector may follow.
IDEOGRAPH = ("\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
             "\U00030000-\U0003134f")

INVISIBLE = re.compile(f"[{FORMAT}{CONTROL}{SURROGATE}{IGNORABLE}]"
                       f"|(?<![{IDEOGRAPH}{VARIATION}])[{VARIATION}]+")


def strip_invisible(text: str) -> str:
    """``text`` without the characters above."""
    return INVISIBLE.sub("", text)


def holds_nul(query) -> bool:
    """Whether a ``QueryDict`` (a query or a form body) holds a NUL character."""
    return any("\x00" in key or any("\x00" in value for value in values)
               for key, values in query.lists())


def visible_query(query):
    """A ``QueryDict`` with the characters above removed from its values; passwords are left
    as typed (they are compared, never shown). The same object when nothing is removed."""
    if not any(INVISIBLE.search(value) for key, values in query.lists()
               if "password" not in key for value in values):
        return query
    cleaned = query.copy()
    for key, values in query.lists():
        if "password" not in key:
            cleaned.setlist(key, [strip_invisible(value) for value in values])
    cleaned._mutable = False
    return cleaned
