"""The partner bank's role (issue 25): its staff see only the appointments and card openings of
recipients routed to their bank, with no more personal data than the appointment needs, and
record visits, cards opened, activations and failures — nothing else, and nothing of another
bank. Refusals are 404/403 and audited."""
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from remittance import services
from remittance.models import Appointment, BankBranch, OnboardingStatus, Recipient
from remittance.selectors import bank_appointment_visible_to, bank_recipient_visible_to
from core.errors import ApplicationError
from core.models import Agency, AgencyKind, AuditEvent, Side

from remittance_factories import import_rows, row

pytestmark = pytest.mark.django_db
API = "/api/v1/remittance/bank"


@pytest.fixture
def world(users):
    """Bank A (the demo bank user's) and bank B; r1 routed to A by its card's branch, r3 by an
    appointment at A, r2 only at B, r4 nowhere."""
    finwork = users["finwork"]
    import_rows(finwork, [row(1), row(2), row(3), row(4)])
    own = Agency.objects.get(code="bank-demo")
    other = Agency.objects.filter(code="bank-other").first() or Agency.objects.create(
        code="bank-other", name_zh_hans="另一银行", name_zh_hant="另一銀行",
        name_en="Other bank", side=Side.PARTNER, kind=AgencyKind.BANK,
        group=__import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.create(
            name="agency:bank-other"))
    branch_a = services.bank_branch_create(actor=finwork, bank_name="合作银行", name="拱北支行",
                                           has_priority_window=True)
    branch_a2 = services.bank_branch_create(actor=finwork, bank_name="合作银行", name="前山支行",
                                            has_priority_window=True)
    branch_b = services.bank_branch_create(actor=finwork, bank_name="另一银行", name="湾仔支行",
                                           has_priority_window=True)
    BankBranch.objects.filter(pk__in=[branch_a.pk, branch_a2.pk]).update(bank_agency=own)
    BankBranch.objects.filter(pk=branch_b.pk).update(bank_agency=other)
    r1, r2, r3, r4 = Recipient.objects.order_by("ias_case_no")
    services.onboarding_schedule_visit(actor=finwork, recipient=r1, visit_date=date.today(),
                                       officers="李专员", bank_branch=branch_a)
    soon = timezone.now() + timedelta(days=1)
    at_a = services.appointment_book(actor=finwork, recipient=r3, branch=branch_a,
                                     scheduled_at=soon, purpose="open_card")
    at_b = services.appointment_book(actor=finwork, recipient=r2, branch=branch_b,
                                     scheduled_at=soon, purpose="open_card")
    return {"r1": r1, "r2": r2, "r3": r3, "r4": r4, "at_a": at_a, "at_b": at_b,
            "branch_a": branch_a, "branch_a2": branch_a2, "branch_b": branch_b}


def test_bank_sees_only_its_own_appointments_and_recipients(users, world):
    bank = users["bank"]
    assert set(bank_recipient_visible_to(bank)) == {world["r1"], world["r3"]}
    assert list(bank_appointment_visible_to(bank)) == [world["at_a"]]
    for username in ("city", "finwork", "district", "macau", "ngo"):
        assert not bank_recipient_visible_to(users[username]).exists()
        assert not bank_appointment_visible_to(users[username]).exists()


def test_bank_desk_shows_the_appointment_needs_only(client_for, world):
    page = client_for("bank").get(reverse("remittance:bank_desk")).content.decode()
    assert world["r3"].person.name_zh in page and world["r1"].person.name_zh in page
    assert world["r2"].person.name_zh not in page and world["r4"].person.name_zh not in page
    assert "香洲区测试路" not in page  # no address
    assert "1000003(3)" not in page and "100000" not in page  # identity numbers masked
    detail = client_for("bank").get(reverse("remittance:bank_recipient", args=[world["r1"].pk]))
    text = detail.content.decode()
    assert detail.status_code == 200 and world["r1"].person.name_zh in text
    for secret in ("香洲区测试路", "3450.50", "IAS-00001", "13800000000"):
        assert secret not in text


