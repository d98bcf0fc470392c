"""Navigation and home-page panels, gathered from the apps.

Each app may have ``navigation.py`` with ``items(user) -> list[NavItem]`` (only what the user
may use) and ``home.py`` with ``panels(request) -> list[Panel]`` (what the user's home page
shows: work waiting for them)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property

from django.conf import settings
from django.db.models import QuerySet
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.db import count_each
from core.notifications import unread_notifications
from core.permissions import HANDOVER_ROLES
from core.roles import Role, has_role
from core.work import menu_count
from core.workstreams import app_modules


@dataclass
class NavItem:
    label: str
    url_name: str
    section: str = ""
    order: int = 100
    is_primary: bool = False  # offered as a quick action on the home page
    #: A number, or the queryset(s) of what waits: ``nav_items`` counts them all in one query
    #: (a list of querysets: the sum of their counts).
    badge: int | QuerySet | list[QuerySet] | None = None
    url_kwargs: dict = field(default_factory=dict)
    #: What the badge counts, for screen readers: "unread" messages or items "waiting".
    badge_counts: str = "unread"

    @cached_property
    def url(self) -> str:  # the layout reads it four times per entry
        return _address(self.url_name, tuple(sorted(self.url_kwargs.items())),
                        get_urlconf(settings.ROOT_URLCONF), get_script_prefix())


@cache
def _address(url_name: str, kwargs: tuple, urlconf, script_prefix: str) -> str:
    """``reverse`` once per process for each entry: the same address on every page. No
    address depends on the language (there are no language prefixes)."""
    return reverse(url_name, urlconf=urlconf, kwargs=dict(kwargs) or None)


def section_label(section: str):
    """The name a menu section (a workstream, administration, help) is shown under; none for
    the core's first entries (home, inbox)."""
    return {
        "cases": pgettext_lazy("menu section", "Cases and people"),
        "meetings": pgettext_lazy("menu section", "Joint meetings"),
        "infosharing": pgettext_lazy("menu section", "Information sharing"),
        "remittance": pgettext_lazy("menu section", "Remittance"),
        "tempaid": pgettext_lazy("menu section", "Temporary relief"),
        "partners": pgettext_lazy("menu section", "Social services"),
        "pilot": pgettext_lazy("menu section", "Pilot"),
        "admin": pgettext_lazy("menu section", "Administration"),
        "help": pgettext_lazy("menu section", "Help"),
    }.get(section, "")


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def nav_items(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    collected: list[NavItem] = []
    for module in app_modules("navigation"):
        collected.extend(module.items(user))
    counted = [item for item in collected if isinstance(item.badge, (QuerySet, list))]
    querysets, owners = [], []
    for item in counted:
        for queryset in item.badge if isinstance(item.badge, list) else [item.badge]:
            querysets.append(queryset)
            owners.append(item)
    for item in counted:
        item.badge = 0
    for item, count in zip(owners, count_each(querysets)):
        item.badge += count
    for item in counted:
        item.badge = item.badge or None
    collected.sort(key=lambda item: (item.order, str(item.label)))
    # Keep each section together, in the order its first entry appears.
    rank: dict[str, int] = {}
    for item in collected:
        rank.setdefault(item.section, len(rank))
    return sorted(collected, key=lambda item: rank[item.section])


def request_nav_items(request) -> list[NavItem]:
    """``nav_items`` once per request (the layout and the home page's quick actions)."""
    if not hasattr(request, "_nav_items"):
        request._nav_items = nav_items(request.user)
    return request._nav_items


def home_panels(request) -> list[Panel]:
    collected: list[Panel] = []
    for module in app_modules("home"):
        collected.extend(module.panels(request))
    return sorted(collected, key=lambda panel: panel.order)


def items(user) -> list[NavItem]:
    """The core's own entries."""
    entries = [NavItem(_("My work"), "home", order=0, badge=menu_count(user) or None,
                       badge_counts="waiting"),
               NavItem(_("Inbox"), "inbox", order=1, badge=unread_notifications(user))]
    if has_role(user, Role.AUDIT_ADMIN):
        entries.append(NavItem(_("Audit trail"), "audit_list", section="admin", order=900,
                               is_primary=True))
    if has_role(user, Role.ADMIN, Role.SECURITY_ADMIN):
        entries.append(NavItem(_("Administration"), "admin:index", section="admin", order=910,
                               is_primary=True))
        entries.append(NavItem(_("Users"), "admin:auth_user_changelist", section="admin",
                               order=920, is_primary=True))
    if has_role(user, Role.SECURITY_ADMIN):
        entries.append(NavItem(_("Locked accounts"), "lockout_list", section="admin",
                               order=930, is_primary=True))
    if has_role(user, Role.ADMIN):
        entries.append(NavItem(_("System status"), "ops_status", section="admin", order=940))
    if has_role(user, Role.SECURITY_ADMIN):
        entries.append(NavItem(_("Reset a second factor"), "two_factor_reset", section="admin",
                               order=950))

    if has_role(user, *HANDOVER_ROLES):
        entries.append(NavItem(_("Hand over my work"), "work_handover", section="help",
                               order=975))
    entries.append(NavItem(_("Help"), "help", section="help", order=980))
    entries.append(NavItem(_("API"), "api_docs", section="help", order=990))
    entries.append(NavItem(_("API tokens"), "token_list", section="help", order=995))
    return entries
