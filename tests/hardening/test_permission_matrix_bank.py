"""The partner bank's staff (Role.BANK, demo user ``bank``) against every route of the pages and
the API. Rather than a thirteenth column in every row of permission_matrix.py, this walks every
row of MATRIX and CREATES as the bank user and asserts that exactly the routes below answer
(``A``, or ``V`` for an empty POST that reached validation); every other route is denied
(login redirect, 401, 403 or 404) and a denied POST changes nothing (matrix_engine.answer)."""
from __future__ import annotations

import pytest

from .matrix_engine import STEPS, Clients, answer, routes, url_for
from .permission_matrix import CREATES, MATRIX

#: What the bank user may reach, and the answer. Everything else: D.
BANK_ALLOWED = {
    # every signed-in user: home, help, the inbox, API tokens, the liaison contacts, search
    # (through every app's visibility: nothing for the bank), the API roots
    "home": "A", "help": "A", "help_topic": "A", "inbox": "A", "inbox_open": "A",
    "inbox_read_all": "A", "global_search": "A", "api_global_search": "V",
    "api_root": "A", "api_whoami": "A", "api_inbox": "A", "api_my_work": "A", "token_list": "A", "token_revoke": "A",
    "session_list": "A", "two_factor_settings": "A",
    "api_token_list": "A", "cases:liaison_list": "A", "cases-api:liaison-list": "A",
    "cases-api:liaison-detail": "A", "cases-api:api-root": "A", "infosharing-api:api-root": "A",
    "partners-api:api-root": "A", "pilot-api:api-root": "A", "tempaid-api:api-root": "A",
    # the pilot's work plan (no personal data): the bank's tasks 9–10 are in it
    "pilot:index": "A", "pilot:plan_list": "A", "pilot:plan_detail": "A",
    "pilot:task_detail": "A", "pilot:progress_list": "A", "pilot:progress_export": "A",
    "pilot-api:plan-list": "A",
    "pilot-api:plan-detail": "A", "pilot-api:task-list": "A", "pilot-api:task-detail": "A",
    "pilot-api:progress-report-list": "A",
    # the bank's desk: its appointments and the recipients routed to it
    "remittance:bank_desk": "A",
    "remittance:bank_recipient": "A",
    "remittance:bank_account_reveal": "A",
    "remittance:bank_document_reveal": "A",
    "remittance:bank_appointment_outcome": "A",  # an empty POST: a message, back to the desk
    "remittance-api:api-root": "A",
    "remittance-api:bank-appointment-list": "A",
    "remittance-api:bank-appointment-detail": "A",
    "remittance-api:bank-appointment-outcome": "V",
    "remittance-api:bank-recipient-list": "A",
    "remittance-api:bank-recipient-detail": "A",
    "remittance-api:bank-recipient-step": "V",
    "remittance-api:bank-recipient-reveal-account": "V",
    "remittance-api:bank-recipient-reveal-document": "V",
}


def test_the_allowed_routes_exist():
    names = {route.name for route in routes()}
    assert sorted(set(BANK_ALLOWED) - names) == []


@pytest.mark.parametrize("part", ["pages", "api"])
def test_bank_reaches_exactly_its_desk(part, seeded_media, db):
    by_name = {route.name: route for route in routes()}
    clients = Clients(seeded_media)
    wrong = []
    for name, entry in sorted(MATRIX.items()):
        route = by_name[name]
        if route.is_api != (part == "api"):
            continue
        url = url_for(route, STEPS)
        assert url is not None, name
        method = entry[0]
        got, status = answer(route, url, method, clients("bank", api=route.is_api))
        wanted = BANK_ALLOWED.get(name, "D")
        if got != wanted:
            wrong.append(f"{name} {method} {url}: expected {wanted}, got {got} ({status})")
    if part == "api":
        for name in sorted(CREATES):
            route = by_name[name]
            got, status = answer(route, url_for(route, STEPS), "POST",
                                 clients("bank", api=True))
            if got != "D":
                wrong.append(f"{name} POST (create): expected D, got {got} ({status})")
    assert not wrong, "\n".join(wrong)


def test_the_global_search_finds_nothing_for_the_bank(seeded_media, db):
    from .matrix_engine import client_for

    api = client_for("bank", seeded_media, api=True)
    found = api.post("/api/v1/search/", {"q": "陈"}, format="json")
    assert "IAS-2022" not in found.content.decode()
