"""Identity documents: validation, canonical form, birth date and masking.

The same person is registered by several agencies on both sides of the border, and
duplicates are found by comparing stored numbers. So every number is stored in one
canonical form, produced by :func:`normalize_and_validate`, and the comparison is a
plain string equality on ``(document_type, number)``.

Normalisation is deliberately forgiving about *how* a number is typed (spaces,
full-width characters from Chinese input methods, lower-case letters, the two
spellings of the Macau BIR) and strict about *what* the number is: length, format,
check digit and birth date are verified where a rule is known, and each failure has
its own message so that an officer can tell a typo from a wrong document type.

Which rule applies to which document:

* Mainland resident ID (居民身份证): python-stdnum ``cn.ric`` for length, format,
  check digit and birth date. Its region check is *not* used as is: stdnum also
  requires the region code to have existed in the holder's birth year, which
  rejects real people -- e.g. everyone in 斗门区 (440403, created 2001) who was
  born before 2001 but received the card later. We accept any region code that
  stdnum's table knows in any period.
* Residence permit for Hong Kong/Macau/Taiwan residents (港澳台居民居住证): our own
  rule, because ``cn.ric`` rejects the 810000/820000/830000 prefixes (for holders
  born before 1997/1999). Same layout and ISO 7064 MOD 11-2 check digit as the
  mainland ID.
* Macau resident ID (BIR): format only; the check-digit algorithm is not published.
* Mainland Travel Permit for Macau residents (回乡证): ``M`` + 8 digits (cards since
  2013) or ``M`` + 10 digits (older cards).
* Passport: format only (5-20 letters or digits); issuing countries differ too much.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)
from stdnum.exceptions import ValidationError as StdnumValidationError

__all__ = [
    "DocumentType",
    "birth_date_from",
    "mask",
    "normalize",
    "normalize_and_validate",
]

#: The project's time zone; "today" for the future-birth-date check is the date here,
#: independent of Django settings so that this module stays pure Python.
PROJECT_TIME_ZONE = ZoneInfo("Asia/Shanghai")

#: No holder of a current identity document was born before this date; a number that
#: says otherwise has a typo in its birth date.
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)

#: Residence-permit prefixes: the "region" of a 港澳台居民居住证 number.
RESIDENCE_PERMIT_PREFIXES = {
    "810000": "Hong Kong",
    "820000": "Macau",
    "830000": "Taiwan",
}


class DocumentType(models.TextChoices):
    """The identity documents the pilot deals with."""

    MAINLAND_ID = "mainland_id", _("Mainland resident ID card")
    MACAU_ID = "macau_id", _("Macau resident ID card (BIR)")
    TRAVEL_PERMIT = "travel_permit", _("Mainland Travel Permit for Macau residents")
    RESIDENCE_PERMIT = (
        "residence_permit",
        _("Residence permit for Hong Kong, Macau and Taiwan residents"),
    )
    PASSPORT = "passport", _("Passport")


# --------------------------------------------------------------------------- helpers


def normalize(number: str) -> str:
    """Return ``number`` with the typing noise removed, without validating it.

    NFKC turns full-width digits, letters, parentheses and the ideographic space
    (U+3000), which Chinese input methods produce, into their ASCII forms; then all
    whitespace is dropped and letters are upper-cased. Used by
    :func:`normalize_and_validate` and useful on its own to compare legacy data.
    """
    if not isinstance(number, str):
        raise TypeError(f"identity number must be a str, not {type(number).__name__}")
    text = unicodedata.normalize("NFKC", number)
    return "".join(text.split()).upper()


def _error(message: str, code: str, /, **params: object) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _today(today: datetime.date | None) -> datetime.date:
    return today if today is not None else datetime.datetime.now(PROJECT_TIME_ZONE).date()


def _check_birth_date_range(birth: datetime.date, today: datetime.date) -> None:
    if birth > today:
        raise _error(
            _("The birth date in this number (%(date)s) is in the future."),
            "birth_date_future",
            date=birth.isoformat(),
        )
    if birth < EARLIEST_BIRTH_DATE:
        raise _error(
            _("The birth date in this number (%(date)s) is not plausible."),
            "birth_date_implausible",
            date=birth.isoformat(),
        )


def _birth_date_or_error(number: str) -> datetime.date:
    """Digits 7-14 (1-based) of an 18-character number as a date."""
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise _error(
            _("The birth date in this number (%(digits)s) is not a real date."),
            "birth_date_invalid",
            digits=number[6:14],
        ) from None


def _mod11_2_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits.

    Weights are 2**(17-i) mod 11 for position i (0-based); the check character c
    satisfies (sum + c) mod 11 == 1, with 10 written as ``X``.
    """
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


