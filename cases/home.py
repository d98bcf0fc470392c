"""Home-page panels: the agency's overdue action items; for the secretariat, the key cases
waiting for a meeting; for everyone invited, the upcoming meetings."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuao.navigation import Panel
from zhuao.roles import Role, has_role
from zhuao.visibility import user_agency

from . import selectors
from .models import MeetingStatus

LIMIT = 8


def panels(request) -> list[Panel]:
    user = request.user
    agency = user_agency(user)
    if agency is None or has_role(user, Role.ADMIN) and not has_role(user, Role.CITY):
        return []
    result: list[Panel] = []
    if not has_role(user, Role.LEADERSHIP):
        overdue = list(selectors.overdue_action_items(agency)
                       .only("pk", "title", "due_date", "meeting__title")[:LIMIT + 1])
        if overdue:
            result.append(Panel(_("Overdue action items of your agency"),
                                "cases/home/overdue_action_items.html",
                                {"items": overdue[:LIMIT], "more": len(overdue) > LIMIT},
                                order=20))
    if has_role(user, Role.CITY):
        count = selectors.pending_key_case_reviews().count()
        if count:
            result.append(Panel(_("Pending key-case reviews"), "cases/home/pending_reviews.html",
                                {"count": count}, order=21))
    upcoming = list(selectors.meeting_visible_to(user)
                    .filter(status=MeetingStatus.SCHEDULED, starts_at__gte=timezone.now())
                    .order_by("starts_at").select_related(None)
                    .only("pk", "title", "starts_at")[:5])
    if upcoming:
        result.append(Panel(_("Upcoming meetings"), "cases/home/upcoming_meetings.html",
                            {"meetings": upcoming}, order=22))
    return result
