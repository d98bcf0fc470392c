"""The shared export toolkit (web.exports): cells, streaming in bounded memory, the background
job through a real Celery worker, the owner-only download and its audit. Every list's export
against its page: tests/hardening/test_list_exports.py."""
from __future__ import annotations

import csv
import io
import tracemalloc
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.cases import cases_factories as factories
from core.audit import AuditEvent
from web.exports import cell, csv_chunks, export_job_run
from web.listing import Column, ListQuery, ListSpec
from core.models import ExportJob, Notification

pytestmark = [pytest.mark.postgres]


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "=HYPERLINK(\"x\")"])
def test_a_cell_that_would_be_a_formula_is_text(text):
    assert cell(text) == "'" + text


def test_numbers_dates_and_empty_values_stay_what_they_are():
    from decimal import Decimal

    assert cell(Decimal("-500.00")) == Decimal("-500.00")
    assert cell(None) == ""
    assert cell(timezone.now().date()).count("-") == 2


def _csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_case_csv_is_streamed_masked_and_audited(client_for, users):
    number = factories.mainland_id(seq=7)
    person = factories.person(users["district"], name="=cmd|' /C calc'!A0", number=number)
    factories.case(users["district"], person)
    response = client_for("district").get(reverse("cases:case_export"), {"format": "csv"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].endswith('.csv"')
    assert "no-store" in response["Cache-Control"]
    rows = _csv(response)
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert number not in str(rows) and "*" in rows[1][2]
    event = AuditEvent.objects.get(action="case.export")
    assert event.changes["rows"] == 1 and event.changes["format"] == "csv"
    assert event.changes["list"] == "cases"


def test_an_unknown_format_is_excel_not_an_error(client_for, users):
    factories.case(users["district"])
    response = client_for("district").get(reverse("cases:case_export"), {"format": "../../x"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def _audit_spec() -> ListSpec:
    """A list over the audit trail: cheap to fill with 100,000 rows."""
    def query(user, params):
        return ListQuery(AuditEvent.objects.all())

    return ListSpec(key="audit-test", title="audit", url_name="audit_list",
                    export_url_name="audit_list", roles=(), object_type="zhuao.auditevent",
                    query=query, sorts={"id": ("id",)}, default_sort="id",
                    columns=lambda: [Column("id", lambda event: event.pk),
                                     Column("action", lambda event: event.action),
                                     Column("summary", lambda event: event.summary),
                                     Column("at", lambda event: event.occurred_at)])


def test_a_100k_row_csv_is_written_in_bounded_memory(db):
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        [AuditEvent(occurred_at=now, action="test.row", summary=f"row {index} " + "x" * 60)
         for index in range(100_000)], batch_size=10_000)
    queryset = AuditEvent.objects.filter(action="test.row").order_by("id")
    pieces = csv_chunks(_audit_spec(), queryset)
    assert next(pieces) == "\ufeff".encode()  # a generator: nothing read before it is asked
    tracemalloc.start()
    total = lines = 0
    for piece in pieces:
        total += len(piece)
        lines += piece.count(b"\n")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert lines == 100_001 and total > 9_000_000
    # holding the rows would take far more than the CSV itself (100,000 model instances)
    assert peak < 8_000_000, f"peak {peak} bytes for {total} bytes of CSV"


def _long_list(users, count=3):
    for _index in range(count):
        factories.case(users["district"])


def test_a_long_list_becomes_a_job_and_only_its_owner_downloads_it(client_for, users, settings):
    settings.EXPORT_BACKGROUND_ROWS = 2
    _long_list(users)
    client = client_for("district")
    response = client.get(reverse("cases:case_export"), {"format": "csv", "status": "open"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("export_status",
                                                                           args=[job.pk])
    assert job.owner == users["district"] and job.rows_total == 3 and job.status == "queued"
    assert AuditEvent.objects.filter(action="case.export", changes__background=True,
                                     changes__rows=3, changes__status="open").exists()
    page = client.get(reverse("export_status", args=[job.pk]))
    assert page.status_code == 200 and b"data-poll-url" in page.content
    export_job_run(job_id=job.pk)  # what the worker runs (through the worker: the test below)
    job.refresh_from_db()
    assert job.status == "done" and job.params == "" and job.rows_done == 3
    status = client.get(reverse("export_status", args=[job.pk]),
                        HTTP_ACCEPT="application/json").json()
    assert status["done"] and status["percent"] == 100 and status["download_url"]
    download = client.get(reverse("export_download", args=[job.pk]))
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 4
    assert AuditEvent.objects.filter(action="export.download", outcome="success").count() == 1
    for other in ("city", "district2", "admin"):
        for name in ("export_status", "export_download"):
            refused = client_for(other).get(reverse(name, args=[job.pk]))
            assert refused.status_code == 404, (other, name)
    assert AuditEvent.objects.filter(action="export.download", outcome="denied").count() == 6
    anonymous = client_for("anonymous").get(reverse("export_download", args=[job.pk]))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    notice = Notification.objects.get(recipient=users["district"], kind="export.ready")
    assert notice.url == reverse("export_status", args=[job.pk])


def test_a_job_run_twice_writes_once(client_for, users, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1
    _long_list(users, 2)
    client_for("district").get(reverse("cases:case_export"))
    job = ExportJob.objects.get()
    export_job_run(job_id=job.pk)
    name = ExportJob.objects.get().file.name
    export_job_run(job_id=job.pk)
    assert ExportJob.objects.get().file.name == name
    assert Notification.objects.filter(kind="export.ready").count() == 1


@pytest.mark.redis
@pytest.mark.worker
def test_background_export_through_a_real_worker(transactional_db, users, client_for, settings,
                                                  celery_worker_factory):
    from openpyxl import load_workbook

    from tests.conftest import wait_for

    settings.EXPORT_BACKGROUND_ROWS = 2
    celery_worker_factory()
    number = factories.mainland_id(seq=5)
    factories.case(users["district"], factories.person(users["district"], number=number,
                                                       name="+SUM(1)"))
    _long_list(users, 2)
    client = client_for("district")
    response = client.get(reverse("cases:case_export"), {"format": "xlsx"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == "done", timeout=60,
             message="the worker did not write the export")
    notice = wait_for(lambda: Notification.objects.filter(recipient=users["district"],
                                                          kind="export.ready").first())
    assert notice.url == reverse("export_status", args=[job.pk])
    download = client.get(reverse("export_download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3 and "'+SUM(1)" in [row[1] for row in rows]
    assert number not in str(rows)
    assert client_for("city").get(reverse("export_download", args=[job.pk])).status_code == 404
