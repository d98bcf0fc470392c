"""Writes of the joint-meeting secretariat: meetings and their series, agendas (with the key-case
reviews the register proposes), decisions, minutes, action items and their progress, the liaison
roster, the calendar feed's tokens and the daily reminders. Each service runs in a transaction,
validates with full_clean() and writes the audit trail."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_bulk_read, audit_record, refusals_audited
from core.calendar import add_working_days, agency_sides_closed_on, is_working_day
from core.db import run_once
from core.errors import ApplicationError, full_clean_or_refuse
from core.messages import Text, choice_label
from core.models import AuditOutcome, LiaisonAssignment
from core.notifications import current_liaisons, notify_users, role_users
from core.roles import Role, has_role
from core.visibility import user_agency

from ..models import (
    ACTION_ITEM_ACTIVE_STATUSES,
    ActionItem,
    ActionItemProgress,
    ActionItemStatus,
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    CalendarFeedToken,
    Case,
    CaseEvent,
    CaseEventKind,
    Decision,
    KeyCaseOutcome,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    MinutesStatus,
)
from .selectors import action_item_may_update

# --- Key-case reviews proposed from the register ----------------------------------------------

def meeting_next_joint_conference(*, now=None) -> Meeting | None:
    """The next scheduled (future, not yet held) joint conference, if any."""
    now = now or timezone.now()
    return (Meeting.objects.filter(kind=MeetingKind.JOINT_CONFERENCE,
                                   status=MeetingStatus.SCHEDULED, starts_at__gt=now)
            .order_by("starts_at", "id").first())


def _next_position(meeting: Meeting | None) -> int:
    if meeting is None:
        return 0
    last = (AgendaItem.objects.filter(meeting=meeting).order_by("-position")
            .values_list("position", flat=True).first())
    return (last or 0) + 1


@refusals_audited
@transaction.atomic
def agenda_item_propose_key_case(*, actor, case: Case, title: str, reason: str,
                                 source: str = "") -> AgendaItem:
    """Mark ``case`` as a key case and put a key-case review (重点个案研判) on the agenda of the
    next scheduled joint conference; with none scheduled the item waits unassigned
    (``meeting=None``) in the secretariat's queue of pending key-case reviews.

    Proposing the same case again from the same ``source`` while its review is still pending
    or scheduled returns that item instead of a second one."""
    title = (title or "").strip()
    reason = (reason or "").strip()
    if not title:
        raise ApplicationError(_("Give the agenda item a title."), code="required", field="title")
    if not reason:
        raise ApplicationError(_("State why the case needs a key-case review."),
                               code="required", field="reason")
    case = Case.objects.select_for_update().get(pk=case.pk)
    existing = (AgendaItem.objects.filter(
        cases=case, kind=AgendaItemKind.KEY_CASE_REVIEW, source=source,
        status__in=[AgendaItemStatus.PENDING, AgendaItemStatus.SCHEDULED]).first())
    if existing is not None:
        return existing
    if not case.is_key_case:
        case.is_key_case = True
        case.save(update_fields=["is_key_case", "updated_at"])
    meeting = meeting_next_joint_conference()
    if meeting is not None:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    item = AgendaItem(
        meeting=meeting, position=_next_position(meeting), kind=AgendaItemKind.KEY_CASE_REVIEW,
        title=title[:200], reason=reason, source=source[:120],
        status=AgendaItemStatus.SCHEDULED if meeting else AgendaItemStatus.PENDING,
        proposed_by=actor if getattr(actor, "is_authenticated", False) else None,
        proposed_by_agency=user_agency(actor),
    )
    full_clean_or_refuse(item)
    item.save()
    item.cases.add(case)
    CaseEvent.objects.create(case=case, kind=CaseEventKind.MEETING, actor=item.proposed_by,
                             text=_("Proposed for key-case review: %(title)s") % {"title": item.title})
    audit_record(actor=actor, action="agendaitem.propose_key_case", obj=item,
                 changes={"case": case.number, "meeting": meeting.pk if meeting else None,
                          "source": source})
    _notify_secretariat_of_key_case(item, case, meeting, actor)
    return item


def _notify_secretariat_of_key_case(item, case, meeting, actor) -> None:
    recipients = [user for user in role_users(Role.CITY) if user != actor]
    if meeting is not None:
        url = reverse("cases:meeting_detail", args=[meeting.pk])
        body = Text(gettext_lazy("On the agenda of the %(meeting)s."),
                    meeting=_meeting_reference(meeting))
    else:
        url = reverse("cases:pending_reviews")
        body = gettext_lazy("No joint conference is scheduled: the review waits in the pending "
                            "queue.")
    notify_users(recipients=recipients, kind="cases.key_case",
                 title=Text(gettext_lazy("Key case %(number)s proposed for review"),
                            number=case.number),
                 body=body, url=url)


# --- Meetings, agendas, decisions, action items, minutes ---------------------------------

def _meeting_url(meeting) -> str:
    return reverse("cases:meeting_detail", args=[meeting.pk])


def _meeting_reference(meeting) -> Text:
    """How notifications name a meeting: its kind and start, not its typed title (which may
    name a family), place or link — the meeting's page shows those to its invitees. Rendered
    in the reader's language (core.messages)."""
    return Text(gettext_lazy("%(kind)s of %(when)s"), kind=choice_label(meeting, "kind"),
                when=meeting.starts_at)


