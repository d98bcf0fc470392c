"""The migration that brings the batches' tallies counts the batches an existing database
holds, carried-over and failed payments included."""
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from remittance import services
from remittance.models import Batch, BatchTally

from remittance_factories import activated, checker, result_file, row

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())


def test_the_migration_counts_the_batches_already_paid(users):
    activated(users["finwork"], [row(n, monthly_amount_mop=f"{1000 + n}.25") for n in range(1, 5)])
    batches = []
    for month, results in ((7, ("FAILED", "PAID", "PAID")), (8, ())):
        batch = services.batch_prepare(actor=users["city"], period=date(2022, month, 1),
                                       rate=Decimal("0.87"), rate_date=date(2022, 6, 30),
                                       rate_source="test")
        if results:
            services.batch_approve(actor=checker(), batch=batch)
            batch = services.batch_export(actor=users["finwork"], batch=batch)
            references = batch.payments.order_by("reference").values_list("reference", flat=True)
            services.batch_result_import(
                actor=users["finwork"], batch=batch,
                uploaded_file=result_file(list(zip(references, results, "abc", "xyz"))))
        batches.append(batch)
    kept = {(tally.batch_id, tally.status): (tally.count, tally.amount_mop, tally.amount_cny)
            for tally in BatchTally.objects.all()}
    assert kept[(batches[0].pk, "carried_over")][0] == 1  # July's failure is in August
    assert kept[(batches[0].pk, "pending")][0] == 1

    _migrate([("remittance", "0009_payment_autovacuum")])
    _migrate(None)
    assert {(tally.batch_id, tally.status): (tally.count, tally.amount_mop, tally.amount_cny)
            for tally in BatchTally.objects.all()} == kept
    assert [batch.carried_in_count for batch in Batch.objects.order_by("period")] == [0, 1]
