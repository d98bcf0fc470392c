"""Two batch creations for the same month at the same moment, on PostgreSQL: the unique
constraint on (recipient, period) lets exactly one pay."""
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from remittance import services
from remittance.models import Batch, Payment
from core.errors import ApplicationError

from remittance_factories import activated, checker, row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_batches_cannot_pay_anyone_twice(users, monkeypatch):
    activated(users["finwork"], [row(n) for n in range(1, 21)])
    both_read = threading.Barrier(2, timeout=20)
    original = services.payable_recipients

    def slow_payable(period):
        # Both transactions have read "nobody is paid for July" before either inserts.
        result = list(original(period).values_list("pk", "monthly_amount_mop",
                                                   "card_account_no").order_by("ias_case_no"))
        both_read.wait()
        return _Rows(result)

    monkeypatch.setattr(services, "payable_recipients", slow_payable)
    outcomes: list[object] = []

    def run(user):
        try:
            batch = services.batch_prepare(actor=user, period=date(2022, 7, 1),
                                           rate=Decimal("0.87"), rate_date=date(2022, 6, 30),
                                           rate_source="test")
            outcomes.append(batch.pk)
        except ApplicationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    makers = [users["city"], checker()]  # two civil-affairs officers, each may prepare
    threads = [threading.Thread(target=run, args=(user,)) for user in makers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(map(str, outcomes))[-1] == "double_payment"
    assert len([o for o in outcomes if isinstance(o, int)]) == 1
    assert Batch.objects.count() == 1
    assert Payment.objects.filter(period=date(2022, 7, 1)).count() == 20


class _Rows(list):
    def values_list(self, *args, **kwargs):
        return self

    def order_by(self, *args):
        return self