_EIGHTEEN_CHAR = re.compile(r"\d{17}[\dX]", re.ASCII)


# ------------------------------------------------------------------ per-type rules


def _mainland_region_known(code: str) -> bool:
    """Is the 6-digit region code in stdnum's table, in any period?"""
    return any("county" in props for _part, props in numdb.get("cn/loc").info(code))


def _validate_mainland_id(number: str, today: datetime.date) -> str:
    if len(number) != 18:
        raise _error(
            _("A mainland ID number has 18 characters; this one has %(length)s."),
            "wrong_length",
            length=len(number),
        )
    if not _EIGHTEEN_CHAR.fullmatch(number):
        raise _error(
            _("A mainland ID number is 17 digits followed by a digit or the letter X."),
            "wrong_format",
        )
    if number[:6] in RESIDENCE_PERMIT_PREFIXES:
        raise _error(
            _(
                "Numbers starting with %(prefix)s are residence permits for Hong Kong, "
                "Macau and Taiwan residents, not mainland ID numbers."
            ),
            "is_residence_permit",
            prefix=number[:6],
        )
    # Checked before stdnum, whose region lookup raises KeyError (not one of its own
    # exceptions) for a known province with an unknown county, e.g. 449999.
    if not _mainland_region_known(number[:6]):
        raise _error(
            _("The region code %(code)s at the start of the number does not exist."),
            "unknown_region",
            code=number[:6],
        )
    try:
        ric.validate(number)
    except InvalidLength:  # pragma: no cover - checked above, kept for safety
        raise _error(
            _("A mainland ID number has 18 characters; this one has %(length)s."),
            "wrong_length",
            length=len(number),
        ) from None
    except InvalidFormat:  # pragma: no cover - checked above
        raise _error(
            _("A mainland ID number is 17 digits followed by a digit or the letter X."),
            "wrong_format",
        ) from None
    except InvalidChecksum:
        raise _error(
            _("The check digit (last character) does not match; please check the number."),
            "bad_checksum",
        ) from None
    except InvalidComponent:
        # Either the birth date, or a known region code that stdnum rejects because
        # it did not exist yet in the birth year -- accepted, see the module docstring.
        _birth_date_or_error(number)
    except StdnumValidationError:  # pragma: no cover - any other stdnum complaint
        raise _error(_("This is not a valid mainland ID number."), "invalid") from None
    _check_birth_date_range(_birth_date_or_error(number), today)
    return number


def _validate_residence_permit(number: str, today: datetime.date) -> str:
    if len(number) != 18:
        raise _error(
            _("A residence permit number has 18 characters; this one has %(length)s."),
            "wrong_length",
            length=len(number),
        )
    if not _EIGHTEEN_CHAR.fullmatch(number):
        raise _error(
            _("A residence permit number is 17 digits followed by a digit or the letter X."),
            "wrong_format",
        )
    if number[:6] not in RESIDENCE_PERMIT_PREFIXES:
        raise _error(
            _(
                "A residence permit number starts with 810000 (Hong Kong), 820000 (Macau) "
                "or 830000 (Taiwan); this one starts with %(code)s."
            ),
            "unknown_region",
            code=number[:6],
        )
    birth = _birth_date_or_error(number)
    if number[-1] != _mod11_2_check_digit(number[:17]):
        raise _error(
            _("The check digit (last character) does not match; please check the number."),
            "bad_checksum",
        )
    _check_birth_date_range(birth, today)
    return number


_BIR_SPELLINGS = (
    re.compile(r"(?P<first>\d)(?P<middle>\d{6})\((?P<check>\d)\)", re.ASCII),  # 1234567(8)
    re.compile(r"(?P<first>\d)/(?P<middle>\d{6})/(?P<check>\d)", re.ASCII),  # 1/234567/8
    re.compile(r"(?P<first>\d)(?P<middle>\d{6})(?P<check>\d)", re.ASCII),  # 12345678
)


def _validate_macau_id(number: str, today: datetime.date) -> str:
    """Macau resident ID (BIR): format check only.

    The number is 8 digits. The first is 1, 5 or 7 (the era of issue); the last is a
    check digit whose algorithm the Macau Identification Services Bureau has never
    published, so it cannot be verified here -- a typo in the middle digits is not
    detected. Accepted spellings: ``1234567(8)`` (smart card), ``1/234567/8`` (older
    card) and ``12345678``; stored as ``1234567(8)``.
    """
    digits = re.sub(r"[()/]", "", number)
    if not digits.isdigit() or not digits.isascii():
        raise _error(
            _("A Macau ID number has 8 digits, written like 1234567(8) or 1/234567/8."),
            "wrong_format",
        )
    if len(digits) != 8:
        raise _error(
            _("A Macau ID number has 8 digits; this one has %(length)s."),
            "wrong_length",
            length=len(digits),
        )
    match = next((m for p in _BIR_SPELLINGS if (m := p.fullmatch(number))), None)
    if match is None:
        raise _error(
            _("A Macau ID number has 8 digits, written like 1234567(8) or 1/234567/8."),
            "wrong_format",
        )
    if match["first"] not in "157":
        raise _error(
            _("A Macau ID number starts with 1, 5 or 7; this one starts with %(digit)s."),
            "wrong_first_digit",
            digit=match["first"],
        )
    return f"{match['first']}{match['middle']}({match['check']})"


