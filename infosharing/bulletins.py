"""What a section of the regular bulletin holds. A section's content is a list of blocks,
each ``{"key", "title", "figures": [[label, value], ...], "columns": [...], "rows": [[...], ...]}``,
computed when the side saves its section.

A side's figures come from its own records: the people its agencies registered, the
verification requests they sent and answered, the urgent notifications and referrals they
started. Figures are stored under keys (``FIGURE_LABELS``) and labelled when the bulletin is
shown, in the reader's language. Zhuhai's section adds the figures of the workstreams it runs:
``<app>.metrics.bulletin_section(agency, start, end) -> dict | None`` for the city bureau."""
from __future__ import annotations

import logging
from datetime import date

from django.utils.translation import gettext_lazy

from cases.selectors import people_registered_count
from core.calendar import period_bounds
from core.models import Agency, District, Side
from core.money import money_display
from core.workstreams import app_module
from partners.selectors import referrals_sent_count
from tempaid.models import EmergencyKind

from .models import UrgentNotification, VerificationRequest
from .selectors import bulletin_contributing_agency

logger = logging.getLogger(__name__)

#: Workstreams asked for a block of Zhuhai's section, in this order.
SECTION_APPS = ("cases", "remittance", "tempaid", "partners", "pilot")


def own_counts(*, side: str, start: date, end: date) -> dict:
    """The counts of ``side``'s own records in the period (aggregates: no person, no text)."""
    since, until = period_bounds(start, end)
    agencies = Agency.objects.filter(side=side).values("pk")
    counts = {
        "persons_registered": people_registered_count(agencies=agencies, since=since,
                                                      until=until),
        "verification_requests_sent": VerificationRequest.objects.filter(
            requesting_agency__in=agencies, sent_at__gte=since, sent_at__lt=until).count(),
        "verification_requests_answered": VerificationRequest.objects.filter(
            receiving_agency__in=agencies, answered_at__gte=since, answered_at__lt=until).count(),
        "urgent_reported": UrgentNotification.objects.filter(
            reporting_agency__in=agencies, created_at__gte=since, created_at__lt=until).count(),
    }

    counts["referrals_sent"] = referrals_sent_count(agencies=agencies, since=since, until=until)
    return counts


def side_figures(*, side: str, start: date, end: date) -> list[dict]:
    """The blocks of ``side``'s section: its own counts, and for Zhuhai the workstreams'."""
    blocks = [{"key": "counts", "title": "counts",
               "figures": [[key, value] for key, value
                           in own_counts(side=side, start=start, end=end).items()],
               "columns": [], "rows": []}]
    agency = bulletin_contributing_agency(side)
    if side == Side.ZHUHAI and agency is not None:
        blocks += other_sections(agency, start, end)
    return blocks


def other_sections(agency: Agency, start: date, end: date) -> list[dict]:
    sections = []
    for app in SECTION_APPS:
        module = app_module(app, "metrics")
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
    # a side's own counts (two-way bulletin)
    "persons_registered": gettext_lazy("People registered"),
    "verification_requests_sent": gettext_lazy("Verification requests sent"),
    "verification_requests_answered": gettext_lazy("Verification requests answered"),
    "urgent_reported": gettext_lazy("Urgent notifications reported"),
    "referrals_sent": gettext_lazy("Referrals sent"),
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
    "counts": gettext_lazy("Counts of the period"),
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
    text = str(key)
    if text in FIGURE_LABELS:
        return str(FIGURE_LABELS[text])
    if text in District.values:
        return str(District(text).label)
    if text in EmergencyKind.values:
        return str(EmergencyKind(text).label)
    return _humanise(text)


def section_title(title) -> str:
    known = SECTION_TITLES.get(_key(title))
    return str(known) if known is not None else str(title)


def _display_value(key: str, value):
    if key.endswith("_cny") and isinstance(value, (str, int, float)):

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
