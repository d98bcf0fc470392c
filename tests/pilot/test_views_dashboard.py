import types
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from pilot.dashboard import METRIC_APPS, dashboard_data, load_figures
from pilot.models import Plan

import pilot_factories as factories

pytestmark = pytest.mark.django_db

FAKE_FIGURES = {
    "cases": {"cases_total": 120, "cases_open": 30, "cases_by_district": {"xiangzhou": 70,
                                                                           "doumen": 50},
              "meetings_held": 4, "action_items_total": 10, "action_items_closed_on_time": 7,
              "action_items_overdue": 1},
    "remittance": {"roster_size": 900, "recipients_active": 850, "cards_activated": 800,
                   "activation_rate": Decimal("0.9412"),
                   "activation_by_district": {"xiangzhou": {"active": 500, "activated": 480,
                                                            "rate": Decimal("0.96")}},
                   "disbursed_by_month": [{"month": "2022-01", "mop": Decimal("100000"),
                                           "cny": Decimal("88000")},
                                          {"month": "2022-02", "mop": Decimal("110000"),
                                           "cny": Decimal("96800")}]},
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fake_metrics(monkeypatch):
    """Inject fake ``<app>.metrics`` modules (others made missing) and record their calls."""
    calls = []
    for app in METRIC_APPS:
        if app in FAKE_FIGURES:
            module = types.ModuleType(f"{app}.metrics")

            def figures(*, start, end, district=None, _app=app):
                calls.append((_app, start, end, district))
                return FAKE_FIGURES[_app]

            module.figures = figures
            monkeypatch.setitem(__import__("sys").modules, f"{app}.metrics", module)
        else:
            monkeypatch.setitem(__import__("sys").modules, f"{app}.metrics", None)
    return calls


@pytest.mark.parametrize("username, expected", [
    ("anonymous", 302), ("district", 403), ("finwork", 403), ("macau", 403), ("ngo", 403),
    ("admin", 403), ("city", 200), ("leader", 200)])
def test_dashboard_access(client_for, username, expected):
    factories.plan_2021()
    response = client_for(username).get("/pilot/dashboard/")
    assert response.status_code == expected


def test_dashboard_shows_charts_and_fake_panels(client_for, fake_metrics):
    factories.plan_2021()
    response = client_for("leader").get("/pilot/dashboard/?district=xiangzhou")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') >= 6
    assert "<title id=" in html and "<desc id=" in html
    assert "120" in html and "96.0" in html   # cases_total; activation rate by district in %
    assert 'data-panel="infosharing"' in html and html.count("暂未提供") == 3
    # by default, from the plan's start to today
    assert ("cases", date(2021, 12, 1), timezone.localdate(), "xiangzhou") in fake_metrics
    # no personal data on the page: no person names, ID numbers or user display names
    assert "陈科长" not in html.split("topbar__user")[-1].split("</header>")[-1]


def test_dashboard_period_filter_and_cache(client_for, fake_metrics):
    factories.plan_2021()
    client = client_for("city")
    client.get("/pilot/dashboard/?start=2022-01-01&end=2022-06-30")
    client.get("/pilot/dashboard/?start=2022-01-01&end=2022-06-30")
    cases_calls = [call for call in fake_metrics if call[0] == "cases"]
    assert cases_calls == [("cases", date(2022, 1, 1), date(2022, 6, 30), None)]  # cached
    client.get("/pilot/dashboard/?start=2022-01-01&end=2022-03-31")
    assert len([call for call in fake_metrics if call[0] == "cases"]) == 2  # other filters


def test_a_raising_metrics_module_shows_the_panel_unavailable(monkeypatch, client_for):
    factories.plan_2021()
    module = types.ModuleType("tempaid.metrics")

    def figures(**kwargs):
        raise RuntimeError("boom")

    module.figures = figures
    monkeypatch.setitem(__import__("sys").modules, "tempaid.metrics", module)
    figures_found, reason = load_figures("tempaid", start=date(2022, 1, 1), end=date(2022, 2, 1),
                                         district=None)
    assert figures_found is None and reason == "error"
    assert client_for("city").get("/pilot/dashboard/").status_code == 200


def test_dashboard_lists_tasks_needing_attention(client_for, users, fake_metrics):
    factories.plan_2021()
    factories.report(users["city"], 3, day=date(2022, 2, 10), status="done", percent=100)
    html = client_for("leader").get("/pilot/dashboard/").content.decode()
    section = html.split("需关注的任务")[1].split("</table>")[0]
    assert f'/pilot/tasks/{factories.task(4).pk}/' in section      # overdue
    assert f'/pilot/tasks/{factories.task(3).pk}/' not in section  # done


def test_dashboard_with_the_real_metrics_modules_present(client_for):
    """Whatever workstreams have landed: the page renders and each panel is there."""
    factories.plan_2021()
    response = client_for("leader").get("/pilot/dashboard/")
    assert response.status_code == 200
    for app in METRIC_APPS:
        assert f'data-panel="{app}"' in response.content.decode()


def test_dashboard_queries_do_not_grow_with_progress_reports(users, django_assert_max_num_queries,
                                                            fake_metrics):
    plan = factories.plan_2021()
    for number in range(1, 6):
        factories.report(users["city"], number, day=date(2022, 1, number))
    with django_assert_max_num_queries(8):
        small = dashboard_data(plan=plan, start=plan.starts_on, end=plan.ends_on, use_cache=False)
    for number in range(1, 18):
        for day in range(1, 4):
            factories.report(users["city"], number, day=date(2022, 2, day))
    with django_assert_max_num_queries(8):
        large = dashboard_data(plan=plan, start=plan.starts_on, end=plan.ends_on, use_cache=False)
    assert len(small["tasks"]) == len(large["tasks"]) == 17


def test_the_dashboard_json_api(api_client_for, fake_metrics):
    factories.plan_2021()
    assert api_client_for("anonymous").get("/api/v1/pilot/dashboard/").status_code == 401
    assert api_client_for("district").get("/api/v1/pilot/dashboard/").status_code == 403
    response = api_client_for("leader").get("/api/v1/pilot/dashboard/?district=doumen")
    assert response.status_code == 200
    body = response.json()
    assert sum(body["tasks_by_status"].values()) == 17
    assert body["panels"]["cases"]["figures"]["cases_total"] == 120
    assert body["panels"]["tempaid"]["available"] is False
    assert Plan.objects.count() == 1


def test_the_partners_panel_shows_the_kpis_furthest_from_target():
    from pilot.dashboard import KPI_ROWS, _panel_partners

    kpis = [{"contract": f"合同{n}", "kpi": f"指标{n}", "target": Decimal(100),
             "actual": Decimal(n), "share": Decimal(min(n, 100)) / 100}
            for n in range(1, KPI_ROWS + 1)]
    figures = {"kpi_total": 120, "kpi_below_target": 99, "kpi_furthest": kpis}
    with translation.override("en"):
        panel = _panel_partners(figures)
        tiles = {str(tile.label): tile.value for tile in panel.tiles}
    chart, = panel.charts
    assert [row[0] for row in chart.rows] == [f"指标{n}" for n in range(1, KPI_ROWS + 1)]
    assert [row[1] for row in panel.table_rows] == [f"指标{n}" for n in range(1, KPI_ROWS + 1)]
    assert tiles["KPIs below target"] == "99 / 120"
    assert panel.more_url_name == "partners:figures"
    for language in ("zh-hans", "zh-hant"):
        with translation.override(language):
            assert "10" in str(_panel_partners(figures).charts[0].description)


def test_ongoing_tasks_are_on_the_timeline_and_shares_read_in_per_cent(client_for, fake_metrics):
    """Tasks 13-16 (长期推进) have no deadline: each has its line on the timeline. The
    activation rate by district shows as 96%, with its per-cent sign."""
    import re

    from pilot.models import Task

    plan = factories.plan_2021()
    ongoing = list(Task.objects.filter(plan=plan, is_ongoing=True).order_by("number")
                   .values_list("number", flat=True))
    assert ongoing == [13, 14, 15, 16]
    html = client_for("leader").get("/pilot/dashboard/").content.decode()
    timeline = html[html.index('class="chart chart--timeline"'):]
    for number in ongoing:
        assert re.search(rf">{number}\. 长期推进<", timeline), number
    assert ">96%<" in html  # the bar of Xiangzhou, in the chart and its data table
