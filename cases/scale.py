"""Bulk data at scale for the register and the secretariat (``manage.py seed_scale``)."""
from __future__ import annotations

from datetime import timedelta
from functools import cache

from django.contrib.auth.models import Permission
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, ExtractYear
from django.utils import timezone

from core.db import bulk_insert
from core.models import Agency, AgencyKind, District
from devtools.scale import (birth_date_of_mainland, macau_id, mainland_id, padded_id,
                         residence_permit, rng)

from .models import (
    ActionItem, Case, CaseCategory, CaseEvent, CaseEventKind, CaseGroupObjectPermission,
    CaseStatus, Household, HouseholdMember, IdentityDocument, Meeting, MeetingKind, Person,
    Relationship, ResidenceStatus, RiskLevel, Sex,
)
from .names import card_spellings, person_keys
from .services import name_words_record

SURNAMES = "陈李黄张梁何林吴郑刘杨周徐朱胡罗谢叶郭马冯邓曾彭萧蔡潘袁许"
GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂英华玲文辉俊红"
#: A name's derived keys and its card spelling, computed once per distinct name: a million
#: people share some tens of thousands of names, and romanising each again took most of the run.
keys_of = cache(person_keys)
spelling_of = cache(lambda name_zh: card_spellings(name_zh)[0].upper())

#: The newest generated meeting starts this many days ahead; each earlier one a day before it.
#: A month of the calendar holds the same meetings at every size: more data is more history.
MEETINGS_AHEAD_DAYS = 60

STREETS = ["拱北迎宾南路", "吉大景山路", "前山明珠南路", "香湾街道", "井岸镇新青路", "三灶镇金海岸",
           "唐家湾镇", "南水镇", "斗门镇", "红旗镇"]


def generate(base, sizes, stdout) -> None:
    random = rng(3)
    now = timezone.now()
    districts = list(District.values)
    bureaus = {agency.district: agency for agency in
               Agency.objects.filter(kind=AgencyKind.DISTRICT_BUREAU)}
    officer = base["users"]["district"]

    people, documents = [], []
    for serial in range(sizes.people):
        district = districts[serial % len(districts)]
        kind = serial % 10
        if kind < 5:  # Macau residents: BIR and sometimes a residence permit
            status, doc_type, number = ResidenceStatus.MACAU_RESIDENT, "macau_id", macau_id(serial)
            birth = timezone.localdate(now) - timedelta(days=365 * 18 + serial % 20000)
        elif kind < 7:
            status, doc_type = ResidenceStatus.HENGQIN_RESIDENT, "residence_permit"
            number = residence_permit(serial)
            birth = birth_date_of_mainland(number)
        else:
            status, doc_type = ResidenceStatus.ZHUHAI_HOUSEHOLD, "mainland_id"
            number = mainland_id(serial)
            birth = birth_date_of_mainland(number)
        name_zh = random.choice(SURNAMES) + "".join(random.choices(GIVEN, k=random.choice((1, 2))))
        people.append(Person(
            name_zh=name_zh,
            # as the Macau card prints it; the search benchmark looks people up by it
            name_latin=spelling_of(name_zh) if kind < 5 else "",
            sex=Sex.MALE if serial % 2 else Sex.FEMALE, date_of_birth=birth,
            residence_status=status, phone=f"1{random.randint(3000000000, 9999999999)}",
            address=f"珠海市{random.choice(STREETS)}{serial % 300 + 1}号", district=district,
            owner_agency=bureaus[district], created_by=officer))
        documents.append((doc_type, number))
    for person in people:
        for field, value in keys_of(person.name_zh, person.name_latin).items():
            setattr(person, field, value)
    bulk_insert(Person, people, set_pks=True)
    name_words_record(people=people)
    bulk_insert(IdentityDocument, [
        IdentityDocument(person=person, document_type=doc_type, number=number)
        for person, (doc_type, number) in zip(people, documents)])
    stdout.write(f"    {len(people)} people")

    households, members = [], []
    for index in range(min(sizes.households, len(people))):
        head = people[index]
        households.append(Household(head=head, address=head.address, district=head.district,
                                    owner_agency=head.owner_agency,
                                    living_situation="租住，收入不稳定" if index % 3 else ""))
    bulk_insert(Household, households, set_pks=True)
    for index, household in enumerate(households):
        members.append(HouseholdMember(household=household, person=household.head,
                                       relationship=Relationship.HEAD))
        partner = sizes.households + index
        if partner < len(people) and index % 2 == 0:
            members.append(HouseholdMember(household=household, person=people[partner],
                                           relationship=Relationship.SPOUSE))
    bulk_insert(HouseholdMember, members)
    stdout.write(f"    {len(households)} households")

    statuses = [CaseStatus.OPEN] * 5 + [CaseStatus.UNDER_REVIEW] * 2 + [CaseStatus.CLOSED] * 3
    categories = list(CaseCategory.values)
    cases = []
    for index in range(sizes.cases):
        person = people[index % len(people)]
        opened = now - timedelta(days=random.randint(0, 730), minutes=random.randint(0, 1440))
        status = statuses[index % len(statuses)]
        cases.append(Case(
            number=f"tmp-{index}", subject=person,
            household=households[index % len(households)] if index < len(households) else None,
            owner_agency=person.owner_agency, district=person.district,
            category=categories[index % len(categories)], status=status,
            risk_level=random.choice(RiskLevel.values), is_key_case=index % 97 == 0,
            summary="突发困难，需要协助", opened_at=opened, assigned_officer=officer,
            closed_at=opened + timedelta(days=30) if status == CaseStatus.CLOSED else None))
    bulk_insert(Case, cases, set_pks=True)
    Case.objects.filter(number__startswith="tmp-").update(number=Concat(
        Value("ZH-"), Cast(ExtractYear("opened_at"), CharField()), Value("-"),
        padded_id(), output_field=CharField()))
    bulk_insert(CaseEvent, [CaseEvent(case=case, kind=CaseEventKind.OPENED, actor=officer)
                            for case in cases])
    view_case = Permission.objects.get(content_type__app_label="cases", codename="view_case")
    macau = base["agencies"]["mo-ias"]
    hengqin = base["agencies"]["hq-livelihood"]
    bulk_insert(CaseGroupObjectPermission, [
        CaseGroupObjectPermission(content_object=case, subject_id=case.subject_id,
                                  permission=view_case,
                                  group_id=(macau if index % 2 else hengqin).group_id)
        for index, case in enumerate(cases) if index % 20 == 0])
    stdout.write(f"    {len(cases)} cases")

    city = base["agencies"]["zh-civil-affairs"]
    city_user = base["users"]["city"]
    meetings = [Meeting(title=f"珠澳社会救助协作联席会议（第{index + 1}次）",
                        kind=MeetingKind.values[index % len(MeetingKind.values)],
                        starts_at=now + timedelta(days=MEETINGS_AHEAD_DAYS - index),
                        place="市民政局会议室",
                        organiser_agency=city, created_by=city_user)
                for index in range(sizes.meetings)]
    Meeting.objects.bulk_create(meetings, batch_size=5000)
    owners = list(bureaus.values()) + [city]
    ActionItem.objects.bulk_create([
        ActionItem(meeting=meeting, title="跟进会议议定事项", owner_agency=owners[index % len(owners)],
                   due_date=timezone.localdate(meeting.starts_at) + timedelta(days=30),
                   created_by=city_user)
        for index, meeting in enumerate(meetings) for _item in range(2)], batch_size=5000)
    stdout.write(f"    {len(meetings)} meetings")
