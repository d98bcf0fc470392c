"""Heavy jobs of the remittance workstream for ``manage.py bench`` (devtools.benchmark runs each
inside a transaction that is rolled back, so the scale database is left as it was):
a 20,000-row roster import (preview + commit, the same services as the upload page) and the
preparation of a batch for the current month (one payment per payable recipient: 20,000 on
the seed_scale data)."""
from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from devtools.benchmark import BenchJob

from . import services
from .demo import roster_csv

ROSTER_ROWS = 20_000
#: The roster's ID numbers start past the scale data's Macau residents (``devtools.scale.
#: macau_id`` numbers them up to a third of the people: 333,333 at a million), so that the
#: import registers new people, as at 100,000, instead of meeting the generated ones.
ROSTER_ID_BASE = 900_000


def roster_import() -> int:
    actor = get_user_model().objects.get(username="finwork")
    upload = SimpleUploadedFile("bench-roster.csv",
                                roster_csv(ROSTER_ROWS, seed=99, id_base=ROSTER_ID_BASE),
                                content_type="text/csv")
    run = services.roster_import_preview(actor=actor, uploaded_file=upload)
    if run.error_count:
        raise RuntimeError(f"roster preview found {run.error_count} errors")
    services.roster_import_commit(actor=actor, import_run=run)
    return ROSTER_ROWS


def batch_prepare() -> int:
    actor = get_user_model().objects.get(username="city")  # the maker (permissions.MAKER_ROLES)
    today = timezone.localdate()
    batch = services.batch_prepare(actor=actor, period=today.replace(day=1),
                                   rate=Decimal("0.873215"), rate_date=today,
                                   rate_source="bench")
    return batch.payment_count


JOBS = [BenchJob("remittance: roster import (preview + commit)", roster_import,
                 min_rows_per_second=2_000),
        BenchJob("remittance: batch preparation", batch_prepare, max_seconds=5)]
