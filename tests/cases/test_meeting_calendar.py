"""The meeting calendar (issue 27): the month view per role, recurring meetings, the private
iCalendar feed, the reminders a day before and the minutes-due reminders."""
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cases.models import CalendarFeedToken, MeetingSeries, MeetingStatus
from cases.secretariat.services import (
    MINUTES_DUE_WORKING_DAYS, agenda_item_add, calendar_feed_token_create,
    calendar_feed_token_revoke, meeting_create, meeting_series_create, meeting_series_end,
    meeting_series_generate, meeting_status_change, meeting_update, meetings_remind_tomorrow,
    minutes_remind_due,
)
from core.calendar import add_working_days, is_working_day
from core.errors import ApplicationError
from core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _meeting(users, title, starts_at, **extra):
    return meeting_create(actor=users["city"], title=title, kind="liaison_meeting",
                          starts_at=starts_at, place="三楼会议室", **extra)


# --- the month view -----------------------------------------------------------------------

def test_month_view_shows_each_role_the_meetings_it_may_see(client_for, users, agencies):
    day = timezone.localdate().replace(day=15)
    invited = _meeting(users, "香洲联络会", _at(day), invited_agencies=[agencies["zh-xiangzhou"]])
    internal = _meeting(users, "秘书处内部会", _at(day, 15))
    month = day.strftime("%Y-%m")
    expected = {"city": {invited, internal}, "leader": {invited, internal},
                "district": {invited}, "district2": set(), "macau": set()}
    for role, meetings in expected.items():
        response = client_for(role).get(reverse("cases:meeting_calendar"), {"month": month})
        assert response.status_code == 200, role
        page = response.content.decode()
        for meeting in (invited, internal):
            link = reverse("cases:meeting_detail", args=[meeting.pk])
            assert (link in page) == (meeting in meetings), (role, meeting.title)
    assert client_for("admin").get(reverse("cases:meeting_calendar")).status_code == 403
    anonymous = client_for("anonymous").get(reverse("cases:meeting_calendar"))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_month_view_moves_between_months_and_marks_today(client_for, users):
    city = client_for("city")
    page = city.get(reverse("cases:meeting_calendar")).content.decode()
    today = timezone.localdate()
    following = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    assert f"?month={following:%Y-%m}" in page
    assert 'aria-current="date"' in page
    other = city.get(reverse("cases:meeting_calendar"), {"month": "2025-02"}).content.decode()
    assert "?month=2025-01" in other and "?month=2025-03" in other
    assert "month__day--today" not in other


@pytest.mark.parametrize("month", ["2026-13", "abc", "1999-01", "2026-00", "9" * 40])
def test_month_view_answers_bad_months_with_a_message(client_for, month):
    response = client_for("city").get(reverse("cases:meeting_calendar"), {"month": month})
    assert response.status_code == 200
    assert "2026-03" in response.content.decode()  # the message gives the format


def test_month_view_lists_the_days_for_phones(client_for, users):
    day = timezone.localdate().replace(day=20)
    _meeting(users, "联络会", _at(day))
    page = client_for("city").get(reverse("cases:meeting_calendar")).content.decode()
    listing = page[page.index('class="month-list"'):]
    assert "联络会" in listing and "三楼会议室" in listing


# --- recurring meetings -------------------------------------------------------------------

def _series(users, agencies, **rule):
    values = {"title": "珠澳月度联络会议", "kind": "liaison_meeting",
              "frequency": "monthly_weekday", "weekday": 1, "week_of_month": 2,
              "start_time": time(10), "starts_on": timezone.localdate(), "place": "横琴",
              "invited_agencies": [agencies["mo-ias"]], "invited_people": [users["macau"]],
              "skip_non_working_days": False}
    values.update(rule)
    return meeting_series_create(actor=users["city"], **values)


