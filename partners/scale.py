"""Bulk data at scale for partner organisations (``manage.py seed_scale``): ``organisations``
organisations (mainland ones with valid unified social credit codes, Macau NGO offices — the
two demo NGO agencies among them), their social workers, one or two contracts each with KPIs
and milestones, referrals of cases (sent only with consent) and ``service_records`` service
records by the provider's own workers."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import uscc

from cases.models import Case, Person
from core.models import AgencyKind, District
from devtools.scale import chunks, rng

from .models import (
    Contract, ContractKpi, ContractStatus, KpiMeasure, Milestone, MilestoneStatus, Organisation,
    OrganisationKind, OrganisationStatus, QualificationLevel, Referral, ReferralStatus,
    RegistrationPlace, ServiceRecord, ServiceType, SocialWorker,
)

PLACES = ["香洲", "斗门", "金湾", "拱北", "前山", "井岸", "三灶", "唐家湾", "南屏", "白蕉"]
FIELDS = ["社会工作服务中心", "社工服务社", "慈善会", "志愿者协会", "长者服务中心", "家庭综合服务中心"]
SURNAMES = "陈李黄张梁何林吴郑刘杨周徐朱胡罗谢叶郭马"
GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平"


def uscc_code(serial: int) -> str:
    """The ``serial``-th valid unified social credit code of a social organisation (52…)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    code, value = "", serial
    for _position in range(9):
        code = alphabet[value % 31] + code
        value //= 31
    base17 = f"52440400{code}"
    return base17 + uscc.calc_check_digit(base17 + "0")


