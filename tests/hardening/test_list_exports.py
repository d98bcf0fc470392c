"""Every list's export holds exactly the rows its page shows, for every role that sees the list,
with a filter applied; identity numbers only masked; no text cell a spreadsheet would run as a
formula. One parametrised walk over the registered lists, and a check that every list page of
the URL configuration is registered (a new list without export fails here). Sorting: every
allowed key sorts with the id last, an unknown key is ignored, the page size is bounded."""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal, InvalidOperation

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from web.exports import cell
from web.listing import load_all

from .matrix_engine import ROLES, Clients, routes

#: A filter per list, as the page's own form or links would send it.
FILTERS = {
    "cases": {"status": "open"}, "people": {"district": "xiangzhou"},
    "action-items": {"status": "open"}, "requests": {"direction": "outbound"},
    "bulletins": {}, "relief": {"status": "approved"},
    "ledger": {"start": f"{date.today().year}-01-01", "end": date.today().isoformat()},
    "roster": {"district": "xiangzhou"}, "payments": {"status": "paid"},
    "referrals": {"status": "accepted"}, "service-records": {}, "progress": {"review": "accepted"},
    "audit": {"action": "user.", "outcome": "success"},
}

#: Lists whose own reading adds rows: the audit trail audits its every search and export, so
#: the page and its export are compared on actions that reading them does not write.
STEADY = {"audit": {"action": "user."}}

#: List pages that are not record lists with an export: the reason each is left out.
NOT_EXPORTED = {
    "lockout_list": "locked accounts: an administration page", "token_list": "own API tokens",
    "session_list": "one's own signed-in sessions",
    "cases:liaison_list": "the liaison roster is a short directory, not records",
    "cases:meeting_list": "meetings: a calendar more than a list (cases:meeting_calendar, and "
                          "each user's iCalendar feed)",
    "infosharing:authorization_list": "authorizations: reached from the person",
    "infosharing:urgent_list": "urgent notifications: short-lived alerts",
    "partners:organisation_list": "providers: a short directory",
    "partners:social_worker_list": "social workers: a short directory",
    "partners:contract_list": "contracts: a handful a year",
    "pilot:plan_list": "one plan a year", "pilot:report_list": "generated PDF reports",
    "remittance:import_list": "import runs: files, not records",
    "remittance:branch_list": "bank branches: a short directory",
    "remittance:appointment_list": "appointments: a day planner",
    "remittance:batch_list": "batches: a few a month, each with its own bank file",
}


def _formula_like(value: str) -> bool:
    if not value or value[0] not in "=+-@":
        return False
    try:
        Decimal(value)
    except InvalidOperation:
        return True
    return False  # a negative amount is a number, not a formula


def test_every_list_page_has_an_export_or_a_reason():
    specs = load_all()
    exported = {spec.url_name for spec in specs.values()}
    lists = {route.name for route in routes() if route.name.endswith("_list")
             and "-api:" not in route.name and not route.is_api}
    missing = sorted(lists - exported - set(NOT_EXPORTED) - {"infosharing:index", "tempaid:list"})
    assert missing == [], f"list pages without an export (web.listing): {missing}"
    assert set(FILTERS) == set(specs), "each registered list needs a filter in FILTERS"


def _page_values(client, spec, params) -> list | None:
    column = spec.columns()[0]
    values, page = [], 1
    while True:
        response = client.get(reverse(spec.url_name), {**params, "per_page": 100, "page": page})
        if response.status_code != 200:
            return None
        if "page" not in response.context:  # the fund statement: one period, not paged
            return [cell(column.value(entry)) for entry in response.context["statement"].entries]
        current = response.context["page"]
        values += [cell(column.value(record)) for record in current]
        if not current.has_next():
            return values
        page += 1


def _export_rows(client, spec, params, fmt="csv") -> list[list[str]]:
    response = client.get(reverse(spec.export_url_name), {**params, "format": fmt})
    assert response.status_code == 200, (spec.key, response.status_code)
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode()), "Excel needs the byte-order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def hostile_text(seeded, db):
    """Text fields of demo records that a spreadsheet would read as formulas."""
    from cases.models import ActionItem, Person
    from partners.models import Referral, ServiceRecord

    Person.objects.filter(pk=Person.objects.order_by("pk").values("pk")[:1]).update(
        name_zh="=HYPERLINK(\"http://x\")")
    ActionItem.objects.filter(pk__in=ActionItem.objects.values("pk")[:1]).update(title="+1+1")
    Referral.objects.filter(pk__in=Referral.objects.values("pk")[:1]).update(
        person_name="-2+3")
    ServiceRecord.objects.filter(pk__in=ServiceRecord.objects.values("pk")[:1]).update(
        outcome="@SUM(A1)")


