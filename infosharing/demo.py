"""Demo data: authorizations (one expiring soon, one revoked), requests in every state (one
answer with the IAS's certificate attached), an urgent notification
acknowledged and one escalated; and the inbound flow (issue 25): Macau and Hengqin ask Zhuhai
about people they registered, one request waiting for the city bureau to route it, one
answered by Xiangzhou, one acknowledged by Doumen. Two-way bulletins: one published with
the sections of all three sides, one open with Hengqin's section missing. Idempotent."""
from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from cases.demo import liaison_people
from cases.models import Case, CaseCategory, ResidenceStatus, Sex
from cases.services import (
    case_open,
    person_find_by_document,
    person_register,
    person_share,
    person_share_consent,
)
from core.visibility import agencies_shared_with
from devtools.demo_files import demo_pdf

from . import services
from .models import Authorization, Bulletin, EmergencyKind, UrgentNotification, VerificationRequest
from .services import previous_month

DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
PEOPLE = [("梁秀英", "1357911(2)"), ("何志明", "5246810(3)"), ("黄玉珍", "7123450(4)")]


def _person(users, name, number):
    existing = person_find_by_document(document_type="macau_id", number=number)
    if existing is not None:
        return existing
    return person_register(actor=users["district"], name_zh=name, sex=Sex.FEMALE,
                           date_of_birth=date(1950, 6, 1),
                           residence_status=ResidenceStatus.MACAU_RESIDENT,
                           document_type="macau_id", document_number=number,
                           address="珠海市香洲区拱北街道")


def _pension_certificate(person, today):
    """The IAS's letter attached to an answer: the pension paid by the Social Security Fund."""
    return demo_pdf("社會保障基金養老金證明.pdf", "社會保障基金養老金領取證明", [
        f"姓名：{person.name_zh}",
        "經核實，上述人士自2018年起領取社會保障基金養老金，",
        "現每月金額為 3740 澳門元，以銀行轉賬方式發放。",
        f"澳門特別行政區政府社會工作局  {today:%Y年%m月%d日}",
    ])


