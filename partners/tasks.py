from celery import shared_task

from .services import social_worker_expiry_notify


@shared_task(name="partners.notify_expiring_registrations")
def notify_expiring_registrations() -> int:
    """Daily: tell the city bureau about registrations that end within 60 days (idempotent:
    each worker is reported once per expiry date)."""
    return social_worker_expiry_notify()
