"""Demo data: the policy, the special fund for Macau residents with two allocations, the ordinary
temporary-relief budget that pays Cooperation Zone residents with one, and applications in every
state (three with a scanned document), made through the services so numbers, ledgers and audit
trail are real. Idempotent."""
from __future__ import annotations

from datetime import date

from cases.models import Case
from cases.services import case_open, person_find_by_document, person_register
from core.roles import Role
from devtools.demo import ensure_user
from devtools.demo_files import demo_pdf, demo_photo

from . import services
from .models import Application, EmergencyKind, Fund, FundKind, PolicyVersion

DEMO_FUND = "tempaid-special"
DEMO_BUDGET = "tempaid-ordinary"

#: (applicant name, Macau ID, residence, kind, amount, target state, fast track)
APPLICANTS = [
    ("何嘉欣", "1020304(5)", "macau_resident", EmergencyKind.ILLNESS, "800", "draft", False),
    ("黄志强", "1030405(6)", "macau_resident", EmergencyKind.ACCIDENT, "1500", "submitted", False),
    ("陈美玲", "5040506(7)", "hengqin_resident", EmergencyKind.DISASTER, "2600", "district_review",
     False),
    ("林国华", "5050607(8)", "macau_resident", EmergencyKind.BEREAVEMENT, "4500", "city_review",
     False),
    ("吴丽珍", "7060708(9)", "macau_resident", EmergencyKind.ILLNESS, "9000", "key_case", False),
    ("郭伟明", "1070809(1)", "macau_resident", EmergencyKind.STRANDED, "1200", "approved", False),
    ("梁淑仪", "1080910(2)", "hengqin_resident", EmergencyKind.ILLNESS, "2000", "paid", False),
    ("冯家豪", "1091011(3)", "macau_resident", EmergencyKind.ACCIDENT, "1800", "closed", False),
    ("罗少芬", "5101112(4)", "macau_resident", EmergencyKind.OTHER, "3200", "rejected", False),
    ("邓子健", "5111213(5)", "macau_resident", EmergencyKind.ILLNESS, "900", "withdrawn", False),
    ("谢玉莲", "7121314(6)", "macau_resident", EmergencyKind.STRANDED, "1000", "fast_track", True),
]


def seed(base) -> None:
    users, agencies = base["users"], base["agencies"]
    district, city, finance = users["district"], users["city"], users["finance"]
    reviewer = ensure_user("district_b", agencies["zh-xiangzhou"], Role.DISTRICT, "香洲区 赵专员")
    if not PolicyVersion.objects.exists():
        services.policy_version_create(
            actor=city, effective_from=date(2021, 12, 1), standard_amount="1000",
            note="珠海市临时救助标准（演示）：区级3倍、市级6倍、先行救助1倍")
    fund = Fund.objects.filter(code=DEMO_FUND).first()
    if fund is None:
        fund = services.fund_create(actor=finance, code=DEMO_FUND, name="澳门居民临时救助专项基金",
                                    low_balance_threshold="20000")
        services.fund_allocate(actor=finance, fund=fund, amount="200000",
                               allocated_on=date(2022, 6, 15), document_reference="珠财〔2022〕56号")
        services.fund_allocate(actor=finance, fund=fund, amount="100000",
                               allocated_on=date(2023, 1, 10), document_reference="珠财〔2023〕8号")
    if not Fund.objects.filter(kind=FundKind.ORDINARY).exists():
        budget = services.fund_create(actor=finance, code=DEMO_BUDGET, kind=FundKind.ORDINARY,
                                      name="临时救助资金（合作区居民）", low_balance_threshold="10000")
        services.fund_allocate(actor=finance, fund=budget, amount="80000",
                               allocated_on=date(2022, 3, 20), document_reference="珠财〔2022〕21号")
    if Application.objects.exists():
        return

    for name, number, residence, kind, amount, target, fast in APPLICANTS:
        person = person_find_by_document(document_type="macau_id", number=number)
        if person is None:
            person = person_register(actor=district, name_zh=name, sex="female",
                                     date_of_birth=date(1970, 1, 1), residence_status=residence,
                                     document_type="macau_id", document_number=number,
                                     address="珠海市香洲区拱北（演示）")
        case = Case.objects.filter(subject=person, district="xiangzhou").first() or case_open(
            actor=district, subject=person, category="temporary_relief",
            summary="临时救助（演示）")
        application = services.application_create(
            actor=district, case=case, kind=kind, amount_requested=amount, is_fast_track=fast,
            description="在珠海突发困难，申请临时救助（演示）",
            household_situation="与配偶同住，无固定收入（演示）")
        for document in _documents(name, kind, amount):
            services.application_document_add(actor=district, application=application,
                                              file=document[0], description=document[1])
        _advance(application, target, district=district, reviewer=reviewer, city=city,
                 finance=finance, agencies=agencies)


def _documents(name, kind, amount):
    """The supporting papers the district officer scanned in for some applicants."""
    if kind == EmergencyKind.ILLNESS and name in ("何嘉欣", "梁淑仪"):
        return [(demo_pdf("诊断证明书.pdf", "珠海市人民医院 诊断证明书", [
            f"姓名：{name}", "诊断：急性阑尾炎，已行手术治疗。", "建议：休息两周，定期复查。",
            f"自付医疗费用约 {amount} 元。", "（演示）"]), "医院诊断证明")]
    if kind == EmergencyKind.DISASTER:
        return [(demo_photo("受灾现场.jpg"), "台风受损住所照片")]
    return []


def _advance(application, target, *, district, reviewer, city, finance, agencies):
    if target == "draft":
        return
    application = services.application_submit(actor=district, application=application)
    if target in ("submitted", "fast_track"):
        return
    if target == "withdrawn":
        services.application_withdraw(actor=district, application=application,
                                      reason="申请人已获亲属资助（演示）")
        return
    application = services.application_review_start(actor=district, application=application)
    if target == "district_review":
        return
    if target == "rejected":
        services.application_reject(actor=reviewer, application=application,
                                    reason="经核查不符合临时救助条件（演示）")
        return
    if application.route in ("city", "key_case"):
        application = services.application_forward(actor=reviewer, application=application,
                                                   note="建议救助（演示）")
        if target in ("city_review", "key_case"):
            if target == "key_case":
                services.application_share(actor=district, application=application,
                                           agency=agencies["mo-ias"], reason="跨境协同研判（演示）")
            return
        application = services.application_approve(actor=city, application=application)
    else:
        application = services.application_approve(actor=reviewer, application=application)
    if target == "approved":
        return
    application = services.application_payment_record(actor=finance, application=application,
                                                      payment_reference="GK-2026-0001（演示）")
    if target == "paid":
        return
    services.application_close(actor=district, application=application)