def seed(base) -> None:
    if Authorization.objects.exists() or VerificationRequest.objects.exists():
        with transaction.atomic():
            _seed_inbound_share_and_urgent(base["users"], base["agencies"])
        return
    users, agencies = base["users"], base["agencies"]
    district, macau, hengqin = users["district"], users["macau"], users["hengqin"]
    today = timezone.localdate()
    with transaction.atomic():
        people = [_person(users, name, number) for name, number in PEOPLE]
        cases = []
        for person in people:
            case = Case.objects.filter(subject=person).first() or case_open(
                actor=district, subject=person, category=CaseCategory.VERIFICATION,
                summary="澳门居民在珠海申请救助，需跨境协查家庭经济状况")
            cases.append(case)

        def authorization(person, **kwargs):
            fields = {"categories": ["income", "deposits", "property", "social_insurance"],
                      "sides": ["macau", "hengqin"], "valid_from": today - timedelta(days=60),
                      "valid_until": today + timedelta(days=365)}
            fields.update(kwargs)
            return services.authorization_record(
                actor=district, person=person, signatories=f"{person.name_zh}\n配偶",
                scan=SimpleUploadedFile("授权书.pdf", DEMO_PDF), **fields)

        main = authorization(people[0])
        expiring = authorization(people[1], valid_until=today + timedelta(days=12))
        revoked = authorization(people[2])

        def request(case, auth, side="macau", categories=("income", "deposits")):
            return services.verification_request_create(
                actor=district, case=case, categories=list(categories), receiving_side=side,
                question="请核实申请人在澳门的收入、存款情况", authorization=auth)

        request(cases[0], main)  # draft
        sent = services.verification_request_send(actor=district, request=request(cases[0], main))
        received = services.verification_request_send(actor=district,
                                                      request=request(cases[1], expiring))
        services.verification_request_receive(actor=macau, request=received)
        for closing in (False, True):
            answered = services.verification_request_send(actor=district,
                                                          request=request(cases[0], main))
            services.verification_request_receive(actor=macau, request=answered)
            services.verification_request_answer(actor=macau, request=answered, findings=[
                {"category": "income", "outcome": "found", "text": "领取社会保障基金养老金，每月 3740 澳门元"},
                {"category": "deposits", "outcome": "nothing_found", "text": "未发现大额存款"}],
                attachments=[] if closing else [_pension_certificate(people[0], today)])
            if closing:
                services.verification_request_close(actor=district, request=answered)
        returned = services.verification_request_send(actor=district,
                                                      request=request(cases[1], expiring))
        services.verification_request_return(actor=macau, request=returned,
                                             reason="请补充申请人澳门居民身份证号码的核对页")
        declined = services.verification_request_send(
            actor=district, request=request(cases[0], main, side="hengqin", categories=("income",)))
        services.verification_request_decline(actor=hengqin, request=declined,
                                              reason="申请人不在合作区居住，无相关记录")
        withdrawn = services.verification_request_send(actor=district,
                                                       request=request(cases[2], revoked))
        services.authorization_revoke(actor=district, authorization=revoked,
                                      reason="申请人书面撤回授权")
        # one sent request already past its due date
        VerificationRequest.objects.filter(pk=sent.pk).update(
            due_date=today - timedelta(days=2), sent_at=timezone.now() - timedelta(days=25))
        del withdrawn

        first = services.urgent_notification_send(
            actor=district, person=people[0], kind=EmergencyKind.HOSPITALISATION,
            occurred_at=timezone.now() - timedelta(hours=5),
            description="独居老人在家中跌倒，已送珠海市人民医院救治", agencies=[agencies["mo-ias"]])
        services.urgent_acknowledge(actor=macau, recipient=first.recipients.get())
        second = services.urgent_notification_send(
            actor=district, person=people[1], kind=EmergencyKind.MISSING,
            occurred_at=timezone.now() - timedelta(hours=6),
            description="长者外出后失联，家属已报警", agencies=[agencies["mo-ias"]])
        recipient = second.recipients.get()
        services.urgent_recipient_escalate(recipient_id=recipient.pk,
                                           now=recipient.ack_due_at + timedelta(minutes=1))

    with transaction.atomic():
        _seed_inbound(users, today)
        _seed_inbound_share_and_urgent(users, agencies)

    with transaction.atomic():
        _seed_bulletins(users, today)


#: What each side writes under "cases of common concern" in the demo bulletins.
COMMON_CONCERN = {
    "zhuhai": "香洲区两名澳门长者独居，已安排社工每周探访；请澳门方面协助联系其在澳亲属。",
    "macau": "本月有三宗澳門居民在珠海住院個案，社工局已跟進醫療費用援助申請。",
    "hengqin": "合作区新入住澳门居民家庭增加，建议下次联席会议讨论临时救助衔接。",
}


def _seed_bulletins(users, today) -> None:
    """Two-way bulletins: last month's still open (Zhuhai and Macau handed in, Hengqin's
    section missing), the month before published with the sections of all three sides and
    acknowledged by Macau. Opened in that order, so the open one is the first bulletin."""
    writers = {"zhuhai": users["city"], "macau": users["macau"], "hengqin": users["hengqin"]}
    last_start, last_end = previous_month(today)
    before_start, before_end = previous_month(last_start)
    if Bulletin.objects.filter(agency__isnull=True, period_start=last_start).exists():
        return
    opened, _created = services.bulletin_open(period_start=last_start, period_end=last_end,
                                              opened_on=today)
    for side in ("zhuhai", "macau"):
        services.bulletin_section_save(actor=writers[side], bulletin=opened, side=side,
                                       common_concern=COMMON_CONCERN[side])
    published, _created = services.bulletin_open(period_start=before_start,
                                                 period_end=before_end,
                                                 opened_on=last_start)
    for side in ("zhuhai", "macau", "hengqin"):  # the last one in publishes it
        services.bulletin_section_save(actor=writers[side], bulletin=published, side=side,
                                       common_concern=COMMON_CONCERN[side])
    published.refresh_from_db()
    services.bulletin_acknowledge(actor=users["macau"], bulletin=published)


