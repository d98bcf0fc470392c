"""Count every batch's payments afresh and compare with the batch's stored tallies."""
from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_record
from remittance.models import Batch
from remittance.services import recount_tallies


class Command(BaseCommand):
    help = ("Count every disbursement batch's payments by result and compare with the counts "
            "and totals the batch's page shows; exit 1 when any differ. --fix rewrites them "
            "from the payments (audited).")

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true",
                            help="write the counted figures where they differ")

    def handle(self, *args, fix=False, **options):
        wrong = []
        for batch in Batch.objects.order_by("pk").iterator(chunk_size=100):
            if not recount_tallies(batch, fix=fix):
                wrong.append(batch.number)
                if fix:
                    audit_record(actor=None, action="batch.recount", obj=batch,
                                 summary="tallies rewritten from the payments")
        if wrong and not fix:
            raise CommandError(f"{len(wrong)} batch(es) whose tallies differ from their "
                               f"payments: {', '.join(wrong[:20])}. Run batch_recount --fix.")
        self.stdout.write(f"{len(wrong)} batch(es) rewritten: {', '.join(wrong[:20])}." if wrong
                          else "Every batch's tallies equal its payments.")
