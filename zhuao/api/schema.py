"""Additions to the generated OpenAPI schema that no single view declares."""
from __future__ import annotations

from zhuao.middleware import QUEUED_LATER_HEADER

WRITE_METHODS = ("post", "put", "patch", "delete")


def document_queued_later(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation that changes something may answer
    with ``Zhuao-Jobs-Queued-Later`` (``zhuao.middleware.QueuedLaterMiddleware``)."""
    header = {
        "description": (
            "Present when the job queue (Redis) was unavailable: the number of jobs this request "
            "asked for (notifications, e-mails, generated files) that are kept in the outbox and "
            "will be sent automatically when the queue is back. The action itself succeeded."),
        "schema": {"type": "integer", "minimum": 1},
    }
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in WRITE_METHODS:
                continue
            for response in operation.get("responses", {}).values():
                response.setdefault("headers", {})[QUEUED_LATER_HEADER] = header
    return result
