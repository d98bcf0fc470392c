"""Bulk data at scale for information sharing (``manage.py seed_scale``): signed
authorizations, verification requests in every state (with findings when answered), urgent
notifications with their recipients, and — in ``finish``, after every workstream has its data —
``bulletin_months`` months of published two-way bulletins, each side's section computed by
the app's own ``side_figures``."""
from __future__ import annotations

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, ExtractYear
from django.utils import timezone, translation

from cases.models import Case
from core.models import Agency
from devtools.scale import chunks, padded_id, rng

from .bulletins import side_figures
from .models import (
    BULLETIN_SIDES,
    AskableSide,
    Authorization,
    Bulletin,
    BulletinRecipient,
    BulletinSection,
    BulletinStatus,
    DataCategory,
    EmergencyKind,
    FindingOutcome,
    RequestStatus,
    UrgentNotification,
    UrgentRecipient,
    VerificationFinding,
    VerificationRequest,
)
from .selectors import bulletin_contributing_agency
from .services import bulletin_recipient_agencies

STATUSES = ([RequestStatus.CLOSED] * 35 + [RequestStatus.ANSWERED] * 15
            + [RequestStatus.SENT] * 12 + [RequestStatus.RECEIVED] * 10 + [RequestStatus.DRAFT] * 8
            + [RequestStatus.RETURNED] * 6 + [RequestStatus.DECLINED] * 4
            + [RequestStatus.WITHDRAWN] * 10)
