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
    assert sorted(Fund.objects.values_list("kind", flat=True)) == ["macau_special", "ordinary"]
    for fund in Fund.objects.all():
        sums = LedgerEntry.objects.filter(fund=fund).aggregate(
            balance=Sum("balance_delta"), available=Sum("available_delta"))
        assert sums["balance"] == fund.balance and sums["available"] == fund.available
    # Cooperation Zone residents are paid from the ordinary budget, Macau residents from the fund
    granted = Application.objects.exclude(fund=None).select_related("person", "fund")
    assert {(a.person.residence_status, a.fund.kind) for a in granted} == {
        ("macau_resident", "macau_special"), ("hengqin_resident", "ordinary")}
