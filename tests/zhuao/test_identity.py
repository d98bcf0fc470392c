"""Tests for core.identity. No database; Django settings only to render messages.

Valid mainland IDs and residence permits are generated here with an independent
implementation of the ISO 7064 MOD 11-2 check digit (weights and check table written
out as in GB 11643-1999), not with the code under test.
"""

from __future__ import annotations

import datetime
import os

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    # Run without pytest-django (-p no:django --noconftest): just enough settings to
    # render messages; importing zhuao would otherwise point at zhuao.settings.local.
    settings.configure(USE_I18N=True, USE_TZ=True, TIME_ZONE="Asia/Shanghai")
if not apps.ready:
    django.setup()

from core.identity import (
    DocumentType,
    birth_date_from,
    mask,
    normalize,
    normalize_and_validate,
)

TODAY = datetime.date(2024, 6, 1)

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def make_id(region: str = "440402", birth: str = "19900101", seq: str = "123") -> str:
    first17 = region + birth + seq
    assert len(first17) == 17
    return first17 + check_char(first17)


def wrong_check(number: str) -> str:
    """Same number with a different, wrong check character."""
    right = number[-1]
    return number[:-1] + ("0" if right != "0" else "1")


def seq_with_check_x(region: str, birth: str) -> str:
    for n in range(1000):
        seq = f"{n:03d}"
        if check_char(region + birth + seq) == "X":
            return seq
    raise AssertionError("no sequence gives X")  # pragma: no cover


def codes(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    return excinfo.value.code  # type: ignore[return-value]


def english(exc: ValidationError) -> str:
    with translation.override("en"):
        return " ".join(exc.messages)


def validate(doc: str, number: str) -> str:
    return normalize_and_validate(doc, number, today=TODAY)


def test_independent_check_digit_agrees_with_stdnum() -> None:
    for number in (make_id(), make_id("110101", "19491001", "001"), "360426199101010071"):
        assert number[-1] == ric.calc_check_digit(number)


# ----------------------------------------------------------------------- mainland ID


@pytest.mark.parametrize(
    ("region", "birth", "seq"),
    [
        ("440402", "19900101", "123"),  # 珠海 香洲区
        ("440403", "20050315", "456"),  # 斗门区
        ("440404", "20100720", "789"),  # 金湾区
        ("440400", "19851231", "002"),  # 珠海市
        ("110101", "19491001", "001"),  # 北京 东城区
        ("310101", "20000229", "567"),  # leap day
        ("440106", "19700101", "999"),  # 广州 天河区
        ("650102", "20240601", "010"),  # born today
    ],
)
def test_mainland_valid(region: str, birth: str, seq: str) -> None:
    number = make_id(region, birth, seq)
    assert validate(DocumentType.MAINLAND_ID, number) == number


@pytest.mark.parametrize(
    ("region", "birth"),
    [
        ("440403", "19800101"),  # 斗门区 code created 2001, holder born 1980
        ("440404", "19951010"),  # 金湾区 code created 2001
        ("440421", "19750505"),  # 斗门县 (abolished 2001), born before 1983
    ],
)
def test_mainland_region_code_newer_than_holder_is_accepted(region: str, birth: str) -> None:
    """stdnum alone rejects these; a card issued after the region was renamed is real."""
    number = make_id(region, birth, "321")
    assert not ric.is_valid(number)
    assert validate(DocumentType.MAINLAND_ID, number) == number


def test_mainland_check_digit_x_in_either_case() -> None:
    seq = seq_with_check_x("440402", "19880808")
    number = make_id("440402", "19880808", seq)
    assert number.endswith("X")
    assert validate(DocumentType.MAINLAND_ID, number) == number
    assert validate(DocumentType.MAINLAND_ID, number.lower()) == number


def test_mainland_full_width_and_spaces() -> None:
    number = make_id("440402", "19900101", "123")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    typed = "\u3000" + full_width[:6] + "\u3000" + full_width[6:14] + " " + full_width[14:] + "\t"
    assert validate(DocumentType.MAINLAND_ID, typed) == number
    assert validate(DocumentType.MAINLAND_ID, "440402 19900101 123" + number[-1]) == number


def test_mainland_full_width_lowercase_x() -> None:
    seq = seq_with_check_x("440402", "19920202")
    number = make_id("440402", "19920202", seq)
    typed = "".join(chr(ord(c) + 0xFEE0) for c in number[:-1]) + "ｘ"
    assert validate(DocumentType.MAINLAND_ID, typed) == number


def test_mainland_bad_checksum() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.MAINLAND_ID, wrong_check(make_id()))
    assert codes(excinfo) == "bad_checksum"
    assert "check digit" in english(excinfo.value)