_TRAVEL_PERMIT = re.compile(r"M(\d{8}|\d{10})", re.ASCII)


def _validate_travel_permit(number: str, today: datetime.date) -> str:
    if not number.startswith("M"):
        raise _error(
            _("A Mainland Travel Permit for Macau residents starts with the letter M."),
            "wrong_format",
        )
    if not _TRAVEL_PERMIT.fullmatch(number):
        raise _error(
            _(
                "A Mainland Travel Permit number is the letter M followed by 8 digits "
                "(or 10 digits on older permits)."
            ),
            "wrong_format",
        )
    return number


_PASSPORT = re.compile(r"[A-Z0-9]{5,20}")


def _validate_passport(number: str, today: datetime.date) -> str:
    """Format only: 5-20 ASCII letters or digits (covers PRC, Macau SAR, Portuguese...)."""
    if not _PASSPORT.fullmatch(number):
        raise _error(
            _("A passport number has 5 to 20 letters or digits."),
            "wrong_format",
        )
    return number


_VALIDATORS = {
    DocumentType.MAINLAND_ID: _validate_mainland_id,
    DocumentType.RESIDENCE_PERMIT: _validate_residence_permit,
    DocumentType.MACAU_ID: _validate_macau_id,
    DocumentType.TRAVEL_PERMIT: _validate_travel_permit,
    DocumentType.PASSPORT: _validate_passport,
}


# ------------------------------------------------------------------------ public API


def normalize_and_validate(
    document_type: str, number: str, *, today: datetime.date | None = None
) -> str:
    """Validate ``number`` as a ``document_type`` and return its canonical stored form.

    Whitespace (including the full-width space) is removed, full-width characters
    become half-width and letters are upper-cased before the type's rule is applied
    (see the module docstring). ``today`` is the reference date for the "birth date
    in the future" check; it defaults to the current date in Asia/Shanghai.

    Raises :class:`django.core.exceptions.ValidationError` whose ``code`` says what is
    wrong (``required``, ``wrong_length``, ``wrong_format``, ``bad_checksum``,
    ``birth_date_invalid``, ``birth_date_future``, ``birth_date_implausible``,
    ``unknown_region``, ``is_residence_permit``, ``wrong_first_digit``) and whose
    message tells the user. An unknown ``document_type`` is a programming error:
    ``ValueError``.
    """
    try:
        doc_type = DocumentType(document_type)
    except ValueError:
        raise ValueError(f"unknown document type {document_type!r}") from None
    cleaned = normalize(number)
    if not cleaned:
        raise _error(_("Enter the document number."), "required")
    return _VALIDATORS[doc_type](cleaned, _today(today))


def birth_date_from(
    document_type: str, number: str, *, today: datetime.date | None = None
) -> datetime.date | None:
    """The holder's birth date encoded in the number, or ``None`` if the type has none.

    Only mainland IDs and residence permits carry a birth date (digits 7-14). The
    number is validated first, so an invalid number raises ``ValidationError`` rather
    than yielding a wrong date.
    """
    canonical = normalize_and_validate(document_type, number, today=today)
    if DocumentType(document_type) in (DocumentType.MAINLAND_ID, DocumentType.RESIDENCE_PERMIT):
        return _birth_date_or_error(canonical)
    return None


def mask(number: str) -> str:
    """Hide an identity number for lists and leadership pages.

    Rule: show ``k`` characters at each end, where ``k = min(2, len // 4)``, and
    replace everything in between with ``*`` (one ``*`` per hidden character, so the
    length stays recognisable). Hence at most 4 characters are ever shown, and at
    least half of the characters are always hidden: 8 characters or more show 2+2,
    4-7 show 1+1 and 1-3 are hidden entirely. Examples::

        440402199001011234 -> 44**************34
        1234567(8)         -> 12******8)
        M1234567           -> M1****67
        AB123              -> A***3
    """
    if not number:
        return ""
    keep = min(2, len(number) // 4)
    if keep == 0:
        return "*" * len(number)
    return number[:keep] + "*" * (len(number) - 2 * keep) + number[-keep:]
