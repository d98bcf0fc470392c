"""The payments list pages without counting the table: Previous/Next, one row read ahead,
every visible payment exactly once across the pages, stale or junk page numbers → page one."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from remittance import services
from remittance.models import Batch
from remittance.selectors import batch_reconciliation, payment_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _payments(demo, monkeypatch):
    """The remittance demo at 60 recipients: three monthly batches, more than one page."""
    from remittance import demo as remittance_demo

    monkeypatch.setattr("remittance.demo.SIZE", 60)
    remittance_demo.seed(demo)


def _references(response):
    return [payment.reference for payment in response.context["page"]]


@pytest.mark.parametrize("username", ["city", "district"])
def test_pages_walk_every_visible_payment_once_without_a_count(users, client_for, username):
    client = client_for(username)
    expected = list(payment_visible_to(users[username]).order_by("-period", "reference")
                    .values_list("reference", flat=True))
    assert len(expected) > 50, "the payments should need more than one page"
    seen, number = [], 1
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/remittance/payments/?page={number}")
        assert response.status_code == 200
        assert not any("COUNT(" in query["sql"] and "remittance_payment" in query["sql"]
                       for query in queries.captured_queries)
        seen += _references(response)
        page = response.context["page"]
        assert page.has_previous() == (number > 1)
        if not page.has_next():
            assert 'rel="next"' not in response.content.decode()
            break
        assert f"page={number + 1}" in response.content.decode()
        number += 1
    assert seen == expected


@pytest.mark.parametrize("path", ["/remittance/batches/{pk}/",
                                  "/api/v1/remittance/batches/{pk}/reconciliation/"])
def test_a_batch_shows_its_tallies_without_adding_up_its_payments(client_for, path):
    """A batch holds 200,000 payments at a million people: its page and its reconciliation
    read the batch's tallies, and of its payments no more than a page's rows."""
    client = client_for("city")
    batches = list(Batch.objects.order_by("period"))
    assert len(batches) == 3 and batches[1].carried_in_count == 1  # the demo's carry-over
    for batch in batches:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path.format(pk=batch.pk))
        assert response.status_code == 200
        reads = [query["sql"] for query in queries.captured_queries
                 if 'FROM "remittance_payment"' in query["sql"]]
        assert not [sql for sql in reads if "COUNT(" in sql or "SUM(" in sql], reads
        report = batch_reconciliation(batch)
        assert report["matches"] and services.recount_tallies(batch)  # as counted afresh
        assert sum(line["count"] for line in report["lines"]) == batch.payment_count


def test_stale_and_junk_page_numbers_show_the_first_page(client_for):
    client = client_for("city")
    first = _references(client.get("/remittance/payments/"))
    for value in ("9999", "0", "-1", "abc", "1e3"):
        assert _references(client.get(f"/remittance/payments/?page={value}")) == first, value


@pytest.mark.postgres
def test_the_payments_are_vacuumed_once_two_percent_are_dead():
    """A month's results leave 200,000 dead payment rows at the head of the lists' indexes:
    PostgreSQL's default (a fifth of the table) would leave them there for a month."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'remittance_payment'")
        options = set(cursor.fetchone()[0] or [])
    assert {"autovacuum_vacuum_scale_factor=0.02",
            "autovacuum_analyze_scale_factor=0.02"} <= options
