"""Tests for core.money. No database; Django settings only to render messages."""

from __future__ import annotations

import dataclasses
import os
from decimal import Decimal

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    # Run without pytest-django (-p no:django --noconftest): just enough settings to
    # render messages; importing zhuao would otherwise point at zhuao.settings.local.
    settings.configure(USE_I18N=True, USE_TZ=True, TIME_ZONE="Asia/Shanghai")
if not apps.ready:
    django.setup()

from core.money import (
    CENT,
    Currency,
    Money,
    format_money,
    mop_to_cny,
    parse_amount,
    round_money,
)

D = Decimal


def english(exc: ValidationError) -> str:
    with translation.override("en"):
        return " ".join(exc.messages)


def error_code(raw: object, **kwargs: bool) -> str:
    with pytest.raises(ValidationError) as excinfo:
        parse_amount(raw, **kwargs)  # type: ignore[arg-type]
    return excinfo.value.code  # type: ignore[return-value]


# ---------------------------------------------------------------------- round_money


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("1.125", "1.13"),
        ("2.675", "2.68"),  # float(2.675) would round to 2.67
        ("-0.005", "-0.01"),  # halves go away from zero
        ("-1.125", "-1.13"),
        ("10", "10.00"),
        ("1234.5", "1234.50"),
        ("0.0049999", "0.00"),
    ],
)
def test_round_money_half_up(value: str, rounded: str) -> None:
    result = round_money(D(value))
    assert result == D(rounded)
    assert result.as_tuple().exponent == -2


def test_round_money_accepts_int_refuses_float() -> None:
    assert round_money(5) == D("5.00")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        round_money(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        round_money("1.5")  # type: ignore[arg-type]


def test_cent() -> None:
    assert D("0.01") == CENT


# ---------------------------------------------------------------------- parse_amount


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234.50", "1234.50"),
        ("1234.5", "1234.50"),
        (" 12 ", "12.00"),
        ("1 234 567.89", "1234567.89"),
        ("１２３．４５", "123.45"),  # full-width digits and point
        ("１，２３４", "1234.00"),  # full-width comma
        ("+5", "5.00"),
        ("12.500", "12.50"),  # zeros beyond the cent are harmless
        ("0.01", "0.01"),
        ("007", "7.00"),
        ("999,999,999,999.99", "999999999999.99"),
        (D("5"), "5.00"),
        (D("5.10"), "5.10"),
        (D("1.2300000"), "1.23"),
        (7, "7.00"),
    ],
)
def test_parse_amount_valid(raw: object, expected: str) -> None:
    result = parse_amount(raw)  # type: ignore[arg-type]
    assert result == D(expected)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize("raw", ["0", "0.00", D("0"), 0, "-0"])
def test_parse_amount_zero(raw: object) -> None:
    assert error_code(raw) == "zero"
    zero = parse_amount(raw, allow_zero=True)  # type: ignore[arg-type]
    assert zero == D("0.00")
    assert str(zero) == "0.00"  # never "-0.00"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("abc", "invalid"),
        ("1e3", "invalid"),
        ("1E-2", "invalid"),
        ("NaN", "invalid"),
        ("nan", "invalid"),
        ("Infinity", "invalid"),
        ("-inf", "invalid"),
        ("sNaN", "invalid"),
        (D("NaN"), "invalid"),
        (D("Infinity"), "invalid"),
        (D("-Infinity"), "invalid"),
        ("1.2.3", "invalid"),
        (".5", "invalid"),
        ("5.", "invalid"),
        ("¥5", "invalid"),
        ("MOP 5", "invalid"),
        ("5元", "invalid"),
        ("0x10", "invalid"),
        ("-1", "negative"),
        ("-0.01", "negative"),
        (D("-1"), "negative"),
        (-3, "negative"),
        ("1.234", "too_many_decimals"),
        ("1.001", "too_many_decimals"),
        (D("0.001"), "too_many_decimals"),
        (D("1.0000000000000000000000000000001"), "too_many_decimals"),
        ("1000000000000", "too_large"),
        ("1,000,000,000,000.00", "too_large"),
        (D("1E+30"), "too_large"),
        (10**12, "too_large"),
        ("1,5", "bad_grouping"),
        ("12,34,567", "bad_grouping"),
        ("1,234,56", "bad_grouping"),
        (",123", "bad_grouping"),
        ("1,0000", "bad_grouping"),
    ],
)
def test_parse_amount_invalid(raw: object, code: str) -> None:
    assert error_code(raw) == code


