"""Demo data for partners: the two Macau NGO offices named in the seed (linked to the demo NGO
agencies and their staff accounts `ngo` and `ngo2`), three mainland organisations, social workers
(some from Macau, one whose registration expires soon, one expired), an active contract with KPIs
and milestones, referrals, service records and an approved evaluation. Idempotent."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.cn import uscc

from cases.demo import liaison_people
from cases.models import CaseCategory, ResidenceStatus, Sex
from cases.services import case_open, person_find_by_document, person_register
from core.models import District, SpreadsheetImport, SpreadsheetImportKind

from . import services
from .models import (
    Contract,
    KpiMeasure,
    Organisation,
    OrganisationKind,
    QualificationLevel,
    Referral,
    RegistrationPlace,
    ServiceType,
    SocialWorker,
)


def _uscc(base17: str) -> str:
    return base17 + uscc.calc_check_digit(base17 + "0")


ORGANISATIONS = [
    # name, English, kind, registered in, number, agency code, districts, services
    ("澳门街坊会联合总会广东办事处", "Guangdong Office of the Macao Federation of Kaifong Associations",
     OrganisationKind.MACAU_NGO_OFFICE, RegistrationPlace.MACAU, "DSI-1234", "ngo-kaifong",
     [District.XIANGZHOU, District.JINWAN], "长者关怀、家庭支援、社区融入、个案辅导"),
    ("澳门工会联合总会广东办事处", "Guangdong Office of the Macao Federation of Trade Unions",
     OrganisationKind.MACAU_NGO_OFFICE, RegistrationPlace.MACAU, "DSI-0567", "ngo-faom",
     [District.XIANGZHOU, District.DOUMEN], "就业辅导、职工权益咨询、困难职工帮扶"),
    ("珠海市香洲区启明社会工作服务中心", "Qiming Social Work Service Centre, Xiangzhou",
     OrganisationKind.SOCIAL_WORK_AGENCY, RegistrationPlace.MAINLAND,
     _uscc("52440402MJL176120"), None, [District.XIANGZHOU], "个案管理、心理疏导、资源链接"),
    ("珠海市慈善总会", "Zhuhai Charity Federation", OrganisationKind.CHARITY,
     RegistrationPlace.MAINLAND, _uscc("53440400MJL264310"), None,
     [code for code, _label in District.choices], "慈善救助、物资援助"),
    ("斗门区青年志愿者协会", "Doumen Youth Volunteers Association", OrganisationKind.VOLUNTEER_TEAM,
     RegistrationPlace.MAINLAND, _uscc("51440403MJL305520"), None, [District.DOUMEN],
     "探访陪伴、节日慰问"),
]


def seed(base) -> None:
    users, agencies = base["users"], base["agencies"]
    city, finance, district, ngo = (users["city"], users["finance"], users["district"],
                                    users["ngo"])
    organisations = {}
    for name, name_en, kind, place, number, agency_code, districts, offered in ORGANISATIONS:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            organisation = services.organisation_create(
                actor=city, name=name, name_en=name_en, kind=kind, registered_in=place,
                uscc=number if place == RegistrationPlace.MAINLAND else "",
                macau_registration_number=number if place == RegistrationPlace.MACAU else "",
                agency=agencies[agency_code] if agency_code else None,
                contact_person="联络主任", contact_phone="0756-2000000",
                contact_email="", address="珠海市香洲区", services_offered=offered,
                districts_served=list(districts), status="active")
        organisations[agency_code or name] = organisation
    kaifong, faom = organisations["ngo-kaifong"], organisations["ngo-faom"]

    today = timezone.localdate()
    workers = {}
    for name, organisation, is_macau, valid_until, qualification in (
        ("梁嘉欣", kaifong, True, today + timedelta(days=400), QualificationLevel.SOCIAL_WORKER),
        ("陈浩然", kaifong, True, today + timedelta(days=30), QualificationLevel.ASSISTANT),
        ("黄美玲", kaifong, False, today + timedelta(days=700), QualificationLevel.SENIOR),
        ("何志强", kaifong, True, today - timedelta(days=10), QualificationLevel.ASSISTANT),
        ("罗家豪", faom, True, today + timedelta(days=500), QualificationLevel.SOCIAL_WORKER),
        ("周小燕", faom, False, today + timedelta(days=300), QualificationLevel.ASSISTANT),
        ("林晓东", organisations["珠海市香洲区启明社会工作服务中心"], False,
         today + timedelta(days=200), QualificationLevel.SOCIAL_WORKER),
    ):
        worker = SocialWorker.objects.filter(name=name, organisation=organisation).first()
        if worker is None:
            worker = services.social_worker_create(
                actor=city, organisation=organisation, name=name, phone="",
                is_macau_social_worker=is_macau,
                macau_registration_number=f"TS-{len(workers) + 101:04d}" if is_macau else "",
                macau_registration_valid_until=(valid_until + timedelta(days=365)
                                                if is_macau else None),
                qualification_level=qualification,
                practice_registration_number=f"ZHSG-{today.year}-{len(workers) + 1:03d}",
                practice_valid_from=today - timedelta(days=365), practice_valid_until=valid_until,
                supervisor=None, is_active=True)
        workers[name] = worker

    title = "澳门居民社区关怀服务项目（街总广东办）"
    contract = Contract.objects.filter(title=title).first()
    if contract is None:
        start, end = today - timedelta(days=180), today + timedelta(days=185)
        contract = services.contract_create(
            actor=city, title=title, provider=kaifong, budget="480000.00", period_start=start,
            period_end=end, service_scope="为在珠海生活的澳门长者及困难家庭提供探访、辅导和资源链接服务。")
        services.contract_kpi_add(actor=city, contract=contract, name="服务时数",
                                  measure=KpiMeasure.SERVICE_HOURS, target="600")
        services.contract_kpi_add(actor=city, contract=contract, name="家访次数",
                                  measure=KpiMeasure.SERVICE_SESSIONS, target="120",
                                  service_type=ServiceType.HOME_VISIT)
        services.contract_kpi_add(actor=city, contract=contract, name="服务人数",
                                  measure=KpiMeasure.PEOPLE_SERVED, target="40")
        services.contract_kpi_add(actor=city, contract=contract, name="接收转介",
                                  measure=KpiMeasure.REFERRALS_ACCEPTED, target="30")
        first = services.milestone_add(actor=city, contract=contract, title="上半年度",
                                       period_start=start, period_end=today - timedelta(days=1),
                                       amount="240000.00")
        services.milestone_add(actor=city, contract=contract, title="下半年度", period_start=today,
                               period_end=end, amount="240000.00")
        services.contract_finance_check(actor=finance, contract=contract)
        services.contract_approve(actor=city, contract=contract)
        contract = services.contract_activate(actor=city, contract=contract)
        _referrals_and_services(city=city, district=district, ngo=ngo, contract=contract,
                                workers=workers, today=today)
        evaluation = services.evaluation_create(
            actor=city, contract=contract, period_start=start, period_end=today - timedelta(days=1),
            score="86", remarks="上半年度服务按计划推进，家访次数略低于进度。", milestone=first)
        services.evaluation_approve(actor=city, evaluation=evaluation)

    if contract.status == "active":
        _inbound_referral(users=base["users"], ngo=ngo, contract=contract, today=today)
        _service_record_import(ngo=ngo, contract=contract, today=today)

    draft_title = "澳门职工就业辅导服务项目（工联广东办）"
    if not Contract.objects.filter(title=draft_title).exists():
        draft = services.contract_create(
            actor=city, title=draft_title, provider=faom, budget="260000.00",
            period_start=date(today.year, 1, 1), period_end=date(today.year, 12, 31),
            service_scope="为在珠海工作的澳门职工提供就业辅导与权益咨询。")
        services.contract_kpi_add(actor=city, contract=draft, name="就业辅导人次",
                                  measure=KpiMeasure.SERVICE_SESSIONS, target="200")


def _referrals_and_services(*, city, district, ngo, contract, workers, today) -> None:
    people = [
        ("1357924(6)", "区丽华", Sex.FEMALE, date(1948, 3, 12), "13800001111", "香洲区拱北夏湾路 12 号"),
        ("5246813(1)", "冯国强", Sex.MALE, date(1952, 7, 30), "13800002222", "香洲区吉大石花西路 8 号"),
        ("7135792(4)", "谭月英", Sex.FEMALE, date(1940, 11, 2), "13800003333", "香洲区前山翠微东路 5 号"),
    ]
    referrals = []
    for index, (number, name, sex, born, phone, address) in enumerate(people):
        person = person_find_by_document(document_type="macau_id", number=number)
        if person is None:
            person = person_register(
                actor=district, name_zh=name, sex=sex, date_of_birth=born,
                residence_status=ResidenceStatus.MACAU_RESIDENT, document_type="macau_id",
                document_number=number, phone=phone, address=address,
                district=District.XIANGZHOU)
        case = case_open(actor=district, subject=person, category=CaseCategory.OTHER,
                         summary="独居长者，需要定期探访。")
        consent = index < 2
        referral = services.referral_create(
            actor=district, case=case, contract=contract,
            reason="独居澳门长者，行动不便，需要社工定期探访和生活照顾资源链接。",
            needs="每月至少两次家访；协助申请居家养老服务。", consent_given=consent,
            consent_date=today - timedelta(days=100) if consent else None)
        if consent:
            services.referral_send(actor=district, referral=referral)
        referrals.append(referral)
    accepted = Referral.objects.get(pk=referrals[0].pk)
    services.referral_accept(actor=ngo, referral=accepted)
    worker = workers["梁嘉欣"]
    for days_ago, service_type, minutes in ((90, ServiceType.HOME_VISIT, 90),
                                            (60, ServiceType.COUNSELLING, 60),
                                            (20, ServiceType.HOME_VISIT, 120),
                                            (5, ServiceType.RESOURCE_LINKAGE, 45)):
        record = services.service_record_create(
            actor=ngo, contract=contract, worker=worker,
            service_date=today - timedelta(days=days_ago), service_type=service_type,
            duration_minutes=minutes, outcome="长者情绪稳定，居家环境基本安全。",
            follow_up="下月再次家访", referral=accepted)
        # the district approved the older visits; the last two still await its review
        if days_ago > 30:
            services.service_record_approve(actor=district, record=record)
    group = services.service_record_create(
        actor=ngo, contract=contract, worker=workers["黄美玲"],
        service_date=today - timedelta(days=30), service_type=ServiceType.GROUP_ACTIVITY,
        duration_minutes=180, outcome="社区长者茶聚，30 人参加。")
    services.service_record_approve(actor=city, record=group)


def _inbound_referral(*, users, ngo, contract, today) -> None:
    """Macau refers a person it registered (issue 25): no Zhuhai case; sent with her consent
    and accepted by the provider. Added once, also to a database seeded before it existed."""
    if Referral.objects.filter(originating_side="macau").exists():
        return
    person = liaison_people(users)["7300001(1)"]
    referral = services.referral_create(
        actor=users["macau"], person=person, contract=contract,
        reason="獨居澳門長者，已遷居珠海，需要社工上門探訪及協助申請居家養老服務。",
        needs="每月兩次家訪；陪同就醫。", consent_given=True,
        consent_date=today - timedelta(days=3))
    services.referral_send(actor=users["macau"], referral=referral)
    services.referral_accept(actor=ngo, referral=referral)


SERVICE_IMPORT_FILE = "demo_service_records.csv"


def _service_record_import(*, ngo, contract, today) -> None:
    """The provider's service log as a spreadsheet (issue 27), checked and awaiting
    confirmation: two good rows and one for an expired worker, refused by the rules. Added
    once."""
    if SpreadsheetImport.objects.filter(kind=SpreadsheetImportKind.SERVICE_RECORDS,
                                        original_name=SERVICE_IMPORT_FILE).exists():
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["服务日期", "合同编号", "转介编号", "社工", "服务类型", "时长（分钟）", "备注"])
    for days_ago, worker, service_type, minutes, notes in (
            (3, "梁嘉欣", "家访", 60, "探访独居长者，生活正常。"),
            (2, "黄美玲", "小组活动", 120, "长者手工小组，12 人参加。"),
            (1, "何志强", "个案辅导", 45, "")):
        writer.writerow([(today - timedelta(days=days_ago)).isoformat(), contract.number, "",
                         worker, service_type, minutes, notes])
    services.service_record_import_preview(
        actor=ngo, uploaded_file=SimpleUploadedFile(
            SERVICE_IMPORT_FILE, buffer.getvalue().encode("utf-8-sig")))
