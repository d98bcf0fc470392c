"""Reads of the joint-meeting secretariat, and the one place that decides who sees which
meeting, agenda and action item (a key-case review's cases through the register's door,
``cases.selectors.case_visible_to``).

Pages and the API take the queryset they need from here; views do not re-shape querysets."""
from datetime import datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core.models import LiaisonAssignment
from core.roles import ADMIN_ROLES, Role, has_role
from core.visibility import fetch_or_404, scope, user_agency

from ..models import (
    ACTION_ITEM_ACTIVE_STATUSES,
    ActionItem,
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    CalendarFeedToken,
    Case,
    Decision,
    KeyCaseOutcome,
    Meeting,
    MeetingSeries,
    MeetingStatus,
)
from ..permissions import MEETING_CITYWIDE_ROLES, MEETING_ROLES
from ..selectors import case_visible_to

# --- Meetings ----------------------------------------------------------------------------------



def meeting_visible_to(user) -> QuerySet:
    """City officers and leadership see all meetings; others the meetings their agency
    organises or is invited to, or they are invited to in person."""
    if not has_role(user, *MEETING_ROLES):
        return Meeting.objects.none()
    agency = user_agency(user)
    invited = ()
    if agency is not None:
        people = Meeting.invited_people.through.objects.filter(user_id=user.pk)
        agencies = Meeting.invited_agencies.through.objects.filter(agency_id=agency.pk)
        invited = (people.values("meeting_id"), agencies.values("meeting_id"))
    return scope(Meeting.objects.all(), user, citywide_roles=MEETING_CITYWIDE_ROLES,
                 owner_field="organiser_agency", extra_ids=invited)


def get_meeting_for(user, pk, *, action: str = "view"):
    return fetch_or_404(meeting_visible_to(user).select_related("organiser_agency"), pk,
                        user=user, action=action)


def meeting_may_manage(user) -> bool:
    """The joint-meeting secretariat is run by city officers."""
    return has_role(user, Role.CITY)


def meeting_agenda(meeting, user) -> list:
    """The agenda of a meeting, each item with its decisions and, for key-case reviews, the
    cases "only as far as the meeting needs": number, category, risk, district and summary
    (leadership: no summary), never the subject's personal data."""
    items = list(meeting.agenda_items.exclude(status="withdrawn")
                 .prefetch_related(Prefetch("cases", queryset=Case.objects.order_by("number")),
                                   Prefetch("decisions", queryset=Decision.objects.order_by(
                                       "id").prefetch_related("participating_agencies",
                                                              "participants")))
                 .order_by("position", "id"))
    show_summary = not has_role(user, Role.LEADERSHIP) or has_role(user, Role.CITY)
    visible_case_ids = set(case_visible_to(user).filter(
        agenda_items__meeting=meeting).values_list("pk", flat=True))
    for item in items:
        item.case_briefs = [{
            "pk": case.pk,
            "number": case.number,
            "category": case.get_category_display(),
            "risk_level": case.risk_level,
            "risk_label": case.get_risk_level_display(),
            "district": case.get_district_display(),
            "status": case.get_status_display(),
            "summary": case.summary if show_summary else "",
            "may_open": case.pk in visible_case_ids,
        } for case in item.cases.all()]
    return items


def pending_key_case_reviews() -> QuerySet:
    return (AgendaItem.objects.filter(meeting__isnull=True, status=AgendaItemStatus.PENDING)
            .select_related("proposed_by_agency").prefetch_related("cases")
            .order_by("created_at", "id"))


def scheduled_meetings() -> QuerySet:
    return Meeting.objects.filter(status=MeetingStatus.SCHEDULED,
                                  starts_at__gte=timezone.now()).order_by("starts_at")


def meetings_between(user, first_day, last_day) -> QuerySet:
    """The meetings ``user`` may see that start from ``first_day`` to ``last_day`` (local
    days, both included), in start order: the month view's query."""
    start = timezone.make_aware(datetime.combine(first_day, time.min))
    end = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    return (meeting_visible_to(user).filter(starts_at__gte=start, starts_at__lt=end)
            .only("pk", "title", "kind", "status", "starts_at", "ends_at", "place", "series_id")
            .order_by("starts_at", "id"))


#: The iCalendar feed: from this many days back to this many days ahead.
FEED_DAYS_BACK, FEED_DAYS_AHEAD = 92, 366


