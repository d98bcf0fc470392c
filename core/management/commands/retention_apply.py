from django.core.management.base import BaseCommand

from core.retention import apply_retention, collect_rules, retention_days


class Command(BaseCommand):
    help = "Anonymise personal data past its retention period (what the nightly job does)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Only count what would be anonymised.")

    def handle(self, *args, dry_run=False, **options):
        rules, _holds = collect_rules()
        report = apply_retention(dry_run=dry_run)
        for rule in rules:
            self.stdout.write(f"{rule.name}: {report.counts.get(rule.name, 0)} "
                              f"({'would be ' if dry_run else ''}anonymised; "
                              f"period {retention_days(rule.name, rule.default_days)} days)")
