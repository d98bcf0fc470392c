"""The current request's user, IP and id, for the audit trail, without passing the request
through every service. Set by RequestContextMiddleware; empty in Celery tasks."""
from contextvars import ContextVar
from dataclasses import dataclass
import uuid


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
    from django.conf import settings

    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None
