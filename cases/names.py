"""Name keys: one person found under any script and any romanisation of their name.

From ``name_zh`` (simplified or traditional) this derives the other script (OpenCC), Mandarin
pinyin (pypinyin: plain, with tones, initials), Cantonese Jyutping (ToJyutping) and the
spellings Macau and Hong Kong identity cards print (``cases/data/macau_romanisation.json``);
``name_latin`` as given is normalised (case, accents, hyphens, commas, word order). All keys are
lower-case ASCII or Chinese, joined as ``|key|key|`` in ``Person.name_keys`` so one indexed
substring lookup finds a whole key. A two-character substring has no trigram for pg_trgm's
index to look up, so the name's character pairs are kept apart as ``|ab|bc|`` in
``Person.name_bigrams``, where ``|ab|`` is a whole word the index answers.
"""
from __future__ import annotations

import itertools
import json
import re
import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

import opencc

DATA = Path(__file__).resolve().parent / "data" / "macau_romanisation.json"
MAX_VARIANTS = 16
_INITIALS = ("ng", "gw", "kw", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "w",
             "z", "c", "s", "j")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _table() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=2)
def _converter(config: str):
    return opencc.OpenCC(config)


def simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def traditional(text: str) -> str:
    return _converter("s2t").convert(text)


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def _split(syllable: str) -> tuple[str, str]:
    for initial in _INITIALS:
        if syllable.startswith(initial) and len(syllable) > len(initial):
            return initial, syllable[len(initial):]
    return "", syllable


@lru_cache(maxsize=4096)
def syllable_spellings(jyutping: str) -> tuple[str, ...]:
    """Card spellings of one Jyutping syllable (tone ignored): Macau first, then Hong Kong."""
    syllable = jyutping.rstrip("123456").lower()
    table = _table()
    if syllable in table["syllables"]:
        return tuple(table["syllables"][syllable])
    initial, final = _split(syllable)
    spellings = []
    for side in ("macau", "hk"):
        head = table[f"initials_{side}"].get(initial)
        tail = table[f"finals_{side}"].get(final)
        if head is None or tail is None:
            continue
        if initial == "j" and side == "macau" and final[0] in "iy" and final not in ("ing", "ik"):
            word = tail  # 英 jing -> Ieng, but 葉 jip -> Ip, 月 jyut -> Ut
        elif initial == "j" and side == "hk" and final[0] in "iy":
            word = "Y" + tail if final[0] == "i" else "Y" + tail  # 葉 Yip, 余 Yu, 月 Yuet
        else:
            word = head + tail
        word = word[:1].upper() + word[1:]
        if word and word not in spellings:
            spellings.append(word)
    return tuple(spellings) or (syllable.capitalize(),)


def jyutping(text: str) -> list[tuple[str, str | None]]:
    import ToJyutping
    pairs = []
    for char, reading in ToJyutping.get_jyutping_list(traditional(text)):
        pairs.append((char, reading.split()[0] if reading else None))
    return pairs


def card_spellings(name_zh: str) -> list[str]:
    """The ways a Macau or Hong Kong card may print ``name_zh``: "Chan Tai Man", "Lei Ut Ieng"…

    The first is the Macau card spelling; the surname comes first, as on the cards.
    """
    name = traditional((name_zh or "").strip())
    if not has_chinese(name):
        return []
    surnames = _table()["surnames"]
    parts: list[tuple[str, ...]] = []
    rest = name
    for length in (2, 1):
        if rest[:length] in surnames and len(rest) > length:
            parts.append(tuple(surnames[rest[:length]]))
            rest = rest[length:]
            break
    for _char, reading in jyutping(rest):
        if reading:
            parts.append(syllable_spellings(reading))
    if not parts:
        return []
    # the Macau card spelling, the Hong Kong one, then mixtures (people mix them)
    names = [" ".join(p[0] for p in parts), " ".join(p[1] if len(p) > 1 else p[0] for p in parts)]
    for combo in itertools.islice(itertools.product(*parts), MAX_VARIANTS):
        names.append(" ".join(combo))
    return list(dict.fromkeys(names))


