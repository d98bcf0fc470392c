"""The pilot's progress reports as web.listing defines them: one query for page, export and
background job."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from web.listing import Column, ListQuery, ListSpec, register
from core.roles import STAFF_ROLES

from . import selectors
from .models import ReviewStatus


def progress_query(user, params) -> ListQuery:
    reports = selectors.progress_report_visible_to(user).select_related(
        "task", "task__plan", "agency")
    review = params.get("review", "")
    filters = {}
    if review in ReviewStatus.values:
        reports = reports.filter(review_status=review)
        filters["review"] = review
    return ListQuery(reports, filters, context={"review": review})


def progress_columns():
    return [
        Column(_("Report date"), lambda report: report.reported_on),
        Column(_("Plan year"), lambda report: report.task.plan.year),
        Column(_("Pilot task number"), lambda report: report.task.number),
        Column(_("Task"), lambda report: report.task.key_points),
        Column(_("Reporting unit"), lambda report: report.agency.name),
        Column(_("District"), lambda report: report.get_district_display()),
        Column(_("Status"), lambda report: report.get_status_display()),
        Column(_("Percent complete"), lambda report: report.percent),
        Column(_("Review"), lambda report: report.get_review_status_display()),
    ]


PROGRESS = register(ListSpec(
    key="progress", title=_("Progress reports"), url_name="pilot:progress_list",
    export_url_name="pilot:progress_export", roles=STAFF_ROLES,
    object_type="pilot.progressreport", query=progress_query, columns=progress_columns,
    page_size=30, sorts={"date": ("reported_on",), "status": ("status",),
                         "review": ("review_status",)},
    default_sort="-date"))
