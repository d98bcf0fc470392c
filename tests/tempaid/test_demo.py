import pytest
from django.db.models import Sum

from tempaid import demo as tempaid_demo
from tempaid.models import Application, Fund, LedgerEntry, Status

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_is_idempotent(demo):
    tempaid_demo.seed(demo)
    tempaid_demo.seed(demo)
    states = set(Application.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    assert Application.objects.filter(key_case_agenda_item_id__isnull=False).exists()
    fund = Fund.objects.get()
    sums = LedgerEntry.objects.aggregate(balance=Sum("balance_delta"),
                                         available=Sum("available_delta"))
    assert sums["balance"] == fund.balance and sums["available"] == fund.available