def test_series_generates_its_occurrences_once(users, agencies):
    series = _series(users, agencies)
    occurrences = list(series.meetings.order_by("starts_at"))
    assert len(occurrences) >= 2
    for meeting in occurrences:
        local = timezone.localtime(meeting.starts_at)
        assert local.weekday() == 1 and 8 <= local.day <= 14 and local.hour == 10
        assert meeting.occurrence_date == local.date()
        assert meeting.ends_at - meeting.starts_at == timedelta(minutes=120)
        assert list(meeting.invited_agencies.all()) == [agencies["mo-ias"]]
        assert list(meeting.invited_people.all()) == [users["macau"]]
    assert meeting_series_generate() == 0
    assert series.meetings.count() == len(occurrences)
    later = timezone.localdate() + timedelta(days=40)
    assert meeting_series_generate(today=later) >= 1
    assert AuditEvent.objects.filter(action="meetingseries.create").count() == 1


def test_series_rules_weekly_and_day_of_month():
    series = MeetingSeries(frequency="weekly", weekday=4, starts_on=date(2027, 3, 1),
                           start_time=time(9))
    assert series.dates_between(date(2027, 3, 1), date(2027, 3, 31)) == [
        date(2027, 3, 5), date(2027, 3, 12), date(2027, 3, 19), date(2027, 3, 26)]
    monthly = MeetingSeries(frequency="monthly_day", day_of_month=31, starts_on=date(2027, 1, 1),
                            ends_on=date(2027, 3, 15), start_time=time(9))
    assert monthly.dates_between(date(2027, 1, 1), date(2027, 12, 31)) == [
        date(2027, 1, 31), date(2027, 2, 28)]
    last = MeetingSeries(frequency="monthly_weekday", weekday=4, week_of_month=-1,
                         starts_on=date(2027, 1, 1), start_time=time(9))
    assert last.dates_between(date(2027, 1, 1), date(2027, 2, 28)) == [
        date(2027, 1, 29), date(2027, 2, 26)]


def test_series_moves_an_occurrence_off_a_holiday(users, agencies):
    series = _series(users, agencies, frequency="monthly_day", weekday=None,
                     week_of_month=None, day_of_month=1, starts_on=date(2027, 9, 1),
                     skip_non_working_days=True)
    meeting_series_generate(today=date(2027, 9, 15))
    national_day = series.meetings.get(occurrence_date=date(2027, 10, 1))
    held_on = timezone.localtime(national_day.starts_at).date()
    assert held_on > date(2027, 10, 1)
    assert is_working_day(held_on, series.organiser_agency)


def test_editing_one_occurrence_leaves_the_series(users, agencies):
    series = _series(users, agencies)
    first, second = series.meetings.order_by("starts_at")[:2]
    meeting_update(actor=users["city"], meeting=first, title="改期的联络会", kind=first.kind,
                   starts_at=first.starts_at + timedelta(days=1), place="拱北")
    second.refresh_from_db()
    assert second.title == "珠澳月度联络会议" and second.place == "横琴"
    assert meeting_series_generate() == 0  # the moved occurrence is not added again


def test_series_is_the_secretariats_and_ends(users, agencies):
    with pytest.raises(ApplicationError):
        meeting_series_create(
            actor=users["district"], title="x", kind="liaison_meeting", frequency="weekly",
            weekday=1, start_time=time(9), starts_on=timezone.localdate(), place="x")
    assert not MeetingSeries.objects.exists()
    with pytest.raises(ApplicationError):
        meeting_series_create(actor=users["city"], title="x", kind="liaison_meeting",
                              frequency="monthly_weekday", weekday=1, start_time=time(9),
                              starts_on=timezone.localdate(), place="x")
    series = _series(users, agencies)
    meeting_series_end(actor=users["city"], series=series)
    series.refresh_from_db()
    assert not series.is_active
    assert not series.meetings.filter(status=MeetingStatus.SCHEDULED,
                                      starts_at__gt=timezone.now()).exists()
    assert meeting_series_generate(today=timezone.localdate() + timedelta(days=60)) == 0


