"""Thin Celery tasks: ids in, a service does the work; safe to run twice."""
from celery import shared_task


@shared_task(name="pilot.generate_report")
def generate_pilot_report(report_id: int) -> str:
    from .services import pilot_report_generate

    return pilot_report_generate(report_id=report_id).status


@shared_task(name="pilot.send_reminders")
def send_reminders() -> int:
    from .services import reminders_send

    return reminders_send()


@shared_task(name="pilot.year_end_report")
def year_end_report() -> str:
    from .services import pilot_report_year_end

    report = pilot_report_year_end()
    return report.status if report else "no plan"