def generate(base, sizes, stdout) -> None:
    random = rng(41)
    agencies, users = base["agencies"], base["users"]
    city, finance, district_user = users["city"], users["finance"], users["district"]
    today = timezone.localdate()
    now = timezone.now()
    districts = list(District.values)
    ngo_agencies = [agency for agency in agencies.values() if agency.kind == AgencyKind.NGO]
    purchasers = [agency for agency in agencies.values()
                  if agency.kind in (AgencyKind.CITY_BUREAU, AgencyKind.DISTRICT_BUREAU)]

    organisations = []
    for index in range(sizes.organisations):
        linked = ngo_agencies[index] if index < len(ngo_agencies) else None
        macau = linked is not None or index % 10 == 9
        place = PLACES[index % len(PLACES)]
        organisations.append(Organisation(
            name=(linked.name_zh_hans if linked else
                  f"珠海市{place}{FIELDS[index % len(FIELDS)]}（{index + 1}）"),
            name_en=f"Partner organisation {index + 1}",
            kind=(OrganisationKind.MACAU_NGO_OFFICE if macau else
                  [OrganisationKind.SOCIAL_WORK_AGENCY, OrganisationKind.CHARITY,
                   OrganisationKind.VOLUNTEER_TEAM, OrganisationKind.OTHER][index % 4]),
            registered_in=RegistrationPlace.MACAU if macau else RegistrationPlace.MAINLAND,
            uscc="" if macau else uscc_code(index + 1),
            macau_registration_number=f"DSI-{index + 1:04d}" if macau else "",
            agency=linked, contact_person=random.choice(SURNAMES) + random.choice(GIVEN),
            contact_phone=f"0756-{2000000 + index}", contact_email=f"org{index + 1}@example.org",
            address=f"珠海市{place}路{index + 1}号", services_offered="个案辅导、家庭支援、资源链接",
            districts_served=",".join(sorted({districts[index % len(districts)],
                                              districts[(index + 1) % len(districts)]})),
            status=OrganisationStatus.ACTIVE if index % 15 else OrganisationStatus.SUSPENDED))
    Organisation.objects.bulk_create(organisations, batch_size=1000)

    workers, by_org = [], {}
    for org_index, organisation in enumerate(organisations):
        for number in range(5):
            serial = org_index * 5 + number
            macau = organisation.registered_in == RegistrationPlace.MACAU and number < 3
            valid_from = today - timedelta(days=random.randint(100, 1000))
            worker = SocialWorker(
                organisation=organisation,
                name=random.choice(SURNAMES) + "".join(random.choices(GIVEN, k=2)),
                phone=f"138{serial:08d}", is_macau_social_worker=macau,
                macau_registration_number=f"AS{serial:05d}" if macau else "",
                macau_registration_valid_until=today + timedelta(days=random.randint(-30, 700))
                if macau else None,
                qualification_level=QualificationLevel.values[serial % len(QualificationLevel.values)],
                practice_registration_number=f"ZHSG{serial + 1:06d}", practice_valid_from=valid_from,
                practice_valid_until=valid_from + timedelta(days=365 * 3 - random.randint(0, 400)))
            workers.append(worker)
            by_org.setdefault(org_index, []).append(worker)
    SocialWorker.objects.bulk_create(workers, batch_size=5000)
    stdout.write(f"    {len(organisations)} organisations, {len(workers)} social workers")

    contracts, kpis, milestones = [], [], []
    for org_index, organisation in enumerate(organisations):
        for number in range(1 + org_index % 2):
            start = date(today.year - 1 + number, 1, 1)
            status = (ContractStatus.ACTIVE if start.year == today.year or number == 0 and org_index % 2 == 0
                      else ContractStatus.CLOSED)
            contract = Contract(
                number=f"GM-{start.year}-{len(contracts) + 1:05d}",
                title=f"{start.year}年度澳门居民社会救助社工服务项目", purchasing_agency=purchasers[
                    org_index % len(purchasers)], provider=organisation,
                budget=Decimal(random.choice((120000, 200000, 360000, 480000))),
                period_start=start, period_end=date(start.year + (status == ContractStatus.ACTIVE), 12, 31),
                service_scope="个案管理、家访、心理疏导、资源链接", status=status, created_by=city,
                finance_checked_by=finance, finance_checked_at=now - timedelta(days=400),
                approved_by=city, approved_at=now - timedelta(days=399))
            contracts.append((org_index, contract))
    Contract.objects.bulk_create([contract for _org, contract in contracts], batch_size=1000)
    for _org_index, contract in contracts:
        kpis += [ContractKpi(contract=contract, name="服务时数", measure=KpiMeasure.SERVICE_HOURS,
                             target=Decimal("800")),
                 ContractKpi(contract=contract, name="家访次数", measure=KpiMeasure.SERVICE_SESSIONS,
                             service_type=ServiceType.HOME_VISIT, target=Decimal("200"))]
        quarter = (contract.period_end - contract.period_start).days // 4
        for number in range(4):
            start = contract.period_start + timedelta(days=quarter * number)
            released = contract.status == ContractStatus.CLOSED or start + timedelta(days=quarter) < today
            milestones.append(Milestone(
                contract=contract, title=f"第{number + 1}期服务费", period_start=start,
                period_end=start + timedelta(days=quarter - 1), amount=contract.budget / 4,
                status=MilestoneStatus.RELEASED if released else MilestoneStatus.PENDING,
                released_by=finance if released else None,
                released_at=now - timedelta(days=30) if released else None))
    ContractKpi.objects.bulk_create(kpis, batch_size=5000)
    Milestone.objects.bulk_create(milestones, batch_size=5000)
    stdout.write(f"    {len(contracts)} contracts")

    live = [(org_index, contract) for org_index, contract in contracts
            if contract.status == ContractStatus.ACTIVE]
    referral_count = max(1, sizes.service_records // 5)
    total_cases = Case.objects.count()
    step = max(1, total_cases // referral_count)
    cases = list(Case.objects.order_by("id").values_list(
        "id", "subject_id", "owner_agency_id", "district")[::step][:referral_count])
    people = {pk: (name, phone, address) for pk, name, phone, address in Person.objects.filter(
        pk__in=[row[1] for row in cases]).values_list("id", "name_zh", "phone", "address")}
    statuses = [ReferralStatus.ACCEPTED] * 6 + [ReferralStatus.CLOSED] * 2 + [
        ReferralStatus.SENT, ReferralStatus.DECLINED, ReferralStatus.DRAFT]
    referrals = []
    for index in range(referral_count):
        case_id, person_id, agency_id, district = cases[index % len(cases)]
        org_index, contract = live[index % len(live)]
        status = statuses[index % len(statuses)]
        name, phone, address = people[person_id]
        created = now - timedelta(days=random.randint(5, 330))
        referrals.append(Referral(
            number=f"ZJ-{created.year}-{index + 1:05d}", case_id=case_id, person_id=person_id,
            contract=contract,
            organisation=contract.provider, referring_agency_id=agency_id,
            referred_by=district_user, district=district, reason="需要专业社工跟进家庭支援",
            needs="心理疏导、就业辅导", person_name=name, person_phone=phone, person_address=address,
            consent_given=status != ReferralStatus.DRAFT,
            consent_date=created.date() if status != ReferralStatus.DRAFT else None,
            status=status, sent_at=created + timedelta(hours=1) if status != ReferralStatus.DRAFT else None,
            responded_at=created + timedelta(days=2) if status in (
                ReferralStatus.ACCEPTED, ReferralStatus.CLOSED, ReferralStatus.DECLINED) else None,
            decline_reason="超出服务范围" if status == ReferralStatus.DECLINED else "",
            created_at=created))
    for batch in chunks(referrals):
        Referral.objects.bulk_create(batch)
    stdout.write(f"    {len(referrals)} referrals")

    accepted = [(index, referral) for index, referral in enumerate(referrals)
                if referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.CLOSED)]
    org_of_contract = {contract.pk: org_index for org_index, contract in contracts}
    service_types = list(ServiceType.values)
    records = []
    for index in range(sizes.service_records):
        _ref_index, referral = accepted[index % len(accepted)]
        org_workers = by_org[org_of_contract[referral.contract_id]]
        service_date = min(today, referral.responded_at.date() + timedelta(days=random.randint(1, 120)))
        records.append(ServiceRecord(
            contract_id=referral.contract_id, organisation_id=referral.organisation_id,
            referral=referral, district=referral.district,
            worker=org_workers[index % len(org_workers)], service_date=service_date,
            service_type=service_types[index % len(service_types)],
            duration_minutes=random.choice((30, 45, 60, 90, 120)),
            outcome="服务对象情绪稳定，家庭支援到位", follow_up="下月再次家访" if index % 3 == 0 else "",
            follow_up_date=service_date + timedelta(days=30) if index % 3 == 0 else None,
            created_by=district_user))
    for batch in chunks(records):
        ServiceRecord.objects.bulk_create(batch)
    stdout.write(f"    {len(records)} service records")
