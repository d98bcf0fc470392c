"""seed_scale at a tiny factor: every workstream's generator runs and its data is valid (the
apps' own validators and invariants, on all rows or a sample)."""
from __future__ import annotations

import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo):
    out = io.StringIO()
    call_command("seed_scale", factor=0.002, bulletin_months=2, batch_months=3, stdout=out)
    return out.getvalue()


def test_every_workstream_has_a_generator(seeded):
    from core.workstreams import WORKSTREAMS

    for app_name in WORKSTREAMS:
        assert f"{app_name}: no generator" not in seeded
    assert "Done in" in seeded


def test_cases_identity_numbers_valid(seeded):
    from cases.models import Case, IdentityDocument
    from core.identity import normalize_and_validate

    documents = list(IdentityDocument.objects.all()[:60])
    assert documents
    for document in documents:
        assert normalize_and_validate(document.document_type, document.number) == document.number
    for case in Case.objects.all()[:20]:
        case.full_clean()
        assert case.number.startswith("ZH-")


def test_remittance_payments(seeded):
    from cases.models import ResidenceStatus
    from remittance.models import Batch, Payment, PaymentStatus, Recipient
    from core.money import mop_to_cny

    assert Batch.objects.count() == 3
    payments = list(Payment.objects.select_related("batch", "recipient__person"))
    assert len(payments) == 3 * Recipient.objects.filter(onboarding_status="activated").count()
    live = Counter((p.recipient_id, p.period) for p in payments
                   if p.status != PaymentStatus.CARRIED_OVER)
    assert max(live.values()) == 1
    for payment in payments:
        assert payment.amount_cny == mop_to_cny(payment.amount_mop, payment.batch.rate)
        assert payment.recipient.person.residence_status == ResidenceStatus.MACAU_RESIDENT
        assert payment.account_no == payment.recipient.card_account_no
    for batch in Batch.objects.all():
        sums = batch.payments.aggregate(mop=Sum("amount_mop"), cny=Sum("amount_cny"))
        assert (batch.total_mop, batch.total_cny) == (sums["mop"], sums["cny"])
        assert batch.payment_count == batch.payments.count()
        assert batch.approved_by_id != batch.prepared_by_id
        batch.full_clean()
    for recipient in Recipient.objects.all()[:20]:
        recipient.full_clean()


def test_tempaid_ledger_balances(seeded):
    from tempaid import services
    from tempaid.models import FUND_KIND_FOR_RESIDENCE, Application, Fund, LedgerEntry, Status

    funds = list(Fund.objects.all())
    assert sorted(fund.kind for fund in funds) == ["macau_special", "ordinary"]
    for fund in funds:
        entries = list(LedgerEntry.objects.filter(fund=fund).order_by("booked_at", "id"))
        balance = available = Decimal("0.00")
        for entry in entries:
            balance += entry.balance_delta
            available += entry.available_delta
            assert (balance, available) == (entry.balance_after, entry.available_after)
            assert balance >= 0 and available >= 0
        assert (fund.balance, fund.available) == (balance, available)
        assert fund.reserved == fund.balance - fund.available
        unpaid = Application.objects.filter(status=Status.APPROVED, fund=fund).aggregate(
            total=Sum("amount_approved"))["total"] or Decimal("0.00")
        assert fund.reserved == unpaid
    for application in Application.objects.exclude(fund=None).select_related("person", "fund"):
        if application.person.residence_status in FUND_KIND_FOR_RESIDENCE:
            assert application.fund.kind == FUND_KIND_FOR_RESIDENCE[
                application.person.residence_status]
    for application in Application.objects.select_related("policy")[:30]:
        application.full_clean()
        if application.policy:
            assert application.route == services.route_for(
                application.policy, application.amount_requested,
                is_fast_track=application.is_fast_track)
        assert application.paid_by_id is None or application.paid_by_id != application.decided_by_id


def test_infosharing_requests_rely_on_valid_authorizations(seeded):
    from infosharing.models import Bulletin, RequestStatus, VerificationRequest

    requests = list(VerificationRequest.objects.select_related("authorization"))
    assert requests
    for request in requests:
        request.full_clean()
        assert request.number.startswith("XC-")
        if request.sent_at:
            assert request.authorization.refusal(categories=request.categories,
                                                 side=request.receiving_side,
                                                 on=request.sent_at.date()) is None
        answered = request.status in (RequestStatus.ANSWERED, RequestStatus.CLOSED)
        assert answered == request.findings.exists()
        request.authorization.full_clean()
    assert Bulletin.objects.count() >= 2
    assert all(b.sections.count() == 3 and all(s.content for s in b.sections.all())
               for b in Bulletin.objects.all())