def _action_item_reference(item) -> Text:
    return Text(gettext_lazy("action item no. %(number)s"), number=item.pk)


@refusals_audited
@transaction.atomic
def meeting_create(*, actor, title: str, kind: str, starts_at, ends_at=None, place: str = "",
                   online_link: str = "", invited_agencies=(), invited_people=()) -> Meeting:
    agency = user_agency(actor)
    if agency is None:
        raise ApplicationError(_("Your account does not belong to an agency."))
    if not place.strip() and not online_link.strip():
        raise ApplicationError(_("Give a place or an online link."), field="place")
    meeting = Meeting(title=title.strip(), kind=kind, starts_at=starts_at, ends_at=ends_at,
                      place=place.strip(), online_link=online_link.strip(),
                      organiser_agency=agency, created_by=actor)
    full_clean_or_refuse(meeting)
    meeting.save()
    meeting.invited_agencies.set(invited_agencies)
    meeting.invited_people.set(invited_people)
    audit_record(actor=actor, action="meeting.create", obj=meeting,
                 changes={"kind": kind, "starts_at": starts_at.isoformat()})
    if meeting.starts_at > timezone.now():
        _notify_invitees(meeting, gettext_lazy("Invitation: %(meeting)s"))
    return meeting


def _notify_invitees(meeting: Meeting, title) -> None:
    """The invited people and the invited agencies' current liaisons, in-app and by e-mail."""
    recipients = list(meeting.invited_people.all())
    for agency in meeting.invited_agencies.all():
        recipients += [assignment.user for assignment in current_liaisons(agency)]
    notify_users(recipients=recipients, kind="cases.meeting",
                 title=Text(title, meeting=_meeting_reference(meeting)),
                 body=gettext_lazy("The place, the online link and the agenda are on the "
                                   "meeting's page."),
                 url=_meeting_url(meeting))


@refusals_audited
@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, title: str, kind: str, starts_at, ends_at=None,
                   place: str = "", online_link: str = "", invited_agencies=(),
                   invited_people=()) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ApplicationError(_("Only a scheduled meeting can be changed."), code="not_scheduled")
    if not place.strip() and not online_link.strip():
        raise ApplicationError(_("Give a place or an online link."), field="place")
    meeting.title, meeting.kind = title.strip(), kind
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.place, meeting.online_link = place.strip(), online_link.strip()
    full_clean_or_refuse(meeting)
    meeting.save(update_fields=["title", "kind", "starts_at", "ends_at", "place", "online_link",
                                "updated_at"])
    meeting.invited_agencies.set(invited_agencies)
    meeting.invited_people.set(invited_people)
    audit_record(actor=actor, action="meeting.update", obj=meeting,
                 changes={"kind": kind, "starts_at": starts_at.isoformat()})
    return meeting


