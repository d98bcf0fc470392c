"""Count every batch's payments afresh and compare with the batch's stored tallies."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from core.audit import audit_record
from remittance.models import Batch
from remittance.services import recount_tallies


def _figures(batch: Batch) -> dict[str, str]:
    """The batch's stored figures, one text per status: "count / MOP / CNY"."""
    return {"carried_in": str(batch.carried_in_count),
            **{tally.status: f"{tally.count} / {tally.amount_mop} / {tally.amount_cny}"
               for tally in batch.tallies.all()}}


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
            if recount_tallies(batch, fix=False):
                continue
            wrong.append(batch.number)
            if fix:
                before = _figures(batch)
                recount_tallies(batch)
                after = _figures(batch)
                audit_record(actor=None, action="batch.recount", obj=batch,
                             summary=gettext("tallies rewritten from the payments"),
                             changes={key: f"{before.get(key, '—')} → {value}"
                                      for key, value in after.items()
                                      if before.get(key) != value})
        if wrong and not fix:
            raise CommandError(f"{len(wrong)} batch(es) whose tallies differ from their "
                               f"payments: {', '.join(wrong[:20])}. Run batch_recount --fix.")
        self.stdout.write(f"{len(wrong)} batch(es) rewritten: {', '.join(wrong[:20])}." if wrong
                          else "Every batch's tallies equal its payments.")
