"""The 2021 plan as data: 珠民〔2021〕156号, its three stages (三、工作步骤) and the 17 rows of the
annexed table (附件：珠澳社会救助改革创新试点工作任务分工表).

Each row was reconstructed from the PDF text of the seed (/work/shared/seed/…txt, lines 229–405):
cells that span several rows in the PDF (工作内容 for rows 1–2, 3–4, 5–6, 7–10, 11–12, 13–16; the
lead unit of rows 1–2, 3–4, 5–6 and 7–10; the cooperating unit of rows 1–2 and 5–6; the deadline
of rows 1–2) are repeated on every row they cover. Unit names are kept exactly as the seed writes
them (several units in one cell are separated by "、"); an empty string means the cell is empty.
Deadlines are (year, month) or None for 长期推进 (ongoing). Text is as printed, including the
half-width comma in row 16. ``tests/pilot/test_plan_2021.py`` checks every row against the seed.

Rows 8–10 are led by 市民政局 (its cell spans rows 7–10) with 市金融工作局 cooperating, as 二（三）
says ("牵头单位：市民政局，配合单位：市金融工作局"); ``0005_plan_2021_remittance_units`` corrects
databases loaded before this was read right.

This module is read by the data migration ``0002_plan_2021``: never change a row here without a
new migration that changes the database the same way.
"""

PLAN = {
    "year": 2021,
    "title": "珠澳社会救助改革创新试点工作方案",
    "document_number": "珠民〔2021〕156号",
    "issued_on": (2021, 11, 18),
    "issuers": "珠海市民政局 珠海市财政局 珠海市金融工作局",
    "starts": (2021, 12),
    "ends": (2022, 12),
}

# order, name, first month, last month, description (三、工作步骤)
STAGES = [
    (1, "宣传动员阶段", (2021, 12), (2021, 12),
     "试点工作为期一年，及时召开珠澳社会救助改革创新试点工作动员会，加大试点工作宣传力度。"),
    (2, "组织实施阶段", (2021, 12), (2022, 11),
     "按照珠澳社会救助改革创新试点工作要求，明确目标和任务，稳步扎实推进工作开展，确保试点工作取得成效。"),
    (3, "完善总结阶段", (2022, 12), (2022, 12),
     "各区（功能区）民政部门要对试点进展情况进行跟踪管理，对试点期间政策执行情况和实施效果进行反馈，"
     "市民政局对试点工作进行全面总结，形成试点工作报告。"),
]

DISTRICTS = "各区（功能区）民政部门"
NGOS = "澳门街坊会联合总会广东办事处、澳门工会联合总会广东办事处"

# 序号, 工作内容, 工作要点, 牵头单位, 配合单位, 完成时限 (year, month) or None = 长期推进,
# stage order, the workstream app whose figures measure the task
TASKS = [
    (1, "部署宣传动员工作", "召开珠澳社会救助改革创新试点工作动员会。",
     "市民政局", DISTRICTS, (2021, 12), 1, "pilot"),
    (2, "部署宣传动员工作", "多渠道宣传试点工作。",
     "市民政局", DISTRICTS, (2021, 12), 1, "pilot"),
    (3, "搭建工作协作平台", "建立珠澳社会救助协作联席会议机制，成立珠澳社会救助协作工作领导小组。",
     "市民政局", "", (2022, 2), 2, "cases"),
    (4, "搭建工作协作平台", "建立联络员制度。",
     "市民政局", "", (2022, 2), 2, "cases"),
    (5, "建立信息共享机制", "建立珠海、澳门、合作区社会救助信息通报机制。",
     "市民政局", DISTRICTS, (2022, 6), 2, "infosharing"),
    (6, "建立信息共享机制", "建立珠海、澳门、合作区社会救助信息协查机制。",
     "市民政局", DISTRICTS, (2022, 7), 2, "infosharing"),
    (7, "优化跨境汇兑流程", "摸排在珠澳门救助对象底数。",
     "市民政局", DISTRICTS, (2022, 5), 2, "remittance"),
    (8, "优化跨境汇兑流程", "商定澳门经济援助金跨境汇兑方案。",
     "市民政局", "市金融工作局", (2022, 6), 2, "remittance"),
    (9, "优化跨境汇兑流程", "为在珠澳门救助对象提供上门办理开卡及激活业务等服务。",
     "市民政局", "市金融工作局", (2022, 6), 2, "remittance"),
    (10, "优化跨境汇兑流程", "设置澳门救助对象业务优先办理通道。",
     "市民政局", "市金融工作局", (2022, 7), 2, "remittance"),
    (11, "畅通社会救助渠道", "完善珠海临时救助政策。",
     "市民政局", "市财政局", (2022, 3), 2, "tempaid"),
    (12, "畅通社会救助渠道", "推动在珠海市困难群众帮扶基金中设立专项基金。",
     "市民政局", "市财政局", (2022, 6), 2, "tempaid"),
    (13, "拓展社会救助服务",
     "大力引导公益慈善组织、社会工作服务机构、志愿者队伍等社会力量参与珠澳社会救助。",
     "市民政局", "", None, 2, "partners"),
    (14, "拓展社会救助服务", "为澳门社工在珠海执业创造便利条件。",
     "市民政局", "", None, 2, "partners"),
    (15, "拓展社会救助服务",
     "充分发挥澳门街坊会联合总会广东办事处、澳门工会联合总会广东办事处等非政府组织代表机构的优势和作用。",
     "市民政局", NGOS, None, 2, "partners"),
    (16, "拓展社会救助服务",
     "将澳门社会服务理念和标准引入珠海，探索通过政府购买服务的方式,"
     "为在珠海工作、学习和生活的澳门居民提供更便捷、更贴心的服务。",
     "市民政局", "市财政局", None, 2, "partners"),
    (17, "总结完善试点工作",
     "各区（功能区）民政部门要对试点进展情况进行跟踪管理，对试点期间政策执行情况和实施效果进行反馈，"
     "市民政局对试点工作进行全面总结，形成试点工作报告。",
     "市民政局", DISTRICTS, (2022, 12), 3, "pilot"),
]
