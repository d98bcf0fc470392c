"""Check and confirm in the browser (issue 26): the checker of a payment batch sees the count,
the MOP and CNY totals, the rate and its date, and who was added or dropped since last month's
batch, confirms, and lands on a confirmation page; a district reviewer approving relief sees
the amount, the applicant and the fund's balance after, confirms, and lands on a confirmation
page. axe finds nothing on either page."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from tests.e2e.e2e_harness import AXE_JS, AXE_OPTIONS, AXE_PATH, require_axe

HERE = Path(__file__).resolve().parent.parent
for folder in ("remittance", "tempaid"):
    if str(HERE / folder) not in sys.path:
        sys.path.insert(0, str(HERE / folder))


def _go(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _click(page, selector):
    page.click(selector)
    page.wait_for_load_state("networkidle")


def _axe(page):
    violations = page.evaluate(AXE_JS, AXE_OPTIONS)
    assert violations == [], [(v["id"], v["impact"]) for v in violations]


def test_batch_check_page_then_confirmation(page, live_server, login, users, agencies):
    from remittance_factories import activated, row

    from remittance import services
    from remittance.demo import second_city_officer
    from remittance.models import Batch, BatchStatus, Recipient

    require_axe()
    page.context.add_init_script(path=str(AXE_PATH))
    checker = second_city_officer(agencies)
    activated(users["finwork"], [row(1), row(2)])
    july = services.batch_prepare(actor=users["city"], period=date(2022, 7, 1), rate="0.87",
                                  rate_date=date(2022, 6, 30), rate_source="中国银行牌价")
    services.batch_approve(actor=checker, batch=july)
    services.recipient_set_status(actor=users["finwork"], status="suspended", note="",
                                  recipient=Recipient.objects.get(ias_case_no="IAS-00002"))
    activated(users["finwork"], [row(3)])
    august = services.batch_prepare(actor=users["city"], period=date(2022, 8, 1),
                                    rate="0.873215", rate_date=date(2022, 7, 29),
                                    rate_source="中国银行牌价")

    login(page, "city_b")
    _go(page, f"{live_server.url}/remittance/batches/{august.pk}/")
    _click(page, "#approve-batch")
    assert page.url.endswith(f"/remittance/batches/{august.pk}/check/")
    assert page.locator("[data-check=count]").inner_text() == "2"
    assert page.locator("[data-check=total-mop]").inner_text() == "MOP 6,901.00"
    assert page.locator("[data-check=total-cny]").inner_text() == f"¥{august.total_cny:,.2f}"
    assert page.locator("[data-check=rate]").inner_text() == "0.873215"
    assert page.locator("[data-check=rate-date]").inner_text() == "2022年7月29日"
    assert page.locator("[data-check=added]").inner_text() == "新增 1 人"
    assert page.locator("[data-check=dropped]").inner_text() == "减少 1 人"
    assert "IAS-00003" in page.locator("[data-changes=added]").inner_text()
    assert "陈3号" in page.locator("[data-changes=added]").inner_text()
    assert "IAS-00002" in page.locator("[data-changes=dropped]").inner_text()
    _axe(page)
    # looking is not approving
    assert Batch.objects.get(pk=august.pk).status == BatchStatus.PREPARED

    _click(page, "#confirm-batch")
    assert page.url.endswith(f"/remittance/batches/{august.pk}/approved/")
    assert page.locator("[data-confirmation] h1").inner_text() == "批次已复核通过"
    assert "接下来" in page.locator("main").inner_text()
    _axe(page)
    august.refresh_from_db()
    assert august.status == BatchStatus.APPROVED and august.approved_by == checker


def test_relief_approval_check_then_confirmation(page, live_server, login, users, agencies):
    import tempaid_factories as factories

    from tempaid.models import Application, Status

    require_axe()
    page.context.add_init_script(path=str(AXE_PATH))
    factories.policy(users["city"])
    fund = factories.fund(users["finance"], amount="100000")
    factories.second_district_officer(agencies)
    case = factories.case(users["district"])
    application = factories.application(users["district"], case, amount="2,400")

    login(page, "district_b")
    _go(page, f"{live_server.url}/tempaid/{application.pk}/")
    assert page.locator("main textarea").count() == 0  # no wall of open forms
    _click(page, "a[data-action=approve]")
    page.fill("#id_approve_amount", "2,000")
    page.fill("#id_approve_note", "核实无误")
    _click(page, "button[value=approve]")
    assert page.locator("[data-check=amount]").inner_text() == "¥2,000.00"
    assert case.number in page.locator("[data-check=person]").inner_text()
    assert page.locator("[data-check=available-now]").inner_text() == "¥100,000.00"
    assert page.locator("[data-check=available-after]").inner_text() == "¥98,000.00"
    _axe(page)
    assert Application.objects.get(pk=application.pk).status == Status.DISTRICT_REVIEW

    _click(page, "#confirm-approval")
    assert page.url.endswith(f"/tempaid/{application.pk}/approve/done/")
    assert page.locator("[data-confirmation=amount]").inner_text() == "¥2,000.00"
    _axe(page)
    application.refresh_from_db()
    fund.refresh_from_db()
    assert application.status == Status.APPROVED and application.amount_approved == 2000
    assert fund.available == 98000


def test_minutes_check_page_then_confirmation(page, live_server, login, users, agencies):
    from datetime import timedelta

    from django.utils import timezone

    from cases.models import Meeting, MeetingStatus, MinutesStatus
    from cases.secretariat import services

    require_axe()
    page.context.add_init_script(path=str(AXE_PATH))
    meeting = services.meeting_create(
        actor=users["city"], title="珠澳联席会议", kind="joint_conference",
        starts_at=timezone.now() - timedelta(hours=2), place="三楼会议室",
        invited_agencies=[agencies["mo-ias"]], invited_people=[users["macau"]])
    services.meeting_status_change(actor=users["city"], meeting=meeting,
                                   status=MeetingStatus.HELD)
    services.minutes_save(actor=users["city"], meeting=meeting, text="会议议定事项如下。")

    login(page, "city")
    _go(page, f"{live_server.url}/cases/meetings/{meeting.pk}/")
    for step, button in (("circulate", "#circulate-minutes"), ("approve", "#approve-minutes")):
        _click(page, button)
        assert page.url.endswith(f"/cases/meetings/{meeting.pk}/{step}/")
        assert "会议议定事项如下。" in page.locator("[data-check=minutes]").inner_text()
        _axe(page)
        _click(page, "#confirm-minutes")
        assert page.url.endswith(f"/cases/meetings/{meeting.pk}/minutes/{step}/done/")
        _axe(page)
        _go(page, f"{live_server.url}/cases/meetings/{meeting.pk}/")
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == MinutesStatus.APPROVED
