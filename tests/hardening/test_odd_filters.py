"""No list answers a filter it cannot use with a server error (issue 23, findings 6, 7 and 14):
every list of the pages and the API, as the first role that reads it, given every
filter name any list reads, all at once, with values no filter accepts: a word for a number or
an id, numbers past any column's range, impossible dates, SQL and LIKE metacharacters, a
very long string. The answer is the list (the filter ignored or answered "no match") or 400
with a message, never 5xx."""
from __future__ import annotations

import pytest
from django.urls import reverse

from .matrix_engine import ROLES, Clients, routes
from .permission_matrix import MATRIX

pytestmark = pytest.mark.django_db

#: Every query parameter a list reads (views, forms, filter sets and the API's filters), but
#: ``format`` and ``page``: an unknown format or page answers 404 before any filter is read
#: (tests/hardening/test_odd_page_numbers.py has the pages).
NAMES = ("status", "person", "referral", "case", "page_size", "fund", "current",
         "kind", "expiring", "direction", "contract", "district", "q", "batch",
         "meeting", "category", "agency", "date_from", "date_to", "year", "month", "sort",
         "order", "ordering", "risk_level", "unit", "task", "plan", "review", "state", "view",
         "with", "recipient", "branch", "organisation", "stage", "outcome", "topic", "action",
         "actor", "object_type", "since", "until", "due", "overdue", "mine", "cursor",
         "per_page", "start", "end")
VALUES = ("x", "-1", "9" * 30, "2026-02-30", "%_'\"\\[]", "陈" * 2000, "1,x")


def test_no_list_answers_odd_filters_with_a_server_error(seeded_media):
    clients = Clients(seeded_media)
    lists = [route for route in routes() if not route.parameters
             and MATRIX.get(route.name, (None, ""))[0] == "GET"
             and "A" in MATRIX[route.name][1]]
    assert len(lists) > 30
    wrong = []
    for route in lists:
        role = ROLES[MATRIX[route.name][1].index("A")]
        client = clients(role, api=route.is_api)
        client.raise_request_exception = False  # every list's answer, not the first error
        for value in VALUES:
            response = client.get(reverse(route.name), dict.fromkeys(NAMES, value))
            if response.status_code >= 500 or response.status_code not in (200, 302, 400, 404):
                wrong.append(f"{route.name} ={value[:12]!r}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)
