from django.core.management.base import BaseCommand

from core.roles import sync_role_permissions
from core.schedules import ensure_schedules


class Command(BaseCommand):
    help = "Give the role groups the permissions the apps declare, and create missing schedules."

    def handle(self, *args, **options):
        sync_role_permissions()
        created = ensure_schedules()
        self.stdout.write(self.style.SUCCESS(f"Roles synchronised; {created} new schedules."))
