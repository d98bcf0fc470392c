"""Benchmark (not a test): import a generated 20,000-row roster and prepare a 20,000-payment
batch, printing rows per second and the queries used. Run it on a scratch database:

    python manage.py bench_remittance --rows 20000

It creates (and leaves) data; use a throw-away DATABASE_URL."""
from __future__ import annotations

import datetime
import time
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from devtools import demo

from . import services
from .demo import roster_csv, second_city_officer
from .models import OnboardingStatus, Recipient


def _measure(label, function, rows, out):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
    out(f"{label}: {rows:,} rows in {elapsed:.2f} s = {rows / elapsed:,.0f} rows/s, "
        f"{len(queries):,} queries")
    return result


def run(*, rows: int = 20_000, out=print) -> dict:
    base = demo.seed()
    users = base["users"]
    actor, maker, checker = users["finwork"], users["city"], second_city_officer(base["agencies"])
    data = roster_csv(rows, seed=99)
    out(f"roster file: {len(data) / 1024 / 1024:.1f} MB CSV")
    upload = SimpleUploadedFile("bench.csv", data)
    run_ = _measure("preview (read + check + match)", lambda: services.roster_import_preview(
        actor=actor, uploaded_file=upload), rows, out)
    assert run_.error_count == 0, run_.preview["errors"][:5]
    _measure("commit (register people + roster)", lambda: services.roster_import_commit(
        actor=actor, import_run=run_), rows, out)
    again = _measure("re-import preview (no changes)", lambda: services.roster_import_preview(
        actor=actor, uploaded_file=SimpleUploadedFile("bench.csv", data)), rows, out)
    _measure("re-import commit (no-op)", lambda: services.roster_import_commit(
        actor=actor, import_run=again), rows, out)

    # Every recipient gets an activated card (bulk: the benchmark is about the batch).
    with transaction.atomic():
        Recipient.objects.filter(card_account_no="").update(
            onboarding_status=OnboardingStatus.ACTIVATED, card_account_no="621700000000000001")
    period = datetime.date(2031, 1, 1)
    batch = _measure("batch prepare", lambda: services.batch_prepare(
        actor=maker, period=period, rate=Decimal("0.873215"),
        rate_date=datetime.date.today(), rate_source="bench"), rows, out)
    _measure("batch approve", lambda: services.batch_approve(actor=checker, batch=batch), 1, out)
    _measure("bank file export", lambda: services.batch_export(actor=actor, batch=batch),
             rows, out)
    out(f"batch {batch.number}: {batch.payment_count:,} payments, MOP {batch.total_mop:,}, "
        f"CNY {batch.total_cny:,}")
    return {"batch": batch.pk}
