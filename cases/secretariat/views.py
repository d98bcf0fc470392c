"""Pages of the joint-meeting secretariat: meetings and their calendar, agendas, decisions,
minutes, action items and the liaison roster. Views call services and selectors only;
ApplicationError becomes a form error or a message and nothing is saved."""
from __future__ import annotations

import calendar as month_calendar
import re
from collections import defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import bulk
from core.audit import audit_record
from core.errors import ApplicationError
from core.models import LiaisonAssignment
from core.roles import STAFF_ROLES, Role, has_role
from web.decorators import role_required
from web.exports import export_response
from web.forms import add_service_error
from web.listing import listing_for
from web.pagination import page_of
from web.printforms import pdf_response

from .. import lists
from ..models import AgendaItem, AgendaItemKind, Case, MeetingStatus, MinutesStatus
from ..permissions import MEETING_ROLES
from ..selectors import case_visible_to
from . import forms, selectors, services
from .ical import calendar_feed_ical
from .pdf import minutes_pdf

PAGE_SIZE = 25
#: A pending review is put on one of the nearest scheduled meetings: the page offers these.
MEETINGS_OFFERED = 20


# --- Meetings ----------------------------------------------------------------------------------

@role_required(*MEETING_ROLES)
def meeting_list(request):
    meetings = selectors.meeting_visible_to(request.user).select_related(
        "organiser_agency").order_by("-starts_at", "-id")
    kind = request.GET.get("kind", "")
    if kind:
        meetings = meetings.filter(kind=kind)
    upcoming = meetings.filter(status=MeetingStatus.SCHEDULED,
                               starts_at__gte=timezone.now()).order_by("starts_at")
    return render(request, "cases/secretariat/meeting_list.html", {
        "page": page_of(request, meetings, PAGE_SIZE), "upcoming": upcoming[:5], "kind": kind,
        "may_manage": selectors.meeting_may_manage(request.user),
        "pending_count": selectors.pending_key_case_reviews().count()
        if selectors.meeting_may_manage(request.user) else 0})


@role_required(*MEETING_ROLES)
@require_GET
def meeting_calendar(request):
    """The month view: a grid of weeks (a list of days at phone width), the meetings the user
    may see on each day, previous and next month and today. ``?month=YYYY-MM``."""
    today = timezone.localdate()
    first = today.replace(day=1)
    month_text = request.GET.get("month", "")
    if month_text:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", month_text)
        if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
            first = date(int(match[1]), int(match[2]), 1)
        else:
            messages.error(request, _("Give the month as year-month, e.g. 2026-03; this month "
                                      "is shown."))
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    by_day = defaultdict(list)
    for meeting in selectors.meetings_between(request.user, weeks[0][0], weeks[-1][-1]):
        by_day[timezone.localdate(meeting.starts_at)].append(meeting)
    grid = [[{"day": day, "in_month": day.month == first.month, "is_today": day == today,
              "meetings": by_day.get(day, [])} for day in week] for week in weeks]
    previous_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    may_manage = selectors.meeting_may_manage(request.user)
    return render(request, "cases/secretariat/meeting_calendar.html", {
        "first": first, "grid": grid, "today": today,
        "weekdays": [WEEKDAYS[number] for number in range(7)],
        "days_with_meetings": [cell for week in grid for cell in week
                               if cell["in_month"] and cell["meetings"]],
        "previous_month": previous_month.strftime("%Y-%m"),
        "next_month": next_month.strftime("%Y-%m"),
        "is_this_month": first == today.replace(day=1),
        "series": selectors.meeting_series_for_list(request.user)[:20],
        "may_manage": may_manage})


@role_required(Role.CITY)
def meeting_series_create(request):
    form = forms.MeetingSeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_series_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The recurring meeting is scheduled; its next "
                                        "occurrences are on the calendar."))
            return redirect("cases:meeting_calendar")
    return render(request, "cases/secretariat/meeting_series_form.html", {"form": form})


