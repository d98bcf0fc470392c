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
from django.utils.translation import gettext_lazy
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


#: Labels of the figures other workstreams return under a key (``metrics.bulletin_section``).
#: The key is what is stored; the label is chosen when the bulletin is shown, in the reader's
#: language. Unknown keys are shown humanised ("some_key" → "Some key").
FIGURE_LABELS = {
    # remittance
    "roster_size": gettext_lazy("Recipients on the roster"),
    "recipients_active": gettext_lazy("Active recipients"),
    "cards_activated": gettext_lazy("Bank cards activated"),
    "activation_rate": gettext_lazy("Card activation rate"),
    "activation_by_district": gettext_lazy("Card activation by district"),
    "disbursed_by_month": gettext_lazy("Paid by month"),
    "month": gettext_lazy("month"),
    "mop": gettext_lazy("MOP"),
    "cny": gettext_lazy("CNY"),
    "active": gettext_lazy("active"),
    "activated": gettext_lazy("activated"),
    "rate": gettext_lazy("rate"),
    # tempaid
    "applications_total": gettext_lazy("Relief applications submitted"),
    "applications_approved": gettext_lazy("Relief applications approved"),
    "applications_rejected": gettext_lazy("Relief applications rejected"),
    "amount_approved_cny": gettext_lazy("Amount approved (CNY)"),
    "amount_paid_cny": gettext_lazy("Amount paid (CNY)"),
    "fund_balance_cny": gettext_lazy("Special fund balance (CNY)"),
    "fund_available_cny": gettext_lazy("Special fund available (CNY)"),
    "budget_balance_cny": gettext_lazy("Ordinary relief budget balance (CNY)"),
    "budget_available_cny": gettext_lazy("Ordinary relief budget available (CNY)"),
    "by_kind": gettext_lazy("Applications by kind of emergency"),
    # cases
    "cases_total": gettext_lazy("Cases opened"),
    "cases_open": gettext_lazy("Of which still open"),
    "cases_by_district": gettext_lazy("Cases opened by district"),
    "meetings_held": gettext_lazy("Joint meetings held"),
    "action_items_total": gettext_lazy("Action items due"),
    "action_items_closed_on_time": gettext_lazy("Action items done on time"),
    "action_items_overdue": gettext_lazy("Action items overdue"),
    # infosharing
    "bulletins_sent": gettext_lazy("Bulletins sent"),
    "urgent_total": gettext_lazy("Urgent notifications"),
    "urgent_recipients": gettext_lazy("Urgent notifications delivered"),
    "urgent_acknowledged_in_time": gettext_lazy("Acknowledged in time"),
    "verification_requests_total": gettext_lazy("Verification requests sent"),
    "verification_answered": gettext_lazy("Verification requests answered"),
    "verification_median_days_to_answer": gettext_lazy("Median days to answer"),
    "verification_answered_within_due_share": gettext_lazy("Share answered by the due date"),
    # partners
    "organisations_total": gettext_lazy("Social organisations"),
    "social_workers_active": gettext_lazy("Active social workers"),
    "macau_social_workers_active": gettext_lazy("Active Macau social workers"),
    "referrals_total": gettext_lazy("Referrals sent"),
    "referrals_accepted": gettext_lazy("Referrals accepted"),
    "service_hours": gettext_lazy("Service hours"),
    "contracts_active": gettext_lazy("Contracts running"),
    "kpi_attainment": gettext_lazy("Contract indicators"),
}

#: Section titles other workstreams may return as a bare key.
SECTION_TITLES = {
    "cases": gettext_lazy("Shared cases"),
    "remittance": gettext_lazy("Macau aid recipients"),
    "tempaid": gettext_lazy("Temporary relief"),
    "partners": gettext_lazy("Social organisations"),
    "pilot": gettext_lazy("Pilot"),
}


def _key(label) -> str:
    return str(label).strip().lower().replace(" ", "_")


def _humanise(label) -> str:
    text = str(label)
    if text and text == text.lower() and text.replace("_", "").replace(" ", "").isascii():
        text = text.replace("_", " ").strip()
        return text[:1].upper() + text[1:]
    return text


def figure_label(label) -> str:
    """The reader's label of a stored figure: a known key translated, an already translated
    label as it is, an unknown key humanised."""
    known = FIGURE_LABELS.get(_key(label))
    return str(known) if known is not None else _humanise(label)


def _nested_label(key) -> str:
    from zhuao.models import District

    text = str(key)
    if text in FIGURE_LABELS:
        return str(FIGURE_LABELS[text])
    if text in District.values:
        return str(District(text).label)
    try:
        from tempaid.models import EmergencyKind
    except ImportError:  # pragma: no cover - tempaid is installed with the others
        EmergencyKind = None
    if EmergencyKind is not None and text in EmergencyKind.values:
        return str(EmergencyKind(text).label)
    return _humanise(text)


def section_title(title) -> str:
    known = SECTION_TITLES.get(_key(title))
    return str(known) if known is not None else str(title)


def _display_value(key: str, value):
    if key.endswith("_cny") and isinstance(value, (str, int, float)):
        from zhuao.money import money_display

        return money_display(value, "CNY")
    if key.endswith(("_rate", "_share")) and isinstance(value, (str, int, float)):
        try:
            share = float(value)
        except ValueError:
            return value
        if 0 <= share <= 1:
            return f"{share * 100:.1f}%"
    return value


def display_sections(content: dict) -> list[dict]:
    """The stored sections with their titles and figure labels in the current language."""
    sections = []
    for section in (content or {}).get("sections", []):
        figures = [[figure_label(label), _display_value(_key(label), value)]
                   for label, value in section.get("figures", [])]
        sections.append({**section, "title": section_title(section.get("title", "")),
                         "figures": figures})
    return sections


def _cell(value) -> str | int | float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, dict):
        return ", ".join(f"{_nested_label(key)}: {_cell(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(str(_cell(item)) for item in value)
    return "" if value is None else str(value)


def _pairs(figures) -> list[list]:
    if isinstance(figures, dict):
        return [[str(label), _cell(value)] for label, value in figures.items()]
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
