"""Lists page without counting the visible records (web.pagination): one row read ahead for
Next; a count only where the page shows one, and then at most COUNT_UP_TO. The API pages the
same way: next, previous and results, no count."""
import pytest
from django.core.paginator import InvalidPage
from django.db import connection
from django.test.utils import CaptureQueriesContext

import cases_factories as factories
from cases.models import Case
from web.pagination import UncountedPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_cases(users):
    return [factories.case(users["district"]) for _ in range(5)]


def _ordered():
    return Case.objects.order_by("pk")


def test_a_page_reads_one_row_ahead_and_never_counts(five_cases):
    with CaptureQueriesContext(connection) as queries:
        page = UncountedPage(_ordered(), "2", 2)
    assert [case.pk for case in page] == [case.pk for case in five_cases[2:4]]
    assert page.has_next() and page.has_previous() and page.count is None
    assert len(queries) == 1 and "COUNT" not in queries[0]["sql"].upper()
    last = UncountedPage(_ordered(), 3, 2)
    assert [case.pk for case in last] == [five_cases[4].pk] and not last.has_next()


@pytest.mark.parametrize("number", ["0", "-1", "x", "99"])
def test_a_stale_or_bad_page_number_shows_the_first_page(five_cases, number):
    page = UncountedPage(_ordered(), number, 2)
    assert page.number == 1 and [case.pk for case in page] == [c.pk for c in five_cases[:2]]
    with pytest.raises(InvalidPage):
        UncountedPage(_ordered(), number, 2, strict=True)


def test_the_count_stops_at_its_limit(five_cases):
    exact = UncountedPage(_ordered(), 1, 2, count_up_to=10)
    assert (exact.count, exact.count_capped) == (5, False)
    capped = UncountedPage(_ordered(), 1, 2, count_up_to=3)
    assert (capped.count, capped.count_capped) == (3, True)
    with CaptureQueriesContext(connection) as queries:
        single = UncountedPage(_ordered(), 1, 10, count_up_to=3)
    assert (single.count, single.count_capped) == (3, True) and len(queries) == 2
    assert "LIMIT 4" in queries[1]["sql"]


def test_the_case_list_says_more_than_beyond_the_limit(client_for, five_cases, monkeypatch):
    client = client_for("district")
    assert "共 5 宗个案" in client.get("/cases/").content.decode()
    monkeypatch.setattr("cases.views.COUNT_UP_TO", 3)
    assert "超过 3 宗个案" in client.get("/cases/").content.decode()


def test_api_pages_have_links_and_no_count(api_client_for, five_cases):
    client = api_client_for("district")
    first = client.get("/api/v1/cases/cases/", {"page_size": 2}).json()
    assert set(first) == {"next", "previous", "results"} and first["previous"] is None
    assert len(first["results"]) == 2 and "page=2" in first["next"]
    seen = [row["id"] for row in first["results"]]
    following = first["next"]
    while following:
        page = client.get(following).json()
        seen += [row["id"] for row in page["results"]]
        following = page["next"]
    assert sorted(seen) == sorted(case.pk for case in five_cases)
    assert page["previous"] is not None
    for number in ("0", "x", "4", "last"):
        response = client.get("/api/v1/cases/cases/", {"page_size": 2, "page": number})
        assert response.status_code == 404, number


def test_the_api_schema_describes_pages_without_count(api_client_for):
    schema = api_client_for("city").get("/api/schema/", {"format": "json"}).json()
    page = schema["components"]["schemas"]["PaginatedCaseList"]
    assert "count" not in page["properties"] and set(page["properties"]) >= {"next", "results"}