@role_required(Role.CITY)
@require_POST
def series_end(request, pk):
    series = selectors.get_meeting_series_for(request.user, pk, action="end")
    try:
        services.meeting_series_end(actor=request.user, series=series)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The recurring meeting has ended; its future occurrences "
                                    "are cancelled."))
    return redirect("cases:meeting_calendar")


@role_required(*MEETING_ROLES)
@require_http_methods(["GET", "POST"])
def calendar_feed(request):
    """The user's private iCalendar address: make one (shown once), or revoke it."""
    feed_url = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "create":
                token = services.calendar_feed_token_create(actor=request.user)
                feed_url = request.build_absolute_uri(
                    reverse("cases:meeting_feed", args=[token]))
                messages.success(request, _("Your calendar address is below. Copy it now: "
                                            "it is shown only once."))
            elif action == "revoke":
                services.calendar_feed_token_revoke(actor=request.user)
                messages.success(request, _("The calendar address is revoked; calendars "
                                            "using it no longer receive meetings."))
                return redirect("cases:calendar_feed")
            else:
                return HttpResponse(status=400)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("cases:calendar_feed")
    return render(request, "cases/secretariat/calendar_feed.html", {
        "feed": selectors.calendar_feed_token_live(request.user), "feed_url": feed_url})


@require_GET
def meeting_feed(request, token):
    """The iCalendar feed of the token's user: the meetings they may see, with their title,
    place and times only (no agenda, no people). A wrong or revoked token: 404."""
    feed = selectors.calendar_feed_by_token(token)
    if feed is None:
        services.calendar_feed_refused(token=token)
        raise Http404
    meetings = list(selectors.meetings_for_feed(feed.user))
    services.calendar_feed_used(feed=feed, rows=len(meetings))
    body = calendar_feed_ical(meetings, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="zhuao-meetings.ics"'
    return response


@role_required(Role.CITY)
def meeting_create(request):
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The meeting is scheduled."))
            return redirect("cases:meeting_detail", pk=meeting.pk)
    return render(request, "cases/secretariat/meeting_form.html", {"form": form})


@role_required(Role.CITY)
def meeting_edit(request, pk):
    meeting = selectors.get_meeting_for(request.user, pk, action="change")
    form = forms.MeetingForm(request.POST or None, initial={
        "title": meeting.title, "kind": meeting.kind,
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
        "place": meeting.place, "online_link": meeting.online_link,
        "invited_agencies": list(meeting.invited_agencies.all()),
        "invited_people": list(meeting.invited_people.all())})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:meeting_detail", pk=meeting.pk)
    return render(request, "cases/secretariat/meeting_form.html",
                  {"form": form, "meeting": meeting})


def _meeting_context(request, meeting, **given):
    manage = selectors.meeting_may_manage(request.user)
    agenda = selectors.meeting_agenda(meeting, request.user)
    decisions = list(selectors.meeting_decisions(meeting))
    action_items = meeting.action_items.select_related("owner_agency", "decision").order_by(
        "due_date", "id")
    context = {
        "meeting": meeting, "agenda": agenda, "action_items": action_items,
        "invited_agencies": meeting.invited_agencies.all(),
        "invited_people": meeting.invited_people.select_related("staff__agency"),
        "may_manage": manage, "today": timezone.localdate(),
        "show_minutes": manage or meeting.minutes_status in (MinutesStatus.CIRCULATED,
                                                             MinutesStatus.APPROVED),
    }
    if manage:
        context.update({
            "agenda_form": given.get("agenda_form") or forms.AgendaItemForm(prefix="agenda"),
            "decision_form": given.get("decision_form") or forms.DecisionForm(prefix="decision",
                                                                              meeting=meeting),
            "decision_item": given.get("decision_item"),
            "action_form": given.get("action_form") or forms.ActionItemForm(decisions=decisions,
                                                                             prefix="action"),
            "minutes_form": given.get("minutes_form") or forms.MinutesForm(
                prefix="minutes", initial={"minutes": meeting.minutes}),
        })
    return context


@role_required(*MEETING_ROLES)
def meeting_detail(request, pk):
    meeting = selectors.get_meeting_for(request.user, pk)
    return render(request, "cases/secretariat/meeting_detail.html",
                  _meeting_context(request, meeting))


def _meeting_post(request, pk, form_name, form, action, **extra):
    meeting = selectors.get_meeting_for(request.user, pk, action="change")
    if form.is_valid():
        try:
            message = action(meeting, form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, message)
            return redirect("cases:meeting_detail", pk=meeting.pk)
    return render(request, "cases/secretariat/meeting_detail.html",
                  _meeting_context(request, meeting, **{form_name: form}, **extra), status=400)


def _cases_by_number(user, text: str) -> list[Case]:
    numbers = [number.upper() for number in re.split(r"[\s,，;；]+", text or "") if number]
    cases = list(case_visible_to(user).filter(number__in=numbers))
    missing = set(numbers) - {case.number for case in cases}
    if missing:
        raise ApplicationError(_("No case with the number %(numbers)s.")
                               % {"numbers": ", ".join(sorted(missing))}, field="case_numbers")
    return cases


@role_required(Role.CITY)
@require_POST
def agenda_add(request, pk):
    def action(meeting, data):
        cases = _cases_by_number(request.user, data["case_numbers"])
        kind = data["kind"]
        services.agenda_item_add(actor=request.user, meeting=meeting, title=data["title"],
                                 reason=data["reason"], kind=kind, cases=cases)
        return _("The item is on the agenda.")

    return _meeting_post(request, pk, "agenda_form", forms.AgendaItemForm(request.POST, prefix="agenda"),
                         action)


@role_required(Role.CITY)
@require_POST
def decision_add(request, pk, item_pk):
    item = AgendaItem.objects.filter(meeting_id=pk, pk=item_pk).first()
    if item is None:  # before the form is read: a missing item is 404 whatever was sent
        raise Http404

    def action(meeting, data):
        services.decision_record(actor=request.user, agenda_item=item, text=data["text"],
                                 outcome=data.get("outcome") or "",
                                 participants=data.get("participants") or (),
                                 participating_agencies=data.get("participating_agencies") or ())
        return _("The decision is recorded.")

    meeting = selectors.get_meeting_for(request.user, pk, action="change")
    return _meeting_post(request, pk, "decision_form",
                         forms.DecisionForm(request.POST, prefix="decision", meeting=meeting),
                         action,
                         decision_item=item_pk)


@role_required(Role.CITY)
@require_POST
def action_item_add(request, pk):
    meeting = selectors.get_meeting_for(request.user, pk, action="change")
    decisions = list(selectors.meeting_decisions(meeting))
    form = forms.ActionItemForm(request.POST, decisions=decisions, prefix="action")

    def action(meeting, data):
        decision = next((d for d in decisions if str(d.pk) == data["decision"]), None)
        services.action_item_create(actor=request.user, meeting=meeting, title=data["title"],
                                    owner_agency=data["owner_agency"], due_date=data["due_date"],
                                    description=data["description"], decision=decision)
        return _("The action item is recorded.")

    return _meeting_post(request, pk, "action_form", form, action)


@role_required(Role.CITY)
@require_POST
def minutes_save(request, pk):
    def action(meeting, data):
        services.minutes_save(actor=request.user, meeting=meeting, text=data["minutes"])
        return _("The draft minutes are saved.")

    return _meeting_post(request, pk, "minutes_form", forms.MinutesForm(request.POST, prefix="minutes"),
                         action)


#: The minutes steps that publish them (circulate to the attendees, approve as final): neither
#: can be undone, so each has a check page before and a confirmation page after.
_PUBLISHING_STEPS = ("circulate", "approve")


@role_required(Role.CITY)
@require_http_methods(["GET", "POST"])
def meeting_step(request, pk, step):
    """A step of the meeting (POST). Publishing the minutes (``circulate``, ``approve``): GET
    shows the check page, and a POST without ``confirm=yes`` is sent there."""
    meeting = selectors.get_meeting_for(request.user, pk, action="change")
    if request.method == "GET" and step not in _PUBLISHING_STEPS:
        return redirect("cases:meeting_detail", pk=meeting.pk)
    if step in _PUBLISHING_STEPS and (request.method == "GET"
                                      or request.POST.get("confirm") != "yes"):
        allowed = (meeting.can_circulate_minutes() if step == "circulate"
                   else meeting.can_approve_minutes())
        if not allowed:
            messages.info(request, _("This step of the minutes is not open now."))
            return redirect("cases:meeting_detail", pk=meeting.pk)
        if request.method == "POST":
            return redirect("cases:meeting_step", pk=meeting.pk, step=step)
        return render(request, "cases/secretariat/minutes_publish.html", {
            "meeting": meeting, "step": step,
            "invited_agencies": meeting.invited_agencies.all(),
            "invited_people": meeting.invited_people.select_related("staff__agency")})
    steps = {
        "held": (lambda: services.meeting_status_change(actor=request.user, meeting=meeting,
                                                        status=MeetingStatus.HELD),
                 _("The meeting is marked as held.")),
        "cancel": (lambda: services.meeting_status_change(actor=request.user, meeting=meeting,
                                                          status=MeetingStatus.CANCELLED),
                   _("The meeting is cancelled.")),
        "circulate": (lambda: services.minutes_circulate(actor=request.user, meeting=meeting),
                      _("The minutes are circulated to the attendees.")),
        "approve": (lambda: services.minutes_approve(actor=request.user, meeting=meeting),
                    _("The minutes are approved.")),
    }
    if step not in steps:
        raise Http404
    run, message = steps[step]
    try:
        run()
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        if step in _PUBLISHING_STEPS:
            return redirect("cases:minutes_done", pk=meeting.pk, step=step)
        messages.success(request, message)
    return redirect("cases:meeting_detail", pk=meeting.pk)


@role_required(Role.CITY)
@require_GET
def minutes_done(request, pk, step):
    """The confirmation page after circulating or approving the minutes: what happens next."""
    if step not in _PUBLISHING_STEPS:
        raise Http404
    meeting = selectors.get_meeting_for(request.user, pk)
    wanted = MinutesStatus.CIRCULATED if step == "circulate" else MinutesStatus.APPROVED
    if meeting.minutes_status != wanted:
        return redirect("cases:meeting_detail", pk=meeting.pk)
    return render(request, "cases/secretariat/minutes_done.html",
                  {"meeting": meeting, "step": step})


@role_required(*MEETING_ROLES)
def meeting_minutes_pdf(request, pk):
    meeting = selectors.get_meeting_for(request.user, pk)
    if meeting.minutes_status != MinutesStatus.APPROVED:
        raise Http404

    content = minutes_pdf(meeting, request.user)
    audit_record(actor=request.user, action="meeting.minutes_pdf", obj=meeting)
    return pdf_response(content, f"minutes-{meeting.pk}.pdf")


@role_required(Role.CITY)
def pending_reviews(request):
    meetings = list(selectors.scheduled_meetings()[:MEETINGS_OFFERED])
    form = forms.AssignForm()
    return render(request, "cases/secretariat/pending_reviews.html", {
        "page": page_of(request, selectors.pending_key_case_reviews(), PAGE_SIZE),
        "choices": [(meeting.pk, form.fields["meeting"].label_from_instance(meeting))
                    for meeting in meetings]})


@role_required(Role.CITY)
@require_POST
def pending_assign(request, item_pk):
    item = AgendaItem.objects.filter(pk=item_pk, kind=AgendaItemKind.KEY_CASE_REVIEW).first()
    form = forms.AssignForm(request.POST)
    if item is None:
        raise Http404
    if form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            services.agenda_item_assign(actor=request.user, item=item, meeting=meeting)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The item is on the agenda of %(meeting)s.")
                             % {"meeting": meeting.title})
    else:
        messages.error(request, _("Choose a scheduled meeting."))
    return redirect("cases:pending_reviews")


