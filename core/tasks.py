import logging
import time

from celery import Task, shared_task
from django.core.cache import cache
from django.utils import timezone

from core.audit import audit_record
from core.audit_chain import seal_pending
from core.audit_partitions import ensure_partitions
from core.cache import refresh_stored_figures
from core.db import run_once
from core.models import OutboxJob, WorkerHeartbeat
from core.retention import apply_retention
from web.exports import export_job_run
from zhuao.celery import app
from zhuao.logs import TASK_HEADER

logger = logging.getLogger("zhuao.jobs")


@shared_task(name="zhuao.heartbeat")
def heartbeat() -> None:
    """Scheduled by beat every minute: proves to /healthz that worker and beat both run."""
    WorkerHeartbeat.objects.update_or_create(name="worker", defaults={"beat_at": timezone.now()})


@shared_task(name="zhuao.audit_seal")
def audit_seal() -> int:
    """Seal the audit rows written since the last run (beat, every minute)."""
    return seal_pending()


@shared_task(name="core.audit_partitions")
def audit_partitions() -> int:
    """Make the coming months' audit partitions before their rows arrive."""
    return ensure_partitions()


@shared_task(name="core.refresh_figures")
def refresh_figures(*, name: str, path: str, seconds: int, params: dict) -> bool:
    """Compute a figures page's numbers again, asked by a reader who was shown the lapsed ones
    (core.cache.cached_figures)."""
    return refresh_stored_figures(name=name, path=path, seconds=seconds, params=params)


@shared_task(name="zhuao.outbox_sweep")
def outbox_sweep(limit: int = 200) -> int:
    """Publish the jobs that were stored while the broker was down (beat, every minute).
    Tasks are idempotent, so a job published twice by overlapping sweeps is harmless."""
    published = 0
    for job in OutboxJob.objects.order_by("created_at", "id")[:limit]:
        task = app.tasks.get(job.task_name)
        # the id of the request that asked for the job, not the sweep's (zhuao.logs)
        headers = {TASK_HEADER: str(job.request_id)} if job.request_id else {}
        try:
            if task is not None:  # bypass the outbox
                Task.apply_async(task, args=job.args, kwargs=job.kwargs, headers=headers)
            else:
                app.send_task(job.task_name, args=job.args, kwargs=job.kwargs, headers=headers)
        except Exception as error:  # noqa: BLE001 - broker still down: try again next sweep
            OutboxJob.objects.filter(pk=job.pk).update(attempts=job.attempts + 1,
                                                       last_error=str(error)[:500])
            logger.warning("outbox sweep: broker still unavailable (%s)", type(error).__name__)
            break
        OutboxJob.objects.filter(pk=job.pk).delete()
        published += 1
    if published:
        logger.info("outbox sweep: published %d stored job(s)", published)
    return published


@shared_task(name="zhuao.retention_apply")
def retention_apply() -> dict:
    """Beat, nightly: anonymise or delete personal data past its retention period."""
    return apply_retention().as_dict()


@shared_task(name="zhuao.selftest_slow_increment")
def selftest_slow_increment(key: str, hold_seconds: float = 0.0) -> None:
    """Operations self-test of at-least-once delivery (``manage.py selftest_jobs``): counts
    each delivery in the cache, applies its effect (one audit event) once per ``key`` through
    ``run_once``, then holds the first delivery for ``hold_seconds`` so a worker can be killed
    while the task is unacknowledged."""
    attempts_key = f"selftest:attempts:{key}"
    cache.add(attempts_key, 0, timeout=3600)
    attempt = cache.incr(attempts_key)
    run_once(f"selftest:{key}", lambda: audit_record(
        actor=None, action="selftest.increment", object_type="selftest", object_id=key[:64]),
        task_name="zhuao.selftest_slow_increment")
    if attempt == 1 and hold_seconds:
        time.sleep(hold_seconds)
    cache.set(f"selftest:done:{key}", attempt, timeout=3600)


@shared_task(name="zhuao.run_export")
def run_export(job_id: int) -> str:
    """Write a queued list export (safe to run twice: a finished job is left alone)."""
    return export_job_run(job_id=job_id).status
