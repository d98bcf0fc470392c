"""A later year's plan, entered through the services (pages) or imported from XLSX."""
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from pilot.models import Plan, Task
from pilot.services import (parse_deadline, plan_2021_ensure, plan_create,
                            plan_import_tasks_xlsx, stage_create, task_create, task_update)
from core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def xlsx(rows, header=("序号", "工作内容", "工作要点", "牵头单位", "配合单位", "完成时限")):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("plan.xlsx", buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument."
                                           "spreadsheetml.sheet")


@pytest.fixture
def plan_2023(users):
    plan = plan_create(actor=users["city"], year=2023, title="2023年珠澳社会救助深化试点工作方案",
                       starts_on=date(2023, 1, 1), ends_on=date(2023, 12, 31))
    stage_create(actor=users["city"], plan=plan, order=1, name="组织实施阶段",
                 starts_on=date(2023, 1, 1), ends_on=date(2023, 11, 30))
    stage_create(actor=users["city"], plan=plan, order=2, name="完善总结阶段",
                 starts_on=date(2023, 12, 1), ends_on=date(2023, 12, 31))
    return plan


def test_only_the_city_bureau_creates_plans(users):
    for username in ["leader", "district", "finance", "admin"]:
        with pytest.raises(ApplicationError):
            plan_create(actor=users[username], year=2023, title="x", starts_on=date(2023, 1, 1),
                        ends_on=date(2023, 12, 31))
    assert not Plan.objects.filter(year=2023).exists()
    plan_2021_ensure()  # from the data migration, unless a transactional test flushed it
    with pytest.raises(ApplicationError):
        plan_create(actor=users["city"], year=2021, title="dup", starts_on=date(2021, 1, 1),
                    ends_on=date(2021, 12, 31))
    with pytest.raises(ApplicationError):
        plan_create(actor=users["city"], year=2024, title="x", starts_on=date(2024, 5, 1),
                    ends_on=date(2024, 1, 1))


def test_task_by_hand_links_agencies_and_finds_its_stage(users, plan_2023):
    task = task_create(actor=users["city"], plan=plan_2023, number=1, content="信息共享",
                       key_points="信息协查电子化。", lead_units="市民政局",
                       cooperating_units="市财政局、各区（功能区）民政部门、某某局",
                       deadline=date(2023, 6, 15), workstream="infosharing")
    assert task.deadline == date(2023, 6, 1) and task.stage.order == 1
    codes = set(task.units.values_list("agency__code", flat=True))
    assert {"zh-civil-affairs", "zh-finance", "zh-xiangzhou", "zh-doumen"} <= codes
    assert task.cooperating_units == "市财政局、各区（功能区）民政部门、某某局"  # text kept
    task_update(actor=users["city"], task=task, cooperating_units="", is_ongoing=True)
    task.refresh_from_db()
    assert task.deadline is None and set(task.units.values_list("agency__code", flat=True)) \
        == {"zh-civil-affairs"}
    with pytest.raises(ApplicationError):
        task_create(actor=users["city"], plan=plan_2023, number=2, content="x", key_points="y",
                    lead_units="市民政局")  # neither deadline nor ongoing


def test_import_xlsx_with_merged_content_cells(users, plan_2023):
    upload = xlsx([
        (1, "建立信息共享机制", "信息协查电子化。", "市民政局", "各区（功能区）民政部门", "2023年6月"),
        (2, None, "紧急通报演练。", "市民政局", None, "2023 年 12 月"),
        (3, "拓展社会救助服务", "引入澳门社会服务机构。", "市民政局", "市财政局", "长期推进"),
    ])
    created = plan_import_tasks_xlsx(actor=users["city"], plan=plan_2023, uploaded_file=upload)
    assert [(t.number, t.content, t.is_ongoing) for t in created] == [
        (1, "建立信息共享机制", False), (2, "建立信息共享机制", False), (3, "拓展社会救助服务", True)]
    assert Task.objects.get(plan=plan_2023, number=2).stage.order == 2


def test_a_bad_row_refuses_the_whole_file(users, plan_2023):
    upload = xlsx([
        (1, "a", "b。", "市民政局", "", "2023年6月"),
        (2, "a", "c。", "市民政局", "", "明年"),
    ])
    with pytest.raises(ApplicationError) as error:
        plan_import_tasks_xlsx(actor=users["city"], plan=plan_2023, uploaded_file=upload)
    assert "3" in str(error.value)
    assert plan_2023.tasks.count() == 0
    with pytest.raises(ApplicationError):
        plan_import_tasks_xlsx(actor=users["city"], plan=plan_2023,
                               uploaded_file=xlsx([], header=("a", "b")))
    with pytest.raises(ApplicationError):
        plan_import_tasks_xlsx(actor=users["district"], plan=plan_2023,
                               uploaded_file=xlsx([(1, "a", "b", "市民政局", "", "2023年6月")]))
    assert plan_2023.tasks.count() == 0


@pytest.mark.parametrize("cell, expected", [
    ("2022年6月", (date(2022, 6, 1), False)), ("2022 年 12 月", (date(2022, 12, 1), False)),
    ("2022-07", (date(2022, 7, 1), False)), ("长期推进", (None, True)),
    (date(2022, 3, 9), (date(2022, 3, 1), False))])
def test_parse_deadline(cell, expected):
    assert parse_deadline(cell) == expected


@pytest.mark.parametrize("cell", ["明年", "2022年13月", ""])
def test_parse_deadline_refuses(cell):
    with pytest.raises(ValueError):
        parse_deadline(cell)
