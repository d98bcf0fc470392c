"""Money: amounts in MOP and CNY, as :class:`~decimal.Decimal`, never ``float``.

Macau economic assistance is decided in patacas (MOP) and paid into mainland bank
cards in renminbi (CNY) at a recorded rate; temporary relief is paid in CNY. A float
would turn ``0.1 + 0.2`` into ``0.30000000000000004`` and make a batch total differ
from the sum of its lines, so every function here refuses floats with ``TypeError``.

**The rounding rule of the project** (stated here, and only here):

    Amounts are rounded to the cent (0.01) with ROUND_HALF_UP -- halves go away from
    zero, as on a bank statement: 0.005 -> 0.01, 1.125 -> 1.13, -0.005 -> -0.01.
    Each payment line is rounded on its own (:func:`round_money`, e.g. the CNY
    amount of a MOP payment in :func:`mop_to_cny`); totals are sums of the rounded
    lines and are never rounded again, so a batch total always equals the sum of
    what the bank pays out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CENT",
    "MAX_INTEGER_DIGITS",
    "RATE_DECIMAL_PLACES",
    "Currency",
    "Money",
    "format_money",
    "money_display",
    "mop_to_cny",
    "parse_amount",
    "round_money",
]

CENT = Decimal("0.01")
#: Amounts have at most 12 digits before the decimal point (DecimalField max_digits=14,
#: decimal_places=2 in the models).
MAX_INTEGER_DIGITS = 12
#: Exchange rates are recorded with at most 6 decimals (e.g. 0.876543 CNY per MOP).
RATE_DECIMAL_PLACES = 6


class Currency(models.TextChoices):
    """The two currencies of the pilot."""

    MOP = "MOP", _("Macau pataca (MOP)")
    CNY = "CNY", _("Renminbi (CNY)")


def _require_decimal(value: object, what: str) -> Decimal:
    """Accept Decimal (and int, which is exact); refuse float and anything else."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"{what} must be a Decimal, not {type(value).__name__}")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    raise TypeError(f"{what} must be a Decimal, not {type(value).__name__}")


def _decimal_places(value: Decimal) -> int:
    """Significant decimal places of a finite Decimal, ignoring trailing zeros.

    Computed from the digit tuple rather than with quantize()/normalize(), which
    round or fail beyond the context precision (28 digits).
    """
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if not any(digits):
        return 0
    return max(0, -(exponent + trailing_zeros))


def round_money(value: Decimal) -> Decimal:
    """Round to the cent with ROUND_HALF_UP: the one rounding rule of the project.

    ``int`` is accepted (it is exact); ``float`` raises ``TypeError``.
    """
    return _require_decimal(value, "amount").quantize(CENT, rounding=ROUND_HALF_UP)


_AMOUNT = re.compile(
    r"(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?", re.ASCII
)
_NOT_FINITE = {"nan", "snan", "inf", "infinity", "+inf", "-inf", "+infinity", "-infinity"}


def _check_amount(value: Decimal, *, allow_zero: bool) -> Decimal:
    if not value.is_finite():
        raise ValidationError(
            _("Enter a number, not “%(value)s”."), code="invalid", params={"value": str(value)}
        )
    if value < 0:
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    if value == 0 and not allow_zero:
        raise ValidationError(_("The amount must be greater than zero."), code="zero")
    if value >= Decimal(10) ** MAX_INTEGER_DIGITS:
        raise ValidationError(
            _("The amount is too large: at most %(digits)s digits before the decimal point."),
            code="too_large",
            params={"digits": MAX_INTEGER_DIGITS},
        )
    if _decimal_places(value) > 2:
        raise ValidationError(
            _("Enter at most 2 decimal places (cents)."), code="too_many_decimals"
        )
    if value == 0:
        return Decimal("0.00")  # not "-0.00"
    return value.quantize(CENT)


def parse_amount(raw: str | int | Decimal, *, allow_zero: bool = False) -> Decimal:
    """Turn user or spreadsheet input into a non-negative amount with exactly 2 decimals.

    Accepts ``str``, ``int`` and ``Decimal``; a ``float`` (or ``bool``) raises
    ``TypeError``, because the damage is already done once a float exists. Strings may
    contain spaces, full-width digits (Chinese input methods) and ``,`` thousands
    separators; separators must sit between groups of three digits, so that a
    European "1,5" is refused rather than read as 15. Exponents, NaN and Infinity are
    refused. Trailing zeros beyond the cent are harmless ("12.500" is 12.50); any
    other third decimal is an error, never silently rounded. The result is quantized
    to 0.01.

    Raises ``ValidationError`` with code ``required``, ``invalid``, ``bad_grouping``,
    ``negative``, ``zero``, ``too_many_decimals`` or ``too_large``.
    """
    if isinstance(raw, bool) or isinstance(raw, float):
        raise TypeError(f"amounts must not be {type(raw).__name__}; use str or Decimal")
    if isinstance(raw, Decimal):
        return _check_amount(raw, allow_zero=allow_zero)
    if isinstance(raw, int):
        return _check_amount(Decimal(raw), allow_zero=allow_zero)
    if not isinstance(raw, str):
        raise TypeError(f"cannot parse an amount from {type(raw).__name__}")

    text = "".join(unicodedata.normalize("NFKC", raw).split())
    if not text:
        raise ValidationError(_("Enter an amount."), code="required")
    if text.lower() in _NOT_FINITE:
        raise ValidationError(
            _("Enter a number, not “%(value)s”."), code="invalid", params={"value": text}
        )
    match = _AMOUNT.fullmatch(text)
    if match is None:
        if re.fullmatch(r"[+-]?[\d,]+(?:\.\d+)?", text, re.ASCII):
            raise ValidationError(
                _("Thousands separators (,) must separate groups of three digits."),
                code="bad_grouping",
            )
        raise ValidationError(
            _("Enter a number, not “%(value)s”."), code="invalid", params={"value": text}
        )
    number = match["sign"] + match["int"].replace(",", "")
    if match["frac"] is not None:
        number += "." + match["frac"]
    try:
        value = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        raise ValidationError(
            _("Enter a number, not “%(value)s”."), code="invalid", params={"value": text}
        ) from None
    return _check_amount(value, allow_zero=allow_zero)


