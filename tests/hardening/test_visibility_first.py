"""Visibility first, then validation (issue 23, finding 10): an action on a record the user may
not see answers as for a missing record (404; 401/403 when the role may not act at all),
whatever the body holds. A 400 would say that the record exists. Walks every workflow route of
the pages and the API (the POST rows of permission_matrix.py) with invalid bodies, against the
demo data, as every role from which the record is hidden (an empty request answers 404) and
as every role on a record that does not exist. (A role that sees the record but may not take
the step may be told 400 or 403: that discloses nothing.)
"""
from __future__ import annotations

import json

import pytest

from .matrix_engine import DENIED, ROLES, STEPS, Clients, routes, url_for
from .permission_matrix import MATRIX

#: Bodies that no action accepts: wrong types for the usual fields, an unknown agency and
#: status, an out-of-range date, a JSON list instead of an object.
INVALID_BODIES = [
    {"amount": "not-an-amount", "agency": "no-such-agency", "status": "no-such-status",
     "reason": ["x"], "note": {"x": 1}, "text": ["x"], "on_date": "9999-99-99",
     "kind": "no-such-kind", "outcome": "no-such-outcome", "decision": "no-such-decision",
     "rate": "abc", "period": "x", "file": "x", "percent": "x", "step": "x"},
    ["not", "an", "object"],
]
PAGE_INVALID_BODY = {key: json.dumps(value) if not isinstance(value, str) else value
                     for key, value in INVALID_BODIES[0].items()}
MISSING_PK = 2_000_000_000


def _post_routes():
    by_name = {route.name: route for route in routes()}
    for name, entry in sorted(MATRIX.items()):
        if entry is None or entry[0] != "POST":
            continue
        route = by_name[name]
        if not any(parameter not in ("step", "action", "kind", "topic")
                   for parameter in route.parameters):
            continue  # no record named in the address
        yield route, entry[1]


def _send(client, route, url, body):
    from django.db import transaction

    with transaction.atomic():
        if route.is_api:
            response = client.post(url, data=json.dumps(body), content_type="application/json")
        else:
            response = client.post(url, data=body)
        transaction.set_rollback(True)
    if response.status_code == 302 and "/accounts/login/" in response.get("Location", ""):
        return 401  # the pages' way of saying "sign in"
    return response.status_code


def _missing_url(url: str, route) -> str:
    """The same URL with the last record id replaced by one that does not exist."""
    from django.urls import resolve, reverse

    match = resolve(url.split("?")[0])
    kwargs = dict(match.kwargs)
    record_parameters = [name for name in route.parameters if name not in STEPS.values()
                         and name not in ("step", "action", "kind", "topic")]
    kwargs[record_parameters[-1]] = MISSING_PK
    return reverse(route.name, kwargs=kwargs)


@pytest.mark.parametrize("kind", ["api", "pages"])
def test_actions_on_unseen_or_missing_records_answer_404_whatever_the_body(kind, seeded_media,
                                                                         db):
    clients = Clients(seeded_media)
    wrong = []
    for route, cells in _post_routes():
        if route.is_api != (kind == "api"):
            continue
        url = url_for(route, STEPS)
        missing = _missing_url(url, route)
        bodies = INVALID_BODIES if route.is_api else [PAGE_INVALID_BODY]
        for role, cell in zip(ROLES, cells, strict=True):
            client = clients(role, api=route.is_api)
            # the record is hidden from this role when an empty request answers 404
            hidden = cell == "D" and _send(client, route, url, {}) == 404
            for body in bodies:
                if hidden:
                    status = _send(client, route, url, body)
                    if status != 404:
                        wrong.append(f"{route.name} {url} as {role} (may not see it): {status}")
                status = _send(client, route, missing, body)
                if status not in DENIED:
                    wrong.append(f"{route.name} {missing} as {role} (no such record): {status}")
    assert wrong == [], "\n".join(wrong)