@pytest.mark.parametrize("key", sorted(FILTERS))
def test_export_equals_the_page_for_every_role(key, seeded_media, hostile_text, db):
    from cases.models import IdentityDocument

    spec = load_all()[key]
    clients = Clients(seeded_media)
    numbers = [number for number in IdentityDocument.objects.values_list("number", flat=True)
               if len(number) >= 6]
    seen_by = []
    for role in ROLES:
        if role == "anonymous":
            continue
        client = clients(role, api=False)
        everything = {"start": "2020-01-01", "end": date.today().isoformat()} \
            if key == "ledger" else STEADY.get(key, {})
        for params in (everything, FILTERS[key]):
            expected = _page_values(client, spec, params)
            if expected is None:
                response = client.get(reverse(spec.export_url_name), {**params, "format": "csv"})
                assert response.status_code in (302, 403, 404), (key, role)
                continue
            seen_by.append(role)
            rows = _export_rows(client, spec, params)
            assert rows[0] == [str(column.header) for column in spec.columns()]
            assert [row[0] for row in rows[1:]] == [str(value) for value in expected], \
                (key, role, params)
            text = "\n".join(",".join(row) for row in rows)
            leaked = [number for number in numbers if number in text]
            assert leaked == [], (key, role, "full identity numbers in the export")
            formulas = [value for row in rows[1:] for value in row if _formula_like(value)]
            assert formulas == [], (key, role, formulas)
    assert seen_by, f"no role sees {key}"


def test_xlsx_export_holds_the_same_rows(seeded_media, db):
    from openpyxl import load_workbook

    spec = load_all()["cases"]
    client = Clients(seeded_media)("district", api=False)
    expected = _page_values(client, spec, {})
    response = client.get(reverse(spec.export_url_name), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == expected


@pytest.mark.parametrize("key", sorted(set(FILTERS) - {"ledger"}))  # a statement: by date
def test_every_sort_key_is_stable_and_unknown_keys_are_ignored(key, seeded_media, db):
    spec = load_all()[key]
    steady = STEADY.get(key, {})
    client = Clients(seeded_media)("city", api=False)
    url = reverse(spec.url_name)
    for other in ("ngo", "auditadmin"):
        if client.get(url, steady).status_code != 200:
            client = Clients(seeded_media)(other, api=False)
    client.get(url, steady)  # the first request of a session loads more (the user's roles, the nav)
    with CaptureQueriesContext(connection) as default_queries:
        baseline = client.get(url, steady)
    assert baseline.status_code == 200
    with_header = set()
    for sort_key in spec.sorts:
        for sort in (sort_key, "-" + sort_key):
            response = client.get(url, {**steady, "sort": sort, "per_page": 20})
            assert response.status_code == 200, (key, sort)
            ids = [record.pk for record in response.context["page"]]
            with CaptureQueriesContext(connection) as sorted_queries:
                again = [record.pk for record in client.get(
                    url, {**steady, "sort": sort, "per_page": 20}).context["page"]]
            # a sort costs no query of its own (the session is written only when it changes)
            assert len(sorted_queries) <= len(default_queries), (key, sort)
            assert ids == again, (key, sort, "the order changes between two requests")
            listing = response.context["listing"]
            assert listing.ordering.sort == sort
            headers = dict((name, state) for state, name in re.findall(
                r'<th scope="col" aria-sort="(\w+)"><a href="\?[^"]*?sort=-?([\w-]+)',
                response.content.decode()))
            if sort_key in headers:  # a column header (a default order may have none)
                with_header.add(sort_key)
                direction = "descending" if sort.startswith("-") else "ascending"
                assert headers[sort_key] == direction, (key, sort, headers)
                assert set(headers.values()) - {direction} <= {"none"}
    assert with_header, f"{key}: no sortable column header"
    for odd in ("password", "-id;drop", "__class__", "-", "", "x" * 500):
        response = client.get(url, {**steady, "sort": odd, "per_page": "100000"})
        assert response.status_code == 200, (key, odd)
        assert response.context["listing"].ordering.per_page in spec.page_sizes()
        assert len(response.context["page"].object_list) <= max(spec.page_sizes())


def test_sort_and_page_size_are_remembered_with_the_filters(seeded_media, db):
    spec = load_all()["cases"]
    client = Clients(seeded_media)("city", api=False)
    url = reverse(spec.url_name)
    client.post(url, {"status": "open"})
    client.get(url, {"sort": "number", "per_page": 50})
    response = client.get(url)
    assert response.context["listing"].ordering.sort == "number"
    assert response.context["listing"].ordering.per_page == 50
    assert response.context["form"].data.get("status") == "open"
    numbers = [case.number for case in response.context["page"]]
    assert numbers == sorted(numbers)
    assert all(case.status == "open" for case in response.context["page"])
