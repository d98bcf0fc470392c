"""Demo data for the register and the secretariat: people across the districts (Zhuhai, Macau
and Cooperation Zone residents with valid document numbers), households with income, cases in
every status, shares with Macau and Hengqin, two meetings with agenda, decisions and action
items (one overdue), a pending key-case review, and a home-visit record (PDF) and a photo
attached to the first case, and the recurring monthly liaison meeting. Idempotent: it does
nothing once the first demo person (and the liaison meeting) exists.
Everything goes through the services, so audit and numbering are real."""
from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from core.models import District, SpreadsheetImport, SpreadsheetImportKind
from devtools.demo_files import demo_pdf, demo_photo

from . import services
from .merge import person_merge_propose
from .models import (
    ActionItemStatus,
    AgendaItemKind,
    CaseCategory,
    CaseStatus,
    IncomeKind,
    KeyCaseOutcome,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    Person,
    RecurrenceFrequency,
    Relationship,
    ResidenceStatus,
    RiskLevel,
    Sex,
)
from .secretariat import services as meeting_services

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
MARKER_NAME = "陈大文"

REGION = {District.XIANGZHOU: "440402", District.DOUMEN: "440403", District.JINWAN: "440404",
          District.GAOXIN: "440402", District.GAOLANGANG: "440404", District.WANSHAN: "440402"}
AGENCY_OF = {District.XIANGZHOU: "zh-xiangzhou", District.DOUMEN: "zh-doumen",
             District.JINWAN: "zh-jinwan", District.GAOXIN: "zh-gaoxin",
             District.GAOLANGANG: "zh-gaolangang", District.WANSHAN: "zh-wanshan"}

