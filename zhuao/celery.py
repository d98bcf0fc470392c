"""The Celery application. Tasks are thin: they take ids, fetch, call a service, and are safe to
run twice (acks are late, so a task whose worker died runs again)."""
import hashlib
import json
import logging
import os
from pathlib import Path

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuao.settings.local")

logger = logging.getLogger("zhuao.jobs")


class OutboxTask(Task):
    """Every task's base class. Publishing while the broker is down does not fail the web
    request (an ``on_commit`` callback raising would turn a committed action into an error
    page): the job is stored in the outbox (``core.models.OutboxJob``), logged, and
    ``zhuao.outbox_sweep`` publishes it once the broker is back."""

    def apply_async(self, args=None, kwargs=None, task_id=None, producer=None, link=None,
                    link_error=None, shadow=None, **options):
        if self.app.conf.task_always_eager:
            return super().apply_async(args, kwargs, task_id, producer, link, link_error,
                                       shadow, **options)
        try:
            return super().apply_async(args, kwargs, task_id, producer, link, link_error,
                                       shadow, **options)
        except Exception as error:  # noqa: BLE001 - kombu/redis raise several connection types
            if not _is_broker_failure(error):
                raise
            outbox_store(self.name, args, kwargs, error)
            from web.request_context import note_deferred_job

            note_deferred_job(self.name)  # the request that asked for it says so to its user
            return None


def _is_broker_failure(error: BaseException) -> bool:
    from kombu.exceptions import OperationalError

    return isinstance(error, (OperationalError, ConnectionError, OSError, TimeoutError))


def outbox_store(task_name: str, args, kwargs, error: BaseException | str) -> None:
    from django.db import transaction

    from core.models import OutboxJob

    args = list(args or [])
    kwargs = dict(kwargs or {})
    fingerprint = hashlib.sha256(json.dumps([task_name, args, kwargs], sort_keys=True,
                                            default=str).encode()).hexdigest()
    logger.warning("broker unavailable: job %s stored in the outbox (%s)", task_name,
                   type(error).__name__ if isinstance(error, BaseException) else error)
    from web.request_context import current

    with transaction.atomic():
        job, created = OutboxJob.objects.get_or_create(
            fingerprint=fingerprint,
            defaults={"task_name": task_name, "args": args, "kwargs": kwargs,
                      "last_error": str(error)[:500], "request_id": current().request_id})
        if not created:
            OutboxJob.objects.filter(pk=job.pk).update(last_error=str(error)[:500])


app = Celery("zhuao", task_cls=OutboxTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id into task messages and one log line and latency figure per task (zhuao.logs).
from zhuao.logs import connect_celery_signals  # noqa: E402

connect_celery_signals()


def enqueue_after_commit(task_name: str, *args, countdown: float | None = None) -> None:
    """Publish the task called ``task_name`` once the current transaction commits (at once
    outside one), through the outbox when the broker is down. Services name the task instead of
    importing it: tasks call services, never the other way round."""
    from django.db import transaction

    def publish():
        task_named(task_name).apply_async(args=list(args), countdown=countdown)

    transaction.on_commit(publish)


def task_named(task_name: str) -> Task:
    """The task registered as ``task_name``, the apps' tasks modules imported first when they
    have not been (autodiscovery imports them lazily)."""
    if task_name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[task_name]


def ensure_broker_folders() -> None:
    """kombu's filesystem transport dies if its folders are missing: create them first."""
    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