def test_series_pages(client_for, users, agencies):
    city = client_for("city")
    response = city.post(reverse("cases:meeting_series_create"), {
        "title": "月度联络会议", "kind": "liaison_meeting", "frequency": "monthly_weekday",
        "weekday": "1", "week_of_month": "", "start_time": "10:00", "duration_minutes": "90",
        "starts_on": timezone.localdate().isoformat(), "place": "横琴",
        "skip_non_working_days": "on"})
    assert response.status_code == 200  # the week of the month is missing
    assert not MeetingSeries.objects.exists()
    response = city.post(reverse("cases:meeting_series_create"), {
        "title": "月度联络会议", "kind": "liaison_meeting", "frequency": "monthly_weekday",
        "weekday": "1", "week_of_month": "2", "start_time": "10:00", "duration_minutes": "90",
        "starts_on": timezone.localdate().isoformat(), "place": "横琴",
        "skip_non_working_days": "on", "invited_agencies": [agencies["zh-xiangzhou"].pk]})
    assert response.status_code == 302
    series = MeetingSeries.objects.get()
    occurrence = series.meetings.first()
    detail = city.get(reverse("cases:meeting_detail", args=[occurrence.pk])).content.decode()
    assert reverse("cases:meeting_calendar") in detail
    page = client_for("district").get(reverse("cases:meeting_calendar")).content.decode()
    assert "月度联络会议" in page
    assert client_for("district").post(reverse("cases:series_end", args=[series.pk])
                                       ).status_code == 403
    assert city.post(reverse("cases:series_end", args=[series.pk])).status_code == 302
    series.refresh_from_db()
    assert not series.is_active


# --- the iCalendar feed -------------------------------------------------------------------

def _feed_url(client) -> str:
    response = client.post(reverse("cases:calendar_feed"), {"action": "create"})
    assert response.status_code == 200
    match = re.search(r'value="https?://[^/"]+(/[^"]+\.ics)"', response.content.decode())
    assert match, response.content.decode()
    return match[1]


def test_feed_lists_the_meetings_the_user_may_see(client, client_for, users, agencies):
    day = timezone.localdate() + timedelta(days=3)
    invited = _meeting(users, "横琴联络会", _at(day), invited_agencies=[agencies["zh-xiangzhou"]],
                       invited_people=[users["macau"]])
    agenda_item_add(actor=users["city"], meeting=invited, title="陈大文家庭的临时救助")
    hidden = _meeting(users, "秘书处内部会", _at(day, 15))
    url = _feed_url(client_for("district"))
    response = client.get(url)  # no session: the token is the key
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(event["summary"]) for event in events] == ["横琴联络会"]
    event = events[0]
    assert str(event["location"]) == "三楼会议室"
    start = event.decoded("dtstart")
    assert start == invited.starts_at
    assert str(start.tzinfo) == "Asia/Shanghai" and event["dtstart"].params["TZID"] == \
        "Asia/Shanghai"
    assert calendar.walk("VTIMEZONE")
    text = response.content.decode()
    for secret in ("陈大文", users["macau"].username, hidden.title):
        assert secret not in text
    assert AuditEvent.objects.filter(action="calendar_feed.read",
                                     actor_id=users["district"].pk).exists()
    assert CalendarFeedToken.objects.get(user=users["district"]).last_used_at is not None


def test_feed_refused_with_a_revoked_or_wrong_token(client, client_for, users):
    district = client_for("district")
    url = _feed_url(district)
    assert client.get(url).status_code == 200
    assert client.get(url.replace(".ics", "x.ics")).status_code == 404
    assert client.get(reverse("cases:meeting_feed", args=["a" * 43])).status_code == 404
    response = district.post(reverse("cases:calendar_feed"), {"action": "revoke"})
    assert response.status_code == 302
    assert client.get(url).status_code == 404
    # a new address revokes the previous one
    second = _feed_url(district)
    third = _feed_url(district)
    assert client.get(second).status_code == 404 and client.get(third).status_code == 200
    assert CalendarFeedToken.objects.filter(user=users["district"],
                                            revoked_at__isnull=True).count() == 1
    # only the hash is stored
    token = third.rsplit("/", 1)[1].removesuffix(".ics")
    assert not CalendarFeedToken.objects.filter(token_hash=token).exists()
    # each refusal is audited, with no user and not the address: the revoked one is traced to
    # its row by the start of its hash
    refusals = AuditEvent.objects.filter(action="calendar_feed.refused")
    assert refusals.count() == 4
    assert {event.outcome for event in refusals} == {"denied"}
    assert {event.actor_id for event in refusals} == {None}
    revoked = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeedToken.objects.get(token_hash__startswith=refusals.filter(
        object_id=CalendarFeedToken.hash_of(revoked)[:16]).first().object_id).revoked_at
    audited = " ".join(str(event.__dict__) for event in AuditEvent.objects.all())
    assert revoked not in audited and "a" * 43 not in audited


