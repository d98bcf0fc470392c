"""The current request's user, IP and id, for the audit trail, without passing the request
through every service. Set by RequestContextMiddleware; empty in Celery tasks."""
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    request_id: uuid.UUID | None = None


_current: ContextVar[RequestContext] = ContextVar("zhuao_request_context", default=RequestContext())


def current() -> RequestContext:
    return _current.get()


def set_current(context: RequestContext):
    return _current.set(context)


def reset(token) -> None:
    _current.reset(token)


def client_ip(request) -> str | None:
    """The client address. Behind PROXY_COUNT trusted proxies, the address they appended."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


# Jobs this request asked for that the broker could not take (kept in the outbox): the user is
# told (web.middleware.QueuedLaterMiddleware). None outside a request.
_deferred_jobs: ContextVar[list | None] = ContextVar("zhuao_deferred_jobs", default=None)


def start_deferred_jobs():
    return _deferred_jobs.set([])


def note_deferred_job(task_name: str) -> None:
    jobs = _deferred_jobs.get()
    if jobs is not None:
        jobs.append(task_name)


def deferred_jobs() -> list[str]:
    return list(_deferred_jobs.get() or [])


def reset_deferred_jobs(token) -> None:
    _deferred_jobs.reset(token)
