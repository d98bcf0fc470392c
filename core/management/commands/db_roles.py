"""``manage.py db_roles``: as the owner, after ``migrate``, give the application's role its rows.

The role's name and password come from ``APP_DATABASE_URL`` (the URL the web, worker and beat
use as their ``DATABASE_URL``), or from ``--role`` and ``APP_DATABASE_PASSWORD``. Safe to run
on every deployment: it changes nothing when the grants are already in place."""
import os

import environ
from django.core.management.base import BaseCommand, CommandError

from core.database_roles import grant_application_role
from core.errors import ApplicationError


class Command(BaseCommand):
    help = ("Create the application's database role and grant it row access: INSERT and "
            "SELECT only on the audit trail, no ownership. Run as the owner after migrate.")

    def add_arguments(self, parser):
        parser.add_argument("--role", help="the application's role (default: the user of "
                                           "APP_DATABASE_URL)")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        role = options["role"]
        password = os.environ.get("APP_DATABASE_PASSWORD") or None
        url = os.environ.get("APP_DATABASE_URL")
        if url:
            config = environ.Env.db_url_config(url)
            role = role or config.get("USER")
            password = password or config.get("PASSWORD") or None
        if not role:
            raise CommandError("Name the application's role: --role or APP_DATABASE_URL.")
        try:
            report = grant_application_role(role=role, password=password,
                                            using=options["database"])
        except ApplicationError as error:
            raise CommandError(str(error)) from error
        verb = "created" if report.created else "checked"
        self.stdout.write(self.style.SUCCESS(
            f"Role {report.role} {verb}: row access to {report.tables} tables, "
            f"INSERT and SELECT only on the audit trail."))
