import time
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cases.models import Case
from core.workstreams import WORKSTREAMS
from devtools import demo
from devtools.scale import Sizes, generate_audit


class Command(BaseCommand):
    help = ("Fill an empty database with realistic, valid data at scale (default: 100,000 people "
            "and cases, 20,000 remittance recipients, …). Use --factor 0.01 for a quick run.")

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=1.0, help="multiply every size")
        for name, default in Sizes().__dict__.items():
            parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=None,
                                help=f"default {default} (times --factor)")

    def handle(self, *args, **options):
        if Case.objects.exists():
            raise CommandError("seed_scale needs a database without cases (use a fresh one).")
        sizes = Sizes().scaled(options["factor"])
        for name in sizes.__dataclass_fields__:
            if options.get(name) is not None:
                setattr(sizes, name, options[name])
        self.stdout.write(f"Sizes: {sizes}")
        started = time.monotonic()
        with transaction.atomic():
            base = demo.seed()
        finishers = []
        for app_name in WORKSTREAMS:
            try:
                module = import_module(f"{app_name}.scale")
            except ModuleNotFoundError as error:
                if error.name != f"{app_name}.scale":
                    raise
                self.stdout.write(f"  {app_name}: no generator")
                continue
            step = time.monotonic()
            with transaction.atomic():
                module.generate(base, sizes, self.stdout)
            self.stdout.write(f"  {app_name}: {time.monotonic() - step:.1f} s")
            if hasattr(module, "finish"):
                finishers.append((app_name, module.finish))
        # ``finish(base, sizes, stdout)``: work that needs every workstream's data (bulletins).
        for app_name, finish in finishers:
            step = time.monotonic()
            with transaction.atomic():
                finish(base, sizes, self.stdout)
            self.stdout.write(f"  {app_name} (finish): {time.monotonic() - step:.1f} s")
        step = time.monotonic()
        with transaction.atomic():
            generate_audit(base, sizes, self.stdout)
        self.stdout.write(f"  audit trail: {time.monotonic() - step:.1f} s")
        if connection.vendor == "postgresql":
            # What autovacuum does in time to a table loaded and left: statistics for the
            # planner, and pages marked all-visible so that index-only scans skip the table.
            # VACUUM cannot run in a transaction (a test's): there, statistics only.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))
