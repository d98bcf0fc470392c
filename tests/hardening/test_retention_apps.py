"""Retention of the workstreams' records (``<app>/retention.py``), with frozen time: past the
period the personal fields are anonymised and the stored files deleted; before it nothing
changes; what an app still needs is held; the dashboard's figures stay; each rule that acted is
audited, once."""
from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import AuditEvent
from core.retention import ANONYMISED, apply_retention

from .helpers import mainland_id

pytestmark = pytest.mark.django_db

OLD = "2019-03-01 10:00 +0800"
RECENT = "2026-01-10 10:00 +0800"
BEFORE = "2020-01-15 02:30 +0800"  # less than a year after OLD: no period has passed
AFTER = "2026-06-01 02:30 +0800"  # more than five years after OLD
START, END = date(2019, 1, 1), date(2026, 12, 31)
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _pdf(name: str = "扫描件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _stored(name) -> bool:
    return bool(str(name)) and Path(settings.MEDIA_ROOT, str(name)).is_file()


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """run(when) -> the report of the nightly job at ``when`` (its on-commit file deletions
    executed)."""
    def at(when: str):
        with time_machine.travel(when, tick=False), \
                django_capture_on_commit_callbacks(execute=True):
            return apply_retention()
    return at


def _audited(rule: str, *pks) -> bool:
    event = AuditEvent.objects.get(action="retention.anonymise", object_type=rule)
    ids = event.changes["ids"].split(",")
    return event.changes["count"] == len(ids) and {str(pk) for pk in pks} <= set(ids)


def _person(actor, seq: str, name: str):
    from cases.services import person_register

    return person_register(actor=actor, name_zh=name, sex="female", date_of_birth=date(1990, 1, 1),
                           residence_status="macau_resident", document_type="mainland_id",
                           document_number=mainland_id(seq=seq), phone="13800000000",
                           address="香洲区某路1号")


def _case(actor, person, category: str = "other"):
    from cases.services import case_open

    return case_open(actor=actor, subject=person, category=category, summary="家庭困难详情")


def _close(actor, case):
    from cases.models import CaseStatus
    from cases.services import case_status_change

    case_status_change(actor=actor, case=case, status=CaseStatus.UNDER_REVIEW)
    return case_status_change(actor=actor, case=case, status=CaseStatus.CLOSED)


def _name(person) -> str:
    return type(person).objects.get(pk=person.pk).name_zh


# --- infosharing ------------------------------------------------------------------------------

@pytest.fixture
def infosharing_data(users, agencies):
    from infosharing import services

    district, macau = users["district"], users["macau"]

    def request(person, case, valid_from, valid_until, question):
        authorization = services.authorization_record(
            actor=district, person=person, signatories=f"{person.name_zh}\n配偶 李美玲",
            categories=["income"], sides=["macau"], valid_from=valid_from,
            valid_until=valid_until, scan=_pdf("授权书.pdf"))
        draft = services.verification_request_create(
            actor=district, case=case, categories=["income"], receiving_side="macau",
            question=question, authorization=authorization)
        return authorization, draft

    with time_machine.travel(OLD, tick=False):
        done = _person(district, "201", "陈已结")
        case = _case(district, done, "verification")
        authorization, closed = request(done, case, date(2019, 2, 1), date(2020, 2, 1),
                                        "请核实陈已结在澳门的收入")
        closed = services.verification_request_send(actor=district, request=closed)
        closed = services.verification_request_receive(actor=macau, request=closed)
        closed = services.verification_request_answer(
            actor=macau, request=closed, attachments=[_pdf("收入证明.pdf")],
            findings=[{"category": "income", "outcome": "found", "text": "月收入约五千澳门元"}])
        closed = services.verification_request_close(actor=district, request=closed)
        urgent = services.urgent_notification_send(
            actor=district, person=done, kind="hospitalisation", occurred_at=timezone.now(),
            description="陈已结突发中风入院", agencies=[agencies["mo-ias"]], case=case)
        _close(district, case)
        waiting = _person(district, "202", "林待复")
        waiting_case = _case(district, waiting, "verification")
        relied_on, pending = request(waiting, waiting_case, date(2019, 2, 1), date(2020, 2, 1),
                                     "请核实林待复的存款")
        pending = services.verification_request_send(actor=district, request=pending)
        _close(district, waiting_case)
    with time_machine.travel(RECENT, tick=False):
        recent_person = _person(district, "203", "王新近")
        recent_authorization, recent = request(recent_person, _case(district, recent_person),
                                               date(2026, 1, 1), date(2026, 3, 1), "请核实王新近")
        recent = services.verification_request_withdraw(actor=district, request=recent,
                                                        reason="重复申请")
    return {"done": done, "authorization": authorization, "closed": closed, "urgent": urgent,
            "waiting": waiting, "relied_on": relied_on, "pending": pending,
            "recent_authorization": recent_authorization, "recent": recent}


def test_infosharing_past_the_period(infosharing_data, run):
    from infosharing.metrics import figures
    from infosharing.models import (
        Authorization,
        FindingAttachment,
        UrgentNotification,
        VerificationFinding,
        VerificationRequest,
    )

    data = infosharing_data
    scan, kept_scan = data["authorization"].scan.name, data["relied_on"].scan.name
    attachment = FindingAttachment.objects.get(request=data["closed"]).file.name
    before = figures(start=START, end=END)
    report = run(AFTER)
    assert (report.counts["infosharing.authorization"],
            report.counts["infosharing.verificationrequest"],
            report.counts["infosharing.urgentnotification"]) == (1, 1, 1)
    authorization = Authorization.objects.get(pk=data["authorization"].pk)
    assert authorization.signatories == ANONYMISED and not authorization.scan
    assert authorization.categories == ["income"] and authorization.valid_until == date(2020, 2, 1)
    assert not _stored(scan)
    closed = VerificationRequest.objects.get(pk=data["closed"].pk)
    assert closed.question == ANONYMISED and closed.status == "closed" and closed.sent_at
    assert not FindingAttachment.objects.filter(request=closed).exists()
    assert not _stored(attachment)
    finding = VerificationFinding.objects.get(request=closed)
    assert finding.text == "" and finding.outcome == "found"
    assert UrgentNotification.objects.get(pk=data["urgent"].pk).description == ANONYMISED
    assert _name(data["done"]) == ANONYMISED
    # held: a pending request keeps its person and the authorization it relies on
    assert _name(data["waiting"]) == "林待复"
    assert VerificationRequest.objects.get(pk=data["pending"].pk).question == "请核实林待复的存款"
    assert Authorization.objects.get(pk=data["relied_on"].pk).signatories.startswith("林待复")
    assert _stored(kept_scan)
    # recent: untouched
    assert VerificationRequest.objects.get(pk=data["recent"].pk).question == "请核实王新近"
    assert _stored(Authorization.objects.get(pk=data["recent_authorization"].pk).scan.name)
    assert figures(start=START, end=END) == before
    assert _audited("infosharing.authorization", authorization.pk)
    assert _audited("infosharing.verificationrequest", closed.pk)
    assert _audited("infosharing.urgentnotification", data["urgent"].pk)
    assert not any(count for name, count in run(AFTER).counts.items()
                   if name.startswith("infosharing."))


# --- remittance -------------------------------------------------------------------------------

def _roster(rows: list[tuple[int, str]]) -> SimpleUploadedFile:
    from remittance.roster_import import COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([chinese for _key, chinese, _label in COLUMNS])
    for n, name in rows:
        values = {"ias_case_no": f"IAS-{n:05d}", "name": name, "macau_id": f"1{n:06d}({n % 10})",
                  "date_of_birth": "1950-03-04", "sex": "男", "address": f"香洲区测试路{n}号",
                  "district": "香洲区", "phone": "13800000000", "aid_type": "定期援助",
                  "monthly_amount_mop": "3450.50", "effective_from": "2019-01-01"}
        writer.writerow([values.get(key, "") for key, _chinese, _label in COLUMNS])
    return SimpleUploadedFile("roster.csv", buffer.getvalue().encode("utf-8-sig"))


@pytest.fixture
def remittance_data(users, agencies):
    from remittance import services
    from remittance.demo import second_city_officer
    from remittance.models import Recipient, RecipientStatus

    finwork, city, checker = users["finwork"], users["city"], second_city_officer(agencies)

    def batch(period):
        prepared = services.batch_prepare(actor=city, period=period, rate=Decimal("0.873215"),
                                          rate_date=date(2019, 2, 28), rate_source="中国银行牌价")
        services.batch_approve(actor=checker, batch=prepared)
        return services.batch_export(actor=finwork, batch=prepared)

    with time_machine.travel(OLD, tick=False):
        preview = services.roster_import_preview(
            actor=finwork, uploaded_file=_roster([(1, "陈已停"), (2, "李在册"), (3, "黄待付")]))
        services.roster_import_commit(actor=finwork, import_run=preview)
        branch = services.bank_branch_create(actor=finwork, bank_name="中国银行", name="拱北支行",
                                             district="xiangzhou")
        ended, active, unpaid = Recipient.objects.order_by("ias_case_no")
        for recipient in (ended, active, unpaid):
            services.onboarding_card_opened(actor=finwork, recipient=recipient,
                                            on_date=date(2019, 2, 1), bank_branch=branch,
                                            account_no=f"6217{recipient.pk:012d}")
            services.onboarding_activate(actor=finwork, recipient=recipient,
                                         on_date=date(2019, 2, 2))
        march = batch(date(2019, 3, 1))
        lines = "".join(f"{reference},PAID\r\n" for reference in
                        march.payments.values_list("reference", flat=True))
        services.batch_result_import(actor=finwork, batch=march, uploaded_file=SimpleUploadedFile(
            "result.csv", f"payment_reference,status\r\n{lines}".encode()))
        services.recipient_set_status(actor=finwork, recipient=ended, status=RecipientStatus.ENDED)
        april = batch(date(2019, 4, 1))  # sent to the bank, no result yet
        services.recipient_set_status(actor=finwork, recipient=unpaid,
                                      status=RecipientStatus.ENDED)
    return {"import": preview, "ended": ended, "active": active, "unpaid": unpaid,
            "march": march, "april": april}


def test_remittance_past_the_period(remittance_data, run):
    from remittance.metrics import figures
    from remittance.models import Batch, ImportRun, Payment, Recipient

    data = remittance_data
    march, april = data["march"], data["april"]
    bank_file, kept_file = march.export_file.name, april.export_file.name
    result_file = march.result_files.get().file.name
    roster_file = data["import"].file.name
    before = figures(start=START, end=END)
    report = run(AFTER)
    assert (report.counts["remittance.recipient"], report.counts["remittance.batch"],
            report.counts["remittance.importrun"]) == (1, 1, 1)
    ended = Recipient.objects.get(pk=data["ended"].pk)
    assert (ended.address, ended.phone, ended.card_account_no) == ("", "", "")
    assert ended.ias_case_no.startswith(ANONYMISED) and ended.district == "xiangzhou"
    assert _name(ended.person) == ANONYMISED
    assert set(Payment.objects.filter(recipient=ended).values_list("account_no", flat=True)) == {
        ANONYMISED}
    march = Batch.objects.get(pk=march.pk)
    assert not march.export_file and not march.result_files.get().file
    assert not _stored(bank_file) and not _stored(result_file)
    assert set(march.payments.values_list("account_no", flat=True)) == {ANONYMISED}
    assert march.payment_count == 3 and march.export_sha256
    run_ = ImportRun.objects.get(pk=data["import"].pk)
    assert not run_.file and run_.preview == {} and not _stored(roster_file)
    assert run_.summary["added"] == 3 and "diff" not in run_.summary
    assert "365" in AuditEvent.objects.get(action="retention.anonymise",
                                           object_type="remittance.importrun").summary
    # held: an active recipient, a payment awaiting the bank, the batch not reconciled
    for key, address in (("active", "香洲区测试路2号"), ("unpaid", "香洲区测试路3号")):
        recipient = Recipient.objects.get(pk=data[key].pk)
        assert recipient.address == address and recipient.ias_case_no.startswith("IAS-")
        assert _name(recipient.person) != ANONYMISED
    assert _stored(kept_file)
    assert ANONYMISED not in Batch.objects.get(pk=april.pk).payments.values_list(
        "account_no", flat=True)
    assert figures(start=START, end=END) == before
    assert _audited("remittance.recipient", ended.pk) and _audited("remittance.batch", march.pk)
    assert _audited("remittance.importrun", run_.pk)
    assert not any(count for name, count in run(AFTER).counts.items()
                   if name.startswith("remittance."))


# --- tempaid ----------------------------------------------------------------------------------

@pytest.fixture
def tempaid_data(users, agencies):
    from tempaid import services
    from devtools.demo import ensure_user
    from core.roles import Role

    district, finance = users["district"], users["finance"]

    def application(person, description):
        return services.application_create(
            actor=district, case=_case(district, person, "temporary_relief"), kind="illness",
            description=description, amount_requested="500", household_situation="独居，无收入")

    with time_machine.travel(OLD, tick=False):
        reviewer = ensure_user("district_b", agencies["zh-xiangzhou"], Role.DISTRICT, "赵专员")
        services.policy_version_create(actor=users["city"], effective_from=date(2019, 1, 1),
                                       standard_amount="1000")
        fund = services.fund_create(actor=finance, code="special", name="临时救助专项基金")
        services.fund_allocate(actor=finance, fund=fund, amount="100000",
                               allocated_on=date(2019, 1, 10), document_reference="珠财〔2019〕1号")
        closed = application(_person(district, "301", "梁已结"), "梁已结突发疾病住院")
        document = services.application_document_add(actor=district, application=closed,
                                                     file=_pdf("诊断证明.pdf"))
        closed = services.application_submit(actor=district, application=closed)
        closed = services.application_review_start(actor=district, application=closed)
        closed = services.application_approve(actor=reviewer, application=closed)
        closed = services.application_payment_record(actor=finance, application=closed,
                                                     payment_reference="PZ-2019-001")
        closed = services.application_close(actor=district, application=closed)
        waiting = _person(district, "302", "何未决")
        pending = services.application_submit(actor=district,
                                              application=application(waiting, "何未决火灾受损"))
        _close(district, pending.case)
    with time_machine.travel(RECENT, tick=False):
        recent = services.application_withdraw(
            actor=district, reason="家属已协助",
            application=application(_person(district, "303", "王新近"), "王新近证件遗失"))
    return {"closed": closed, "document": document, "waiting": waiting, "pending": pending,
            "recent": recent}


def test_tempaid_past_the_period(tempaid_data, run):
    from tempaid.metrics import figures
    from tempaid.models import Application, ApplicationDocument

    data = tempaid_data
    document = data["document"].file.name
    before = figures(start=START, end=END)
    report = run(AFTER)
    assert report.counts["tempaid.application"] == 1
    closed = Application.objects.get(pk=data["closed"].pk)
    assert closed.description == ANONYMISED and closed.household_situation == ""
    assert (closed.kind, closed.district, closed.status) == ("illness", "xiangzhou", "closed")
    assert closed.amount_approved == Decimal("500.00") and closed.paid_at
    assert not ApplicationDocument.objects.filter(pk=data["document"].pk).exists()
    assert not _stored(document)
    # held: an open application keeps its applicant, although the case is closed
    assert _name(data["waiting"]) == "何未决"
    assert Application.objects.get(pk=data["pending"].pk).description == "何未决火灾受损"
    assert Application.objects.get(pk=data["recent"].pk).description == "王新近证件遗失"
    assert figures(start=START, end=END) == before
    assert _audited("tempaid.application", closed.pk)
    assert run(AFTER).counts["tempaid.application"] == 0


# --- partners ---------------------------------------------------------------------------------

@pytest.fixture
def partners_data(users, agencies):
    from partners import services
    from partners.models import KpiMeasure, OrganisationKind, RegistrationPlace

    city, district, ngo = users["city"], users["district"], users["ngo"]

    def worker(name, number, valid_until):
        return services.social_worker_create(
            actor=city, organisation=organisation, name=name, phone="13900000000",
            practice_registration_number=number, practice_valid_from=date(2018, 1, 1),
            practice_valid_until=valid_until)

    def referral(person, reason):
        created = services.referral_create(
            actor=district, case=_case(district, person), contract=contract, reason=reason,
            needs="每月两次家访", consent_given=True, consent_date=date(2019, 3, 1),
            consent_form=_pdf("同意书.pdf"))
        return services.referral_send(actor=district, referral=created)

    with time_machine.travel(OLD, tick=False):
        organisation = services.organisation_create(
            actor=city, name="澳门街坊会联合总会广东办事处", kind=OrganisationKind.MACAU_NGO_OFFICE,
            registered_in=RegistrationPlace.MACAU, macau_registration_number="DSI-1",
            agency=agencies["ngo-kaifong"], districts_served=["xiangzhou"])
        lapsed = worker("何志强", "ZH-1", date(2019, 12, 31))
        current = worker("梁嘉欣", "ZH-2", date(2030, 12, 31))
        contract = services.contract_create(actor=city, title="社区关怀服务", provider=organisation,
                                            budget="100000", period_start=date(2019, 1, 1),
                                            period_end=date(2019, 12, 31))
        for name, measure in (("服务人数", KpiMeasure.PEOPLE_SERVED),
                              ("接收转介", KpiMeasure.REFERRALS_ACCEPTED)):
            services.contract_kpi_add(actor=city, contract=contract, name=name, measure=measure,
                                      target="2")
        services.contract_finance_check(actor=users["finance"], contract=contract)
        services.contract_approve(actor=city, contract=contract)
        contract = services.contract_activate(actor=city, contract=contract)
        done = _person(district, "401", "区已结")
        closed = services.referral_accept(actor=ngo, referral=referral(done, "独居长者需要家访"))
        visit = services.service_record_create(
            actor=ngo, contract=contract, worker=lapsed, service_date=date(2019, 3, 1),
            service_type="home_visit", duration_minutes=90, outcome="区已结情绪低落",
            follow_up="下月复访", referral=closed)
        group = services.service_record_create(
            actor=ngo, contract=contract, worker=current, service_date=date(2019, 3, 1),
            service_type="group_activity", duration_minutes=120, outcome="社区活动")
        closed = services.referral_close(actor=district, referral=closed)
        _close(district, closed.case)
        waiting = _person(district, "402", "冯未完")
        pending = referral(waiting, "冯未完需要陪诊")
        _close(district, pending.case)
    return {"done": done, "closed": closed, "visit": visit, "group": group, "lapsed": lapsed,
            "current": current, "waiting": waiting, "pending": pending}


def test_partners_past_the_period(partners_data, run):
    from partners.metrics import figures
    from partners.models import Referral, ServiceRecord, SocialWorker

    data = partners_data
    consent, kept_consent = data["closed"].consent_form.name, data["pending"].consent_form.name
    before = figures(start=START, end=date(2019, 12, 31))
    report = run(AFTER)
    assert (report.counts["partners.referral"], report.counts["partners.servicerecord"],
            report.counts["partners.socialworker"]) == (1, 1, 1)
    closed = Referral.objects.get(pk=data["closed"].pk)
    assert (closed.person_name, closed.person_phone, closed.person_address) == (ANONYMISED, "", "")
    assert closed.reason == ANONYMISED and closed.needs == "" and not closed.consent_form
    assert closed.consent_given and closed.status == "closed" and closed.district == "xiangzhou"
    assert not _stored(consent) and _name(data["done"]) == ANONYMISED
    for key, minutes in (("visit", 90), ("group", 120)):
        record = ServiceRecord.objects.get(pk=data[key].pk)
        assert (record.outcome, record.follow_up, record.duration_minutes) == ("", "", minutes)
    lapsed = SocialWorker.objects.get(pk=data["lapsed"].pk)
    assert (lapsed.name, lapsed.phone) == (ANONYMISED, "")
    assert lapsed.practice_valid_until == date(2019, 12, 31)
    assert SocialWorker.objects.get(pk=data["current"].pk).name == "梁嘉欣"
    # held: an open referral keeps its person and its copies, although the case is closed
    assert _name(data["waiting"]) == "冯未完"
    assert Referral.objects.get(pk=data["pending"].pk).person_name == "冯未完"
    assert _stored(kept_consent)
    assert figures(start=START, end=date(2019, 12, 31)) == before
    assert _audited("partners.referral", closed.pk)
    assert _audited("partners.servicerecord", data["group"].pk)
    assert _audited("partners.socialworker", lapsed.pk)
    assert not any(count for name, count in run(AFTER).counts.items()
                   if name.startswith("partners."))


def test_copies_follow_their_person_whatever_their_own_period(partners_data, run, settings):
    from partners.models import Referral

    settings.ZHUAO_RETENTION_DAYS = {"partners.referral": 20 * 365}
    assert run(AFTER).counts["partners.referral"] == 1  # its person was anonymised
    assert Referral.objects.get(pk=partners_data["closed"].pk).person_name == ANONYMISED


# --- cases ------------------------------------------------------------------------------------

def test_attachments_of_a_closed_case_go_with_it(users, run):
    from cases.models import CaseAttachment
    from cases.services import case_attachment_add

    district = users["district"]
    with time_machine.travel(OLD, tick=False):
        closed = _case(district, _person(district, "501", "周已结"))
        gone = case_attachment_add(actor=district, case=closed, file=_pdf("病历.pdf"))
        _close(district, closed)
        kept = case_attachment_add(actor=district, file=_pdf(),
                                   case=_case(district, _person(district, "502", "吴在办")))
    assert run(BEFORE).counts["cases.caseattachment"] == 0 and _stored(gone.file.name)
    assert run(AFTER).counts["cases.caseattachment"] == 1
    assert not CaseAttachment.objects.filter(pk=gone.pk).exists() and not _stored(gone.file.name)
    assert CaseAttachment.objects.filter(pk=kept.pk).exists() and _stored(kept.file.name)
    assert _audited("cases.caseattachment", gone.pk)


# --- every app, before the period -------------------------------------------------------------

def _snapshot() -> tuple[dict, list]:
    from django.apps import apps

    labels = ["cases.Person", "cases.CaseAttachment", "infosharing.Authorization",
              "infosharing.VerificationRequest", "infosharing.VerificationFinding",
              "infosharing.FindingAttachment", "infosharing.UrgentNotification",
              "remittance.Recipient", "remittance.Payment", "remittance.Batch",
              "remittance.ResultFile", "remittance.ImportRun", "tempaid.Application",
              "tempaid.ApplicationDocument", "partners.Referral", "partners.ServiceRecord",
              "partners.SocialWorker"]
    rows = {label: list(apps.get_model(label).objects.order_by("pk").values())
            for label in labels}
    media = Path(settings.MEDIA_ROOT)
    return rows, sorted(str(path.relative_to(media)) for path in media.rglob("*")
                        if path.is_file())


def test_nothing_changes_before_the_period(infosharing_data, remittance_data, tempaid_data,
                                           partners_data, run):
    before = _snapshot()
    assert len(before[1]) == 11  # scans, attachments, bank, result and roster files, …
    report = run(BEFORE)
    assert not any(report.counts.values()), report.counts
    assert not AuditEvent.objects.filter(action="retention.anonymise").exists()
    assert _snapshot() == before


def test_contacts_of_an_organisation_inactive_for_five_years_go(users, run):
    from stdnum.cn import uscc

    from partners import services
    from partners.models import Organisation, OrganisationKind, RegistrationPlace

    city = users["city"]

    def organisation(name, base, contact):
        return services.organisation_create(
            actor=city, name=name, kind=OrganisationKind.SOCIAL_WORK_AGENCY,
            registered_in=RegistrationPlace.MAINLAND, uscc=base + uscc.calc_check_digit(base),
            contact_person=contact,
            contact_phone="13700000000", contact_email="contact@example.org",
            districts_served=["xiangzhou"])

    with time_machine.travel(OLD, tick=False):
        closed = organisation("珠海某社工服务中心", "51440400MJL123456", "黄志明")
        services.organisation_update(actor=city, organisation=closed, status="inactive")
        active = organisation("珠海另一社工服务中心", "51440400MJL123457", "林美华")
    report = run(AFTER)
    assert report.counts["partners.organisation"] == 1
    closed = Organisation.objects.get(pk=closed.pk)
    assert (closed.contact_person, closed.contact_phone, closed.contact_email) == ("", "", "")
    assert closed.name == "珠海某社工服务中心" and closed.status == "inactive"
    assert Organisation.objects.get(pk=active.pk).contact_person == "林美华"
    assert _audited("partners.organisation", closed.pk)
