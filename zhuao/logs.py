"""Structured logs (structlog on top of the standard library's logging).

Every line carries the request id of the web request that caused it, in the web process and in
the Celery tasks that request queued (a task message header, ``zhuao_request_id``, added by
``before_task_publish`` and bound again by ``task_prerun``), so an operator follows one request
from the page to its background work. The web writes one line per request (``request``: view
name, method, status, duration, user id); a worker one line per task (``task``: name, state,
duration). Never names, identity numbers, query strings or typed text: only ids.

JSON lines with ``ZHUAO_LOG_JSON=1`` (the default in production settings); a readable console
line otherwise (the embedded run)."""
import logging
import time
import uuid

import structlog

REQUEST_ID_HEADER = "X-Request-ID"
TASK_HEADER = "zhuao_request_id"

logger = structlog.get_logger("zhuao.request")
task_logger = structlog.get_logger("zhuao.task")


def _shared_processors() -> list:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def logging_config(*, json_lines: bool, level: str = "INFO") -> dict:
    """The ``LOGGING`` setting: every record, the project's and the libraries', through one
    structlog formatter (JSON lines or console), and structlog configured to use it."""
    structlog.configure(
        processors=[*_shared_processors(), structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": {"()": "zhuao.logs.formatter", "json_lines": json_lines}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # the request line below says the same for every request, with its id
            "django.server": {"level": "WARNING"},
            "axes": {"level": "WARNING"},
            # WeasyPrint logs each step of each page's layout at INFO (hundreds of lines a PDF).
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }


def formatter(json_lines: bool = True) -> logging.Formatter:
    """The formatter of every handler: JSON objects one per line, or a console line."""
    if json_lines:
        tail = [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
    else:
        # Python's own traceback, not rich's boxed one: as readable in a log file, and rich's
        # took half the time of a request that logs a refusal with its exception.
        tail = [structlog.dev.ConsoleRenderer(colors=False,
                                              exception_formatter=structlog.dev.plain_traceback)]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared_processors(),
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *tail])


def request_id_from(value: str | None) -> uuid.UUID:
    """The request id: the caller's ``X-Request-ID`` when it is a UUID (a proxy or load
    balancer that set one keeps it), else a new one. Anything else is ignored: the id is
    stored in the audit trail and shown to users."""
    if value and len(value) <= 64:
        try:
            return uuid.UUID(value.strip())
        except ValueError:
            pass
    return uuid.uuid4()


def bind_request(request_id: uuid.UUID):
    return structlog.contextvars.bind_contextvars(request_id=str(request_id))


def unbind(tokens) -> None:
    structlog.contextvars.reset_contextvars(**tokens)


def log_request(request, response, duration: float, view: str) -> None:
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    logger.info("request", method=request.method, view=view, status=response.status_code,
                duration_ms=round(duration * 1000, 1), user_id=user_id)


# --- Celery: the request id into the task message, and one line per task -----------------

_running: dict[str, tuple[float, dict, object]] = {}


def add_request_id_header(headers=None, **_kwargs) -> None:
    """``before_task_publish``: the current request's id travels in the message."""
    from web.request_context import current

    if headers is None or headers.get(TASK_HEADER):
        return
    request_id = current().request_id or structlog.contextvars.get_contextvars().get("request_id")
    if request_id:
        headers[TASK_HEADER] = str(request_id)


def task_request_id(task) -> str | None:
    request = getattr(task, "request", None)
    value = getattr(request, TASK_HEADER, None) or (getattr(request, "headers", None) or {}).get(
        TASK_HEADER)
    if value:
        try:
            return str(uuid.UUID(str(value)))
        except ValueError:
            return None
    return None


def task_started(task_id=None, task=None, **_kwargs) -> None:
    """``task_prerun``: bind the task's name and the request id that caused it; the audit
    trail of what the task does carries that id too."""
    from web import request_context

    request_id = task_request_id(task)
    tokens = structlog.contextvars.bind_contextvars(
        task=task.name, task_id=task_id,
        **({"request_id": request_id} if request_id else {}))
    context_token = None
    if request_id and request_context.current().request_id is None:
        context_token = request_context.set_current(
            request_context.RequestContext(request_id=uuid.UUID(request_id)))
    _running[task_id] = (time.perf_counter(), tokens, context_token)


def task_finished(task_id=None, task=None, state=None, **_kwargs) -> None:
    """``task_postrun``: one line and one latency observation per task run."""
    from core import metrics
    from web import request_context

    started, tokens, context_token = _running.pop(task_id, (None, None, None))
    if started is None:
        return
    duration = time.perf_counter() - started
    task_logger.info("task", state=state, duration_ms=round(duration * 1000, 1))
    metrics.task_observe(task.name, state or "", duration)
    if context_token is not None:
        request_context.reset(context_token)
    unbind(tokens)


def connect_celery_signals() -> None:
    from celery import signals

    signals.before_task_publish.connect(add_request_id_header, weak=False,
                                        dispatch_uid="zhuao.logs.request_id_header")
    signals.task_prerun.connect(task_started, weak=False, dispatch_uid="zhuao.logs.task_started")
    signals.task_postrun.connect(task_finished, weak=False,
                                 dispatch_uid="zhuao.logs.task_finished")
