"""Liveness and readiness, for load balancers and orchestrators (``/healthz``, ``/readyz``).

Liveness says only that the process answers (no database: a database outage must not make an
orchestrator restart every web process). Readiness checks what a request needs: the database,
Redis (broker and cache), that the file storage takes a write, and that a worker ran the
heartbeat task lately. Answers hold check names, "ok"/"failed" and ages: no personal data, no
error text (which could name hosts)."""
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from core.models import WorkerHeartbeat


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {}


def _redis() -> dict:
    if not settings.REDIS_URL:
        return {"detail": "not configured (embedded run)"}
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2,
                         socket_timeout=2).ping()
    return {}


def _storage() -> dict:
    name = default_storage.save(f"health/ready-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return {}


def _worker() -> dict:
    beat = WorkerHeartbeat.objects.filter(name="worker").values_list("beat_at", flat=True).first()
    if beat is None:
        raise LookupError("no heartbeat yet")
    age = (timezone.now() - beat).total_seconds()
    if age > settings.WORKER_HEARTBEAT_STALE_SECONDS:
        raise TimeoutError("stale")
    return {"age_seconds": round(age)}


CHECKS = {"database": _database, "redis": _redis, "storage": _storage, "worker": _worker}


def readiness() -> tuple[bool, dict]:
    """Each check's outcome and time; ready when all passed."""
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = {"status": "ok", **check()}
        except Exception as error:  # noqa: BLE001 - any failure means not ready
            result = {"status": "failed", "error": type(error).__name__}
            if name == "worker" and isinstance(error, TimeoutError):
                result["error"] = "stale"
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return all(result["status"] == "ok" for result in results.values()), results
