"""Characters that change what an officer reads without being seen: bidirectional overrides
and isolates (a name that displays as another), and zero-width characters (a name that looks
the same as another but does not match it). They are removed from every text a user sends:
form fields and the query (``zhuao.middleware.InputTextMiddleware``), JSON bodies
(``zhuao.api.parsers``), imported spreadsheets and uploaded file names.

The zero-width joiner goes too, although emoji sequences use it: names and case notes do not
need emoji, and a joiner inside a Chinese name disguises it."""
import re

INVISIBLE = re.compile(
    "[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def strip_invisible(text: str) -> str:
    return INVISIBLE.sub("", text)