def test_partners_valid(seeded):
    from partners.models import Organisation, Referral, ServiceRecord
    from partners.services import validate_uscc

    for organisation in Organisation.objects.all():
        organisation.full_clean()
        if organisation.uscc:
            assert validate_uscc(organisation.uscc) == organisation.uscc
    for referral in Referral.objects.all()[:20]:
        referral.full_clean()
    records = list(ServiceRecord.objects.select_related("worker", "referral")[:50])
    assert records
    for record in records:
        record.full_clean()
        assert record.worker.organisation_id == record.organisation_id
        assert record.referral.status in ("accepted", "closed")


def test_pilot_progress_reports(seeded):
    from pilot.models import ProgressReport, TaskUnit

    reports = list(ProgressReport.objects.all()[:50])
    assert reports
    for report in reports:
        report.full_clean()
        assert TaskUnit.objects.filter(task=report.task_id, agency=report.agency_id).exists() \
            or report.reported_by.username == "city"


def test_macau_residents_carry_their_card_spelling_and_the_search_bench_finds_each_kind(seeded):
    from cases.bench_search import run
    from cases.models import Person, ResidenceStatus
    from cases.names import card_spellings

    residents = list(Person.objects.filter(residence_status=ResidenceStatus.MACAU_RESIDENT)[:20])
    assert residents
    for person in residents:
        assert person.name_latin == card_spellings(person.name_zh)[0].upper()
    lines = []
    results = run(count=5, repeats=1, usernames=("city",), explain=False, out=lines.append)
    assert len(results["kinds"]) == 6
    for kind, figures in results["kinds"].items():
        # the typo may land on another real name; every other kind finds its person
        if not kind.endswith("typo"):
            assert figures["with_hits"] == figures["of"] == 5, kind
        assert figures["queries"] <= 5, kind


def test_audit_trail_of_a_year(seeded):
    from datetime import timedelta

    from django.utils import timezone

    from core.models import AuditEvent, AuditOutcome
    from devtools.scale import AUDIT_ACTIONS

    generated = AuditEvent.objects.filter(action__in=AUDIT_ACTIONS, request_id__isnull=False,
                                          occurred_at__gte=timezone.now() - timedelta(days=366))
    assert generated.count() >= 2000  # 1,000,000 × 0.002
    for event in generated.order_by("?")[:50]:
        event.full_clean()
        assert event.object_type == event.action.split(".")[0]
        assert (event.outcome == AuditOutcome.DENIED) == (event.action == "access.denied")
    assert "2000 audit events" in seeded


def test_record_numbers_keep_every_digit_past_a_million(seeded):
    from django.db.models import IntegerField, Value

    from cases.models import Case
    from devtools.scale import padded_id

    for case in Case.objects.all()[:20]:
        assert case.number == f"ZH-{case.opened_at.year}-{case.pk:06d}"
    padded = (Case.objects.annotate(big=Value(1234567, output_field=IntegerField()),
                                    small=Value(42, output_field=IntegerField()))
              .annotate(big_text=padded_id("big"), small_text=padded_id("small"))
              .values_list("big_text", "small_text").first())
    assert padded == (f"{1234567:06d}", f"{42:06d}")


def test_bench_export_writes_the_whole_list(seeded):
    import re

    from cases.models import Case
    from core.models import ExportJob

    out = io.StringIO()
    call_command("bench_export", list="cases", user="city", stdout=out)
    rows = int(re.search(r"cases csv as city: (\d+) rows", out.getvalue()).group(1))
    assert rows == Case.objects.count()
    assert ExportJob.objects.get().file.name == ""  # the file is not kept
    assert "process peak" in out.getvalue()


def test_every_heavy_job_of_the_bench_runs(seeded, monkeypatch):
    """A job that fails reports an error and a missed goal, which a round could misread as a
    measurement (the batch job ran as a role that may no longer make batches)."""
    from devtools import benchmark

    monkeypatch.setattr("remittance.bench_scale.ROSTER_ROWS", 200)
    results = benchmark.run_jobs(io.StringIO())
    assert [(job["job"], job["error"]) for job in results if job.get("error")] == []
    assert len(results) >= 4


def test_audit_trail_runs_past_the_row_where_its_arithmetic_left_32_bits(demo):
    """Row 271,177 times the stride 7919 is past 2**31: the series is counted in bigint."""
    from django.contrib.auth import get_user_model

    from core.models import AuditEvent
    from devtools.scale import AUDIT_ACTIONS, Sizes, generate_audit

    users = get_user_model().objects.filter(staff__agency__isnull=False)[:3]
    out = io.StringIO()
    generate_audit({"users": {user.username: user for user in users}},
                   Sizes(audit_events=272_000), out)
    assert "272000 audit events" in out.getvalue()
    assert AuditEvent.objects.filter(action__in=AUDIT_ACTIONS,
                                     request_id__isnull=False).count() >= 272_000