@refusals_audited
@transaction.atomic
def meeting_status_change(*, actor, meeting: Meeting, status: str) -> Meeting:
    """Mark a scheduled meeting held or cancelled. Cancelling sends its open key-case reviews
    back to the pending queue."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED or status not in (MeetingStatus.HELD,
                                                                    MeetingStatus.CANCELLED):
        raise ApplicationError(_("Only a scheduled meeting can be marked held or cancelled."),
                               code="invalid_transition")
    if status == MeetingStatus.HELD and meeting.starts_at > timezone.now():
        raise ApplicationError(_("A meeting cannot be marked held before it starts."),
                               code="not_started")
    meeting.status = status
    meeting.save(update_fields=["status", "updated_at"])
    if status == MeetingStatus.CANCELLED:
        meeting.agenda_items.filter(kind=AgendaItemKind.KEY_CASE_REVIEW,
                                    status=AgendaItemStatus.SCHEDULED).update(
            meeting=None, status=AgendaItemStatus.PENDING, position=0)
    audit_record(actor=actor, action=f"meeting.{status}", obj=meeting)
    return meeting


@refusals_audited
@transaction.atomic
def agenda_item_add(*, actor, meeting: Meeting, title: str, reason: str = "",
                    kind: str = AgendaItemKind.GENERAL, cases=()) -> AgendaItem:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ApplicationError(_("Items can be added only to a scheduled meeting."),
                               code="not_scheduled")
    cases = list(cases)
    if kind == AgendaItemKind.KEY_CASE_REVIEW and not cases:
        raise ApplicationError(_("A key-case review must name at least one case."),
                               field="cases")
    item = AgendaItem(meeting=meeting, position=_next_position(meeting), kind=kind,
                      title=(title or "").strip(), reason=(reason or "").strip(),
                      status=AgendaItemStatus.SCHEDULED,
                      proposed_by=actor, proposed_by_agency=user_agency(actor))
    full_clean_or_refuse(item)
    item.save()
    if cases:
        item.cases.set(cases)
        if kind == AgendaItemKind.KEY_CASE_REVIEW:
            Case.objects.filter(pk__in=[case.pk for case in cases]).update(is_key_case=True)
            for case in cases:
                CaseEvent.objects.create(
                    case=case, kind=CaseEventKind.MEETING, actor=actor,
                    text=_("On the agenda of %(meeting)s for key-case review")
                    % {"meeting": meeting.title})
    audit_record(actor=actor, action="agendaitem.create", obj=item,
                 changes={"meeting": meeting.pk, "kind": kind,
                          "cases": ",".join(case.number for case in cases)})
    return item


@refusals_audited
@transaction.atomic
def agenda_item_assign(*, actor, item: AgendaItem, meeting: Meeting) -> AgendaItem:
    """The secretariat puts a pending key-case review on a scheduled meeting's agenda."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if item.status != AgendaItemStatus.PENDING:
        raise ApplicationError(_("This item is no longer waiting for a meeting."),
                               code="not_pending")
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ApplicationError(_("Items can be added only to a scheduled meeting."),
                               code="not_scheduled", field="meeting")
    item.meeting = meeting
    item.position = _next_position(meeting)
    item.status = AgendaItemStatus.SCHEDULED
    item.save(update_fields=["meeting", "position", "status", "updated_at"])
    audit_record(actor=actor, action="agendaitem.assign", obj=item,
                 changes={"meeting": meeting.pk})
    return item


@refusals_audited
@transaction.atomic
def agenda_item_withdraw(*, actor, item: AgendaItem, reason: str) -> AgendaItem:
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.status not in (AgendaItemStatus.PENDING, AgendaItemStatus.SCHEDULED):
        raise ApplicationError(_("A discussed item cannot be withdrawn."), code="discussed")
    if not (reason or "").strip():
        raise ApplicationError(_("State the reason for withdrawing the item."),
                               code="required", field="reason")
    item.status = AgendaItemStatus.WITHDRAWN
    item.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="agendaitem.withdraw", obj=item, summary=reason[:400])
    return item


def decision_record(*, actor, agenda_item: AgendaItem, text: str, outcome: str = "",
                    participants=(), participating_agencies=()) -> Decision:
    """Record a decision on an agenda item of a meeting; the item becomes discussed.

    A key-case review (重点个案研判) is decided only at a meeting that has been held, with its
    outcome (approved, rejected, deferred) and who took part: the staff and the agencies present
    (at least one agency). Refusals are audited."""
    try:
        return _decision_record(actor=actor, agenda_item=agenda_item, text=text, outcome=outcome,
                                participants=list(participants),
                                participating_agencies=list(participating_agencies))
    except ApplicationError as error:
        # after the rollback, so the refusal stays on record
        audit_record(actor=actor, action="decision.refused", obj=agenda_item,
                     summary=str(error)[:400], changes={"code": error.code},
                     outcome=AuditOutcome.DENIED)
        raise


