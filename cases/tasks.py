from celery import shared_task

from .duplicates import possible_duplicates_refresh
from .secretariat.services import (
    action_items_remind_overdue,
    meeting_series_generate,
    meetings_remind_tomorrow,
    minutes_remind_due,
)


@shared_task(name="cases.remind_overdue_action_items")
def remind_overdue_action_items() -> int:
    """Beat, daily: remind owner agencies of overdue action items (once per item and due date)."""
    return action_items_remind_overdue()


@shared_task(name="cases.scan_possible_duplicates")
def scan_possible_duplicates() -> int:
    """Beat, nightly: compare the whole register for the city officers' list of possible
    duplicates (registrations add their own matches between two scans)."""
    return possible_duplicates_refresh()


@shared_task(name="cases.generate_meeting_occurrences")
def generate_meeting_occurrences() -> int:
    """Beat, daily: top up the recurring meetings' occurrences to three months ahead."""
    return meeting_series_generate()


@shared_task(name="cases.remind_meetings_tomorrow")
def remind_meetings_tomorrow() -> int:
    """Beat, daily: remind the participants of tomorrow's meetings (once each)."""
    return meetings_remind_tomorrow()


@shared_task(name="cases.remind_minutes_due")
def remind_minutes_due() -> int:
    """Beat, daily: remind the secretariat of minutes not circulated in time (once each)."""
    return minutes_remind_due()
