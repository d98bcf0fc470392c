"""Property tests: a batch total is the sum of its rounded payments, and no float is used."""
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.money import mop_to_cny

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2,
                      allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("9.999999"), places=6,
                    allow_nan=False, allow_infinity=False).filter(lambda r: r > 0)


@given(st.lists(amounts, min_size=1, max_size=60), rates)
@settings(max_examples=200, deadline=None)
def test_total_is_sum_of_rounded_payments(mop_amounts, rate):
    payments = [mop_to_cny(amount, rate) for amount in mop_amounts]
    for amount, paid in zip(mop_amounts, payments):
        assert isinstance(paid, Decimal)
        assert paid == (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert paid.as_tuple().exponent == -2
    total = sum(payments, Decimal("0.00"))
    assert total.as_tuple().exponent == -2
    # the total of rounded lines may differ from the rounded total of the exact amounts by at
    # most half a fen per line -- which is why the batch never rounds its total again
    exact = sum((amount * rate for amount in mop_amounts), Decimal(0))
    assert abs(total - exact) <= Decimal("0.005") * len(mop_amounts)


@given(amounts, rates)
@settings(max_examples=100, deadline=None)
def test_float_is_refused(amount, rate):
    with pytest.raises(TypeError):
        mop_to_cny(float(amount), rate)
    with pytest.raises(TypeError):
        mop_to_cny(amount, float(rate))


realistic_rates = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("1.5"), places=6,
                              allow_nan=False, allow_infinity=False)


@pytest.mark.django_db
@given(st.lists(amounts, min_size=1, max_size=8), realistic_rates)
@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_prepared_batch_totals_equal_sum_of_payments(users, mop_amounts, rate):
    """Through the service and the database: stored totals = SUM() of stored payments."""
    from datetime import date

    from django.db import transaction
    from django.db.models import Sum

    from remittance import services
    from remittance.models import Payment
    from remittance_factories import activated, row

    with transaction.atomic():  # each example rolls back to the seeded users
        activated(users["finwork"], [row(n + 1, monthly_amount_mop=str(amount))
                                     for n, amount in enumerate(mop_amounts)])
        batch = services.batch_prepare(actor=users["city"], period=date(2022, 7, 1),
                                       rate=rate, rate_date=date(2022, 6, 30), rate_source="t")
        sums = Payment.objects.filter(batch=batch).aggregate(mop=Sum("amount_mop"),
                                                             cny=Sum("amount_cny"))
        assert batch.total_cny == sums["cny"] and batch.total_mop == sums["mop"]
        assert batch.total_cny == sum((mop_to_cny(a, rate) for a in mop_amounts), Decimal(0))
        transaction.set_rollback(True)
