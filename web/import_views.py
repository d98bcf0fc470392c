"""The pages every spreadsheet import shares (people and households, service records): upload
and the earlier imports, the preview with its row-level error report and the confirm, and the
template download. Each app's view checks the role and names its services; these functions do
the rest, so the pages look and behave alike."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ApplicationError
from core.files import CONTENT_TYPES, FileKind
from web.forms import add_service_error
from web.imports import column_label, get_import_for, import_discard, imports_listed, template_workbook
from web.pagination import page_of


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (XLSX or CSV)"))


def upload_page(request, *, kind: str, preview, title, detail_url: str, template_url: str,
                explanation):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = preview(actor=request.user, uploaded_file=form.cleaned_data["file"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return redirect(detail_url, pk=run.pk)
    page = page_of(request, imports_listed(request.user, kind), 20)
    return render(request, "imports/upload.html", {
        "form": form, "page": page, "title": title, "detail_url": detail_url,
        "template_url": template_url, "explanation": explanation},
        status=400 if form.errors else 200)


def detail_page(request, pk, *, kind: str, commit, columns, title, list_url: str,
                shown_columns: list[str], done_message, display: dict | None = None):
    """``display``: column key -> {stored code: label} for the preview table."""
    run = get_import_for(request.user, kind, pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "discard":
                import_discard(actor=request.user, import_run=run)
                messages.info(request, _("The import was discarded. Nothing was saved."))
            else:
                run = commit(actor=request.user, import_run=run)
                messages.success(request, done_message % run.summary)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        return redirect(request.path)
    preview = run.preview or {}
    errors = [{**error, "label": column_label(columns, error["column"])}
              for error in preview.get("errors", [])]
    display = display or {}
    rows = [[row["row"]] + [display.get(key, {}).get(row.get(key, ""), row.get(key, ""))
                            for key in shown_columns]
            for row in preview.get("rows", [])[:500]]
    return render(request, "imports/detail.html", {
        "run": run, "errors": errors, "warnings": preview.get("warnings", []), "rows": rows,
        "more_rows": max(0, run.valid_count - 500), "title": title, "list_url": list_url,
        "headers": [column_label(columns, key) for key in shown_columns]})


def template_response(columns, *, file_name: str, sheet_title: str, introduction) -> HttpResponse:
    data = template_workbook(columns, sheet_title=sheet_title,
                             instructions_title=_("Instructions"), introduction=introduction)
    response = HttpResponse(data, content_type=CONTENT_TYPES[FileKind.XLSX])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
