from celery import shared_task
from django.utils import timezone


@shared_task(name="zhuao.heartbeat")
def heartbeat() -> None:
    """Scheduled by beat every minute: proves to /healthz that worker and beat both run."""
    from .models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(name="worker", defaults={"beat_at": timezone.now()})
