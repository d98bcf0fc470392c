"""Every body the API reads is checked whatever its type and method (issue 23, findings 7 and
11): JSON nested past reason and a NUL character in a JSON, form or multipart field answer 400
with a message, never a server error, on every endpoint that takes a body, for POST, PUT and
PATCH alike; so do invisible characters, in JSON, form and multipart fields alike. An
endpoint that names its own parsers gets the project's, not DRF's plain ones."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db import transaction
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from web.api import parsers

from .matrix_engine import ROLES, STEPS, Clients, routes, url_for
from .permission_matrix import MATRIX

pytestmark = pytest.mark.django_db

FIELDS = {"reason": "说明\x00", "note": "x\x00", "text": "\x00", "name": "x"}
BODIES = {
    "nested JSON": {"data": "[" * 5000 + "]" * 5000, "content_type": "application/json"},
    "NUL in a JSON field": {"data": FIELDS, "format": "json"},
    "NUL in a form": {"data": urlencode(FIELDS),
                      "content_type": "application/x-www-form-urlencoded"},
    "NUL in multipart": {"data": FIELDS, "format": "multipart"},
}
MESSAGES = ("nested", "嵌套", "NUL")  # the signed-in users read Chinese


def _body_routes():
    """The API's POST rows of the matrix, each with the first role that gets past the
    permission check (allowed, or refused by validation), so that its body is read."""
    by_name = {route.name: route for route in routes()}
    for name, (method, cells) in sorted(MATRIX.items()):
        route = by_name[name]
        if method != "POST" or not route.is_api:
            continue
        role = next((role for role, cell in zip(ROLES, cells, strict=True) if cell in "AV"),
                    None)
        if role is not None:
            yield route, role


def _send(client, method, url, **body):
    with transaction.atomic():
        response = getattr(client, method)(url, **body)
        transaction.set_rollback(True)
    return response


def test_every_body_of_every_type_and_method_is_checked_before_a_view_reads_it(seeded_media):
    """An endpoint either reads the body, and then refuses these with 400 and the message, or
    does not, and then answers as it does to an empty request. Never a server error."""
    clients = Clients(seeded_media)
    checked, wrong = 0, []
    for route, role in _body_routes():
        url = url_for(route, STEPS)
        client = clients(role, api=True)
        for method in ("post", "put", "patch"):
            unread = _send(client, method, url).status_code
            for what, body in BODIES.items():
                response = _send(client, method, url, **body)
                checked += 1
                refused = (response.status_code == 400
                           and any(word in response.content.decode() for word in MESSAGES))
                if not refused and response.status_code != unread:
                    wrong.append(f"{method.upper()} {url} as {role}, {what}: "
                                 f"{response.status_code} {response.content[:120]!r}")
    assert checked > 200
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("format_", ["multipart", "form"])
@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_form_and_multipart_bodies_refuse_invisible_characters_but_not_in_passwords(method,
                                                                                  format_):
    from rest_framework.exceptions import ParseError

    factory = APIRequestFactory()

    def parsed(fields):
        if format_ == "form":
            request = getattr(factory, method)("/api/v1/x/", urlencode(fields),
                                               content_type="application/x-www-form-urlencoded")
        else:
            request = getattr(factory, method)("/api/v1/x/", fields, format="multipart")
        return Request(request, parsers=[parsers.FormParser(), parsers.MultiPartParser()]).data

    assert parsed({"name": "陈大文", "password": "pa\u200bss"})["password"] == "pa\u200bss"
    with pytest.raises(ParseError):
        parsed({"name": "陈\u202e大\u200b文"})


def test_endpoints_that_name_their_parsers_take_the_projects():
    from django.urls import get_resolver

    def views(resolver):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern)
            else:
                yield getattr(pattern.callback, "cls", None)

    own = {parsers.JSONParser, parsers.FormParser, parsers.MultiPartParser}
    named = {view for view in views(get_resolver()) if view is not None
             and "parser_classes" in vars(view)}
    assert named, "some endpoints name their parsers"
    assert {view.__name__ for view in named
            if not set(view.parser_classes) <= own} == set()