@pytest.mark.parametrize("region", ["999999", "449999", "000000", "440499"])
def test_mainland_unknown_region(region: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.MAINLAND_ID, make_id(region))
    assert codes(excinfo) == "unknown_region"
    assert region in english(excinfo.value)


@pytest.mark.parametrize("prefix", ["810000", "820000", "830000"])
def test_mainland_refuses_residence_permit_prefix(prefix: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.MAINLAND_ID, make_id(prefix, "20000101"))
    assert codes(excinfo) == "is_residence_permit"
    assert "residence permit" in english(excinfo.value)


@pytest.mark.parametrize("birth", ["19900230", "20010229", "19901301", "19900001", "19900431"])
def test_mainland_impossible_birth_date(birth: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.MAINLAND_ID, make_id("440402", birth))
    assert codes(excinfo) == "birth_date_invalid"
    assert birth in english(excinfo.value)


def test_mainland_birth_date_in_future() -> None:
    number = make_id("440402", "20240602")  # TODAY + 1 day
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.MAINLAND_ID, number)
    assert codes(excinfo) == "birth_date_future"
    assert "2024-06-02" in english(excinfo.value)
    assert "future" in english(excinfo.value)


def test_mainland_future_uses_real_today_by_default() -> None:
    with pytest.raises(ValidationError) as excinfo:
        normalize_and_validate(DocumentType.MAINLAND_ID, make_id("440402", "29990101"))
    assert codes(excinfo) == "birth_date_future"


def test_mainland_birth_before_1900_is_implausible() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.MAINLAND_ID, make_id("110101", "18991231"))
    assert codes(excinfo) == "birth_date_implausible"


@pytest.mark.parametrize(
    "number",
    [
        "44040219900101123",  # 17
        "4404021990010112345",  # 19
        "440402900101123",  # old 15-digit card
        "4",
    ],
)
def test_mainland_wrong_length(number: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.MAINLAND_ID, number)
    assert codes(excinfo) == "wrong_length"
    assert str(len(number)) in english(excinfo.value)


@pytest.mark.parametrize(
    "number", ["44040219900101X234", "44040219900101123A", "440402-19900101123"]
)
def test_mainland_wrong_format(number: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.MAINLAND_ID, number)
    assert codes(excinfo) == "wrong_format"


@pytest.mark.parametrize("number", ["", "   ", "\u3000"])
def test_empty_number_is_required(number: str) -> None:
    for doc in DocumentType:
        with pytest.raises(ValidationError) as excinfo:
            validate(doc, number)
        assert codes(excinfo) == "required"


def test_unknown_document_type_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        validate("driving_licence", "12345")


def test_non_string_number_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        validate(DocumentType.PASSPORT, 12345678)  # type: ignore[arg-type]


_REGIONS = ["440402", "440403", "440404", "110101", "310115", "440106"]


@given(
    region=st.sampled_from(_REGIONS),
    birth=st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY),
    seq=st.integers(min_value=0, max_value=999),
)
def test_mainland_generated_ids_are_valid(region: str, birth: datetime.date, seq: int) -> None:
    number = make_id(region, f"{birth:%Y%m%d}", f"{seq:03d}")
    assert validate(DocumentType.MAINLAND_ID, number) == number
    assert birth_date_from(DocumentType.MAINLAND_ID, number, today=TODAY) == birth


@given(
    birth=st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2020, 1, 1)),
    position=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_mainland_any_single_digit_typo_is_caught(
    birth: datetime.date, position: int, delta: int
) -> None:
    number = make_id("440402", f"{birth:%Y%m%d}", "555")
    typo = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    with pytest.raises(ValidationError):
        validate(DocumentType.MAINLAND_ID, typo)


