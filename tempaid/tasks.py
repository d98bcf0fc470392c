"""Thin Celery tasks: ids in, a service does the work; safe to run twice."""
from celery import shared_task

from .services import applications_flag_overdue_paperwork, fund_low_balance_alert_send


@shared_task(name="tempaid.fund_low_balance_alert")
def fund_low_balance_alert(fund_id: int) -> bool:
    return fund_low_balance_alert_send(fund_id=fund_id)


@shared_task(name="tempaid.flag_overdue_paperwork")
def flag_overdue_paperwork() -> int:
    return len(applications_flag_overdue_paperwork())
