"""Not a test: measures a 100,000-row export (python -m pytest tests/zhuao/bench_export_100k.py -s)."""
import tempfile
import time
import tracemalloc

from django.utils import timezone

from tests.zhuao.test_exports import _audit_spec
from core.audit import AuditEvent
from web.exports import csv_chunks, write_xlsx


def test_measure(db):
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        [AuditEvent(occurred_at=now, action="test.row", summary=f"row {index} " + "x" * 60)
         for index in range(100_000)], batch_size=10_000)
    queryset = AuditEvent.objects.filter(action="test.row").order_by("id")
    spec = _audit_spec()
    for label, run in (("csv", lambda handle: [handle.write(piece) for piece in
                                               csv_chunks(spec, queryset)]),
                       ("xlsx", lambda handle: write_xlsx(spec, queryset, handle))):
        with tempfile.TemporaryFile() as handle:
            started = time.perf_counter()
            run(handle)
            elapsed = time.perf_counter() - started
            size = handle.tell()
        tracemalloc.start()
        with tempfile.TemporaryFile() as handle:
            run(handle)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"\nBENCH {label}: {elapsed:.1f} s, file {size / 1e6:.1f} MB, "
              f"peak Python memory {peak / 1e6:.1f} MB")