SCAN = "infosharing/authorizations/scale/authorization-sample.pdf"
MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids"
               b"[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"
               b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def month_start(value: date, back: int) -> date:
    index = value.year * 12 + value.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def generate(base, sizes, stdout) -> None:
    random = rng(31)
    agencies, users = base["agencies"], base["users"]
    now = timezone.now()
    if not default_storage.exists(SCAN):
        default_storage.save(SCAN, ContentFile(MINIMAL_PDF))
    macau, hengqin, city = agencies["mo-ias"], agencies["hq-livelihood"], agencies["zh-civil-affairs"]
    receivers = {AskableSide.MACAU: macau, AskableSide.HENGQIN: hengqin, AskableSide.ZHUHAI: city}
    officer, macau_user = users["district"], users["macau"]
    categories = list(DataCategory.values)

    count = sizes.verification_requests
    total_cases = Case.objects.count()
    step = max(1, total_cases // max(1, count))
    cases = list(Case.objects.order_by("id").values_list(
        "id", "subject_id", "owner_agency_id", "district")[::step][:count])
    authorizations, requests = [], []
    for index in range(count):
        case_id, person_id, agency_id, district = cases[index % len(cases)]
        from_macau = index % 10 == 1  # a tenth are asked by Macau about Zhuhai
        side = (AskableSide.ZHUHAI if from_macau
                else AskableSide.HENGQIN if index % 4 == 0 else AskableSide.MACAU)
        wanted = random.sample(categories, k=random.randint(1, 3))
        valid_from = (now - timedelta(days=random.randint(30, 700))).date()
        authorization = Authorization(
            person_id=person_id, signatories="申请人本人及配偶",
            categories=sorted(set(wanted) | {DataCategory.INCOME}),
            sides=[AskableSide.MACAU, AskableSide.HENGQIN, AskableSide.ZHUHAI],
            valid_from=valid_from, valid_until=valid_from + timedelta(days=365 * 2),
            received_by=macau_user if from_macau else officer, received_on=valid_from,
            owner_agency_id=macau.pk if from_macau else agency_id,
            district="" if from_macau else district, scan=SCAN, scan_name="授权书.pdf",
            scan_kind="pdf")
        authorizations.append(authorization)
        status = STATUSES[index % len(STATUSES)]
        created = min(timezone.make_aware(timezone.datetime.combine(
            valid_from, timezone.datetime.min.time())) + timedelta(days=random.randint(1, 20)),
            now - timedelta(hours=1))
        sent = created + timedelta(hours=3) if status != RequestStatus.DRAFT else None
        received = sent + timedelta(days=1) if status in (
            RequestStatus.RECEIVED, RequestStatus.ANSWERED, RequestStatus.CLOSED) else None
        answered = received + timedelta(days=random.randint(1, 12)) if status in (
            RequestStatus.ANSWERED, RequestStatus.CLOSED) else None
        requests.append(VerificationRequest(
            number=f"tmp-{index}", case_id=case_id, person_id=person_id,
            requesting_agency_id=macau.pk if from_macau else agency_id,
            district=district, receiving_side=side, receiving_agency=receivers[side],
            categories=wanted, question="核实申请人家庭收入及财产状况",
            status=status, due_date=(sent + timedelta(days=14)).date() if sent else None,
            created_by=macau_user if from_macau else officer, sent_at=sent,
            received_at=received, answered_at=answered,
            closed_at=answered + timedelta(days=2) if status == RequestStatus.CLOSED else None,
            status_reason={RequestStatus.RETURNED: "请补充授权书扫描件",
                           RequestStatus.DECLINED: "不属于本机构职责范围",
                           RequestStatus.WITHDRAWN: "申请人撤回申请"}.get(status, ""),
            created_at=created))
    for batch in chunks(authorizations):
        Authorization.objects.bulk_create(batch)
    for request, authorization in zip(requests, authorizations):
        request.authorization = authorization
    for batch in chunks(requests):
        VerificationRequest.objects.bulk_create(batch)
    VerificationRequest.objects.filter(number__startswith="tmp-").update(number=Concat(
        Value("XC-"), Cast(ExtractYear("created_at"), CharField()), Value("-"),
        padded_id(), output_field=CharField()))
    findings = []
    receivers_users = {macau.pk: macau_user, hengqin.pk: users["hengqin"], city.pk: users["city"]}
    for request in requests:
        if request.answered_at is None:
            continue
        for position, category in enumerate(request.categories):
            outcome = [FindingOutcome.NOTHING_FOUND, FindingOutcome.FOUND,
                       FindingOutcome.UNABLE][(request.pk + position) % 3]
            findings.append(VerificationFinding(
                request=request, category=category, outcome=outcome,
                text="经核查，" + {"found": "有相关记录，详见附件说明", "nothing_found": "未发现相关记录",
                                  "unable": "资料不全，无法核实"}[outcome],
                recorded_by=receivers_users[request.receiving_agency.pk],
                recorded_at=request.answered_at))
    VerificationFinding.objects.bulk_create(findings, batch_size=5000)
    stdout.write(f"    {len(authorizations)} authorizations, {len(requests)} requests, "
                 f"{len(findings)} findings")

    kinds = list(EmergencyKind.values)
    notifications = []
    for index in range(max(1, count // 10)):
        case_id, person_id, agency_id, district = cases[(index * 7) % len(cases)]
        occurred = now - timedelta(days=random.randint(1, 700), hours=random.randint(0, 23))
        notifications.append(UrgentNotification(
            person_id=person_id, case_id=case_id, kind=kinds[index % len(kinds)],
            occurred_at=occurred, description="当事人突发意外，请相关部门跟进",
            reporting_agency_id=agency_id, district=district, reported_by=officer,
            created_at=occurred + timedelta(hours=1)))
    UrgentNotification.objects.bulk_create(notifications, batch_size=5000)
    UrgentRecipient.objects.bulk_create([
        UrgentRecipient(notification=notification, agency=target, escalation_level=0,
                        ack_due_at=notification.created_at + timedelta(hours=2),
                        acknowledged_at=notification.created_at + timedelta(minutes=40),
                        acknowledged_by=receivers_users[target.pk])
        for notification in notifications for target in (macau, hengqin)], batch_size=5000)
    stdout.write(f"    {len(notifications)} urgent notifications")


def finish(base, sizes, stdout) -> None:
    """Published two-way bulletins for the last ``bulletin_months`` months, once every
    workstream has data: each side's section computed by the app's own ``side_figures``, the
    recipient agencies with their acknowledgements (the latest month's still owed)."""
    today = timezone.localdate()
    contributors = {side: bulletin_contributing_agency(side) for side in BULLETIN_SIDES}
    recipients: list[Agency] = list(bulletin_recipient_agencies())
    made = 0
    for back in range(sizes.bulletin_months, 0, -1):
        start = month_start(today, back)
        end = month_start(today, back - 1) - timedelta(days=1)
        produced = timezone.make_aware(timezone.datetime.combine(
            end + timedelta(days=1), timezone.datetime.min.time())) + timedelta(hours=6)
        bulletin = Bulletin.objects.create(
            period_start=start, period_end=end, generated_at=produced,
            status=BulletinStatus.PUBLISHED, deadline=end + timedelta(days=8),
            published_at=produced + timedelta(days=7), emailed_at=produced + timedelta(days=7))
        sections = []
        for side, agency in contributors.items():
            if agency is None:
                continue
            with translation.override("zh-hant" if side == "macau" else "zh-hans"):
                content = side_figures(side=side, start=start, end=end)
            sections.append(BulletinSection(bulletin=bulletin, side=side, agency=agency,
                                            due_date=end + timedelta(days=8), content=content,
                                            submitted_at=produced + timedelta(days=3)))
        BulletinSection.objects.bulk_create(sections)
        acknowledged = produced + timedelta(days=9) if back > 1 else None
        BulletinRecipient.objects.bulk_create([
            BulletinRecipient(bulletin=bulletin, agency=agency, ack_due_date=end + timedelta(days=12),
                              acknowledged_at=acknowledged) for agency in recipients])
        made += 1
    stdout.write(f"    {made} bulletins ({sizes.bulletin_months} months × "
                 f"{len(recipients)} recipient agencies)")
