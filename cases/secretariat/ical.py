"""The iCalendar (RFC 5545) text of a user's meeting feed, with the ``icalendar`` package.

Only what a phone's calendar needs and nothing a lost phone should reveal: each meeting's
title, place, start and end (in the project's time zone, with its VTIMEZONE) and status, and
a link to its page (which asks for a sign-in). No agenda, cases, people or minutes."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ..models import MeetingStatus

#: A meeting without an end shows as this long.
DEFAULT_LENGTH = timedelta(hours=2)


def calendar_feed_ical(meetings, *, base_url: str) -> bytes:
    from icalendar import Calendar, Event

    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Zhuao//Joint meetings//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Zhuao")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@zhuao")
        event.add("dtstamp", stamp)
        starts_at = meeting.starts_at.astimezone(zone)
        event.add("dtstart", starts_at)
        event.add("dtend", (meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH)
                  .astimezone(zone))
        event.add("summary", meeting.title)
        if meeting.place:
            event.add("location", meeting.place)
        event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED
                  else "CONFIRMED")
        event.add("url", base_url.rstrip("/") + reverse("cases:meeting_detail",
                                                         args=[meeting.pk]))
        event.add("last-modified", meeting.updated_at)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
