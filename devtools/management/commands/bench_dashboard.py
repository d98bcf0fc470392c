"""Benchmark (not a test): the leadership dashboard's queries and time, and the year-end report's
generation time, on the configured database, at whatever scale it holds (the scale generator
is a separate command). Target from issue 8: a fixed number of queries whatever the number of
rows, and the report in under 30 s at 100k cases and 20k recipients.

    python manage.py bench_dashboard            # 5 dashboard runs, per-workstream detail, report
    python manage.py bench_dashboard --quick    # one run, report rendered once
"""
from __future__ import annotations

import statistics
import time

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.cache import figures_key
from core.roles import Role
from pilot.dashboard import FIGURES_NAME, METRIC_APPS, figures_params, load_figures
from pilot.models import PilotReport, Plan
from pilot.report import render_report_pdf
from pilot.selectors import current_plan
from pilot.views import dashboard

REPORT_TARGET_SECONDS = 30


class Command(BaseCommand):
    help = "Measure the pilot dashboard (queries, time) and the pilot report's generation time."

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="one run of each measurement")
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--year", type=int, help="plan year (default: the current plan)")
        parser.add_argument("--district", default="", help="district code filter")
        parser.add_argument("--no-report", action="store_true", help="skip the PDF")

    def handle(self, *args, **options):
        plan = (Plan.objects.filter(year=options["year"]).first() if options["year"]
                else current_plan())
        if plan is None:
            raise CommandError("No pilot plan in this database (run migrate / seed_demo).")
        runs = 1 if options["quick"] else max(options["runs"], 1)
        district = options["district"]
        self.stdout.write(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
        self._scale()

        self.stdout.write("\nPer workstream (metrics.figures):")
        for app in METRIC_APPS:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                figures, reason = load_figures(app, start=plan.starts_on, end=plan.ends_on,
                                               district=district)
                elapsed = time.perf_counter() - started
            state = "ok" if figures is not None else f"not available ({reason})"
            self.stdout.write(f"  {app:12} {len(queries):3d} queries {elapsed * 1000:8.1f} ms  "
                              f"{state}")

        self.stdout.write(f"\nDashboard page, uncached ({runs} run(s)):")
        viewer = self._viewer()
        timings, counts = [], []
        for _run in range(runs):
            cache.delete(figures_key(FIGURES_NAME, **figures_params(
                plan=plan, start=plan.starts_on, end=plan.ends_on, district=district,
                today=_today())))
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                status = self._render_dashboard(viewer, district)
                timings.append(time.perf_counter() - started)
            counts.append(len(queries))
        self.stdout.write(f"  status {status}; queries per render: {sorted(set(counts))}; "
                          f"median {statistics.median(timings) * 1000:.1f} ms, "
                          f"max {max(timings) * 1000:.1f} ms")
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            self._render_dashboard(viewer, district)
            cached = time.perf_counter() - started
        self.stdout.write(f"  cached: {len(queries)} queries, {cached * 1000:.1f} ms")

        if not options["no_report"]:
            self._report(plan, district, runs=1 if options["quick"] else 2)

    def _scale(self):
        rows = []
        for label in ["cases.Case", "cases.Person", "remittance.Recipient",
                      "tempaid.Application", "partners.Referral", "pilot.ProgressReport"]:
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError):
                continue
            rows.append(f"{label}={model._default_manager.count():,}")
        self.stdout.write("Scale: " + (", ".join(rows) or "unknown"))

    def _viewer(self):
        user = (get_user_model().objects.filter(groups__name=Role.LEADERSHIP, is_active=True,
                                                staff__isnull=False).first()
                or get_user_model().objects.filter(groups__name=Role.CITY, is_active=True,
                                                   staff__isnull=False).first())
        if user is None:
            raise CommandError("No leadership or city user to render the dashboard as.")
        return user

    def _render_dashboard(self, user, district: str) -> int:
        request = RequestFactory().get("/pilot/dashboard/",
                                       {"district": district} if district else {})
        request.user = user
        request.session = {}
        response = dashboard(request)
        return response.status_code

    def _report(self, plan, district: str, *, runs: int):
        self.stdout.write(f"\nPilot report PDF ({runs} run(s), rendered in memory, not stored):")
        report = PilotReport(plan=plan, period_start=plan.starts_on, period_end=plan.ends_on,
                             district=district)
        for _run in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                pdf = render_report_pdf(report)
                elapsed = time.perf_counter() - started
            verdict = "within" if elapsed < REPORT_TARGET_SECONDS else "OVER"
            self.stdout.write(f"  {elapsed:.2f} s, {len(queries)} queries, {len(pdf):,} bytes "
                              f"({verdict} the {REPORT_TARGET_SECONDS} s target)")


def _today():
    return timezone.localdate()
