"""The partner bank's staff in the browser (issue 25): the demo bank user signs in, sees only
the appointments and recipients routed to its bank (not another bank's), records an
appointment's outcome, a card opened and activated, and a failure with its reason; the
Financial Work bureau then reads those figures per bank on the coverage page, the remittance
figures the pilot dashboard draws on for tasks 9–10."""
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from remittance.models import Appointment, BankBranch, OnboardingStatus, Recipient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "remittance"))
from remittance_factories import import_rows, row  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)


def _go(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _submit(page, selector):
    page.click(selector)
    page.wait_for_load_state("networkidle")


@pytest.fixture
def routed(users, agencies):
    """r1's and r4's cards are to be opened at the demo bank's branch; r3 held an appointment
    there an hour ago; r2 holds one at another bank (the bank user never sees r2)."""
    from remittance import services

    finwork = users["finwork"]
    import_rows(finwork, [row(1, name="陈大文"), row(2, name="黄志强"), row(3, name="李美玲"),
                          row(4, name="张伟")])
    own = services.bank_branch_create(actor=finwork, bank_name="合作银行", name="拱北支行",
                                      has_priority_window=True)
    other = services.bank_branch_create(actor=finwork, bank_name="另一银行", name="湾仔支行",
                                        has_priority_window=True)
    BankBranch.objects.filter(pk=own.pk).update(bank_agency=agencies["bank-demo"])
    r1, r2, r3, r4 = Recipient.objects.order_by("ias_case_no")
    for recipient in (r1, r4):
        services.onboarding_schedule_visit(actor=finwork, recipient=recipient,
                                           visit_date=timezone.localdate(), officers="李专员",
                                           bank_branch=own)
    soon = timezone.now() + timedelta(days=1)
    at_own = services.appointment_book(actor=finwork, recipient=r3, branch=own,
                                       scheduled_at=soon, purpose="open_card")
    # it was an hour ago: the bank records how it went (the figures count it in this period)
    Appointment.objects.filter(pk=at_own.pk).update(
        scheduled_at=timezone.now() - timedelta(hours=1))
    services.appointment_book(actor=finwork, recipient=r2, branch=other, scheduled_at=soon,
                              purpose="open_card")
    return {"r1": r1, "r2": r2, "r3": r3, "r4": r4}


def test_bank_staff_record_card_steps_that_feed_the_figures(page, live_server, login, routed,
                                                            monkeypatch):
    monkeypatch.setenv("FIGURES_CACHE_SECONDS", "0")
    r1, r2, r3, r4 = routed["r1"], routed["r2"], routed["r3"], routed["r4"]
    base = f"{live_server.url}/remittance"

    # 1. The bank's desk: its appointment and its recipients, nobody of another bank.
    login(page, "bank")
    _go(page, f"{base}/bank/")
    appointments = page.locator("#bank-appointments").inner_text()
    assert "李美玲" in appointments and "黄志强" not in appointments
    recipients = page.locator("#bank-recipients").inner_text()
    assert all(name in recipients for name in ("陈大文", "李美玲", "张伟"))
    assert "黄志强" not in recipients
    # identity numbers masked on the desk
    assert all(document.number not in page.content() for document in r1.person.documents.all())

    # 2. The appointment: the recipient came.
    page.select_option("#bank-appointments select[name=status]", "served")
    page.fill("#bank-appointments input[name=outcome]", "已到柜台办卡")
    _submit(page, "#bank-appointments button[type=submit]")
    assert Appointment.objects.get(recipient=r3).status == "served"

    # 3. r1: card opened at the bank's own branch, then activated.
    _go(page, f"{base}/bank/recipients/{r1.pk}/")
    assert [option.strip() for option in page.locator("#id_card-bank_branch option")
            .all_inner_texts() if option.strip() and "---" not in option] == ["合作银行 拱北支行"]
    page.fill("#id_card-account_no", "6217 8500 0000 0001")
    page.select_option("#id_card-bank_branch", label="合作银行 拱北支行")
    _submit(page, "#card-form button[type=submit]")
    assert page.locator("#card-status").inner_text() == "已开卡"
    _submit(page, "#activate-form button[type=submit]")
    assert page.locator("#card-status").inner_text() == "已激活"

    # 4. r4: the card could not be opened; the reason is recorded.
    _go(page, f"{base}/bank/recipients/{r4.pk}/")
    page.fill("#id_fail-reason", "证件过期，需先换领回乡证")
    page.once("dialog", lambda dialog: dialog.accept())
    _submit(page, "#fail-form button[type=submit]")
    r1.refresh_from_db()
    r4.refresh_from_db()
    assert r1.onboarding_status == OnboardingStatus.ACTIVATED
    assert r4.onboarding_status == OnboardingStatus.FAILED
    assert r4.onboarding_reason == "证件过期，需先换领回乡证"

    # 5. Another bank's recipient is not there.
    response = page.goto(f"{base}/bank/recipients/{r2.pk}/")
    assert response.status == 404
    page.context.clear_cookies()

    # 6. The Financial Work bureau reads the bank's figures on the coverage page.
    login(page, "finwork")
    _go(page, f"{base}/coverage/")
    bank_row = page.locator("#coverage-banks tr", has_text="合作银行").inner_text().split("\t")
    # bank, routed, cards opened, activated, failed, appointments, served, no-show
    assert [cell.strip() for cell in bank_row[1:8]] == ["2", "1", "1", "1", "1", "1", "0"]
