"""Home-page panels: the agency's overdue action items; for the secretariat, the key cases
waiting for a meeting; for everyone invited, the upcoming meetings."""
import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import ADMIN_ROLES, LIAISON_ROLES, Role, has_role
from core.visibility import user_agency
from core.work import WorkSource
from web.navigation import Panel

from . import selectors
from .models import ACTION_ITEM_ACTIVE_STATUSES, CaseEvent, CaseEventKind, MeetingStatus
from .secretariat import selectors as meeting_selectors

LIMIT = 8


def panels(request) -> list[Panel]:
    user = request.user
    agency = user_agency(user)
    if agency is None or has_role(user, *ADMIN_ROLES) and not has_role(user, Role.CITY):
        return []
    result: list[Panel] = []
    if not has_role(user, Role.LEADERSHIP):
        overdue = list(meeting_selectors.overdue_action_items(agency)
                       .only("pk", "title", "due_date", "meeting__title")[:LIMIT + 1])
        if overdue:
            result.append(Panel(_("Overdue action items of your agency"),
                                "cases/secretariat/home/overdue_action_items.html",
                                {"items": overdue[:LIMIT], "more": len(overdue) > LIMIT},
                                order=20))
    if has_role(user, Role.CITY):
        count = meeting_selectors.pending_key_case_reviews().count()
        if count:
            result.append(Panel(_("Pending key-case reviews"),
                                "cases/secretariat/home/pending_reviews.html",
                                {"count": count}, order=21))
    upcoming = list(meeting_selectors.meeting_visible_to(user)
                    .filter(status=MeetingStatus.SCHEDULED, starts_at__gte=timezone.now())
                    .order_by("starts_at").select_related(None)
                    .only("pk", "title", "starts_at")[:5])
    if upcoming:
        result.append(Panel(_("Upcoming meetings"),
                            "cases/secretariat/home/upcoming_meetings.html",
                            {"meetings": upcoming}, order=22))
    return result


#: Action items show in "my work" from this many days before they are due.
ACTION_ITEMS_AHEAD_DAYS = 14


def work_sources(user, *, since) -> list:
    """Action items of the user's agency due soon or overdue; for the secretariat, key cases
    proposed for a meeting; for the liaisons, cases shared with their side since their last
    visit."""
    agency = user_agency(user)
    if agency is None:
        return []
    sources = []
    if not has_role(user, Role.LEADERSHIP):
        horizon = timezone.localdate() + datetime.timedelta(days=ACTION_ITEMS_AHEAD_DAYS)
        sources.append(WorkSource(
            "cases.action_item_due", _("Action item due"),
            meeting_selectors.action_item_visible_to(user).filter(
                owner_agency=agency, status__in=ACTION_ITEM_ACTIVE_STATUSES,
                due_date__lte=horizon),
            "cases:action_item_detail", reference="pk", reference_prefix="#",
            due="due_date"))
    if has_role(user, Role.CITY):
        sources.append(WorkSource("cases.key_case_review", _("Key case to put on an agenda"),
                                  meeting_selectors.pending_key_case_reviews(),
                                  "cases:pending_reviews",
                                  reference="pk", reference_prefix="#", target=""))
    if has_role(user, *LIAISON_ROLES):
        shared = CaseEvent.objects.filter(kind=CaseEventKind.SHARED, created_at__gte=since)
        sources.append(WorkSource("cases.shared_with_me", _("Case shared with you"),
                                  selectors.case_visible_to(user).filter(
                                      pk__in=shared.values("case_id")),
                                  "cases:case_detail"))
    return sources
