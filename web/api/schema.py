"""The API's OpenAPI schema: drf-spectacular's, with the answers that no single view declares.

Every operation documents the errors it can give, with the body the project's exception handler
(``web.api.exceptions``) and middleware send, so that a client (and schemathesis, which checks
every answer against the schema) knows each status code and its shape."""
from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions

from web.middleware import QUEUED_LATER_HEADER

WRITE_METHODS = ("post", "put", "patch", "delete")

ERROR = "Error"
VALIDATION_ERROR = "ValidationError"
ERROR_SCHEMAS = {
    ERROR: {
        "type": "object",
        "description": "A refusal: the message in the user's language, and for the project's "
                       "own refusals a machine-readable code.",
        "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
        "required": ["detail"],
    },
    VALIDATION_ERROR: {
        "type": "object",
        "description": "What was wrong with the request: ``detail`` (and ``code``) for the "
                       "request as a whole, and each faulty field's messages under the "
                       "field's name (nested as the field is).",
        "properties": {
            "detail": {"oneOf": [{"type": "string"},
                                 {"type": "array", "items": {"type": "string"}}]},
            "code": {"type": "string"},
        },
        "additionalProperties": {
            "description": "The messages for the field of this name.",
            "oneOf": [{"type": "array"}, {"type": "object"}, {"type": "string"}],
        },
    },
}
ERROR_DESCRIPTIONS = {
    "400": "The request is malformed or a value is refused (messages in the user's language).",
    "401": "No valid credentials: sign in or send a current API token.",
    "403": "The user's role may not do this.",
    "404": "No such record among those the user may see (or no such page of a list).",
    "405": "The method is not allowed here.",
    "409": "The record's state conflicts with the request (a duplicate, or already decided).",
    "413": "The request body is larger than the API accepts.",
    "415": "The request body's content type is not one this operation reads.",
    "429": "Too many requests: wait and try again (see ``Retry-After``).",
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema with each operation's error answers documented."""

    def _error_codes(self) -> list[str]:
        """400 anywhere (a NUL character or a malformed query string is refused before any
        view), 404 anywhere (a record the user may not see, a page past the last, an id in a
        body), 429 anywhere (the rate limits); 401 and 403 unless the operation is public;
        409, 413 and 415 for a body sent, and 403 for a public write too. 405 is not an answer of a documented operation:
        it is the answer to a method the schema does not list."""
        method = self.method.lower()
        public = permissions.AllowAny in [type(p) for p in self.view.get_permissions()]
        writes = method in WRITE_METHODS
        codes = ["400", "404", "429"]
        if not public:
            codes += ["401", "403"]
        elif writes:
            codes += ["403"]  # a public write may still refuse who sends it (a token for a token)
        if writes:
            codes += ["409", "413", "415"]
        return sorted(codes)

    def _error_response(self, code: str) -> dict:
        name = VALIDATION_ERROR if code == "400" else ERROR
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name,
                                      schema=ERROR_SCHEMAS[name])
        self.registry.register_on_missing(component)
        return {"description": ERROR_DESCRIPTIONS[code],
                "content": {"application/json": {"schema": component.ref}}}

    def _get_parameters(self):
        # every optional query parameter (filters, pagination) left empty reads as left out,
        # as django-filter, the query serializers and the pagination read it
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter.get("in") == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            responses.setdefault(code, self._error_response(code))
        return responses


def document_queued_later(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation that changes something may answer
    with ``Zhuao-Jobs-Queued-Later`` (``web.middleware.QueuedLaterMiddleware``)."""
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