@pytest.mark.parametrize("raw", [1.5, 0.0, float("nan"), True, None, [1], b"12"])
def test_parse_amount_refuses_floats_and_other_types(raw: object) -> None:
    with pytest.raises(TypeError):
        parse_amount(raw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "Enter an amount"),
        ("abc", "abc"),
        ("-5", "negative"),
        ("0", "greater than zero"),
        ("1.234", "2 decimal places"),
        ("1000000000000", "12 digits"),
        ("1,5", "groups of three"),
    ],
)
def test_parse_amount_messages_are_specific(raw: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        parse_amount(raw)
    assert fragment in english(excinfo.value)


@given(st.decimals(min_value=D("0.01"), max_value=D("999999999999.99"), places=2))
def test_parse_amount_round_trips(value: Decimal) -> None:
    assert parse_amount(str(value)) == value
    assert parse_amount(f"{value:,}") == value
    assert parse_amount(value) == value


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_no_float_is_ever_accepted(value: float) -> None:
    with pytest.raises(TypeError):
        parse_amount(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        round_money(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mop_to_cny(value, D("0.9"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mop_to_cny(D("100"), value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(value, Currency.MOP)  # type: ignore[arg-type]


# ----------------------------------------------------------------------- round_money


finite = st.decimals(
    min_value=D("-1000000000"), max_value=D("1000000000"), allow_nan=False, allow_infinity=False
)


@given(finite)
def test_round_money_is_idempotent(value: Decimal) -> None:
    once = round_money(value)
    assert round_money(once) == once
    assert abs(once - value) <= D("0.005")


@given(
    st.lists(
        st.decimals(min_value=D("0"), max_value=D("100000"), places=6),
        min_size=1,
        max_size=200,
    )
)
def test_total_is_sum_of_rounded_payments(payments: list[Decimal]) -> None:
    """Lines are rounded one by one; the total is their sum, exact in any order."""
    lines = [round_money(p) for p in payments]
    total = sum(lines, D("0"))
    assert round_money(total) == total  # no further rounding is ever needed
    assert sum(reversed(lines), D("0")) == total
    assert sum(sorted(lines), D("0")) == total


# ------------------------------------------------------------------------ mop_to_cny


@pytest.mark.parametrize(
    ("amount", "rate", "cny"),
    [
        ("100.00", "0.876543", "87.65"),
        ("1.00", "0.125", "0.13"),  # exact half: up
        ("3000.00", "0.8804", "2641.20"),
        ("0.01", "0.5", "0.01"),
        ("0.01", "0.49", "0.00"),
        ("1234.56", "1", "1234.56"),
        ("-10.00", "0.125", "-1.25"),
    ],
)
def test_mop_to_cny(amount: str, rate: str, cny: str) -> None:
    assert mop_to_cny(D(amount), D(rate)) == D(cny)


@pytest.mark.parametrize(
    ("rate", "code"),
    [
        ("0", "invalid_rate"),
        ("-0.88", "invalid_rate"),
        ("NaN", "invalid_rate"),
        ("Infinity", "invalid_rate"),
        ("0.1234567", "rate_too_precise"),
    ],
)
def test_mop_to_cny_bad_rate(rate: str, code: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        mop_to_cny(D("100"), D(rate))
    assert excinfo.value.code == code


def test_mop_to_cny_rate_trailing_zeros_are_fine() -> None:
    assert mop_to_cny(D("100"), D("0.87654300000")) == D("87.65")


@given(
    amount=st.decimals(min_value=D("0.01"), max_value=D("999999999999.99"), places=2),
    rate=st.decimals(min_value=D("0.000001"), max_value=D("10"), places=6),
)
def test_mop_to_cny_has_two_decimals(amount: Decimal, rate: Decimal) -> None:
    cny = mop_to_cny(amount, rate)
    assert cny.as_tuple().exponent == -2
    assert abs(cny - amount * rate) <= D("0.005")


# ----------------------------------------------------------------------------- Money


def test_money_arithmetic_same_currency() -> None:
    a = Money(D("10.50"), Currency.MOP)
    b = Money(D("0.25"), "MOP")
    assert a + b == Money(D("10.75"), "MOP")
    assert a - b == Money(D("10.25"), "MOP")
    assert -b == Money(D("-0.25"), "MOP")
    assert sum([a, b, b]) == Money(D("11.00"), "MOP")
    assert (a + b).currency == "MOP"


def test_money_refuses_mixed_currencies() -> None:
    mop = Money(D("1"), Currency.MOP)
    cny = Money(D("1"), Currency.CNY)
    with pytest.raises(ValueError):
        mop + cny
    with pytest.raises(ValueError):
        cny - mop
    with pytest.raises(TypeError):
        mop + D("1")  # type: ignore[operator]
    with pytest.raises(TypeError):
        mop + 1  # type: ignore[operator]


def test_money_validation() -> None:
    with pytest.raises(ValueError):
        Money(D("1"), "USD")
    with pytest.raises(ValueError):
        Money(D("NaN"), "MOP")
    with pytest.raises(TypeError):
        Money("1", "MOP")  # type: ignore[arg-type]
    assert Money(3, "CNY").amount == D("3")  # type: ignore[arg-type]


def test_money_is_frozen_and_hashable() -> None:
    m = Money(D("1.0"), "CNY")
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.amount = D("2")  # type: ignore[misc]
    assert m == Money(D("1.00"), "CNY")
    assert len({m, Money(D("1.00"), "CNY")}) == 1


def test_money_str() -> None:
    assert str(Money(D("1234.5"), Currency.MOP)) == "MOP 1,234.50"
    assert str(Money(D("-1234.5"), Currency.CNY)) == "-¥1,234.50"


# ----------------------------------------------------------------------- format_money


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("1234.5", "MOP", "MOP 1,234.50"),
        ("1234.5", "CNY", "¥1,234.50"),
        ("-1234.5", "CNY", "-¥1,234.50"),
        ("-5", "MOP", "-MOP 5.00"),
        ("0", "CNY", "¥0.00"),
        ("-0.001", "CNY", "¥0.00"),  # rounds to zero: no minus sign
        ("1.005", "CNY", "¥1.01"),
        ("999999999999.99", "MOP", "MOP 999,999,999,999.99"),
        ("0.5", "MOP", "MOP 0.50"),
    ],
)
def test_format_money(amount: str, currency: str, text: str) -> None:
    assert format_money(D(amount), currency) == text


@pytest.mark.parametrize("language", [None, "zh-hans", "zh-hant", "en"])
def test_format_money_same_in_all_languages(language: str | None) -> None:
    assert format_money(D("1234.5"), Currency.CNY, language) == "¥1,234.50"
    assert format_money(D("1234.5"), Currency.MOP, language) == "MOP 1,234.50"


def test_format_money_errors() -> None:
    with pytest.raises(ValueError):
        format_money(D("1"), "HKD")
    with pytest.raises(TypeError):
        format_money(1.5, "CNY")  # type: ignore[arg-type]


def test_currency_choices() -> None:
    assert Currency.values == ["MOP", "CNY"]
    with translation.override("en"):
        assert "MOP" in str(Currency.MOP.label)
