"""API errors: the project's ApplicationError and Django's ValidationError become 400 with a
message in the request's language; refused access is audited."""
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.audit import audit_record
from core.errors import ApplicationError
from core.models import AuditOutcome


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        body = {"detail": str(exc.message), "code": exc.code}
        if exc.field:
            body = {exc.field: [str(exc.message)], "detail": str(exc.message), "code": exc.code}
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            body = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        else:
            body = {"detail": [str(m) for m in exc.messages]}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.PermissionDenied):
        request = context.get("request")
        audit_record(actor=getattr(request, "user", None), action="access.denied",
                     object_type="api", object_id=(request.path[:64] if request else ""),
                     outcome=AuditOutcome.DENIED)
    return drf_exception_handler(exc, context)