def test_feed_stops_for_an_inactive_user(client, client_for, users):
    url = _feed_url(client_for("district"))
    users["district"].is_active = False
    users["district"].save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_feed_page_per_role(client_for):
    for role in ("city", "district", "macau", "leader", "ngo"):
        assert client_for(role).get(reverse("cases:calendar_feed")).status_code == 200, role
    assert client_for("admin").get(reverse("cases:calendar_feed")).status_code == 403
    assert client_for("anonymous").get(reverse("cases:calendar_feed")).status_code == 302
    assert client_for("city").post(reverse("cases:calendar_feed"),
                                   {"action": "other"}).status_code == 400
    response = client_for("city").post(reverse("cases:calendar_feed"), {"action": "revoke"})
    assert response.status_code == 302  # nothing to revoke: a message, not an error page


def test_feed_token_services_audited(users):
    calendar_feed_token_create(actor=users["city"])
    calendar_feed_token_revoke(actor=users["city"])
    with pytest.raises(ApplicationError):
        calendar_feed_token_revoke(actor=users["city"])
    actions = set(AuditEvent.objects.filter(actor_id=users["city"].pk).values_list("action", flat=True))
    assert {"calendar_feed.create", "calendar_feed.revoke",
            "calendar_feed_token_revoke.refused"} <= actions


# --- reminders ----------------------------------------------------------------------------

def test_participants_reminded_once_the_day_before(users, agencies, messages_sent):
    tomorrow = timezone.localdate() + timedelta(days=1)
    meeting = _meeting(users, "陈大文家庭个案讨论", _at(tomorrow),
                       invited_people=[users["macau"], users["district"]])
    _meeting(users, "后天的会", _at(tomorrow + timedelta(days=1)),
             invited_people=[users["macau"]])
    cancelled = _meeting(users, "取消的会", _at(tomorrow, 15), invited_people=[users["macau"]])
    meeting_status_change(actor=users["city"], meeting=cancelled, status="cancelled")
    before = Notification.objects.filter(kind="cases.meeting_reminder").count()
    with messages_sent.capture():
        assert meetings_remind_tomorrow() == 2
        assert meetings_remind_tomorrow() == 0
    reminders = Notification.objects.filter(kind="cases.meeting_reminder")
    assert reminders.count() - before == 2
    assert set(reminders.values_list("recipient", flat=True)) == {users["macau"].pk,
                                                           users["district"].pk}
    messages_sent.assert_free_of(["陈大文", meeting.place], kinds=["cases.meeting_reminder"])


def test_minutes_due_reminded_once_to_the_secretariat(users, agencies):
    long_ago = timezone.localdate() - timedelta(days=20)
    late = _meeting(users, "已开的会", _at(long_ago))
    meeting_status_change(actor=users["city"], meeting=late, status="held")
    recent = _meeting(users, "刚开的会", timezone.now() - timedelta(hours=1))
    meeting_status_change(actor=users["city"], meeting=recent, status="held")
    assert add_working_days(long_ago, MINUTES_DUE_WORKING_DAYS,
                            late.organiser_agency) < timezone.localdate()
    assert minutes_remind_due() == 1
    assert minutes_remind_due() == 0
    reminded = Notification.objects.filter(kind="cases.minutes_due")
    assert reminded.filter(recipient=users["city"]).count() == 1
    assert AuditEvent.objects.filter(action="meeting.minutes_remind", object_id=str(late.pk)
                                     ).count() == 1


def test_demo_liaison_meeting_is_seeded_once(demo):
    from cases import demo as cases_demo

    cases_demo.seed_liaison_series(demo)
    cases_demo.seed_liaison_series(demo)
    series = MeetingSeries.objects.get(title="珠澳月度联络会议")
    assert series.frequency == "monthly_weekday" and series.week_of_month == 2
    assert series.meetings.exists()
