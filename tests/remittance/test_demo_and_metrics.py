"""Demo data (idempotent, every state present) and the aggregate figures."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from remittance import metrics
from remittance.models import (
    Batch,
    BatchStatus,
    OnboardingStatus,
    PaymentStatus,
    Recipient,
)

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_covers_every_state_and_figures_add_up(demo, monkeypatch):
    monkeypatch.setattr("remittance.demo.SIZE", 40)
    from remittance import demo as remittance_demo

    remittance_demo.seed(demo)
    remittance_demo.seed(demo)
    assert Recipient.objects.count() == 40
    states = set(Recipient.objects.values_list("onboarding_status", flat=True))
    assert states == set(OnboardingStatus.values)
    batches = list(Batch.objects.order_by("period"))
    assert len(batches) == 3
    assert {batch.status for batch in batches} == {BatchStatus.RECONCILED}
    assert batches[1].payments.exclude(carried_from=None).exists()
    assert batches[0].payments.filter(status=PaymentStatus.CARRIED_OVER).exists()

    with CaptureQueriesContext(connection) as queries:
        data = metrics.figures(start=date(2020, 1, 1), end=date(2030, 12, 31))
    assert len(queries) == 5
    # one moved away; one missing from IAS's full roster of 38 is suspended
    assert data["roster_size"] == 40 and data["recipients_active"] == 38
    assert data["recipients_suspended"] == 1
    activated = Recipient.objects.filter(status="active", onboarding_status="activated").count()
    assert data["cards_activated"] == activated
    assert data["activation_rate"] == round(__import__("decimal").Decimal(activated) / 38, 4)
    assert sum(row["active"] for row in data["activation_by_district"].values()) == 38
    banks = {row["bank"]: row for row in data["by_bank"]}
    assert banks["中国银行珠海分行"]["routed"] == Recipient.objects.exclude(
        bank_branch=None).count()
    assert banks["中国银行珠海分行"]["appointments"] == 12
    assert banks["工商银行珠海分行"]["appointments"] == 1
    assert len(data["disbursed_by_month"]) >= 3
    assert all(set(row) == {"month", "mop", "cny"} for row in data["disbursed_by_month"])
    xiangzhou = metrics.figures(start=date(2020, 1, 1), end=date(2030, 12, 31),
                                district="xiangzhou")
    assert set(xiangzhou["activation_by_district"]) == {"xiangzhou"}
    section = metrics.bulletin_section(demo["agencies"]["mo-ias"], date(2020, 1, 1),
                                       date(2030, 12, 31))
    assert section["roster_size"] == 40 and "activation_by_district" not in section
    assert metrics.bulletin_section(demo["agencies"]["hq-livelihood"], date(2020, 1, 1),
                                    date(2030, 1, 1)) is None
