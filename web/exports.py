"""Excel and CSV out of every list (web.listing): one toolkit for all of them.

- The rows are the list's own (``spec.query``: visibility and filters), sorted as the page.
- Identity numbers are masked by the columns (core.identity.mask); every cell goes through
  ``safe_cell`` so that a spreadsheet never reads text as a formula.
- Nothing holds the whole list: rows are read in chunks (``iterator``), CSV is streamed
  (``StreamingHttpResponse``, UTF-8 with a byte-order mark so Excel reads Chinese), XLSX is
  written by openpyxl's write-only workbook to a temporary file.
- A list longer than ``settings.EXPORT_BACKGROUND_ROWS`` is exported by a Celery job
  (``zhuao.run_export``): the file goes to the protected media storage, the owner gets an inbox
  notice with the link, the status page shows the progress. Only the owner downloads it.
- Every export is audited (who, which list, which filters, how many rows, which format)."""
from __future__ import annotations

import csv
import io
import logging
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.contrib import messages
from django.core.files import File
from django.db import transaction
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_bulk_read, audit_record
from core.files import safe_cell
from core.messages import Text
from core.models import ExportJob, ExportStatus
from core.notifications import notify_users
from web.listing import ListSpec, filter_params, sorted_queryset, spec_for
from zhuao.celery import enqueue_after_commit

logger = logging.getLogger(__name__)

FORMATS = ("xlsx", "csv")
CHUNK = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(value):
    """A value as a spreadsheet cell: dates and times as local text, amounts as numbers."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(
            value) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (int, float, Decimal)):
        return value
    return safe_cell(str(value))


def rows(spec: ListSpec, queryset, *, progress=None) -> Iterator[list]:
    """The header, then one list of cells per record, reading ``CHUNK`` records at a time."""
    columns = spec.columns()
    yield [str(column.header) for column in columns]
    records = queryset.iterator(chunk_size=CHUNK)
    done = 0
    while True:
        chunk = list(islice(records, CHUNK))
        if not chunk:
            break
        if spec.prepare is not None:
            spec.prepare(chunk)
        for record in chunk:
            yield [cell(column.value(record)) for column in columns]
        done += len(chunk)
        if progress is not None:
            progress(done)


def csv_chunks(spec: ListSpec, queryset, *, progress=None) -> Iterator[bytes]:
    """CSV bytes, a few hundred rows per piece, starting with the UTF-8 byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff".encode()
    for number, row in enumerate(rows(spec, queryset, progress=progress)):
        writer.writerow(row)
        if number % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def write_xlsx(spec: ListSpec, queryset, target, *, progress=None) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(spec.title)[:31])
    for row in rows(spec, queryset, progress=progress):
        sheet.append(row)
    workbook.save(target)


def write_csv(spec: ListSpec, queryset, target, *, progress=None) -> None:
    for piece in csv_chunks(spec, queryset, progress=progress):
        target.write(piece)


def filename(spec: ListSpec, fmt: str) -> str:
    return f"{spec.key}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"


def export_queryset(spec: ListSpec, user, params: QueryDict):
    """The list's rows for ``user`` with ``params`` (its filters and its ``sort``)."""
    list_query = spec.query(user, filter_params(params))
    return sorted_queryset(spec, list_query.queryset, params.get("sort", "")), list_query.filters


def audit_export(*, actor, spec: ListSpec, rows_count: int, filters: dict, fmt: str,
                 background: bool = False):
    extra = {"list": spec.key, "format": fmt}
    if background:
        extra["background"] = True
    action = spec.object_type.rsplit(".", 1)[-1] + ".export"  # case.export, payment.export
    return audit_bulk_read(actor=actor, action=action, object_type=spec.object_type,
                           rows=rows_count, filters=filters, **extra)


