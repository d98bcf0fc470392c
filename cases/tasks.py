from celery import shared_task


@shared_task(name="cases.remind_overdue_action_items")
def remind_overdue_action_items() -> int:
    """Beat, daily: remind owner agencies of overdue action items (once per item and due date)."""
    from .secretariat.services import action_items_remind_overdue

    return action_items_remind_overdue()


@shared_task(name="cases.scan_possible_duplicates")
def scan_possible_duplicates() -> int:
    """Beat, nightly: compare the whole register for the city officers' list of possible
    duplicates (registrations add their own matches between two scans)."""
    from .duplicates import possible_duplicates_refresh

    return possible_duplicates_refresh()


@shared_task(name="cases.generate_meeting_occurrences")
def generate_meeting_occurrences() -> int:
    """Beat, daily: top up the recurring meetings' occurrences to three months ahead."""
    from .secretariat.services import meeting_series_generate

    return meeting_series_generate()


@shared_task(name="cases.remind_meetings_tomorrow")
def remind_meetings_tomorrow() -> int:
    """Beat, daily: remind the participants of tomorrow's meetings (once each)."""
    from .secretariat.services import meetings_remind_tomorrow

    return meetings_remind_tomorrow()


@shared_task(name="cases.remind_minutes_due")
def remind_minutes_due() -> int:
    """Beat, daily: remind the secretariat of minutes not circulated in time (once each)."""
    from .secretariat.services import minutes_remind_due

    return minutes_remind_due()
