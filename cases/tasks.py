from celery import shared_task


@shared_task(name="cases.remind_overdue_action_items")
def remind_overdue_action_items() -> int:
    """Beat, daily: remind owner agencies of overdue action items (once per item and due date)."""
    from .services import action_items_remind_overdue

    return action_items_remind_overdue()
