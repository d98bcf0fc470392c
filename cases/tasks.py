from celery import shared_task


@shared_task(name="cases.remind_overdue_action_items")
def remind_overdue_action_items() -> int:
    """Beat, daily: remind owner agencies of overdue action items (once per item and due date)."""
    from .services import action_items_remind_overdue

    return action_items_remind_overdue()


@shared_task(name="cases.scan_possible_duplicates")
def scan_possible_duplicates() -> int:
    """Beat, nightly: compare the whole register for the city officers' list of possible
    duplicates (registrations add their own matches between two scans)."""
    from .duplicates import possible_duplicates_refresh

    return possible_duplicates_refresh()