# name, latin, sex, birth, residence, district
PEOPLE = [
    ("陈大文", "Chan Tai Man", Sex.MALE, date(1958, 3, 14), ResidenceStatus.MACAU_RESIDENT, District.XIANGZHOU),
    ("李美玲", "Lei Mei Leng", Sex.FEMALE, date(1962, 7, 2), ResidenceStatus.MACAU_RESIDENT, District.XIANGZHOU),
    ("黄志强", "Wong Chi Keung", Sex.MALE, date(1949, 11, 30), ResidenceStatus.MACAU_RESIDENT, District.XIANGZHOU),
    ("何玉珍", "Ho Iok Chan", Sex.FEMALE, date(1955, 1, 21), ResidenceStatus.MACAU_RESIDENT, District.DOUMEN),
    ("梁国华", "Leong Kuok Wa", Sex.MALE, date(1960, 9, 9), ResidenceStatus.MACAU_RESIDENT, District.DOUMEN),
    ("欧阳丽", "Ao Ieong Lai", Sex.FEMALE, date(1971, 5, 5), ResidenceStatus.MACAU_RESIDENT, District.JINWAN),
    ("张伟", "", Sex.MALE, date(1980, 2, 18), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.XIANGZHOU),
    ("王芳", "", Sex.FEMALE, date(1983, 6, 27), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.XIANGZHOU),
    ("刘洋", "", Sex.MALE, date(1992, 10, 3), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.XIANGZHOU),
    ("赵静", "", Sex.FEMALE, date(1975, 12, 12), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.XIANGZHOU),
    ("孙磊", "", Sex.MALE, date(1968, 4, 8), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.DOUMEN),
    ("周敏", "", Sex.FEMALE, date(1988, 8, 19), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.DOUMEN),
    ("吴强", "", Sex.MALE, date(1951, 3, 1), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.DOUMEN),
    ("郑秀英", "", Sex.FEMALE, date(1946, 9, 25), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.JINWAN),
    ("冯军", "", Sex.MALE, date(1979, 1, 30), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.JINWAN),
    ("陈桂兰", "", Sex.FEMALE, date(1953, 7, 16), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.GAOXIN),
    ("杨建国", "", Sex.MALE, date(1963, 11, 11), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.GAOXIN),
    ("朱丽娟", "", Sex.FEMALE, date(1990, 5, 22), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.GAOLANGANG),
    ("许海", "", Sex.MALE, date(1985, 3, 3), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.WANSHAN),
    ("谭少芬", "Tam Sio Fan", Sex.FEMALE, date(1966, 2, 2), ResidenceStatus.HENGQIN_RESIDENT, District.XIANGZHOU),
    ("邓家明", "Tang Ka Meng", Sex.MALE, date(1972, 8, 8), ResidenceStatus.HENGQIN_RESIDENT, District.XIANGZHOU),
    ("林淑仪", "Lam Sok I", Sex.FEMALE, date(1959, 4, 17), ResidenceStatus.HENGQIN_RESIDENT, District.DOUMEN),
    ("罗志伟", "Lo Chi Wai", Sex.MALE, date(1977, 12, 1), ResidenceStatus.HENGQIN_RESIDENT, District.JINWAN),
    ("苏惠芳", "Sou Wai Fong", Sex.FEMALE, date(1948, 6, 6), ResidenceStatus.MACAU_RESIDENT, District.XIANGZHOU),
    ("叶振邦", "Ip Chan Pong", Sex.MALE, date(1957, 10, 10), ResidenceStatus.MACAU_RESIDENT, District.GAOXIN),
    ("陈小明", "", Sex.MALE, date(2012, 9, 1), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.XIANGZHOU),
    ("李婷", "", Sex.FEMALE, date(2015, 3, 20), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.XIANGZHOU),
    ("黄秀兰", "", Sex.FEMALE, date(1951, 2, 14), ResidenceStatus.MACAU_RESIDENT, District.XIANGZHOU),
    ("何志成", "", Sex.MALE, date(1984, 7, 7), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.DOUMEN),
    ("梁美华", "Leong Mei Wa", Sex.FEMALE, date(1964, 1, 9), ResidenceStatus.MACAU_RESIDENT, District.DOUMEN),
    ("马永康", "", Sex.MALE, date(1970, 11, 23), ResidenceStatus.OTHER, District.JINWAN),
    ("卢嘉欣", "Lou Ka Ian", Sex.FEMALE, date(1993, 4, 4), ResidenceStatus.HENGQIN_RESIDENT, District.XIANGZHOU),
    ("胡德胜", "", Sex.MALE, date(1945, 12, 24), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.XIANGZHOU),
    ("高雅琴", "Kou Nga Kam", Sex.FEMALE, date(1961, 8, 30), ResidenceStatus.MACAU_RESIDENT, District.JINWAN),
    ("曾文杰", "", Sex.MALE, date(1987, 5, 15), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.GAOLANGANG),
    ("彭丽萍", "", Sex.FEMALE, date(1974, 9, 18), ResidenceStatus.ZHUHAI_HOUSEHOLD, District.WANSHAN),
]