@transaction.atomic
def _decision_record(*, actor, agenda_item, text, outcome, participants,
                     participating_agencies) -> Decision:
    item = (AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting")
            .get(pk=agenda_item.pk))
    is_key_case = item.kind == AgendaItemKind.KEY_CASE_REVIEW
    if item.meeting is None or item.status == AgendaItemStatus.WITHDRAWN:
        raise ApplicationError(_("Decisions are recorded on items of a meeting's agenda."),
                               code="no_meeting")
    if item.meeting.status == MeetingStatus.CANCELLED:
        raise ApplicationError(_("The meeting was cancelled."), code="cancelled")
    if item.meeting.minutes_status == MinutesStatus.APPROVED:
        raise ApplicationError(_("The minutes are approved; decisions can no longer change."),
                               code="approved")
    if is_key_case:
        _check_key_case_decision(item, outcome, participants, participating_agencies)
    elif outcome:
        raise ApplicationError(_("Only a key-case review has an outcome."), field="outcome")
    decision = Decision(agenda_item=item, text=(text or "").strip(), recorded_by=actor,
                        outcome=outcome if is_key_case else "")
    full_clean_or_refuse(decision)
    decision.save()
    if participants:
        decision.participants.set(participants)
    if participating_agencies:
        decision.participating_agencies.set(participating_agencies)
    if item.status != AgendaItemStatus.DISCUSSED:
        item.status = AgendaItemStatus.DISCUSSED
        item.save(update_fields=["status", "updated_at"])
    for case in item.cases.all():
        CaseEvent.objects.create(case=case, kind=CaseEventKind.MEETING, actor=actor,
                                 text=_("Decision of %(meeting)s: %(text)s")
                                 % {"meeting": item.meeting.title, "text": decision.text})
    audit_record(actor=actor, action="decision.create", obj=decision,
                 changes={"agenda_item": item.pk, "meeting": item.meeting_id,
                          "outcome": decision.outcome,
                          "participants": ",".join(str(user.pk) for user in participants),
                          "agencies": ",".join(agency.code for agency in participating_agencies)})
    return decision


def _check_key_case_decision(item, outcome, participants, participating_agencies) -> None:
    if item.meeting.status != MeetingStatus.HELD:
        raise ApplicationError(_("A key case is decided at a meeting that has been held: mark "
                                 "the meeting held first."), code="meeting_not_held")
    if outcome not in KeyCaseOutcome.values:
        raise ApplicationError(_("Record the key-case review's outcome: approved, rejected or "
                                 "deferred."), code="outcome_required", field="outcome")
    if not participating_agencies:
        raise ApplicationError(_("Record who took part in the key-case review: at least the "
                                 "agencies present."), code="participants_required",
                               field="participating_agencies")


@refusals_audited
@transaction.atomic
def action_item_create(*, actor, meeting: Meeting, title: str, owner_agency, due_date,
                       description: str = "", decision: Decision | None = None) -> ActionItem:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ApplicationError(_("The meeting was cancelled."), code="cancelled")
    if decision is not None and decision.agenda_item.meeting_id != meeting.pk:
        raise ApplicationError(_("The decision belongs to another meeting."), field="decision")
    item = ActionItem(meeting=meeting, decision=decision, title=(title or "").strip(),
                      description=(description or "").strip(), owner_agency=owner_agency,
                      due_date=due_date, created_by=actor)
    full_clean_or_refuse(item)
    item.save()
    audit_record(actor=actor, action="actionitem.create", obj=item,
                 changes={"meeting": meeting.pk, "owner_agency": owner_agency.code,
                          "due_date": due_date.isoformat()})
    recipients = [assignment.user for assignment in current_liaisons(owner_agency)]
    if not recipients:
        recipients = list(role_users(Role.CITY, Role.DISTRICT, agency=owner_agency))

    notify_users(recipients=recipients, kind="cases.action_item",
                 title=Text(gettext_lazy("New %(item)s for your agency"),
                            item=_action_item_reference(item)),
                 body=Text(gettext_lazy("Due %(date)s"), date=due_date),
                 url=reverse("cases:action_item_detail", args=[item.pk]))
    return item


@refusals_audited
@transaction.atomic
def action_item_progress(*, actor, action_item: ActionItem, text: str,
                         status: str | None = None) -> ActionItemProgress:
    """A progress note by the owner agency (or the secretariat), optionally changing status."""
    item = ActionItem.objects.select_for_update().get(pk=action_item.pk)
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Write the progress note first."), code="required",
                               field="text")
    if item.status not in ACTION_ITEM_ACTIVE_STATUSES:
        raise ApplicationError(_("This action item is finished."), code="finished")
    note = ActionItemProgress.objects.create(action_item=item, text=text, actor=actor)
    fields = ["updated_at"]
    if status and status != item.status:
        if status not in ActionItemStatus.values:
            raise ApplicationError(_("Unknown status."), field="status")
        item.status = status
        fields.append("status")
        if status == ActionItemStatus.DONE:
            item.completed_at = timezone.now()
            fields.append("completed_at")
    item.save(update_fields=fields)
    audit_record(actor=actor, action="actionitem.progress", obj=item,
                 changes={"status": item.status})
    return note


