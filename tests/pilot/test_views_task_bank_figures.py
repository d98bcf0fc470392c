"""Issue 25: the figures the partner bank's staff record at their desk feed pilot tasks 9
(door-to-door card opening and activation) and 10 (the priority channel): each task's page
shows them per bank, aggregates only. Other tasks show none."""
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

import pilot_factories as factories

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "remittance"))
from remittance_factories import import_rows, row  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank_work(users, agencies, monkeypatch):
    """The demo bank user opens and activates r1's card, records r2's failure, and serves an
    appointment of r3; r4 is another bank's."""
    from remittance import services
    from remittance.models import Appointment, BankBranch, Recipient

    monkeypatch.setenv("FIGURES_CACHE_SECONDS", "0")
    factories.plan_2021()
    finwork, bank = users["finwork"], users["bank"]
    import_rows(finwork, [row(1), row(2), row(3), row(4)])
    own = services.bank_branch_create(actor=finwork, bank_name="合作银行", name="拱北支行",
                                      has_priority_window=True)
    other = services.bank_branch_create(actor=finwork, bank_name="另一银行", name="湾仔支行",
                                        has_priority_window=True)
    BankBranch.objects.filter(pk=own.pk).update(bank_agency=agencies["bank-demo"])
    r1, r2, r3, r4 = Recipient.objects.order_by("ias_case_no")
    today = timezone.localdate()
    for recipient in (r1, r2):
        services.onboarding_schedule_visit(actor=finwork, recipient=recipient, visit_date=today,
                                           officers="李专员", bank_branch=own)
    services.onboarding_card_opened(actor=bank, recipient=r1, on_date=today,
                                    account_no="6217850000000001", bank_branch=own)
    services.onboarding_activate(actor=bank, recipient=r1, on_date=today)
    services.onboarding_fail(actor=bank, recipient=r2, on_date=today, reason="证件过期")
    appointment = services.appointment_book(actor=finwork, recipient=r3, branch=own,
                                            scheduled_at=timezone.now() + timedelta(hours=2),
                                            purpose="open_card")
    Appointment.objects.filter(pk=appointment.pk).update(
        scheduled_at=timezone.now() - timedelta(hours=1))
    services.appointment_record_outcome(actor=bank, appointment=appointment, status="served")
    services.appointment_book(actor=finwork, recipient=r4, branch=other,
                              scheduled_at=timezone.now() + timedelta(hours=2),
                              purpose="open_card")


def _bank_rows(page) -> dict:
    return {bank: values for bank, values in page.context["bank_figures"]["rows"]}


@pytest.mark.parametrize("username", ["city", "finwork", "leader", "bank"])
def test_task_9_shows_the_card_steps_per_bank(client_for, bank_work, username):
    page = client_for(username).get(reverse("pilot:task_detail",
                                            args=[factories.task(9).pk]))
    assert page.status_code == 200
    # routed, cards opened, activated, failed
    assert _bank_rows(page)["合作银行"] == [2, 1, 1, 1]
    assert 'id="task-bank-figures"' in page.content.decode()
    # aggregates only: no recipient's name on the task's page
    from remittance.models import Recipient

    names = Recipient.objects.values_list("person__name_zh", flat=True)
    assert not any(name in page.content.decode() for name in names)


def test_task_10_shows_the_priority_channel_per_bank(client_for, bank_work):
    page = client_for("finwork").get(reverse("pilot:task_detail",
                                             args=[factories.task(10).pk]))
    # appointments, served, did not come
    assert _bank_rows(page)["合作银行"] == [1, 1, 0]


def test_other_tasks_show_no_bank_figures(client_for, bank_work):
    page = client_for("finwork").get(reverse("pilot:task_detail", args=[factories.task(8).pk]))
    assert page.context["bank_figures"] is None
    assert 'id="task-bank-figures"' not in page.content.decode()
