"""The year-end beat job reports on the plan whose summary stage is that December, once."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

import pilot_factories as factories
from pilot.models import PilotReport, ReportStatus
from pilot.tasks import year_end_report

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _plan():
    factories.plan_2021()


def _beat_on(year: int) -> str:
    with time_machine.travel(datetime(year, 12, 31, 18, 0, tzinfo=SHANGHAI), tick=False):
        return year_end_report()


def test_december_of_the_summary_stage_reports_that_plan_once():
    assert _beat_on(2022) == ReportStatus.DONE
    report = PilotReport.objects.get()
    assert report.plan.year == 2021 and report.requested_by is None
    assert (report.period_start.isoformat(), report.period_end.isoformat()) == (
        "2021-12-01", "2022-12-31")
    assert _beat_on(2022) == ReportStatus.DONE  # a second run (retry, two beat workers)
    assert PilotReport.objects.count() == 1


@pytest.mark.parametrize("year", [2021, 2023, 2030])
def test_no_report_in_a_december_no_plan_sums_up(year):
    """December 2021 is the 2021 plan's first stage, not its summary; after 2022 nothing."""
    assert _beat_on(year) == "no plan"
    assert not PilotReport.objects.exists()
