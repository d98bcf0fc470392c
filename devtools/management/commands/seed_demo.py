from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from core.schedules import ensure_schedules
from core.workstreams import WORKSTREAMS
from devtools import demo


class Command(BaseCommand):
    help = "Create the demo agencies, one user per role, and each workstream's demo data (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            base = demo.seed()
        for app_name in WORKSTREAMS:
            try:
                module = import_module(f"{app_name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app_name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(base)
            self.stdout.write(f"  {app_name}: demo data ready")
        created = ensure_schedules()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready ({len(base['users'])} users; {created} new schedules)."))
