"""Thin tasks: ids in, a service called, safe to run twice."""
from datetime import date

from celery import shared_task

from .services import bulletin_email as send
from .services import bulletins_produce as produce
from .services import bulletins_publish_due as publish
from .services import urgent_escalate_due, urgent_recipient_escalate
from .services import verification_overdue_remind as remind


@shared_task(name="infosharing.urgent_escalate")
def urgent_escalate(recipient_id: int) -> bool:
    return urgent_recipient_escalate(recipient_id=recipient_id)


@shared_task(name="infosharing.urgent_escalation_sweep")
def urgent_escalation_sweep() -> int:
    return urgent_escalate_due()


@shared_task(name="infosharing.bulletins_produce")
def bulletins_produce(period_start: str | None = None, period_end: str | None = None) -> int:
    """Open the period's two-way bulletin for the sides' sections."""
    start = date.fromisoformat(period_start) if period_start else None
    end = date.fromisoformat(period_end) if period_end else None
    return produce(period_start=start, period_end=end)


@shared_task(name="infosharing.bulletins_publish_due")
def bulletins_publish_due() -> int:
    """Publish the open bulletins whose deadline has passed (the missing sections named)."""
    return publish()


@shared_task(name="infosharing.bulletin_email")
def bulletin_email(bulletin_id: int) -> bool:
    return send(bulletin_id=bulletin_id)


@shared_task(name="infosharing.verification_overdue_remind")
def verification_overdue_remind() -> int:
    return remind()
