"""Bulk data at scale for the pilot plan (``manage.py seed_scale``): the 2021 plan (loaded by
the data migration, reloaded if missing) and monthly progress reports by each task's
responsible units over the plan's months, most reviewed, some returned, the latest pending."""
from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from core.models import District
from devtools.scale import rng

from . import services
from .models import ProgressReport, ProgressStatus, ReviewStatus, TaskUnit

NARRATIVES = ["已召开专题会议部署，按计划推进", "已完成调研摸底，正在起草工作方案",
              "与澳门社工局对接顺畅，资料交换按月进行", "部分事项需跨部门协调，进度略有滞后",
              "已形成阶段性成果，拟提交联席会议审议"]


def _months(start: date, end: date) -> list[date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def generate(base, sizes, stdout) -> None:
    random = rng(51)
    users = base["users"]
    today = timezone.localdate()
    plan = services.plan_2021_ensure()
    services.plan_link_agencies(plan=plan)  # the plan was loaded before the agencies existed
    by_agency = {}
    for user in users.values():
        staff = getattr(user, "staff", None)
        if staff is not None and staff.agency_id not in by_agency and user.username not in (
                "admin", "leader"):
            by_agency[staff.agency_id] = user
    city_user = users["city"]
    city_agency = city_user.staff.agency_id
    units = list(TaskUnit.objects.filter(task__plan=plan).select_related("task")
                 .order_by("task__number", "id"))
    months = _months(plan.starts_on, min(plan.ends_on, today))
    reports = []
    for unit in units:
        reporter = by_agency.get(unit.agency_id)
        agency_id = unit.agency_id if reporter else city_agency
        reporter = reporter or city_user
        district = getattr(reporter.staff.agency, "district", "") or ""
        percent = 0
        for number, month in enumerate(months):
            last = number == len(months) - 1
            percent = min(100, percent + random.randint(3, 15))
            status = (ProgressStatus.DONE if percent == 100 else
                      ProgressStatus.BLOCKED if number % 17 == 16 else ProgressStatus.IN_PROGRESS)
            review = (ReviewStatus.PENDING if last else
                      ReviewStatus.RETURNED if number % 13 == 12 else ReviewStatus.ACCEPTED)
            reported_on = min(today, month + timedelta(days=24))
            reports.append(ProgressReport(
                task=unit.task, agency_id=agency_id,
                district=district if district in District.values and reporter.username.startswith(
                    "district") else "",
                reported_by=reporter, reported_on=reported_on, status=status, percent=percent,
                narrative=NARRATIVES[(number + unit.pk) % len(NARRATIVES)],
                review_status=review,
                reviewed_by=None if review == ReviewStatus.PENDING else city_user,
                reviewed_at=None if review == ReviewStatus.PENDING else timezone.make_aware(
                    timezone.datetime.combine(reported_on + timedelta(days=3),
                                              timezone.datetime.min.time())),
                review_comment="请补充量化数据" if review == ReviewStatus.RETURNED else ""))
            if status == ProgressStatus.DONE:
                break
    ProgressReport.objects.bulk_create(reports, batch_size=5000)
    stdout.write(f"    plan {plan.year}: {len(units)} responsible units, {len(reports)} progress reports")