@role_required(Role.CITY)
@require_POST
def agenda_withdraw(request, item_pk):
    item = AgendaItem.objects.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    try:
        services.agenda_item_withdraw(actor=request.user, item=item,
                                      reason=request.POST.get("reason", ""))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The item is withdrawn."))
    if item.meeting_id:
        return redirect("cases:meeting_detail", pk=item.meeting_id)
    return redirect("cases:pending_reviews")


# --- Action items ------------------------------------------------------------------------------

@role_required(*MEETING_ROLES)
def action_item_list(request):
    list_query = lists.ACTION_ITEMS.query(request.user, request.GET)
    rows, listing = listing_for(request, lists.ACTION_ITEMS, list_query)
    return render(request, "cases/secretariat/action_item_list.html", {
        "form": list_query.form, "page": page_of(request, rows, listing.ordering.per_page),
        "listing": listing, "today": timezone.localdate()})


@role_required(*MEETING_ROLES)
def action_item_export(request):
    return export_response(request, lists.ACTION_ITEMS)


@role_required(*MEETING_ROLES)
def action_item_detail(request, pk):
    item = selectors.get_action_item_for(request.user, pk)
    may_update = selectors.action_item_may_update(request.user, item) and item.is_active
    form = forms.ProgressForm(request.POST or None, initial={"status": item.status})
    if request.method == "POST":
        if not may_update:
            raise Http404
        if form.is_valid():
            try:
                services.action_item_progress(actor=request.user, action_item=item,
                                              text=form.cleaned_data["text"],
                                              status=form.cleaned_data["status"])
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The progress note is recorded."))
                return redirect("cases:action_item_detail", pk=item.pk)
    return render(request, "cases/secretariat/action_item_detail.html", {
        "item": item, "notes": item.progress_notes.select_related("actor"),
        "form": form if may_update else None, "today": timezone.localdate()},
        status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@role_required(*MEETING_ROLES)
def action_item_bulk_done(request):
    """Mark the ticked action items done, each through ``action_item_progress``."""
    return bulk.handle(request, bulk.BulkAction(
        title=_("Mark action items done"), confirm_label=_("Mark done"),
        back_url=reverse("cases:action_item_list"),
        fetch=lambda user, pk: selectors.get_action_item_for(user, pk, action="change"),
        perform=lambda user, item, data: services.action_item_mark_done(
            actor=user, action_item=item),
        describe=lambda item: item.title))


# --- Liaison roster ----------------------------------------------------------------------------

@role_required(*STAFF_ROLES)
def liaison_list(request):
    current_only = request.GET.get("current") == "1"
    return render(request, "cases/secretariat/liaison_list.html", {
        "entries": selectors.liaison_roster(current_only=current_only),
        "current_only": current_only, "today": timezone.localdate(),
        "may_edit": has_role(request.user, Role.CITY)})


@role_required(Role.CITY)
def liaison_edit(request, pk=None):
    assignment = None
    initial = {"valid_from": timezone.localdate()}
    if pk is not None:
        assignment = LiaisonAssignment.objects.filter(pk=pk).first()
        if assignment is None:
            raise Http404
        initial = {field: getattr(assignment, field) for field in
                   ("agency", "user", "role", "phone", "email", "valid_from", "valid_until")}
    form = forms.LiaisonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.liaison_assignment_save(actor=request.user, assignment=assignment,
                                             **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The liaison roster is updated."))
            return redirect("cases:liaison_list")
    return render(request, "cases/secretariat/liaison_form.html",
                  {"form": form, "assignment": assignment})
