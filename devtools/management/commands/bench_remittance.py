from django.core.management.base import BaseCommand

from remittance.bench import run


class Command(BaseCommand):
    help = "Time a 20,000-row roster import and a 20,000-payment batch (use a scratch database)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=20_000)

    def handle(self, *args, rows, **options):
        run(rows=rows, out=self.stdout.write)