def _mod11(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def document_for(index: int, birth: date, residence: str, district: str) -> tuple[str, str]:
    """A valid document number of the right type for the person's residence status."""
    seq = f"{(index * 7) % 1000:03d}"
    if residence == ResidenceStatus.MACAU_RESIDENT:
        if index % 3 == 2:
            first17 = f"820000{birth:%Y%m%d}{seq}"
            return "residence_permit", first17 + _mod11(first17)
        return "macau_id", f"{'157'[index % 3]}{(index * 104729) % 1000000:06d}({index % 10})"
    if residence == ResidenceStatus.HENGQIN_RESIDENT:
        if index % 2:
            return "travel_permit", f"M{(index * 7919) % 100000000:08d}"
        return "macau_id", f"5{(index * 3571) % 1000000:06d}({(index + 3) % 10})"
    first17 = f"{REGION[district]}{birth:%Y%m%d}{seq}"
    return "mainland_id", first17 + _mod11(first17)


def seed(base) -> None:
    """Texts written into timelines and notifications are in the default language."""
    with translation.override(settings.LANGUAGE_CODE):
        if not Person.objects.filter(name_zh=MARKER_NAME, name_latin="Chan Tai Man").exists():
            _seed(base)
        seed_liaison_series(base)
        people_import(base["users"])


def seed_liaison_series(base) -> None:
    """The monthly liaison meeting (珠澳月度联络会议): the second Tuesday of each month, on the
    calendar for the next three months, with Macau, Hengqin and Xiangzhou invited."""
    title = "珠澳月度联络会议"
    if MeetingSeries.objects.filter(title=title).exists():
        return
    users, agencies = base["users"], base["agencies"]
    meeting_services.meeting_series_create(
        actor=users["city"], title=title, kind=MeetingKind.LIAISON_MEETING,
        frequency=RecurrenceFrequency.MONTHLY_WEEKDAY, weekday=1, week_of_month=2,
        start_time=time(10), duration_minutes=90,
        starts_on=timezone.localdate().replace(day=1), place="横琴口岸联络办公室",
        invited_agencies=[agencies[code] for code in ("mo-ias", "hq-livelihood",
                                                      "zh-xiangzhou")],
        invited_people=[users["macau"], users["hengqin"]])


def _seed(base) -> None:
    users, agencies = base["users"], base["agencies"]
    city, district, district2 = users["city"], users["district"], users["district2"]
    actor_for = {District.XIANGZHOU: district, District.DOUMEN: district2}

    people = []
    for index, (name, latin, sex, birth, residence, where) in enumerate(PEOPLE):
        document_type, number = document_for(index, birth, residence, where)
        actor = actor_for.get(where, city)
        people.append(services.person_register(
            actor=actor, name_zh=name, name_latin=latin, sex=sex, date_of_birth=birth,
            residence_status=residence, document_type=document_type, document_number=number,
            phone=f"+86 138 0756 {1000 + index:04d}", address=f"珠海市{District(where).label}某路{index + 1}号",
            district=where, owner_agency=agencies[AGENCY_OF[where]]))

    # Households: head + members + income.
    def household(head_index, members, income, situation):
        head = people[head_index]
        actor = actor_for.get(head.district, city)
        house = services.household_create(actor=actor, head=head, living_situation=situation)
        for member_index, relationship in members:
            services.household_member_add(actor=actor, household=house,
                                          person=people[member_index], relationship=relationship)
        for member_index, kind, amount, currency in income:
            services.income_item_add(actor=actor, household=house, kind=kind,
                                     monthly_amount=amount, currency=currency,
                                     member=people[member_index] if member_index is not None
                                     else None)
        return house

    households = {
        0: household(0, [(1, Relationship.SPOUSE), (25, Relationship.GRANDCHILD)],
                     [(0, IncomeKind.PENSION, "3740.00", "MOP"), (1, IncomeKind.BENEFITS, "1200.00", "MOP")],
                     "租住旧楼，老人行动不便。"),
        6: household(6, [(7, Relationship.SPOUSE), (26, Relationship.CHILD)],
                     [(6, IncomeKind.WAGES, "2800.00", "CNY")], "一方失业，子女就读小学。"),
        10: household(10, [(11, Relationship.SPOUSE)],
                      [(10, IncomeKind.BUSINESS, "1500.00", "CNY"), (None, IncomeKind.RENT, "300.00", "CNY")],
                      "小本经营，收入不稳定。"),
        3: household(3, [(4, Relationship.SPOUSE)],
                     [(3, IncomeKind.PENSION, "3740.00", "MOP")], "独居长者夫妇。"),
        13: household(13, [], [(None, IncomeKind.BENEFITS, "980.00", "CNY")], "独居，患慢性病。"),
    }

    # Cases: all statuses, all categories, some key cases, some shared.
    plan = [
        (0, CaseCategory.VERIFICATION, RiskLevel.HIGH, CaseStatus.OPEN, "mo-ias"),
        (1, CaseCategory.TEMPORARY_RELIEF, RiskLevel.MEDIUM, CaseStatus.UNDER_REVIEW, "mo-ias"),
        (2, CaseCategory.TEMPORARY_RELIEF, RiskLevel.HIGH, CaseStatus.OPEN, None),
        (3, CaseCategory.VERIFICATION, RiskLevel.MEDIUM, CaseStatus.OPEN, "mo-ias"),
        (4, CaseCategory.OTHER, RiskLevel.LOW, CaseStatus.CLOSED, None),
        (5, CaseCategory.TEMPORARY_RELIEF, RiskLevel.MEDIUM, CaseStatus.OPEN, None),
        (6, CaseCategory.MINIMUM_LIVING, RiskLevel.MEDIUM, CaseStatus.UNDER_REVIEW, None),
        (7, CaseCategory.MINIMUM_LIVING, RiskLevel.LOW, CaseStatus.CLOSED, None),
        (8, CaseCategory.TEMPORARY_RELIEF, RiskLevel.LOW, CaseStatus.OPEN, None),
        (9, CaseCategory.EXTREME_POVERTY, RiskLevel.HIGH, CaseStatus.OPEN, None),
        (10, CaseCategory.MINIMUM_LIVING, RiskLevel.MEDIUM, CaseStatus.OPEN, None),
        (12, CaseCategory.EXTREME_POVERTY, RiskLevel.HIGH, CaseStatus.UNDER_REVIEW, None),
        (13, CaseCategory.EXTREME_POVERTY, RiskLevel.HIGH, CaseStatus.OPEN, None),
        (15, CaseCategory.MINIMUM_LIVING, RiskLevel.LOW, CaseStatus.CLOSED, None),
        (19, CaseCategory.TEMPORARY_RELIEF, RiskLevel.MEDIUM, CaseStatus.OPEN, "hq-livelihood"),
        (20, CaseCategory.VERIFICATION, RiskLevel.LOW, CaseStatus.UNDER_REVIEW, "hq-livelihood"),
        (21, CaseCategory.TEMPORARY_RELIEF, RiskLevel.HIGH, CaseStatus.OPEN, "hq-livelihood"),
        (23, CaseCategory.TEMPORARY_RELIEF, RiskLevel.MEDIUM, CaseStatus.OPEN, "mo-ias"),
        (24, CaseCategory.VERIFICATION, RiskLevel.LOW, CaseStatus.CLOSED, None),
        (27, CaseCategory.TEMPORARY_RELIEF, RiskLevel.HIGH, CaseStatus.OPEN, None),
        (29, CaseCategory.VERIFICATION, RiskLevel.MEDIUM, CaseStatus.OPEN, "mo-ias"),
        (32, CaseCategory.EXTREME_POVERTY, RiskLevel.MEDIUM, CaseStatus.OPEN, None),
        (33, CaseCategory.TEMPORARY_RELIEF, RiskLevel.LOW, CaseStatus.OPEN, None),
    ]
    summaries = {
        CaseCategory.VERIFICATION: "澳门居民在珠海居住，申请救助前需向澳门社会工作局协查家庭经济状况。",
        CaseCategory.TEMPORARY_RELIEF: "突发疾病导致家庭生活困难，申请临时救助。",
        CaseCategory.MINIMUM_LIVING: "家庭人均收入低于当地最低生活保障标准。",
        CaseCategory.EXTREME_POVERTY: "无劳动能力、无生活来源、无法定赡养人。",
        CaseCategory.OTHER: "其他求助事项。",
    }
    cases = {}
    for index, category, risk, status, share_with in plan:
        person = people[index]
        actor = actor_for.get(person.district, city)
        case = services.case_open(
            actor=actor, subject=person, category=category, risk_level=risk,
            household=households.get(index), summary=summaries[category],
            owner_agency=base["agencies"][AGENCY_OF[person.district]])
        services.case_note_add(actor=actor, case=case, text="已入户走访，核实居住情况。")
        if status in (CaseStatus.UNDER_REVIEW, CaseStatus.CLOSED):
            services.case_status_change(actor=actor, case=case, status=CaseStatus.UNDER_REVIEW)
        if status == CaseStatus.CLOSED:
            services.case_status_change(actor=actor, case=case, status=CaseStatus.CLOSED)
        if share_with:
            services.case_share(actor=actor, case=case, agency=agencies[share_with],
                                reason="需对方协助核实在澳（合作区）的家庭经济状况。")
        cases[index] = case
    # The home-visit record and a photo of the flat, uploaded to the first case.
    visit = people[0]
    services.case_attachment_add(
        actor=district, case=cases[0], description="入户走访记录（香洲区民政局）",
        file=demo_pdf("入户走访记录.pdf", "入户走访记录", [
            f"走访对象：{visit.name_zh}（{visit.name_latin}）",
            f"走访日期：{timezone.localdate() - timedelta(days=30):%Y年%m月%d日}",
            f"住址：{visit.address}",
            "居住情况：租住旧楼三楼，无电梯，老人行动不便。",
            "家庭成员：配偶、孙子（就读小学）。",
            "走访人：香洲区民政局 个案专员",
        ]))
    services.case_attachment_add(actor=district, case=cases[0], description="居住环境照片",
                                 file=demo_photo("居住环境.jpg"))
    # A reopened case.
    services.case_status_change(actor=district, case=cases[7], status=CaseStatus.OPEN,
                                reason="申请人补充了新的医疗费用证明。")

    # A key case proposed before any conference is scheduled: it waits in the queue.
    meeting_services.agenda_item_propose_key_case(
        actor=district, case=cases[9], title="重点个案研判：特困人员集中供养安排",
        reason="独居特困人员，需协调集中供养机构。", source="demo")

    now = timezone.now()
    today = timezone.localdate()
    invited = [agencies[code] for code in ("zh-xiangzhou", "zh-doumen", "zh-finance", "mo-ias",
                                           "hq-livelihood")]
    held = meeting_services.meeting_create(
        actor=city, title="珠澳社会救助联席会议（第一次）", kind=MeetingKind.JOINT_CONFERENCE,
        starts_at=now - timedelta(days=40), ends_at=now - timedelta(days=40) + timedelta(hours=2),
        place="珠海市民政局三楼会议室", invited_agencies=invited,
        invited_people=[users["macau"], users["hengqin"], users["district"]])
    general = meeting_services.agenda_item_add(actor=city, meeting=held, title="通报试点工作进展",
                                               reason="各成员单位通报第一阶段工作。")
    review = meeting_services.agenda_item_add(actor=city, meeting=held, title="重点个案研判：澳门居民临时救助",
                                              reason="金额超出区级审批权限。",
                                              kind=AgendaItemKind.KEY_CASE_REVIEW,
                                              cases=[cases[1], cases[2]])
    meeting_services.meeting_status_change(actor=city, meeting=held, status=MeetingStatus.HELD)
    decision_1 = meeting_services.decision_record(actor=city, agenda_item=general,
                                                  text="各单位每月 5 日前报送试点工作进展。")
    decision_2 = meeting_services.decision_record(
        actor=city, agenda_item=review, text="同意按临时救助程序给予救助，由香洲区跟进落实。",
        outcome=KeyCaseOutcome.APPROVED, participants=[city, users["macau"], users["district"]],
        participating_agencies=[agencies["zh-civil-affairs"], *invited])
    overdue = meeting_services.action_item_create(
        actor=city, meeting=held, decision=decision_2, title="落实两宗重点个案的临时救助发放",
        owner_agency=agencies["zh-xiangzhou"], due_date=today - timedelta(days=10))
    meeting_services.action_item_progress(actor=district, action_item=overdue,
                                          text="已完成入户核查，待财政拨付。",
                                          status=ActionItemStatus.IN_PROGRESS)
    done = meeting_services.action_item_create(
        actor=city, meeting=held, decision=decision_1, title="建立月度进展报送表",
        owner_agency=agencies["zh-civil-affairs"], due_date=today - timedelta(days=20))
    meeting_services.action_item_progress(actor=city, action_item=done, text="报送表已印发。",
                                          status=ActionItemStatus.DONE)
    meeting_services.action_item_create(
        actor=city, meeting=held, decision=decision_1, title="反馈澳门居民在珠就医救助数据",
        owner_agency=agencies["mo-ias"], due_date=today + timedelta(days=14))
    meeting_services.minutes_save(actor=city, meeting=held, text=(
        "会议由市民政局主持，各成员单位参加。\n\n"
        "一、通报了试点工作进展。\n二、对两宗澳门居民临时救助个案进行了研判。"))
    meeting_services.minutes_circulate(actor=city, meeting=held)
    meeting_services.minutes_approve(actor=city, meeting=held)

    upcoming = meeting_services.meeting_create(
        actor=city, title="珠澳社会救助联席会议（第二次）", kind=MeetingKind.JOINT_CONFERENCE,
        starts_at=now + timedelta(days=21), place="线上会议",
        online_link="https://meeting.example.org/zhuao-2", invited_agencies=invited,
        invited_people=[users["macau"], users["hengqin"]])
    meeting_services.agenda_item_add(actor=city, meeting=upcoming, title="审议第二阶段工作安排")
    meeting_services.agenda_item_propose_key_case(
        actor=district, case=cases[0], title="重点个案研判：澳门长者跨境协查",
        reason="协查结果显示家庭在澳门有未申报收入，需研判是否继续救助。", source="demo")

    # Two likely duplicates (issue 24): people registered again in traditional characters under
    # another document. One merge is proposed; the other pair waits on the city bureau's list.
    duplicates = []
    for original, name, number in ((2, "黃志強", "5400001(1)"), (6, "張偉", "5400002(2)")):
        person = people[original]
        duplicates.append(services.person_register(
            actor=district, name_zh=name, name_latin=person.name_latin, sex=person.sex,
            date_of_birth=person.date_of_birth, residence_status=person.residence_status,
            document_type="macau_id", document_number=number, phone=person.phone,
            district=person.district, owner_agency=agencies[AGENCY_OF[person.district]]))
    person_merge_propose(actor=district, survivor=people[2], duplicate=duplicates[0],
                         reason="同一长者在香洲两次登记：澳门身份证与内地证件各一次。")

    # Records owned by each side (issue 25): the Macau and Hengqin liaisons register their own
    # residents, seen by their agency only until shared. infosharing.demo asks Zhuhai about them.
    liaison_people(users)


def liaison_people(users) -> dict:
    """The people the liaisons registered, by document number (registered when missing)."""
    people = {}
    for username, name, name_latin, sex, born, residence, document_type, number in LIAISON_PEOPLE:
        people[number] = services.person_find_by_document(
            document_type=document_type, number=number) or services.person_register(
            actor=users[username], name_zh=name, name_latin=name_latin, sex=sex,
            date_of_birth=born, residence_status=residence, document_type=document_type,
            document_number=number, phone="+853 6600 0000" if username == "macau" else "")
    return people


#: People the liaisons registered as their side's records (username, name, Latin name, sex, born,
#: residence, document type, number).
LIAISON_PEOPLE = [
    ("macau", "區美華", "AU, Mei Wa", "female", date(1958, 9, 12), "macau_resident", "macau_id",
     "7300001(1)"),
    ("macau", "羅家豪", "LO, Ka Hou", "male", date(1972, 4, 3), "macau_resident", "macau_id",
     "7300002(2)"),
    ("hengqin", "郑丽芳", "", "female", date(1966, 3, 15), "hengqin_resident", "mainland_id",
     "440402196603150029"),
]


#: A spreadsheet an officer keeps (issue 27), with one row whose household has no head: the
#: demo leaves it checked and awaiting confirmation, so the preview and its error report show.
PEOPLE_IMPORT_FILE = "demo_people_import.csv"


def people_import(users) -> None:
    """The xiangzhou district officer's checked people import. Added once."""
    if SpreadsheetImport.objects.filter(kind=SpreadsheetImportKind.PEOPLE,
                                        original_name=PEOPLE_IMPORT_FILE).exists():
        return
    data = (Path(__file__).parent / "data" / PEOPLE_IMPORT_FILE).read_bytes()
    services.person_import_preview(actor=users["district"],
                                   uploaded_file=SimpleUploadedFile(PEOPLE_IMPORT_FILE, data))