def meetings_for_feed(user) -> QuerySet:
    """The meetings of ``user``'s iCalendar feed: those they may see, from three months back
    to a year ahead, with only what the feed shows (title, place, times, status)."""
    today = timezone.localdate()
    return meetings_between(user, today - timedelta(days=FEED_DAYS_BACK),
                            today + timedelta(days=FEED_DAYS_AHEAD)).only(
        "pk", "title", "status", "starts_at", "ends_at", "place", "updated_at")


def meeting_series_for_list(user) -> QuerySet:
    """The recurring meetings ``user``'s agency organises or is invited to (all for the
    secretariat and leadership), active first."""
    if not has_role(user, *MEETING_ROLES):
        return MeetingSeries.objects.none()
    series = MeetingSeries.objects.select_related("organiser_agency")
    if not has_role(user, *MEETING_CITYWIDE_ROLES):
        agency = user_agency(user)
        if agency is None:
            return MeetingSeries.objects.none()
        series = series.filter(Q(organiser_agency=agency) | Q(invited_agencies=agency)
                               | Q(invited_people=user)).distinct()
    return series.order_by("-is_active", "title", "id")


def get_meeting_series_for(user, pk, *, action: str = "view"):
    return fetch_or_404(meeting_series_for_list(user), pk, user=user, action=action)


def calendar_feed_by_token(token: str):
    """The live feed of this token, with its user, or None (wrong, revoked, or the user
    is no longer active)."""
    if not token or len(token) > 100:
        return None
    feed = (CalendarFeedToken.objects.select_related("user")
            .filter(token_hash=CalendarFeedToken.hash_of(token), revoked_at__isnull=True,
                    user__is_active=True).first())
    return feed


def calendar_feed_token_live(user):
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


# --- Action items ------------------------------------------------------------------------------

def action_item_visible_to(user) -> QuerySet:
    """City officers and leadership all; others their agency's items and those of meetings
    they may see."""
    agency = user_agency(user)
    if agency is None or not has_role(user, *MEETING_ROLES):
        return ActionItem.objects.none()
    items = ActionItem.objects.all()
    if not has_role(user, *MEETING_CITYWIDE_ROLES):
        items = items.filter(Q(owner_agency=agency)
                             | Q(meeting__in=meeting_visible_to(user).values("pk")))
    return items.select_related("meeting", "owner_agency", "decision")


def action_items_for_api(user) -> QuerySet:
    """Action items with the owning agency; the meeting and decision are ids, not joined."""
    return (action_item_visible_to(user).select_related(None).select_related("owner_agency")
            .order_by("due_date", "id"))


def get_action_item_for(user, pk, *, action: str = "view"):
    return fetch_or_404(action_item_visible_to(user), pk, user=user, action=action)


def action_item_may_update(user, item) -> bool:
    """The owner agency's staff and the secretariat write progress notes."""
    if has_role(user, Role.CITY):
        return True
    if has_role(user, Role.LEADERSHIP, *ADMIN_ROLES):
        return False
    agency = user_agency(user)
    return agency is not None and agency.pk == item.owner_agency_id


def overdue_action_items(agency, *, today=None) -> QuerySet:
    today = today or timezone.localdate()
    return (ActionItem.objects.filter(owner_agency=agency, status__in=ACTION_ITEM_ACTIVE_STATUSES,
                                      due_date__lt=today)
            .select_related("meeting").order_by("due_date", "id"))


# --- The liaison roster -----------------------------------------------------------------------

def liaison_roster(*, current_only: bool = False) -> QuerySet:
    """Every roster entry (all staff may read the roster)."""
    entries = LiaisonAssignment.objects.select_related("agency", "user").order_by(
        "agency__side", "agency__code", "role", "-valid_from")
    if current_only:
        today = timezone.localdate()
        entries = entries.filter(valid_from__lte=today).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    return entries


def meeting_decisions(meeting) -> QuerySet:
    return Decision.objects.filter(agenda_item__meeting=meeting).order_by("id")


def key_case_approval_for(agenda_item_id: int | None) -> "Decision | None":
    """The decision approving a key-case review, taken at a held meeting with its participants
    recorded; None if there is none (yet)."""
    if agenda_item_id is None:
        return None
    return (Decision.objects.filter(agenda_item_id=agenda_item_id,
                                    agenda_item__kind=AgendaItemKind.KEY_CASE_REVIEW,
                                    agenda_item__meeting__status=MeetingStatus.HELD,
                                    outcome=KeyCaseOutcome.APPROVED,
                                    participating_agencies__isnull=False)
            .select_related("agenda_item__meeting").order_by("-created_at", "-id").first())