def normalise_latin(text: str) -> str:
    """Lower-case ASCII words in the given order: "CHAN, Tai-man" -> "chan tai man"."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def sorted_words(text: str) -> str:
    """Word order does not matter: "tai man chan" and "chan tai man" give "chan man tai"."""
    return " ".join(sorted(normalise_latin(text).split()))


#: Marks the word-order-free form of a name among the keys, so "Chu Kuok Wai" typed in order
#: is told apart from 郭珠偉 ("Kuok Chu Wai") read in another order.
ANY_ORDER_MARK = "~"


def latin_forms(text: str) -> set[str]:
    """Forms under which a romanised name is matched: as written, compact, word order ignored."""
    plain = normalise_latin(text)
    if not plain:
        return set()
    return {plain, plain.replace(" ", ""), ANY_ORDER_MARK + sorted_words(plain)}


def pinyin_forms(name_zh: str) -> dict[str, str]:
    """Pinyin with tone numbers ("chen2 da4 wen2"), without, and the initials ("cdw"): read
    once, the other two taken from it (pypinyin's plain and first-letter styles give the same,
    at three times the cost)."""
    from pypinyin import Style, lazy_pinyin
    tones = lazy_pinyin(simplified(name_zh), style=Style.TONE3, errors="ignore")
    plain = [syllable.rstrip("012345") for syllable in tones]
    return {"plain": " ".join(plain), "tones": " ".join(tones),
            "initials": "".join(syllable[:1] for syllable in plain)}


def bigrams(*names_zh: str) -> str:
    """The two-character substrings of the names, as stored in ``Person.name_bigrams``:
    ``|陈大|大文|陳大|`` for 陈大文 in both scripts."""
    pairs = {name[index:index + 2] for name in names_zh for index in range(len(name) - 1)}
    pairs = {pair for pair in pairs if has_chinese(pair) and "|" not in pair}
    return "|" + "|".join(sorted(pairs)) + "|" if pairs else ""


#: inside ``keys_remembered()``: each name's keys, computed once
_remembered: ContextVar[dict | None] = ContextVar("name_keys_remembered", default=None)


@contextmanager
def keys_remembered():
    """Within the block, each name's keys are computed once. An import asks for a row's keys to
    find its possible duplicates and again to store them on the person it registers, and
    computing them (0.5 ms a name) was half of its time."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def person_keys(name_zh: str, name_latin: str = "") -> dict[str, str]:
    """The derived fields of a person's name, as stored on ``Person``."""
    remembered = _remembered.get()
    if remembered is None:
        return _person_keys(name_zh, name_latin)
    if (name_zh, name_latin) not in remembered:
        remembered[name_zh, name_latin] = _person_keys(name_zh, name_latin)
    return dict(remembered[name_zh, name_latin])


def _person_keys(name_zh: str, name_latin: str) -> dict[str, str]:
    name_zh = (name_zh or "").strip()
    keys: set[str] = set()
    simple, trad = simplified(name_zh), traditional(name_zh)
    pinyin = {"plain": "", "tones": "", "initials": ""}
    jyut = ""
    if has_chinese(name_zh):
        keys |= {simple, trad, name_zh}
        pinyin = pinyin_forms(name_zh)
        keys |= latin_forms(pinyin["plain"]) | {pinyin["tones"], pinyin["initials"]}
        readings = [reading for _char, reading in jyutping(name_zh) if reading]
        jyut = " ".join(readings)
        keys |= {jyut, " ".join(r.rstrip("123456") for r in readings)}
        for spelling in card_spellings(name_zh):
            keys |= latin_forms(spelling)
    keys |= latin_forms(name_latin)
    keys.discard("")
    return {"name_simplified": simple, "name_traditional": trad,
            "name_pinyin": pinyin["plain"], "name_jyutping": jyut,
            "name_keys": "|" + "|".join(sorted(keys)) + "|" if keys else "",
            "name_bigrams": bigrams(name_zh, simple, trad) if has_chinese(name_zh) else ""}


def key_words(name_keys: str) -> set[str]:
    """The romanised words of the keys ``|chan tai man|chantaiman|cdw|~chan man tai|``:
    "chan", "tai", "man" (not the compact forms, the pinyin initials, the word-order mark or
    tone numbers: a vocabulary of "cxt" and "chantaiman" would be what typos are corrected
    to)."""
    keys = [key.lstrip(ANY_ORDER_MARK) for key in (name_keys or "").split("|")
            if key and not has_chinese(key)]
    spaced = {key for key in keys if " " in key}
    derived = {key.replace(" ", "") for key in spaced} | {
        "".join(word[0] for word in key.split()) for key in spaced}
    words = set()
    for key in keys:
        if key in derived:
            continue
        words |= {word for word in key.split() if word.isalpha() and len(word) > 1}
    return words


def apply_keys(person) -> list[str]:
    """Set the derived fields on ``person``; returns their names (for ``update_fields``)."""
    values = person_keys(person.name_zh, person.name_latin)
    for field, value in values.items():
        setattr(person, field, value)
    return list(values)


def query_forms(query: str) -> set[str]:
    """What to look up for a typed name: both scripts if Chinese, normalised forms if Latin."""
    query = (query or "").strip()
    if has_chinese(query):
        return {query, simplified(query), traditional(query)}
    return latin_forms(query)