# ------------------------------------------------------------------ residence permit


@pytest.mark.parametrize(
    ("prefix", "birth"),
    [
        ("820000", "19850505"),  # Macau, born before 1999
        ("820000", "20101010"),
        ("810000", "19600101"),  # Hong Kong
        ("830000", "19991231"),  # Taiwan
    ],
)
def test_residence_permit_valid(prefix: str, birth: str) -> None:
    number = make_id(prefix, birth, "246")
    assert validate(DocumentType.RESIDENCE_PERMIT, number) == number
    expected = datetime.date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    assert birth_date_from(DocumentType.RESIDENCE_PERMIT, number, today=TODAY) == expected


def test_residence_permit_lowercase_x_and_spaces() -> None:
    seq = seq_with_check_x("820000", "19870707")
    number = make_id("820000", "19870707", seq)
    typed = f" 820000 19870707 {seq}x "
    assert validate(DocumentType.RESIDENCE_PERMIT, typed) == number


def test_residence_permit_bad_checksum() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.RESIDENCE_PERMIT, wrong_check(make_id("820000", "19900101")))
    assert codes(excinfo) == "bad_checksum"


@pytest.mark.parametrize("prefix", ["820001", "440402", "840000", "710000"])
def test_residence_permit_unknown_prefix(prefix: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.RESIDENCE_PERMIT, make_id(prefix, "19900101"))
    assert codes(excinfo) == "unknown_region"
    message = english(excinfo.value)
    assert "820000" in message and prefix in message


def test_residence_permit_impossible_and_future_birth_dates() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.RESIDENCE_PERMIT, make_id("820000", "19900230"))
    assert codes(excinfo) == "birth_date_invalid"
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.RESIDENCE_PERMIT, make_id("820000", "20300101"))
    assert codes(excinfo) == "birth_date_future"


@pytest.mark.parametrize("number", ["82000019900101123", "8200001990010112345", "820000"])
def test_residence_permit_wrong_length(number: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.RESIDENCE_PERMIT, number)
    assert codes(excinfo) == "wrong_length"


def test_residence_permit_wrong_format() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.RESIDENCE_PERMIT, "82000019900101A23X")
    assert codes(excinfo) == "wrong_format"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_residence_permit_check_digit_matches_stdnum_rule(first17: str) -> None:
    """Our MOD 11-2 must agree with stdnum's on any 17 digits."""
    from core.identity import _mod11_2_check_digit

    assert _mod11_2_check_digit(first17) == ric.calc_check_digit(first17 + "0")


# -------------------------------------------------------------------------- Macau BIR


@pytest.mark.parametrize(
    "typed",
    [
        "1234567(8)",
        "1/234567/8",
        "12345678",
        " 1 234567 (8) ",
        "1 / 234567 / 8",
        "１２３４５６７（８）",
        "1234567（8）",
    ],
)
def test_macau_id_spellings(typed: str) -> None:
    assert validate(DocumentType.MACAU_ID, typed) == "1234567(8)"


@pytest.mark.parametrize("typed", ["5123456(7)", "7/000001/0", "70000010"])
def test_macau_id_first_digits_5_and_7(typed: str) -> None:
    stored = validate(DocumentType.MACAU_ID, typed)
    assert len(stored) == 10 and stored[7] == "(" and stored[-1] == ")"


@pytest.mark.parametrize("first", ["0", "2", "3", "4", "6", "8", "9"])
def test_macau_id_bad_first_digit(first: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.MACAU_ID, f"{first}234567(8)")
    assert codes(excinfo) == "wrong_first_digit"
    assert first in english(excinfo.value)


@pytest.mark.parametrize("typed", ["1234567", "123456789", "123456(7)", "1/2345678/9"])
def test_macau_id_wrong_length(typed: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.MACAU_ID, typed)
    assert codes(excinfo) == "wrong_length"


@pytest.mark.parametrize(
    "typed", ["1234567(8", "1/234567(8)", "12345(67)8", "123456-78", "A234567(8)", "(1)2345678"]
)
def test_macau_id_wrong_format(typed: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.MACAU_ID, typed)
    assert codes(excinfo) == "wrong_format"