@refusals_audited
@transaction.atomic
def action_item_mark_done(*, actor, action_item: ActionItem) -> ActionItem:
    """Done in one step (the list's bulk action): the owner agency's staff or the secretariat,
    an item still open or in progress; a progress note records it."""
    item = ActionItem.objects.select_for_update().get(pk=action_item.pk)
    if not action_item_may_update(actor, item):
        raise ApplicationError(_("Only the owner agency or the secretariat may update this "
                                 "action item."), code="forbidden", status=403)
    if item.status not in ACTION_ITEM_ACTIVE_STATUSES:
        raise ApplicationError(_("This action item is finished."), code="finished")
    action_item_progress(actor=actor, action_item=item, status=ActionItemStatus.DONE,
                         text=_("Marked done."))
    item.refresh_from_db()
    return item


@refusals_audited
@transaction.atomic
def minutes_save(*, actor, meeting: Meeting, text: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.can_edit_minutes():
        raise ApplicationError(_("Circulated or approved minutes can no longer be edited."),
                               code="minutes_locked")
    if meeting.status == MeetingStatus.CANCELLED:
        raise ApplicationError(_("The meeting was cancelled."), code="cancelled")
    meeting.minutes = (text or "").strip()
    meeting.minutes_status = MinutesStatus.DRAFTED
    meeting.save(update_fields=["minutes", "minutes_status", "updated_at"])
    audit_record(actor=actor, action="meeting.minutes_draft", obj=meeting)
    return meeting


@refusals_audited
@transaction.atomic
def minutes_circulate(*, actor, meeting: Meeting) -> Meeting:
    """Send the draft minutes to the invited people and the invited agencies' liaisons."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.can_circulate_minutes():
        raise ApplicationError(_("Only drafted minutes with text can be circulated."),
                               code="invalid_transition")
    if meeting.status != MeetingStatus.HELD:
        raise ApplicationError(_("Mark the meeting as held before circulating its minutes."),
                               code="not_held")
    meeting.minutes_status = MinutesStatus.CIRCULATED
    meeting.minutes_circulated_at = timezone.now()
    meeting.save(update_fields=["minutes_status", "minutes_circulated_at", "updated_at"])
    recipients = list(meeting.invited_people.all())
    for agency in meeting.invited_agencies.all():
        recipients += [assignment.user for assignment in current_liaisons(agency)]
    notify_users(recipients=recipients, kind="cases.minutes",
                 title=Text(gettext_lazy("Minutes of the %(meeting)s for review"),
                            meeting=_meeting_reference(meeting)),
                 url=_meeting_url(meeting))
    audit_record(actor=actor, action="meeting.minutes_circulate", obj=meeting,
                 changes={"recipients": len(set(recipients))})
    return meeting


@refusals_audited
@transaction.atomic
def minutes_approve(*, actor, meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.can_approve_minutes():
        raise ApplicationError(_("Only circulated minutes can be approved."),
                               code="invalid_transition")
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_by = actor
    meeting.save(update_fields=["minutes_status", "minutes_approved_at", "minutes_approved_by",
                                "updated_at"])
    audit_record(actor=actor, action="meeting.minutes_approve", obj=meeting)
    return meeting


# --- The liaison roster -----------------------------------------------------------------------

@refusals_audited
@transaction.atomic
def liaison_assignment_save(*, actor, assignment=None, agency, user, role: str, phone: str = "",
                            email: str = "", valid_from, valid_until=None):
    """Create or change a roster entry. The liaison must be staff of that agency, and an agency
    has one primary and one backup liaison valid at any time."""
    staff = getattr(user, "staff", None) if hasattr(user, "staff") else None
    if staff is None or staff.agency_id != agency.pk:
        raise ApplicationError(_("The liaison must be a staff member of that agency."),
                               field="user")
    if valid_until is not None and valid_until < valid_from:
        raise ApplicationError(_("The end of validity cannot be before its start."),
                               field="valid_until")
    overlapping = LiaisonAssignment.objects.select_for_update().filter(agency=agency, role=role)
    if assignment is not None:
        overlapping = overlapping.exclude(pk=assignment.pk)
    overlapping = overlapping.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
    if valid_until is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_until)
    if overlapping.exists():
        raise ApplicationError(
            _("The agency already has a liaison in this role for part of that period; end "
              "that entry first."), code="overlap", field="valid_from")
    created = assignment is None
    if created:
        assignment = LiaisonAssignment(agency=agency)
    assignment.agency = agency
    assignment.user, assignment.role = user, role
    assignment.phone, assignment.email = phone.strip(), email.strip()
    assignment.valid_from, assignment.valid_until = valid_from, valid_until
    full_clean_or_refuse(assignment)
    assignment.save()
    audit_record(actor=actor, action="liaison.create" if created else "liaison.update",
                 obj=assignment, changes={"agency": agency.code, "user": user.get_username(),
                                          "role": role, "valid_from": valid_from.isoformat(),
                                          "valid_until": valid_until.isoformat()
                                          if valid_until else None})
    return assignment


def action_items_remind_overdue(*, today=None) -> int:
    """Remind each owner agency once about each overdue action item (per due date: a new due
    date earns a new reminder), on a working day of the owner's side (core/calendar.py): a
    Macau agency is reminded after its holiday, not on it. Safe to run twice:
    ``core.db.run_once`` keeps receipts. Returns the number of reminders sent now."""
    today = today or timezone.localdate()
    sent = 0
    overdue = (ActionItem.objects.filter(status__in=ACTION_ITEM_ACTIVE_STATUSES,
                                         due_date__lt=today)
               .exclude(owner_agency__side__in=agency_sides_closed_on(today))
               .select_related("owner_agency", "meeting").order_by("due_date", "id"))
    for item in overdue:
        def remind(item=item):
            recipients = [assignment.user for assignment in current_liaisons(item.owner_agency)]
            if not recipients:
                recipients = list(role_users(Role.CITY, Role.DISTRICT, agency=item.owner_agency))
            notify_users(recipients=recipients, kind="cases.action_item_overdue",
                         title=Text(gettext_lazy("Overdue: %(item)s"),
                                    item=_action_item_reference(item)),
                         body=Text(gettext_lazy("Due %(date)s"), date=item.due_date),
                         url=reverse("cases:action_item_detail", args=[item.pk]))
            audit_record(actor=None, action="actionitem.remind_overdue", obj=item,
                         changes={"due_date": item.due_date.isoformat()})

        key = f"cases:overdue-reminder:{item.pk}:{item.due_date.isoformat()}"
        if run_once(key, remind, task_name="cases.remind_overdue_action_items"):
            sent += 1
    return sent


# --- The meeting calendar: recurring meetings, reminders, the iCalendar feed -------------------

#: How far ahead a recurring meeting's occurrences exist as meetings (the beat tops it up daily).
SERIES_HORIZON_DAYS = 92
#: Working days of the organiser's side after a held meeting by which its minutes should be
#: circulated; then the secretariat is reminded once.
MINUTES_DUE_WORKING_DAYS = 5


def _guard_secretariat(actor) -> None:
    if not has_role(actor, Role.CITY):
        raise ApplicationError(_("Only the joint-meeting secretariat manages recurring "
                                 "meetings."), code="forbidden", status=403)


@refusals_audited
@transaction.atomic
def meeting_series_create(*, actor, title: str, kind: str, frequency: str, start_time,
                          starts_on, weekday=None, week_of_month=None, day_of_month=None,
                          duration_minutes: int = 120, ends_on=None, place: str = "",
                          online_link: str = "", skip_non_working_days: bool = True,
                          invited_agencies=(), invited_people=()):
    """A recurring meeting; its occurrences of the next months are generated at once."""
    _guard_secretariat(actor)
    agency = user_agency(actor)
    if agency is None:
        raise ApplicationError(_("Your account does not belong to an agency."))
    if not place.strip() and not online_link.strip():
        raise ApplicationError(_("Give a place or an online link."), field="place")
    series = MeetingSeries(
        title=title.strip(), kind=kind, frequency=frequency, start_time=start_time,
        starts_on=starts_on, ends_on=ends_on, duration_minutes=duration_minutes,
        weekday=weekday if frequency != "monthly_day" else None,
        week_of_month=week_of_month if frequency == "monthly_weekday" else None,
        day_of_month=day_of_month if frequency == "monthly_day" else None,
        place=place.strip(), online_link=online_link.strip(),
        skip_non_working_days=skip_non_working_days, organiser_agency=agency, created_by=actor)
    full_clean_or_refuse(series)
    series.save()
    series.invited_agencies.set(invited_agencies)
    series.invited_people.set(invited_people)
    audit_record(actor=actor, action="meetingseries.create", obj=series,
                 changes={"kind": kind, "frequency": frequency,
                          "starts_on": starts_on.isoformat()})
    _series_generate(series)
    return series


@refusals_audited
@transaction.atomic
def meeting_series_end(*, actor, series):
    """Stop a recurring meeting: no more occurrences; the scheduled future ones are cancelled
    (their open key-case reviews go back to the pending queue, as for any cancellation)."""
    _guard_secretariat(actor)
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    if not series.is_active:
        raise ApplicationError(_("This recurring meeting has already ended."), code="ended",
                               status=409)
    series.is_active = False
    series.ends_on = max(timezone.localdate(), series.starts_on)
    full_clean_or_refuse(series)
    series.save(update_fields=["is_active", "ends_on", "updated_at"])
    future = list(series.meetings.filter(status=MeetingStatus.SCHEDULED,
                                         starts_at__gt=timezone.now()))
    for meeting in future:
        meeting_status_change(actor=actor, meeting=meeting, status=MeetingStatus.CANCELLED)
    audit_record(actor=actor, action="meetingseries.end", obj=series,
                 changes={"cancelled": len(future)})
    return series


def _series_generate(series, *, today=None) -> int:
    """Add the series' missing occurrences up to the horizon (one per rule date: the unique
    (series, occurrence_date) keeps a second run from adding it again). Returns how many."""
    if not series.is_active:
        return 0
    today = today or timezone.localdate()
    dates = series.dates_between(today, today + timedelta(days=SERIES_HORIZON_DAYS))
    existing = set(series.meetings.filter(occurrence_date__in=dates)
                   .values_list("occurrence_date", flat=True))
    agencies = list(series.invited_agencies.all())
    people = list(series.invited_people.all())
    created = 0
    for day in dates:
        if day in existing:
            continue
        held_on = day
        if series.skip_non_working_days:
            while not is_working_day(held_on, series.organiser_agency):
                held_on += timedelta(days=1)
        starts_at = timezone.make_aware(datetime.combine(held_on, series.start_time))
        meeting = Meeting(series=series, occurrence_date=day, title=series.title,
                          kind=series.kind, starts_at=starts_at,
                          ends_at=starts_at + timedelta(minutes=series.duration_minutes),
                          place=series.place, online_link=series.online_link,
                          organiser_agency=series.organiser_agency,
                          created_by=series.created_by)
        full_clean_or_refuse(meeting)
        meeting.save()
        meeting.invited_agencies.set(agencies)
        meeting.invited_people.set(people)
        audit_record(actor=None, action="meeting.create", obj=meeting,
                     changes={"series": series.pk, "occurrence_date": day.isoformat(),
                              "starts_at": starts_at.isoformat()})
        created += 1
    return created


def meeting_series_generate(*, today=None) -> int:
    """Beat, daily: top up every active recurring meeting's occurrences to the horizon.
    Each series in its own transaction, locked, so two runs never add the same occurrence."""
    created = 0
    for pk in MeetingSeries.objects.filter(is_active=True).values_list("pk", flat=True):
        with transaction.atomic():
            series = (MeetingSeries.objects.select_for_update().select_related("organiser_agency")
                      .get(pk=pk))
            created += _series_generate(series, today=today)
    return created


def _meeting_participants(meeting) -> list:
    """The invited people and the invited agencies' current liaisons, each once."""
    recipients = list(meeting.invited_people.filter(is_active=True))
    for agency in meeting.invited_agencies.all():
        recipients += [assignment.user for assignment in current_liaisons(agency)]
    return list({user.pk: user for user in recipients}.values())