def _seed_inbound(users, today) -> None:
    """Inbound requests about the people the liaisons registered (cases.demo.LIAISON_PEOPLE)."""
    macau, hengqin, city = users["macau"], users["hengqin"], users["city"]
    people = liaison_people(users)

    def consent(actor, person, categories):
        return services.authorization_record(
            actor=actor, person=person, signatories=person.name_zh, categories=categories,
            sides=["zhuhai"], valid_from=today - timedelta(days=30),
            valid_until=today + timedelta(days=335),
            scan=SimpleUploadedFile("授權書.pdf", DEMO_PDF))

    def ask(actor, person, authorization, categories, question):
        draft = services.verification_request_create(
            actor=actor, person=person, categories=categories, receiving_side="zhuhai",
            question=question, authorization=authorization)
        return services.verification_request_send(actor=actor, request=draft)

    au = people["7300001(1)"]
    au_consent = consent(macau, au, ["property", "social_insurance", "social_assistance"])
    # waiting at the city bureau to be routed
    ask(macau, au, au_consent, ["property", "social_insurance"],
        "申請人申請澳門經濟援助，請核實其在珠海是否有房產及社保繳納記錄。")
    # routed to Xiangzhou and answered: the liaison reads the findings
    answered = ask(macau, au, au_consent, ["social_assistance"],
                   "申請人是否曾在珠海領取最低生活保障或臨時救助？")
    services.verification_request_route(actor=city, request=answered, district="xiangzhou")
    services.verification_request_receive(actor=users["district"], request=answered)
    services.verification_request_answer(actor=users["district"], request=answered, findings=[
        {"category": "social_assistance", "outcome": "nothing_found",
         "text": "经查香洲区社会救助系统，未发现该申请人领取低保或临时救助的记录"}])
    # Hengqin asks; routed to Doumen, acknowledged, the answer still owed
    zheng = people["440402196603150029"]
    zheng_consent = consent(hengqin, zheng, ["vehicles", "household_registration"])
    received = ask(hengqin, zheng, zheng_consent, ["vehicles"],
                   "申请人是否在斗门区登记有机动车辆？")
    services.verification_request_route(actor=city, request=received, district="doumen")
    services.verification_request_receive(actor=users["district2"], request=received)


def _seed_inbound_share_and_urgent(users, agencies) -> None:
    """Macau shares 區美華 (its record, her authorization allows Zhuhai) with the city bureau,
    and reports an emergency of 羅家豪 to the city bureau, which acknowledges it. Each part is
    added once, also to a database seeded before it existed."""
    people = liaison_people(users)
    au, lo = people["7300001(1)"], people["7300002(2)"]
    city_bureau = agencies["zh-civil-affairs"]
    consented = person_share_consent(au)[0] is not None
    if consented and not agencies_shared_with(au).filter(pk=city_bureau.pk).exists():
        person_share(actor=users["macau"], person=au, agency=city_bureau,
                     reason="申請人在珠海生活，請市民政局協助跟進其社會救助申請。")
    if not UrgentNotification.objects.filter(person=lo, reporting_agency__code="mo-ias").exists():
        notification = services.urgent_notification_send(
            actor=users["macau"], person=lo, kind=EmergencyKind.HOSPITALISATION,
            occurred_at=timezone.now() - timedelta(hours=3),
            description="在拱北口岸暈倒，已送珠海市人民醫院救治，家屬在澳門。",
            agencies=[city_bureau])
        services.urgent_acknowledge(actor=users["city"],
                                    recipient=notification.recipients.get())