def test_macau_id_has_no_birth_date() -> None:
    assert birth_date_from(DocumentType.MACAU_ID, "1234567(8)") is None


# ----------------------------------------------------------------- travel permit


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("M12345678", "M12345678"),
        ("m12345678", "M12345678"),
        (" M 1234 5678 ", "M12345678"),
        ("Ｍ１２３４５６７８", "M12345678"),
        ("M1234567890", "M1234567890"),  # older permits
    ],
)
def test_travel_permit_valid(typed: str, stored: str) -> None:
    assert validate(DocumentType.TRAVEL_PERMIT, typed) == stored


@pytest.mark.parametrize(
    "typed", ["M1234567", "M123456789", "M12345678901", "M1234567A", "MM1234567"]
)
def test_travel_permit_wrong_format(typed: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.TRAVEL_PERMIT, typed)
    assert codes(excinfo) == "wrong_format"
    assert "8 digits" in english(excinfo.value)


@pytest.mark.parametrize("typed", ["H12345678", "C12345678", "12345678"])
def test_travel_permit_must_start_with_m(typed: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.TRAVEL_PERMIT, typed)
    assert codes(excinfo) == "wrong_format"
    assert "letter M" in english(excinfo.value)


# ----------------------------------------------------------------------- passport


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("E12345678", "E12345678"),
        ("ea1234567", "EA1234567"),
        ("MA 123 456", "MA123456"),
        ("AB123", "AB123"),
        ("A" * 20, "A" * 20),
    ],
)
def test_passport_valid(typed: str, stored: str) -> None:
    assert validate(DocumentType.PASSPORT, typed) == stored
    assert birth_date_from(DocumentType.PASSPORT, typed) is None


@pytest.mark.parametrize("typed", ["A123", "A" * 21, "E1234-5678", "护照12345", "E12345678."])
def test_passport_wrong_format(typed: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate(DocumentType.PASSPORT, typed)
    assert codes(excinfo) == "wrong_format"
    assert "5 to 20" in english(excinfo.value)


# ------------------------------------------------------------------- birth_date_from


def test_birth_date_from_mainland_with_typing_noise() -> None:
    number = make_id("440402", "19900101")
    assert birth_date_from("mainland_id", " " + number.lower() + " ") == datetime.date(1990, 1, 1)


def test_birth_date_from_invalid_number_raises() -> None:
    with pytest.raises(ValidationError):
        birth_date_from(DocumentType.MAINLAND_ID, wrong_check(make_id()))


# ------------------------------------------------------------------------ normalize


def test_normalize_only_cleans() -> None:
    assert normalize(" ａｂ\u3000１２ ") == "AB12"
    assert normalize("1/234567/8") == "1/234567/8"


# ------------------------------------------------------------------------- masking


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("440402199001011234", "44**************34"),
        ("1234567(8)", "12******8)"),
        ("M12345678", "M1*****78"),
        ("M1234567", "M1****67"),
        ("AB123", "A***3"),
        ("ABCD", "A**D"),
        ("ABC", "***"),
        ("A", "*"),
        ("", ""),
    ],
)
def test_mask_examples(number: str, masked: str) -> None:
    assert mask(number) == masked


@given(st.text(alphabet="0123456789ABCDEFGHXM()/", max_size=40))
def test_mask_never_reveals_more_than_four_or_half(number: str) -> None:
    masked = mask(number)
    assert len(masked) == len(number)
    shown = [i for i, (a, b) in enumerate(zip(number, masked, strict=True)) if b != "*"]
    assert len(shown) <= 4
    assert len(shown) * 2 <= len(number)
    for i in shown:
        assert masked[i] == number[i]


# -------------------------------------------------------------------------- labels


def test_document_type_values_and_english_labels() -> None:
    assert DocumentType.MAINLAND_ID == "mainland_id"
    assert {d.value for d in DocumentType} == {
        "mainland_id",
        "macau_id",
        "travel_permit",
        "residence_permit",
        "passport",
    }
    with translation.override("en"):
        assert str(DocumentType.MAINLAND_ID.label) == "Mainland resident ID card"
        assert str(DocumentType.PASSPORT.label) == "Passport"
