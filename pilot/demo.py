"""Pilot demo data: the 2021 plan (loaded by migration) linked to the demo agencies, progress
reports for most tasks in varied states (done, overdue, blocked, at risk, on track), reviews,
two pieces of evidence, the city bureau's problems and next steps, and the year-end pilot
report (PDF). Idempotent."""
from __future__ import annotations

from datetime import date

from devtools.demo_files import demo_pdf, demo_photo

from .models import PilotReport, ProgressReport, ProgressStatus
from .services import (pilot_report_year_end, plan_2021_ensure, plan_link_agencies,
                       progress_report_review, progress_report_submit)

DONE, PROGRESS, BLOCKED = ProgressStatus.DONE, ProgressStatus.IN_PROGRESS, ProgressStatus.BLOCKED

# task number, demo user, date, status, percent, narrative, review ("accept", "return", None)
REPORTS = [
    (1, "city", date(2021, 12, 10), DONE, 100,
     "2021年12月10日召开珠澳社会救助改革创新试点工作动员会，三地相关部门参会。", "accept"),
    (2, "district", date(2021, 12, 20), PROGRESS, 60,
     "香洲区通过社区公告栏、公众号宣传试点工作。", "accept"),
    (2, "city", date(2021, 12, 28), DONE, 100,
     "市级通过政府网站、微信公众号及社区宣传多渠道宣传试点工作。", "accept"),
    (3, "city", date(2022, 2, 15), DONE, 100,
     "建立珠澳社会救助协作联席会议机制，成立协作工作领导小组并召开首次会议。", "accept"),
    (4, "city", date(2022, 2, 22), DONE, 100, "印发联络员名单，明确主备联络员。", "accept"),
    (5, "district", date(2022, 6, 10), PROGRESS, 80, "香洲区配合建立定期通报机制。", None),
    (5, "city", date(2022, 6, 25), DONE, 100, "定期通报与紧急通报机制已运行。", "accept"),
    (6, "city", date(2022, 7, 20), PROGRESS, 85,
     "信息协查授权书模板已定稿，协查流程在试运行。", "accept"),
    (7, "district", date(2022, 5, 28), DONE, 100, "完成在珠澳门救助对象底数摸排。", "accept"),
    (8, "finwork", date(2022, 6, 20), DONE, 100, "与合作银行商定经济援助金跨境汇兑方案。",
     "accept"),
    (8, "city", date(2022, 6, 22), DONE, 100, "市民政局与市金融工作局确定汇兑方案并报澳门社会工作局。",
     "accept"),
    (9, "finwork", date(2022, 6, 28), PROGRESS, 70, "上门开卡激活服务已覆盖七成对象。", None),
    (10, "finwork", date(2022, 7, 25), DONE, 100, "各合作网点均已设置优先办理通道。", "accept"),
    (10, "city", date(2022, 7, 26), DONE, 100, "市民政局核实各网点优先办理通道设置情况。",
     "accept"),
    (11, "finance", date(2022, 3, 20), DONE, 100, "市财政局落实临时救助资金保障。", "accept"),
    (11, "city", date(2022, 3, 25), DONE, 100, "修订临时救助办法，覆盖澳门居民和合作区居民。",
     "accept"),
    (12, "finance", date(2022, 6, 15), BLOCKED, 40, "专项基金设立方案待市政府审定。", None),
    (13, "city", date(2022, 12, 15), PROGRESS, 75, "引导12家社会组织参与珠澳社会救助。",
     "accept"),
    (14, "city", date(2022, 10, 10), PROGRESS, 50, "梳理澳门社工在珠执业备案流程。", "return"),
    (15, "ngo", date(2022, 12, 5), PROGRESS, 70, "街总广东办事处开展困难澳门居民探访。", None),
    (16, "finance", date(2022, 12, 10), PROGRESS, 60, "政府购买服务项目完成招标。", "accept"),
    (17, "city", date(2022, 12, 20), PROGRESS, 60, "各区反馈试点情况，试点工作报告起草中。",
     None),
]

PROBLEMS = ("一是跨境信息协查涉及两地法律制度差异，授权书核验耗时较长；"
            "二是专项基金设立审批流程较长；三是部分澳门救助对象居住分散，上门开卡服务成本较高。")
NEXT_STEPS = ("一是推动信息协查电子化，缩短协查周期；二是加快专项基金设立；"
              "三是扩大政府购买服务范围，引入更多澳门社会服务机构。")


def seed(base) -> None:
    plan = plan_2021_ensure()
    plan_link_agencies()
    if ProgressReport.objects.filter(task__plan=plan).exists():
        return
    users = base["users"]
    tasks = {task.number: task for task in plan.tasks.all()}
    for number, username, day, status, percent, narrative, review in REPORTS:
        report = progress_report_submit(actor=users[username], task=tasks[number],
                                        reported_on=day, status=status, percent=percent,
                                        narrative=narrative,
                                        files=_evidence(number, username, day))
        if review == "accept":
            progress_report_review(actor=users["city"], report=report, accept=True)
        elif review == "return":
            progress_report_review(actor=users["city"], report=report, accept=False,
                                   comment="请补充执业备案的具体进展和佐证材料。")
    if not plan.problems:
        plan.problems, plan.next_steps = PROBLEMS, NEXT_STEPS
        plan.save(update_fields=["problems", "next_steps", "updated_at"])
    if not PilotReport.objects.filter(plan=plan).exists():
        # the report the beat produces at the end of the plan's year (rendered here, in process)
        pilot_report_year_end(today=plan.ends_on)


def _evidence(number, username, day):
    """Evidence attached by the reporting unit: the mobilisation meeting's notice, a photo of
    the district's publicity."""
    if (number, username) == (1, "city"):
        return [demo_pdf("动员会通知.pdf", "关于召开珠澳社会救助改革创新试点工作动员会的通知", [
            f"时间：{day:%Y年%m月%d日} 上午9时30分", "地点：珠海市民政局三楼会议室",
            "参会单位：市民政局、市财政局、市金融工作局、各区民政局，",
            "澳门特别行政区政府社会工作局、横琴粤澳深度合作区民生事务局。",
            "珠海市民政局"])]
    if (number, username) == (2, "district"):
        return [demo_photo("社区公告栏宣传.jpg")]
    return []
