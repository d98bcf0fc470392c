"""The header's search box: on every page, every kind of record by number through its own
visibility door, people by any spelling with what tells them apart, the query never in an
address, one audit row per search that never holds the query, bounded queries, and the API."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.global_search import global_search
from remittance.models import Batch
from tests.cases.test_views_person_overview import person_with_records  # noqa: F401 (fixture)
from tests.infosharing.infosharing_factories import make_case, make_person
from tests.partners.partners_factories import contracts, orgs, today  # noqa: F401 (fixtures)
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

SEARCH = reverse("global_search")


def _batch(users, number="PB202601-0001"):
    return Batch.objects.create(number=number, period=date(2026, 1, 1), rate=Decimal("0.9"),
                                rate_date=date(2026, 1, 1), rate_source="中国银行",
                                prepared_by=users["city"], prepared_at=timezone.now())


@pytest.fixture
def records(users, person_with_records):  # noqa: F811
    return {**person_with_records, "batch": _batch(users)}


def _search(client, query):
    """Post the header box, follow the redirect: the results page."""
    response = client.post(SEARCH, {"q": query})
    assert response.status_code == 303
    assert response["Location"] == SEARCH
    return client.get(SEARCH)


@pytest.mark.parametrize("url", ["home", "cases:case_list", "cases:person_list", "inbox",
                                 "global_search", "tempaid:list"])
def test_the_header_box_is_on_every_page_and_posts(client_for, url):
    page = client_for("district").get(reverse(url)).content.decode()
    assert f'action="{SEARCH}"' in page
    box = page[page.index(f'action="{SEARCH}"') - 80:]
    assert 'method="post"' in box[:200]
    assert 'name="q"' in box[:900]


def test_the_header_box_is_on_every_html_page_of_the_matrix(client_for):
    """Every page without a record in its address that the district officer may open."""
    from django.urls import NoReverseMatch

    from tests.hardening.permission_matrix import MATRIX

    client, checked = client_for("district"), 0
    for name, (method, answers) in MATRIX.items():
        if method != "GET" or answers[2] != "A" or "api" in name:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        assert f'action="{SEARCH}"' in response.content.decode(), name
        checked += 1
    assert checked >= 20


def test_anonymous_users_have_no_box_and_no_search(client):
    assert SEARCH not in client.get(reverse("login")).content.decode()
    response = client.post(SEARCH, {"q": "陈大文"})
    assert response.status_code == 302 and "login" in response["Location"]


# kind of record, its key in ``records``, the roles that see it, the roles that do not
KINDS = [
    ("case", "case", ["district", "city", "macau"], ["district2", "hengqin", "ngo", "finance"]),
    ("verification_request", "request", ["district", "city", "macau"],
     ["district2", "hengqin", "ngo"]),
    ("relief_application", "application", ["district", "city"], ["district2", "macau", "ngo"]),
    ("referral", "referral", ["district", "city", "ngo"], ["district2", "macau", "ngo2"]),
    ("payment_batch", "batch", ["city", "finwork", "macau"], ["district", "ngo", "hengqin"]),
]


@pytest.mark.parametrize(("kind", "key", "allowed", "refused"), KINDS)
def test_each_kind_found_by_number_only_by_those_who_see_it(users, records, kind, key, allowed,
                                                            refused):
    record = records[key]
    for username in allowed:
        for query in (record.number, record.number.lower(), f" {record.number} "):
            found = global_search(users[username], query).records.get(kind, [])
            assert [hit.number for hit in found] == [record.number], (username, query)
            assert found[0].exact
    for username in refused:
        results = global_search(users[username], record.number)
        # a number the user may not see answers as one that does not exist
        assert results.count == global_search(users[username], "ZZ-0000-999999").count == 0, \
            username


def test_a_number_prefix_finds_the_records_and_the_page_links_them(client_for, records):
    case = records["case"]
    page = _search(client_for("district"), case.number[:8]).content.decode()
    assert f'<a href="{reverse("cases:case_detail", args=[case.pk])}">{case.number}</a>' in page


def test_the_macau_liaison_sees_only_what_was_shared(users, client_for, records):
    client = client_for("macau")
    for key, route, shown in (("case", "cases:case_detail", True),
                              ("request", "infosharing:request_detail", True),
                              ("batch", "remittance:batch_detail", True),
                              ("application", "tempaid:detail", False),
                              ("referral", "partners:referral_detail", False)):
        page = _search(client, records[key].number).content.decode()
        assert (f'href="{reverse(route, args=[records[key].pk])}"' in page) == shown, key
        assert ("search-hit" in page) == shown, key

    # people: the subject of the shared case, not a namesake whose case was not shared
    other = make_person(users["district"], name="陈大文")
    make_case(users["district"], other)
    found = [hit.person.pk for hit in global_search(users["macau"], "陈大文").people]
    assert found == [records["person"].pk]


def test_people_by_name_in_any_script_with_what_tells_them_apart(users, client_for, records):
    person = records["person"]  # 陈大文, one open case, a Macau identity card
    other = make_person(users["district"], name="陈大文")
    page = _search(client_for("district"), "陳大文").content.decode()
    for someone in (person, other):
        assert f'href="{reverse("cases:person_detail", args=[someone.pk])}"' in page
    number = person.documents.get().number
    assert number not in page  # masked
    assert "1958年3月1日" in page  # the long Chinese form
    hits = global_search(users["district"], "Chan Tai Man").people
    assert {hit.person.pk for hit in hits} == {person.pk, other.pk}
    counts = {hit.person.pk: hit.open_cases for hit in hits}
    assert counts == {person.pk: 1, other.pk: 0}


def test_a_typo_guess_is_marked_as_such(users, client_for, records):
    page = _search(client_for("district"), "Chan Tai Mn").content.decode()
    hits = global_search(users["district"], "Chan Tai Mn").people
    if connection.vendor != "postgresql" and not hits:
        pytest.skip("typo candidates come from pg_trgm")
    assert [hit.person.pk for hit in hits] == [records["person"].pk]
    assert hits[0].is_guess
    assert 'badge--warn' in page
    assert 'badge--warn' not in _search(client_for("district"), "陈大文").content.decode()


def test_people_by_identity_number_in_any_accepted_spelling(users, records):
    person = records["person"]
    number = person.documents.get().number  # e.g. 1000001(3)
    digits = number.replace("(", "").replace(")", "")
    for query in (number, digits, f"{digits[0]}/{digits[1:-1]}/{digits[-1]}"):
        assert [hit.person.pk for hit in global_search(users["district"], query).people] \
            == [person.pk], query
    assert global_search(users["district2"], number).people == []


def test_people_are_not_shown_to_roles_without_the_register(users, records):
    for username in ("ngo", "finance", "leader"):
        assert global_search(users[username], "陈大文").people == []


def test_the_query_never_appears_in_an_address(client_for, records):
    client = client_for("district")
    number = records["person"].documents.get().number
    response = client.post(SEARCH, {"q": number}, follow=True)
    for address, _status in response.redirect_chain:
        assert number not in address and "q=" not in address
    page = response.content.decode()
    assert "?q=" not in page
    # a query in the address is ignored: only the body or the session carries it
    other = client_for("city")
    page = other.get(SEARCH, {"q": number}).content.decode()
    assert "search-hit" not in page
    # clearing forgets it
    client.get(SEARCH + "?clear=1")
    assert "search-hit" not in client.get(SEARCH).content.decode()


def test_one_audit_row_per_search_without_the_query(users, client_for, records):
    before = AuditEvent.objects.filter(action="search.global").count()
    number = records["person"].documents.get().number
    _search(client_for("district"), number)
    events = list(AuditEvent.objects.filter(action="search.global").order_by("-id"))
    assert len(events) == before + 1
    event = events[0]
    assert event.actor_id == users["district"].pk
    assert event.changes["kinds"] == "person" and event.changes["count"] == 1
    assert event.changes["found_person"] == 1
    stored = f"{event.summary} {event.changes} {event.object_id}"
    assert number not in stored and number[:7] not in stored
    _search(client_for("district"), "陈大文")
    event = AuditEvent.objects.filter(action="search.global").latest("id")
    assert "陈大文" not in f"{event.summary} {event.changes}"


def test_queries_do_not_grow_with_the_data(users, records):
    city = users["city"]
    global_search(city, "陈大文")
    measured = []
    for round_ in range(2):
        with CaptureQueriesContext(connection) as queries:
            global_search(city, "陈大文")
            global_search(city, "ZH-2")
        measured.append(len(queries))
        for _ in range(8):
            make_case(users["district"], make_person(users["district"]))
        for n in range(2, 6):
            _batch(users, number=f"PB2026{round_:02d}-{n:04d}")
    assert measured[0] == measured[1]
    assert measured[0] <= 2 * 12


def test_a_number_reads_only_its_own_kind_and_an_id_number_none(users, records):
    from cases.global_search import find_records

    with CaptureQueriesContext(connection) as queries:
        found = find_records(users["city"], records["batch"].number)
    assert list(found) == ["payment_batch"] and len(queries) == 1
    number = records["person"].documents.get().number
    with CaptureQueriesContext(connection) as queries:
        assert find_records(users["city"], number) == {}
        assert find_records(users["city"], "+853 6612 3456") == {}
    assert len(queries) == 0


def test_the_api_answers_a_posted_query(users, api_client_for, records):
    url = reverse("api_global_search")
    client = api_client_for("district")
    assert client.get(url, {"q": "陈大文"}).status_code == 405
    response = client.post(url, {"q": records["case"].number}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["kinds"] == ["case"] and data["count"] == 1
    assert data["records"][0]["url"] == reverse("cases:case_detail", args=[records["case"].pk])
    response = client.post(url, {"q": "陳大文"}, format="json")
    person = response.json()["people"][0]
    assert person["id"] == records["person"].pk
    assert set(person) >= {"documents", "date_of_birth", "district", "open_cases", "tier"}
    assert records["person"].documents.get().number not in response.content.decode()
    assert AuditEvent.objects.filter(action="search.global",
                                     changes__channel="api").count() == 2
    assert api_client_for("anonymous").post(url, {"q": "x"}, format="json").status_code in (401,
                                                                                            403)
    other = api_client_for("district2").post(url, {"q": records["case"].number}, format="json")
    assert other.json()["count"] == 0


def test_the_api_is_documented_with_its_response(client_for):
    schema = client_for("city").get(reverse("api_schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/search/"]["post"]
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert reference.endswith("GlobalSearchResponse")
    assert "people" in schema["components"]["schemas"]["GlobalSearchResponse"]["properties"]