def meetings_remind_tomorrow(*, now=None) -> int:
    """Beat, daily: remind each participant of each scheduled meeting of tomorrow, once per
    meeting and participant (``run_once`` receipts: a second run, or a moved meeting, sends
    nothing again). Returns the number of reminders sent now."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    meetings = (Meeting.objects.filter(status=MeetingStatus.SCHEDULED,
                                       starts_at__date=tomorrow)
                .order_by("starts_at", "id"))
    sent = 0
    for meeting in meetings:
        for user in _meeting_participants(meeting):
            def remind(meeting=meeting, user=user):
                notify_users(recipients=[user], kind="cases.meeting_reminder",
                             title=Text(gettext_lazy("Tomorrow: %(meeting)s"),
                                        meeting=_meeting_reference(meeting)),
                             body=gettext_lazy("The place, the online link and the agenda are "
                                               "on the meeting's page."),
                             url=_meeting_url(meeting))
                audit_record(actor=None, action="meeting.remind", obj=meeting,
                             changes={"user": user.pk})

            if run_once(f"cases:meeting-reminder:{meeting.pk}:{user.pk}", remind,
                        task_name="cases.remind_meetings_tomorrow"):
                sent += 1
    return sent


def meeting_minutes_due_on(meeting):
    """The day the minutes of a meeting should be circulated by: ``MINUTES_DUE_WORKING_DAYS``
    working days of the organiser's side after the meeting's day."""
    return add_working_days(timezone.localdate(meeting.starts_at), MINUTES_DUE_WORKING_DAYS,
                            meeting.organiser_agency)


def minutes_remind_due(*, today=None) -> int:
    """Beat, daily: for each held meeting whose minutes are not circulated by their due day,
    remind the secretariat (the organising agency's city officers) once. Returns how many
    meetings were reminded now."""
    today = today or timezone.localdate()
    meetings = (Meeting.objects.filter(status=MeetingStatus.HELD,
                                       minutes_status__in=(MinutesStatus.NONE,
                                                           MinutesStatus.DRAFTED),
                                       starts_at__date__lt=today)
                .select_related("organiser_agency").order_by("starts_at", "id"))
    sent = 0
    for meeting in meetings:
        due_on = meeting_minutes_due_on(meeting)
        if due_on > today:
            continue

        def remind(meeting=meeting, due_on=due_on):
            recipients = list(role_users(Role.CITY, agency=meeting.organiser_agency))
            notify_users(recipients=recipients, kind="cases.minutes_due",
                         title=Text(gettext_lazy("Minutes due: %(meeting)s"),
                                    meeting=_meeting_reference(meeting)),
                         body=Text(gettext_lazy("The minutes were due on %(date)s; draft and "
                                                "circulate them."), date=due_on),
                         url=_meeting_url(meeting))
            audit_record(actor=None, action="meeting.minutes_remind", obj=meeting,
                         changes={"due_on": due_on.isoformat()})

        if run_once(f"cases:minutes-due:{meeting.pk}", remind,
                    task_name="cases.remind_minutes_due"):
            sent += 1
    return sent


@refusals_audited
@transaction.atomic
def calendar_feed_token_create(*, actor) -> str:
    """A new private address for the user's calendar feed; the previous one stops working.
    Returns the token itself, which is not stored (only its hash): shown once."""
    if not actor.is_authenticated or not actor.is_active:
        raise ApplicationError(_("Sign in first."))
    revoked = CalendarFeedToken.objects.select_for_update().filter(
        user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    feed = CalendarFeedToken(user=actor, token_hash=CalendarFeedToken.hash_of(token))
    feed.save()
    audit_record(actor=actor, action="calendar_feed.create", obj=feed,
                 changes={"revoked_previous": revoked})
    return token


@refusals_audited
@transaction.atomic
def calendar_feed_token_revoke(*, actor) -> int:
    revoked = CalendarFeedToken.objects.select_for_update().filter(
        user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if not revoked:
        raise ApplicationError(_("You have no calendar feed address to revoke."),
                               code="none", status=409)
    audit_record(actor=actor, action="calendar_feed.revoke", obj=actor,
                 changes={"revoked": revoked})
    return revoked


def calendar_feed_refused(*, token: str) -> None:
    """A calendar asked with an address that is wrong, revoked or of an inactive user: audited
    (with no user, and the start of the token's hash, never the token, so that a revoked
    address still in use can be traced to its row)."""
    audit_record(actor=None, action="calendar_feed.refused",
                 object_type="cases.calendarfeedtoken",
                 object_id=CalendarFeedToken.hash_of(token[:100])[:16],
                 outcome=AuditOutcome.DENIED,
                 summary=_("unknown, revoked or inactive calendar address"))


def calendar_feed_used(*, feed, rows: int) -> None:
    """A calendar fetched the feed: note when, and audit the read (one row per fetch)."""
    CalendarFeedToken.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    audit_bulk_read(actor=feed.user, action="calendar_feed.read", object_type="cases.meeting",
                    rows=rows)
