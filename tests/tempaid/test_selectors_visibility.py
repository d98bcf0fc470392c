"""Who sees which application: owner district, city, Finance (approved onward), Macau/Hengqin
only when shared; lists by exact sets; query counts do not grow with rows."""
import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

import tempaid_factories as factories
from tempaid import metrics, services
from tempaid.home import work_sources
from tests.plans import plan_at_scale
from tempaid.models import Status
from tempaid.selectors import application_visible_to, get_application_for, ledger_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(users, reviewer, make_application):
    """A Xiangzhou draft and an approved one, a Doumen one in review."""
    draft = make_application("100", submit=False)
    approved = services.application_approve(actor=reviewer, application=make_application("200"))
    doumen_case = factories.case(users["district2"])
    doumen = factories.application(users["district2"], doumen_case, amount="300")
    return draft, approved, doumen


def test_each_district_sees_its_own(users, spread):
    draft, approved, doumen = spread
    assert set(application_visible_to(users["district"])) == {draft, approved}
    assert set(application_visible_to(users["district2"])) == {doumen}
    with pytest.raises(Http404):
        get_application_for(users["district"], doumen.pk)


def test_city_sees_all_finance_only_approved_onward(users, spread):
    draft, approved, doumen = spread
    assert set(application_visible_to(users["city"])) == {draft, approved, doumen}
    assert set(application_visible_to(users["finance"])) == {approved}


def test_liaisons_see_only_what_is_shared_with_them(users, agencies, spread):
    draft, approved, doumen = spread
    for username in ("macau", "hengqin", "leader", "admin", "ngo", "finwork"):
        assert not application_visible_to(users[username]).exists(), username
    services.application_share(actor=users["district"], application=approved,
                               agency=agencies["mo-ias"], reason="跨境协同")
    assert set(application_visible_to(users["macau"])) == {approved}
    assert not application_visible_to(users["hengqin"]).exists()
    services.application_unshare(actor=users["district"], application=approved,
                                 agency=agencies["mo-ias"], reason="结束")
    assert not application_visible_to(users["macau"]).exists()


def test_sharing_only_with_macau_or_hengqin(users, agencies, spread):
    from core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.application_share(actor=users["district"], application=spread[0],
                                   agency=agencies["ngo-kaifong"], reason="x")
    with pytest.raises(ApplicationError):  # another district cannot share it
        services.application_share(actor=users["district2"], application=spread[0],
                                   agency=agencies["mo-ias"], reason="x")


def test_ledger_only_for_city_and_finance(users, spread):
    assert ledger_visible_to(users["city"]).exists()
    assert ledger_visible_to(users["finance"]).exists()
    for username in ("district", "macau", "leader"):
        assert not ledger_visible_to(users[username]).exists()


def _count_queries(function):
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def test_metrics_figures_and_fixed_query_count(users, reviewer, make_application, today):
    from datetime import timedelta

    start, end = today - timedelta(days=1), today
    for _ in range(3):
        services.application_approve(actor=reviewer,
                                     application=make_application("100", override="x"))
    few = _count_queries(lambda: metrics.figures(start=start, end=end))
    for _ in range(6):
        make_application("100", override="x")
    rejected = make_application("100", override="x")
    services.application_reject(actor=reviewer, application=rejected, reason="不符合")
    many = _count_queries(lambda: metrics.figures(start=start, end=end))
    assert few == many <= 3
    figures = metrics.figures(start=start, end=end, district="xiangzhou")
    assert figures["applications_total"] == 10
    assert figures["applications_approved"] == 3 and figures["applications_rejected"] == 1
    assert str(figures["amount_approved_cny"]) == "300.00"
    assert str(figures["amount_paid_cny"]) == "0.00"
    assert str(figures["fund_available_cny"]) == "99700.00"
    assert figures["by_kind"] == {"illness": 10}
    assert metrics.figures(start=start, end=end, district="doumen")["applications_total"] == 0


def test_bulletin_section(users, agencies, make_application, today):
    make_application("100")
    section = metrics.bulletin_section(agencies["mo-ias"], today, today)
    assert section["figures"]["applications_total"] == 1
    assert not set(metrics.FUND_FIGURES) & set(section["figures"])
    assert metrics.bulletin_section(agencies["hq-livelihood"], today, today)["figures"][
        "applications_total"] == 0
    assert metrics.bulletin_section(agencies["zh-doumen"], today, today)["figures"][
        "applications_total"] == 0
    assert metrics.bulletin_section(agencies["ngo-kaifong"], today, today) is None


def test_list_query_count_does_not_grow(users, client_for, make_application):
    client = client_for("city")
    for _ in range(3):
        make_application("100")
    client.get("/tempaid/")  # the session's first request does its one-off work
    few = _count_queries(lambda: client.get("/tempaid/"))
    for _ in range(12):
        make_application("100")
    many = _count_queries(lambda: client.get("/tempaid/"))
    assert few == many


def test_statuses_cover_the_issue_lifecycle():
    assert Status.values == ["draft", "submitted", "district_review", "city_review", "approved",
                             "rejected", "paid", "closed", "withdrawn"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
def test_a_districts_missing_paperwork_is_found_from_its_own_index(users):
    """A district officer's *My work* counts fast-track relief whose paperwork is missing: a
    few rows among every approved and paid application (35,000 at a million people), which
    PostgreSQL read and filtered on each home page without the partial index."""
    paperwork = next(source for source in work_sources(users["district"], since=None)
                     if source.kind == "tempaid.paperwork")
    plan = plan_at_scale(paperwork.queryset)
    assert "application_paperwork_missing" in plan, plan
