"""What a regular bulletin holds. The content is a list of sections, each
``{"key", "title", "figures": [[label, value], ...], "columns": [...], "rows": [[...], ...]}``,
computed once when the bulletin is produced, in the recipient agency's language.

"Only what the agency may see" is decided by the ordinary selectors, asked on behalf of the
agency's bulletin viewer: its current primary liaison (else backup), or else one of its
officers. Other workstreams add their figures by providing
``<app>.metrics.bulletin_section(agency, start, end) -> dict | None`` in the same shape."""
from __future__ import annotations

from datetime import date
import logging
from importlib import import_module

from django.contrib.auth import get_user_model
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhuao.models import Agency, LiaisonRole
from zhuao.roles import Role

from .models import AWAITING_ANSWER, category_labels

logger = logging.getLogger(__name__)

#: Workstreams asked for a bulletin section, in this order.
SECTION_APPS = ("cases", "remittance", "tempaid", "partners", "pilot")


def bulletin_viewer(agency: Agency):
    from .services import liaison_users

    for role in (LiaisonRole.PRIMARY, LiaisonRole.BACKUP):
        users = [user for user in liaison_users(agency, role)
                 if getattr(getattr(user, "staff", None), "agency_id", None) == agency.pk]
        if users:
            return users[0]
    return (get_user_model().objects.filter(
        is_active=True, staff__agency=agency,
        groups__name__in=[Role.CITY, Role.DISTRICT, Role.MACAU, Role.HENGQIN])
        .order_by("id").first())


def _day(value) -> str:
    return date_format(value, "Y-m-d") if value else ""


def _cases_section(viewer, start, end) -> dict:
    from cases.selectors import case_visible_to

    from .services import period_bounds

    since, until = period_bounds(start, end)
    visible = case_visible_to(viewer)
    opened = list(visible.filter(opened_at__gte=since, opened_at__lt=until)
                  .order_by("opened_at", "id")[:200])
    closed = list(visible.filter(closed_at__gte=since, closed_at__lt=until)
                  .order_by("closed_at", "id")[:200])
    rows = [[case.number, case.get_category_display(), case.get_district_display(), _("opened"),
             _day(case.opened_at.date())] for case in opened]
    rows += [[case.number, case.get_category_display(), case.get_district_display(), _("closed"),
              _day(case.closed_at.date())] for case in closed]
    return {"key": "cases", "title": _("Shared cases"),
            "figures": [[_("New cases"), len(opened)], [_("Closed cases"), len(closed)]],
            "columns": [_("Case"), _("Category"), _("District"), _("Event"), _("Date")],
            "rows": rows}


def _verification_section(viewer, start, end) -> dict:
    from .selectors import verification_request_visible_to
    from .services import period_bounds

    since, until = period_bounds(start, end)
    visible = verification_request_visible_to(viewer)
    sent = visible.filter(sent_at__gte=since, sent_at__lt=until).count()
    answered = visible.filter(answered_at__gte=since, answered_at__lt=until).count()
    overdue = list(visible.filter(status__in=AWAITING_ANSWER, due_date__lt=end)
                   .order_by("due_date", "id")[:200])
    return {"key": "verification", "title": _("Verification requests"),
            "figures": [[_("Sent"), sent], [_("Answered"), answered],
                        [_("Overdue at the end of the period"), len(overdue)]],
            "columns": [_("Request"), pgettext("infosharing", "From"), pgettext("infosharing", "To"), _("Categories"), _("Due date")],
            "rows": [[request.number, request.requesting_agency.name,
                      request.receiving_agency.name, category_labels(request.categories),
                      _day(request.due_date)] for request in overdue]}


def _urgent_section(viewer, start, end) -> dict:
    from .selectors import urgent_notification_visible_to
    from .services import period_bounds

    since, until = period_bounds(start, end)
    notifications = list(urgent_notification_visible_to(viewer)
                         .filter(created_at__gte=since, created_at__lt=until)
                         .order_by("created_at", "id")[:200])
    return {"key": "urgent", "title": _("Urgent notifications"),
            "figures": [[_("Urgent notifications"), len(notifications)]],
            "columns": [_("Date"), _("Emergency"), _("Reported by")],
            "rows": [[_day(item.created_at.date()), item.get_kind_display(),
                      item.reporting_agency.name] for item in notifications]}


def other_sections(agency: Agency, start: date, end: date) -> list[dict]:
    sections = []
    for app in SECTION_APPS:
        try:
            module = import_module(f"{app}.metrics")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.metrics":
                raise
            continue
        producer = getattr(module, "bulletin_section", None)
        if producer is None:
            continue
        try:
            section = producer(agency, start, end)
        except Exception:  # another workstream's figures must not stop the bulletin
            logger.exception("bulletin section of %s failed for %s", app, agency.code)
            continue
        if section:
            sections.append(normalise_section(section, key=app))
    return sections


def _cell(value) -> str | int | float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_cell(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(str(_cell(item)) for item in value)
    return "" if value is None else str(value)


def _pairs(figures) -> list[list]:
    if isinstance(figures, dict):
        return [[str(label).replace("_", " "), _cell(value)] for label, value in figures.items()]
    pairs = []
    for item in figures or []:
        if isinstance(item, dict):
            pairs.append([str(item.get("label", "")), _cell(item.get("value"))])
        else:
            label, value = item[0], item[1]
            pairs.append([str(label), _cell(value)])
    return pairs


def normalise_section(section: dict, *, key: str) -> dict:
    """Accept the shapes other workstreams return: ``figures`` as a list of pairs, a list of
    ``{"label", "value"}`` or a dict; any other top-level value becomes a figure too."""
    known = {"key", "title", "figures", "columns", "rows"}
    figures = _pairs(section.get("figures", []))
    figures += _pairs({name: value for name, value in section.items() if name not in known})
    return {"key": str(section.get("key", key)), "title": str(section.get("title", key)),
            "figures": figures, "columns": [str(c) for c in section.get("columns", [])],
            "rows": [[str(_cell(cell)) for cell in row] for row in section.get("rows", [])]}


def bulletin_content(*, viewer, agency: Agency, start: date, end: date) -> dict:
    sections = [_cases_section(viewer, start, end), _verification_section(viewer, start, end),
                _urgent_section(viewer, start, end)]
    # Stored as JSON: labels and values as plain strings and numbers.
    sections = [normalise_section(section, key=section["key"]) for section in sections]
    sections += other_sections(agency, start, end)
    return {"agency": agency.name, "viewer": viewer.get_username(), "sections": sections}
