"""Thin Celery tasks: ids in, a service does the work; safe to run twice."""
from celery import shared_task

from .services import pilot_report_generate, pilot_report_year_end, reminders_send


@shared_task(name="pilot.generate_report")
def generate_pilot_report(report_id: int) -> str:
    return pilot_report_generate(report_id=report_id).status


@shared_task(name="pilot.send_reminders")
def send_reminders() -> int:
    return reminders_send()


@shared_task(name="pilot.year_end_report")
def year_end_report() -> str:
    report = pilot_report_year_end()
    return report.status if report else "no plan"