def export_job_start(*, actor, spec: ListSpec, params: QueryDict, fmt: str, rows_count: int,
                     filters: dict):
    """Queue the export of a long list; the job runs after the commit."""
    with transaction.atomic():
        job = ExportJob.objects.create(owner=actor, list_key=spec.key, file_format=fmt,
                                       params=params.urlencode(), rows_total=rows_count)
        audit_export(actor=actor, spec=spec, rows_count=rows_count, filters=filters, fmt=fmt,
                     background=True)
        audit_record(actor=actor, action="export.request", obj=job,
                     changes={"list": spec.key, "format": fmt})
        enqueue_after_commit("zhuao.run_export", job.pk)
    return job


def export_job_run(*, job_id: int):
    """Write the file of a queued export as its owner sees the list (idempotent: a finished
    job is left alone). The filters are forgotten once the file exists."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("owner").get(pk=job_id)
        if job.status in (ExportStatus.DONE, ExportStatus.FAILED):
            return job
        job.status = ExportStatus.RUNNING
        job.save(update_fields=["status"])
    spec = spec_for(job.list_key)
    try:
        queryset, _filters = export_queryset(spec, job.owner, QueryDict(job.params))

        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

        with tempfile.TemporaryFile() as handle:
            (write_xlsx if job.file_format == "xlsx" else write_csv)(
                spec, queryset, handle, progress=progress)
            handle.seek(0)
            job.file.save(f"{spec.key}.{job.file_format}", File(handle), save=False)
    except Exception as error:  # noqa: BLE001 - shown to the owner, then logged
        logger.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED,
                                                   error=str(error)[:500],
                                                   finished_at=timezone.now())
        job.refresh_from_db()
        return job
    with transaction.atomic():
        job.status = ExportStatus.DONE
        job.finished_at = timezone.now()
        job.params = ""
        job.rows_done = ExportJob.objects.get(pk=job.pk).rows_done
        job.save(update_fields=["status", "finished_at", "file", "params", "rows_done"])
        notify_users(recipients=[job.owner], title=gettext_lazy("Your export is ready"),
                     body=Text(gettext_lazy("The file can be downloaded for %(days)s days."),
                               days=settings.EXPORT_KEEP_DAYS),
                     url=reverse("export_status", args=[job.pk]), kind="export.ready",
                     email=False)
    return job


def get_export_job_for(user, pk):
    """The user's own export job; any other answers 404 (and the refusal is audited)."""
    job = ExportJob.objects.filter(pk=pk, owner=user).first() if str(pk).isdigit() else None
    if job is None:
        audit_record(actor=user, action="export.download", object_type="zhuao.exportjob",
                     object_id=str(pk)[:40], outcome="denied")
        raise Http404
    return job


def export_response(request, spec: ListSpec, params: QueryDict | None = None):
    """The answer to a list's export link: the file, streamed (CSV) or written to a temporary
    file (XLSX), or, for a list longer than the threshold, a background job and its status
    page. ``params`` are the list's filters as its page reads them (default: the address)."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        fmt = "xlsx"
    params = (params if params is not None else request.GET).copy()
    for name in ("page", "per_page", "format"):
        params.pop(name, None)
    if "sort" in request.GET:
        params["sort"] = request.GET["sort"]
    queryset, filters = export_queryset(spec, request.user, params)
    threshold = settings.EXPORT_BACKGROUND_ROWS
    count = queryset.order_by()[:threshold + 1].count()
    if count > threshold:
        job = export_job_start(actor=request.user, spec=spec, params=params, fmt=fmt,
                               rows_count=queryset.order_by().count(), filters=filters)
        messages.info(request, _("The list is long: the file is being written. You will find "
                                 "the link in your inbox."))
        return HttpResponseRedirect(reverse("export_status", args=[job.pk]))
    audit_export(actor=request.user, spec=spec, rows_count=count, filters=filters, fmt=fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(spec, queryset),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename(spec, fmt)}"'
    else:  # at most the threshold's rows: longer lists went to the background job above
        buffer = io.BytesIO()
        write_xlsx(spec, queryset, buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename(spec, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
