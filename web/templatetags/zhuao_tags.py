"""Template filters for what every page shows: money, numbers, help links.

    {% load zhuao_tags %}
    {{ payment.amount|money:payment.currency }}   MOP 1,234.50 / ¥1,234.50 (— when empty)
    {{ batch.total_cny|money:"CNY" }}
    {{ entry.balance_delta|signed_money:"CNY" }}  +¥1,000.00 / -¥500.00 (a ledger's movements)
    {{ household_count|number }}                  12,345
    {{ rate|number:4 }}                           0.8765
    {% help_link "remittance" %}                  a link to that workstream's help page
    {% sidenav %}                                 the side navigation's entries (the layout)
    {% sort_th listing "key" _("Label") %}        a sortable column header (web.listing)

Dates: use Django's ``{{ value|date }}`` / ``{{ value|date:"DATETIME_FORMAT" }}`` (no explicit
pattern): the active language's format is used (2026年11月28日 / Nov. 28, 2026).
``USE_THOUSAND_SEPARATOR`` stays off on purpose: with it every integer in a template, ids
and years included, would be grouped ("2,026").
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.forms import BaseForm, BaseFormSet
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core.money import money_display
from core.permissions import roles_named
from core.roles import has_role
from web.navigation import section_label

register = template.Library()

EMPTY = "—"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):  # never stored as float; shown to the cent if it happens
        return Decimal(repr(value))
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def may(user, role_set: str) -> bool:
    """Whether ``user`` holds a role of the role set named ``"<app>.<NAME>"`` in that app's
    permissions.py: pages decide what to offer from the same declarations as the views and
    services (never from Django's model permissions, ``perms``)."""
    return has_role(user, *roles_named(role_set))


@register.filter
def money(amount, currency="CNY"):
    """An amount in its currency, rounded to the cent by the project's one rule."""
    return money_display(amount, currency, get_language())


@register.filter
def signed_money(amount, currency="CNY"):
    """A movement in a ledger: ``+¥1,000.00`` in, ``-¥500.00`` out (the money filter's form)."""
    return money_display(amount, currency, get_language(), signed=True)


@register.filter
def number(value, places=None):
    """A count or measure with thousands separators: 12,345 / 0.8765 (``places`` decimals)."""
    parsed = _decimal(value)
    if parsed is None:
        return EMPTY
    if places in (None, ""):
        if parsed == parsed.to_integral_value():
            return f"{int(parsed):,}"
        return f"{parsed:,}"
    return f"{parsed:,.{int(places)}f}"


@register.simple_tag
def help_link(topic: str = ""):
    """A link to the help page of a workstream (or the general one)."""
    try:
        url = reverse("help_topic", args=[topic]) if topic else reverse("help")
    except NoReverseMatch:
        return ""
    return format_html('<a class="help-link" href="{}" data-help>{}</a>', url, _("Help"))


CURRENT = mark_safe(' aria-current="page"')


@register.simple_tag(takes_context=True)
def sidenav(context):
    """The navigation entries (``nav_items``) grouped by workstream: one ``<li>`` per section,
    its name as a heading (the core's home and inbox have none) over the list of its entries,
    each with the current page marked and the count of waiting work as a badge. On a phone
    the 26 entries of a city officer read as groups, not one grid of links. Written here, not
    as a template loop, which for a city officer's 35 entries cost more than the rest of the
    layout."""
    request = context.get("request")
    path = request.path if request is not None else None
    groups: list[tuple[str, list]] = []
    for item in context["nav_items"]:
        if not groups or groups[-1][0] != item.section:
            groups.append((item.section, []))
        current = item.url == path
        badge = format_html(
            ' <span class="badge badge--count" aria-label="{}">{}</span>',
            (ngettext("%(counter)s waiting", "%(counter)s waiting", item.badge)
             if item.badge_counts == "waiting" else
             ngettext("%(counter)s unread", "%(counter)s unread", item.badge))
            % {"counter": item.badge}, item.badge) if item.badge else ""
        groups[-1][1].append((item.url, item.url_name, " is-current" if current else "",
                              CURRENT if current else "", item.label, badge))
    parts = []
    for section, rows in groups:
        entries = format_html_join("", '<li><a href="{}" data-nav="{}" class="sidenav__link{}"{}>'
                                       "{}{}</a></li>", rows)
        label = section_label(section)
        if label:
            parts.append(format_html(
                '<li class="sidenav__group" data-section="{0}"><span class="sidenav__heading" '
                'id="nav-section-{0}">{1}</span><ul class="sidenav__sublist" '
                'aria-labelledby="nav-section-{0}">{2}</ul></li>', section, label, entries))
        else:
            parts.append(format_html('<li class="sidenav__group" data-section="{}">'
                                     '<ul class="sidenav__sublist">{}</ul></li>',
                                     section or "main", entries))
    return mark_safe("".join(parts))


def _bound_forms_with_errors(context) -> list:
    """The bound forms (and forms of formsets) of the page that failed validation, in the
    order the view put them in the context: what the error summary lists."""
    found, seen = [], set()

    def add(form):
        if id(form) not in seen and form.is_bound and form.errors:
            seen.add(id(form))
            found.append(form)

    for layer in context.flatten().values():
        if isinstance(layer, BaseForm):
            add(layer)
        elif isinstance(layer, BaseFormSet) and layer.is_bound:
            for form in layer.forms:
                add(form)
    return found


def _field_anchor(bound_field) -> str:
    """The id of the element a summary link moves to: the input itself, or the first choice
    of a group of radio buttons or checkboxes (which has no single input)."""
    return bound_field.id_for_label or (f"{bound_field.auto_id}_0" if bound_field.auto_id else "")


def error_summary_items(context) -> list[tuple[str, str]]:
    """(anchor, message) for each error of each failed form of the page: field errors link
    to their field, errors of the whole form to its first field."""
    items = []
    for form in _bound_forms_with_errors(context):
        visible = form.visible_fields()
        first = _field_anchor(visible[0]) if visible else ""
        for message in form.non_field_errors():
            items.append((first, message))
        for bound_field in visible:
            for message in bound_field.errors:
                items.append((_field_anchor(bound_field), _("%(label)s: %(message)s") % {
                    "label": bound_field.label, "message": message}))
        for bound_field in form.hidden_fields():
            for message in bound_field.errors:
                items.append((first, message))
    return items


@register.simple_tag(takes_context=True)
def form_errors_on_page(context) -> bool:
    """Whether a form of this page failed validation (the page title then starts with
    "Error: ")."""
    return bool(_bound_forms_with_errors(context))


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context):
    """The GOV.UK-style error summary at the top of the page: every error as a link to its
    field; ``zhuao.js`` moves the focus to it when the page loads."""
    return {"items": error_summary_items(context)}


@register.simple_tag
def sort_th(listing, key: str, label):
    """A list's column header: a link that sorts by ``key`` (again: the other way) with
    ``aria-sort``, when the list allows sorting on it; a plain header otherwise.

        {% sort_th listing "opened" _("Opened at") %}"""
    header = listing.header(key) if hasattr(listing, "header") else {"href": ""}
    if not header["href"]:
        return format_html('<th scope="col">{}</th>', label)
    return format_html('<th scope="col" aria-sort="{}"><a href="{}">{}</a></th>',
                       header["aria_sort"], header["href"], label)