def test_bank_is_refused_everything_else_and_refusals_are_audited(client_for, api_client_for,
                                                                   world):
    bank = client_for("bank")
    other = world["r2"]
    assert bank.get(reverse("remittance:bank_recipient", args=[other.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="recipient.view", object_id=str(other.pk),
                                     outcome="denied").exists()
    assert bank.post(reverse("remittance:bank_appointment_outcome", args=[world["at_b"].pk]),
                     {"status": "served"}).status_code == 404
    world["at_b"].refresh_from_db()
    assert world["at_b"].status == "booked"
    assert AuditEvent.objects.filter(action="appointment.change", outcome="denied",
                                     object_id=str(world["at_b"].pk)).exists()
    # the roster's own pages and endpoints: refused by role
    for url in (reverse("remittance:recipient_list"),
                reverse("remittance:recipient_detail", args=[world["r1"].pk]),
                reverse("remittance:appointment_list"), reverse("remittance:import_list"),
                reverse("remittance:batch_list"), reverse("remittance:payment_list"),
                reverse("cases:person_list")):
        assert bank.get(url).status_code == 403, url
    api = api_client_for("bank")
    for url in ("/api/v1/remittance/recipients/", "/api/v1/remittance/appointments/",
                "/api/v1/remittance/payments/", f"/api/v1/remittance/recipients/{world['r1'].pk}/"):
        assert api.get(url).status_code == 403, url
    assert api.get(f"{API}/recipients/{other.pk}/").status_code == 404
    assert api.get(f"{API}/appointments/{world['at_b'].pk}/").status_code == 404
    assert api.post(f"{API}/recipients/{other.pk}/step/", {"step": "activate",
                                                          "on_date": "2022-01-01"}).status_code == 404
    # another role on the bank's desk
    for username in ("city", "finwork", "macau"):
        assert client_for(username).get(reverse("remittance:bank_desk")).status_code == 403
        assert api_client_for(username).get(f"{API}/appointments/").status_code == 403


def test_services_refuse_the_bank_another_banks_recipient(users, world):
    bank = users["bank"]
    with pytest.raises(ApplicationError) as refused:
        services.onboarding_card_opened(actor=bank, recipient=world["r2"], on_date=date.today(),
                                        account_no="621700000000001",
                                        bank_branch=world["branch_a"])
    assert refused.value.status == 403
    with pytest.raises(ApplicationError):
        services.appointment_record_outcome(actor=bank, appointment=world["at_b"],
                                            status="served")
    # a card at another bank's branch is refused even for its own recipient
    with pytest.raises(ApplicationError):
        services.onboarding_card_opened(actor=bank, recipient=world["r1"], on_date=date.today(),
                                        account_no="621700000000001",
                                        bank_branch=world["branch_b"])
    world["r2"].refresh_from_db()
    world["r1"].refresh_from_db()
    assert world["r2"].onboarding_status == OnboardingStatus.NOT_STARTED
    assert world["r1"].card_account_no == ""
    assert AuditEvent.objects.filter(action="onboarding_card_opened.refused").count() == 1
    assert AuditEvent.objects.filter(action="appointment_record_outcome.refused").count() == 1


def test_bank_records_visit_card_activation_failure_and_outcome(client_for, api_client_for,
                                                               world):
    bank = client_for("bank")
    r3 = world["r3"]
    url = reverse("remittance:bank_recipient", args=[r3.pk])
    assert bank.post(url, {"step": "visit", "visit-visit_date": date.today().isoformat(),
                           "visit-officers": "张经理"}).status_code == 302
    bank.post(url, {"step": "card", "card-on_date": date.today().isoformat(),
                    "card-account_no": "6217000000000003",
                    "card-bank_branch": world["branch_a2"].pk})
    r3.refresh_from_db()
    assert r3.onboarding_status == OnboardingStatus.CARD_OPENED
    assert r3.bank_branch == world["branch_a2"]
    # another bank's branch is not a choice
    response = bank.post(url, {"step": "card", "card-on_date": date.today().isoformat(),
                               "card-account_no": "6217000000000004",
                               "card-bank_branch": world["branch_b"].pk})
    assert response.status_code == 200
    bank.post(url, {"step": "activate", "activate-on_date": date.today().isoformat()})
    r3.refresh_from_db()
    assert r3.onboarding_status == OnboardingStatus.ACTIVATED
    api = api_client_for("bank")
    failed = api.post(f"{API}/recipients/{world['r1'].pk}/step/", {
        "step": "fail", "on_date": date.today().isoformat(), "reason": "证件过期"})
    assert failed.status_code == 201
    assert set(failed.json()) == {"id", "name", "document", "onboarding_status",
                                  "onboarding_changed_on", "visit_date", "bank_branch"}
    assert failed.json()["onboarding_status"] == "failed"
    bank.post(reverse("remittance:bank_appointment_outcome", args=[world["at_a"].pk]),
              {"status": "served", "outcome": "已开卡"})
    assert Appointment.objects.get(pk=world["at_a"].pk).status == "served"
    listed = api.get(f"{API}/appointments/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [item["id"] for item in rows] == [world["at_a"].pk]
    assert "address" not in rows[0] and "1000003(3)" not in str(rows[0])


def test_the_banks_steps_feed_the_coverage_page_and_the_pilot_dashboard(client_for, users,
                                                                        world):
    from pilot.dashboard import _panel_remittance
    from remittance import metrics

    bank = users["bank"]
    r1 = world["r1"]
    services.onboarding_card_opened(actor=bank, recipient=r1, on_date=date.today(),
                                    account_no="6217000000000001",
                                    bank_branch=world["branch_a"])
    services.onboarding_activate(actor=bank, recipient=r1, on_date=date.today())
    services.appointment_record_outcome(actor=bank, appointment=world["at_a"], status="served")
    data = metrics.figures(start=date.today() - timedelta(days=30),
                           end=date.today() + timedelta(days=30))
    row_a = next(row for row in data["by_bank"] if row["bank"] == "合作银行")
    assert (row_a["routed"], row_a["cards_opened"], row_a["activated"]) == (1, 1, 1)
    assert (row_a["appointments"], row_a["served"]) == (1, 1)
    panel = _panel_remittance(data)
    assert any("合作银行" in str(chart) for chart in panel.charts)
    page = client_for("city").get(reverse("remittance:coverage")).content.decode()
    assert "合作银行" in page.split('id="coverage-banks"')[1]