def mop_to_cny(amount_mop: Decimal, rate: Decimal) -> Decimal:
    """Convert a MOP amount to CNY at ``rate`` (CNY per 1 MOP), rounded to the cent.

    This is the per-line conversion of a disbursement batch; the batch's CNY total is
    the sum of the converted lines (see the module docstring). ``rate`` must be a
    positive Decimal with at most 6 decimals (ValidationError otherwise: it is entered
    by a finance officer); floats raise ``TypeError``.
    """
    amount = _require_decimal(amount_mop, "amount_mop")
    rate = _require_decimal(rate, "rate")
    if not amount.is_finite():
        raise ValueError("amount_mop must be finite")
    if not rate.is_finite() or rate <= 0:
        raise ValidationError(
            _("The exchange rate must be a positive number."), code="invalid_rate"
        )
    if _decimal_places(rate) > RATE_DECIMAL_PLACES:
        raise ValidationError(
            _("The exchange rate may have at most %(places)s decimal places."),
            code="rate_too_precise",
            params={"places": RATE_DECIMAL_PLACES},
        )
    return round_money(amount * rate)


@dataclass(frozen=True)
class Money:
    """An amount with its currency; adding or subtracting across currencies is an error.

    The amount is kept as given (not rounded), so intermediate results stay exact;
    use :func:`round_money` where a payable amount is fixed.
    """

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        amount = _require_decimal(self.amount, "amount")
        if not amount.is_finite():
            raise ValueError("amount must be finite")
        if self.currency not in Currency.values:
            raise ValueError(f"unknown currency {self.currency!r}")
        object.__setattr__(self, "amount", amount)
        object.__setattr__(self, "currency", str(self.currency))

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} and {other.currency}")

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __radd__(self, other: object) -> Money:
        # Lets sum(list_of_money) start from the int 0.
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)


def format_money(amount: Decimal, currency: str, language: str | None = None) -> str:
    """Display an amount: ``MOP 1,234.50``, ``¥1,234.50``, ``-¥1,234.50``, ``-MOP 5.00``.

    Rounded to the cent with :func:`round_money`. The form is the same in simplified
    Chinese, traditional Chinese and English today; ``language`` is accepted so that
    callers already pass it if that changes.
    """
    del language  # same presentation in all three languages, see docstring
    value = round_money(amount)
    if currency == Currency.MOP:
        prefix = "MOP "
    elif currency == Currency.CNY:
        prefix = "¥"
    else:
        raise ValueError(f"unknown currency {currency!r}")
    sign = "-" if value < 0 else ""  # -0.00 is not negative: no "-¥0.00"
    return f"{sign}{prefix}{abs(value):,.2f}"


#: What an empty amount shows as, on pages and in documents.
EMPTY_AMOUNT = "—"


def money_display(amount, currency: str = "CNY", language: str | None = None, *,
                  signed: bool = False) -> str:
    """The one way an amount is written for people, on pages (the ``money`` template filter),
    in PDFs, exports meant to be read and notifications: ``MOP 12,345.60`` / ``¥12,345.60``,
    ``—`` when empty. Accepts what templates and JSON hand over (Decimal, int, a numeric
    string, a currency given as a :class:`Currency`); a float is shown to the cent through its
    ``repr`` (amounts are never stored as floats; aggregated JSON may carry one).

    ``signed=True`` is for ledgers, where an amount is a movement: ``+¥1,000.00`` in,
    ``-¥500.00`` out, ``¥0.00`` for an entry that moves nothing."""
    if amount is None or amount == "":
        return EMPTY_AMOUNT
    if isinstance(amount, bool):
        raise TypeError("an amount cannot be a boolean")
    if isinstance(amount, float):
        amount = Decimal(repr(amount))
    elif not isinstance(amount, Decimal):
        try:
            amount = Decimal(str(amount).replace(",", ""))
        except InvalidOperation:
            return str(amount)
    if not amount.is_finite():
        return str(amount)
    code = str(getattr(currency, "value", currency) or "CNY").upper()
    try:
        text = format_money(amount, code, language)
    except ValueError:  # a currency the pilot does not use: still grouped, to the cent
        text = f"{code} {round_money(amount):,.2f}"
    return f"+{text}" if signed and round_money(amount) > 0 else text
