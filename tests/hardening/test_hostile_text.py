"""Hostile text in every free-text field users type: shown escaped in pages, SVG charts and
PDFs; written as text (not formulas) in spreadsheet and CSV exports.

The payload goes in through each app's services, the output is read back as the user gets it
(test client, the PDF's text, the workbook's cells). Every check asserts the escaped (or
literal) form is present, so a page that simply does not show the field fails too."""
from __future__ import annotations

import csv
import io
import re
import sys
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from pilot import charts

for _app in ("cases", "infosharing", "tempaid", "pilot", "remittance"):  # the apps' factories
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / _app))

import cases_factories  # noqa: E402
import infosharing_factories  # noqa: E402
import pilot_factories  # noqa: E402
import remittance_factories  # noqa: E402
import tempaid_factories  # noqa: E402

pytestmark = pytest.mark.django_db

#: Breaks out of an attribute value, opens a script, and an element with an event handler.
PAYLOAD = "\"'><script>alert(1)</script><img src=x onerror=alert(2)>&"
#: What must be in the HTML instead (a prefix of escape(PAYLOAD), so short displays show it).
MARK = "&lt;script&gt;alert(1)&lt;/script&gt;"
FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(1)", "-2+3"]


class _Markup(HTMLParser):
    """What the browser would run: script elements and on* attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._script = [], False

    def handle_starttag(self, tag, attrs):
        self._script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script and "alert(" in data:
            self.found.append(f"<script>{data}</script>")


def assert_no_markup(html: str, where: str) -> None:
    assert "<script>alert(1)</script>" not in html, where
    assert "<img src=x onerror=alert(2)>" not in html, where
    parser = _Markup()
    parser.feed(html)
    assert not parser.found, (where, parser.found)


def assert_pages(client, urls, mark: str = MARK) -> None:
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        html = response.content.decode()
        assert_no_markup(html, url)
        assert mark in html, f"{url}: the escaped payload is not on the page"


def assert_inbox_holds_no_typed_text(client, mark: str = MARK) -> None:
    """The inbox names records; what users typed stays on the records' pages, behind their
    visibility doors (issue 23, finding 3): neither the markup nor its escaped text is there."""
    response = client.get(reverse("inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_markup(html, "inbox")
    assert mark not in html, "typed text was copied into the inbox"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    assert data.startswith(b"%PDF")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def assert_pdf_shows_payload(data: bytes, where: str, fields: int) -> None:
    """The markup is printed as characters, once for each of ``fields`` fields carrying it
    (so one field rendered as markup fails), and never HTML-escaped a second time."""
    text = squash(pdf_text(data))
    assert text.count(squash(PAYLOAD)) >= fields, (where, text.count(squash(PAYLOAD)))
    assert "&lt;" not in text and "&amp;" not in text and "&quot;" not in text, where


def assert_formulas_neutralised(cells, where: str) -> None:
    for formula in FORMULAS:
        assert "'" + formula in cells, (where, formula)
        assert formula not in cells, (where, formula)


# --- SVG charts (pilot/charts.py: mark_safe after escape) --------------------------------------

_DAY = date(2022, 1, 1)
#: Every chart kind with the payload as title, description, labels, series names and legend.
CHARTS = {
    "bar": lambda: charts.bar_chart(PAYLOAD, [(PAYLOAD, 3)], description=PAYLOAD, width=2000),
    "stacked": lambda: charts.stacked_bar_chart(PAYLOAD, [PAYLOAD], [(PAYLOAD, [2], None)],
                                                description=PAYLOAD, width=2000),
    "line": lambda: charts.line_chart(PAYLOAD, [PAYLOAD, "b"], [(PAYLOAD, [1, 2])],
                                      description=PAYLOAD, width=2000),
    "donut": lambda: charts.donut_chart(PAYLOAD, [(PAYLOAD, 1, None), ("b", 1, None)],
                                        description=PAYLOAD, width=3000, centre=PAYLOAD),
    "timeline": lambda: charts.timeline_chart(
        PAYLOAD, _DAY, date(2022, 12, 31), [(PAYLOAD, _DAY, date(2022, 3, 1), None)],
        markers=[(PAYLOAD, date(2022, 6, 1), None)], description=PAYLOAD,
        month_label=lambda month: PAYLOAD),
    "empty": lambda: charts.bar_chart(PAYLOAD, [], description=PAYLOAD, empty=PAYLOAD),
}


@pytest.mark.parametrize("kind", CHARTS)
def test_chart_labels_titles_and_descriptions_are_escaped(kind):
    svg = str(CHARTS[kind]())
    assert_no_markup(svg, kind)
    root = ElementTree.fromstring(svg)  # well-formed: nothing broke out of a text node
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert tags <= {"svg", "title", "desc", "text", "rect", "line", "path", "circle",
                    "polyline"}, tags
    assert not [name for element in root.iter() for name in element.attrib
                if name.startswith("on")]
    texts = [element.text or "" for element in root.iter()
             if element.tag.rsplit("}", 1)[-1] in ("title", "desc", "text")]
    assert texts.count(PAYLOAD) >= 2, texts  # title and description in full, as characters
    assert escape(PAYLOAD) in svg


# --- cases: people, cases, meetings, minutes PDF, export ----------------------------------------

def test_cases_pages_minutes_pdf_and_export(client_for, users, agencies):
    from cases import services
    from cases.secretariat import services as meeting_services

    district, city = users["district"], users["city"]
    person = cases_factories.person(district, name=PAYLOAD)
    services.person_update(actor=district, person=person, name_zh=PAYLOAD, name_latin=PAYLOAD,
                           sex=person.sex, date_of_birth=person.date_of_birth,
                           residence_status=person.residence_status, phone="",
                           address=PAYLOAD, district="xiangzhou")
    household = services.household_create(actor=district, head=person, address=PAYLOAD,
                                          district="xiangzhou")
    case = cases_factories.case(district, person, summary=PAYLOAD, household=household)
    services.case_note_add(actor=district, case=case, text=PAYLOAD)
    for formula in FORMULAS:
        cases_factories.case(district, cases_factories.person(district, name=formula))

    meeting = meeting_services.meeting_create(
        actor=city, title=PAYLOAD, kind="joint_conference", place=PAYLOAD,
        starts_at=timezone.now() - timedelta(hours=2), invited_agencies=[agencies["mo-ias"]],
        invited_people=[users["macau"]])
    item = meeting_services.agenda_item_add(actor=city, meeting=meeting, title=PAYLOAD,
                                            reason=PAYLOAD, kind="key_case_review",
                                            cases=[case])
    # a key-case review is decided at a held meeting, with its outcome and who took part
    meeting_services.meeting_status_change(actor=city, meeting=meeting, status="held")
    decision = meeting_services.decision_record(actor=city, agenda_item=item, text=PAYLOAD,
                                                outcome="approved",
                                                participating_agencies=[agencies["mo-ias"]])
    action = meeting_services.action_item_create(  # overdue, so on the district's home page too
        actor=city, meeting=meeting, title=PAYLOAD, description=PAYLOAD, decision=decision,
        owner_agency=agencies["zh-xiangzhou"], due_date=timezone.localdate() - timedelta(days=1))
    meeting_services.action_item_progress(actor=district, action_item=action, text=PAYLOAD)
    meeting_services.minutes_save(actor=city, meeting=meeting, text=PAYLOAD)
    meeting_services.minutes_circulate(actor=city, meeting=meeting)

    assert_pages(client_for("district"), [
        reverse("cases:person_list"), reverse("cases:person_detail", args=[person.pk]),
        reverse("cases:person_edit", args=[person.pk]),
        reverse("cases:household_detail", args=[household.pk]),
        reverse("cases:case_list"), reverse("cases:case_detail", args=[case.pk]),
        reverse("cases:case_edit", args=[case.pk]),
        reverse("cases:action_item_list"), reverse("cases:action_item_detail", args=[action.pk]),
        reverse("home")])
    assert_inbox_holds_no_typed_text(client_for("hengqin"))  # told of the publication too
    assert_pages(client_for("city"), [reverse("cases:meeting_list"),
                                      reverse("cases:meeting_detail", args=[meeting.pk])])
    assert_pages(client_for("macau"), [reverse("cases:meeting_detail", args=[meeting.pk])])
    assert_inbox_holds_no_typed_text(client_for("macau"))

    meeting_services.minutes_approve(actor=city, meeting=meeting)
    pdf = client_for("macau").get(reverse("cases:meeting_minutes_pdf", args=[meeting.pk]))
    assert pdf.status_code == 200
    assert_pdf_shows_payload(pdf.content, "minutes PDF", 6)  # title, place, minutes, item,
    # decision, action item

    from openpyxl import load_workbook

    export = client_for("district").get(reverse("cases:case_export"))
    assert export.status_code == 200
    cells = [cell for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(
        values_only=True) for cell in row]
    assert PAYLOAD in cells  # markup is plain text in a spreadsheet
    assert_formulas_neutralised(cells, "case export")


# --- infosharing: verification, urgent notifications, bulletin PDF ------------------------------

def test_infosharing_pages_and_bulletin_pdf(client_for, users, agencies):
    from infosharing import services
    from infosharing.models import EmergencyKind

    district, macau = users["district"], users["macau"]
    person = infosharing_factories.make_person(district, name=PAYLOAD)
    case = infosharing_factories.make_case(district, person)
    authorization = infosharing_factories.make_authorization(district, person)
    request = services.verification_request_create(
        actor=district, case=case, categories=["income", "deposits"], receiving_side="macau",
        question=PAYLOAD, authorization=authorization)
    services.verification_request_send(actor=district, request=request)
    services.verification_request_receive(actor=macau, request=request)
    services.verification_request_answer(actor=macau, request=request, findings=[
        {"category": "income", "outcome": "found", "text": PAYLOAD},
        {"category": "deposits", "outcome": "nothing_found", "text": PAYLOAD}])
    urgent = services.urgent_notification_send(
        actor=district, person=person, kind=EmergencyKind.HOSPITALISATION,
        occurred_at=timezone.now(), description=PAYLOAD, agencies=[agencies["mo-ias"]])

    assert_pages(client_for("district"), [
        reverse("infosharing:request_detail", args=[request.pk]),
        reverse("infosharing:authorization_list"),
        reverse("infosharing:authorization_detail", args=[authorization.pk]),
        reverse("infosharing:urgent_list"), reverse("infosharing:urgent_detail", args=[urgent.pk])])
    assert_pages(client_for("macau"), [
        reverse("infosharing:request_detail", args=[request.pk]),
        reverse("infosharing:urgent_detail", args=[urgent.pk])])
    assert_inbox_holds_no_typed_text(client_for("macau"))

    # Agency names are typed in the admin site; the cases of common concern by each side.
    reporting = agencies["zh-xiangzhou"]
    reporting.name_zh_hans = reporting.name_zh_hant = reporting.name_en = PAYLOAD
    reporting.save()
    today = timezone.localdate()
    bulletin, _created = services.bulletin_open(period_start=today.replace(day=1), period_end=today)
    services.bulletin_section_save(actor=macau, bulletin=bulletin, side="macau",
                                   common_concern=PAYLOAD)
    assert_pages(client_for("macau"), [reverse("infosharing:bulletin_detail", args=[bulletin.pk]),
                                       reverse("infosharing:bulletin_section", args=[bulletin.pk])])
    services.bulletin_publish(actor=users["city"], bulletin=bulletin)
    assert_pages(client_for("macau"), [reverse("infosharing:request_list"),
                                       reverse("infosharing:bulletin_detail", args=[bulletin.pk])])
    assert_pages(client_for("city"), [reverse("infosharing:bulletin_detail", args=[bulletin.pk])])
    assert_inbox_holds_no_typed_text(client_for("macau"))
    assert_inbox_holds_no_typed_text(client_for("hengqin"))  # told of the publication too
    pdf = client_for("macau").get(reverse("infosharing:bulletin_pdf", args=[bulletin.pk]))
    assert pdf.status_code == 200
    assert_pdf_shows_payload(pdf.content, "bulletin PDF", 2)  # Macau's text, a recipient's name


# --- tempaid: applications, the fund, its statement (page, PDF, XLSX) ---------------------------

def test_tempaid_pages_statement_pdf_and_xlsx(client_for, users, agencies):
    from openpyxl import load_workbook

    from tempaid import services

    finance = users["finance"]
    tempaid_factories.policy(users["city"])
    fund = services.fund_create(actor=finance, code="special", name=PAYLOAD)
    for reference in [PAYLOAD, *FORMULAS]:
        services.fund_allocate(actor=finance, fund=fund, amount="25000",
                               allocated_on=date(2022, 1, 10), document_reference=reference)
    case = tempaid_factories.case(users["district"], name=PAYLOAD)
    application = services.application_create(
        actor=users["district"], case=case, kind="illness", description=PAYLOAD,
        amount_requested="800", household_situation=PAYLOAD)
    application = services.application_submit(actor=users["district"], application=application)
    application = services.application_review_start(actor=users["district"],
                                                    application=application)
    reviewer = tempaid_factories.second_district_officer(agencies)
    application = services.application_approve(actor=reviewer, application=application)
    services.application_payment_record(actor=finance, application=application,
                                        payment_reference=PAYLOAD)

    assert_pages(client_for("district"), [
        reverse("tempaid:list"), reverse("tempaid:detail", args=[application.pk])])
    today = timezone.localdate()
    statement = (reverse("tempaid:statement")
                 + f"?start={today - timedelta(days=1):%Y-%m-%d}&end={today:%Y-%m-%d}")
    assert_pages(client_for("finance"), [reverse("tempaid:fund"), statement,
                                         reverse("tempaid:detail", args=[application.pk])])

    pdf = client_for("finance").get(statement + "&format=pdf")
    assert pdf.status_code == 200
    assert_pdf_shows_payload(pdf.content, "fund statement PDF", 4)  # fund name (title and
    # footer), the allocation's and the payment's references

    xlsx = client_for("finance").get(statement + "&format=xlsx")
    assert xlsx.status_code == 200
    cells = [cell for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(
        values_only=True) for cell in row]
    assert PAYLOAD in cells
    assert_formulas_neutralised(cells, "fund statement XLSX")


# --- partners: organisations, contracts, referrals, service records -----------------------------

def _partners_world(users, agencies) -> dict:
    """An organisation, worker, contract and KPI named with the payload, a referral with it as
    reason and needs, accepted, and a service record with it as outcome and follow-up."""
    from partners import services
    from partners.models import KpiMeasure, OrganisationKind, RegistrationPlace, ServiceType

    city, today = users["city"], timezone.localdate()
    organisation = services.organisation_create(
        actor=city, name=PAYLOAD, name_en=PAYLOAD, kind=OrganisationKind.MACAU_NGO_OFFICE,
        registered_in=RegistrationPlace.MACAU, macau_registration_number="DSI-1",
        agency=agencies["ngo-kaifong"], contact_person=PAYLOAD, address=PAYLOAD,
        services_offered=PAYLOAD, districts_served=["xiangzhou", "doumen"])
    worker = services.social_worker_create(
        actor=city, organisation=organisation, name=PAYLOAD, practice_registration_number="ZH-1",
        practice_valid_from=today - timedelta(days=400),
        practice_valid_until=today + timedelta(days=300))
    contract = services.contract_create(
        actor=city, title=PAYLOAD, provider=organisation, budget="100000",
        period_start=today - timedelta(days=100), period_end=today + timedelta(days=200),
        service_scope=PAYLOAD)
    services.contract_kpi_add(actor=city, contract=contract, name=PAYLOAD,
                              measure=KpiMeasure.SERVICE_HOURS, target="10")
    services.contract_finance_check(actor=users["finance"], contract=contract)
    services.contract_approve(actor=city, contract=contract)
    services.contract_activate(actor=city, contract=contract)
    contract.refresh_from_db()
    case = cases_factories.case(users["district"], cases_factories.person(
        users["district"], name=PAYLOAD, district="xiangzhou"))
    referral = services.referral_create(
        actor=users["district"], case=case, contract=contract, reason=PAYLOAD, needs=PAYLOAD,
        consent_given=True, consent_date=today)
    referral = services.referral_send(actor=users["district"], referral=referral)
    referral = services.referral_accept(actor=users["ngo"], referral=referral)
    record = services.service_record_create(
        actor=users["ngo"], contract=contract, worker=worker, service_date=today,
        service_type=ServiceType.HOME_VISIT, duration_minutes=90, outcome=PAYLOAD,
        follow_up=PAYLOAD, referral=referral)
    return {"organisation": organisation, "worker": worker, "contract": contract,
            "referral": referral, "record": record}


def test_partners_pages(client_for, users, agencies):
    world = _partners_world(users, agencies)
    referral = reverse("partners:referral_detail", args=[world["referral"].pk])
    assert_pages(client_for("city"), [
        reverse("partners:organisation_list"),
        reverse("partners:organisation_detail", args=[world["organisation"].pk]),
        reverse("partners:organisation_edit", args=[world["organisation"].pk]),
        reverse("partners:social_worker_list"),
        reverse("partners:social_worker_detail", args=[world["worker"].pk]),
        reverse("partners:contract_list"),
        reverse("partners:contract_detail", args=[world["contract"].pk]),
        reverse("partners:service_record_list"), reverse("partners:figures")])
    assert_pages(client_for("district"), [reverse("partners:referral_list"), referral])
    assert_pages(client_for("ngo"), [reverse("partners:referral_list"), referral,
                                     reverse("partners:service_record_list")])
    assert_inbox_holds_no_typed_text(client_for("ngo"))


# --- pilot: tasks, progress, dashboard SVG, year-end report PDF ---------------------------------

def test_pilot_pages_dashboard_svg_and_report_pdf(client_for, users, agencies):
    from pilot import services
    from pilot.models import ProgressStatus

    city, today = users["city"], timezone.localdate()
    plan = pilot_factories.plan_2021()
    services.plan_update_summary(actor=city, plan=plan, problems=PAYLOAD, next_steps=PAYLOAD)
    services.stage_create(actor=city, plan=plan, order=99, name=PAYLOAD,
                          starts_on=plan.starts_on, ends_on=plan.ends_on, description=PAYLOAD)
    task = services.task_create(actor=city, plan=plan, number=99, content=PAYLOAD,
                                key_points=PAYLOAD, lead_units="市民政局",
                                deadline=plan.ends_on.replace(day=1))
    progress = services.progress_report_submit(
        actor=city, task=task, reported_on=min(today, plan.ends_on), status=ProgressStatus.IN_PROGRESS, percent=40,
        narrative=PAYLOAD)
    # accepted, so its narrative counts in the report (pending reports do not: issue 23)
    services.progress_report_review(actor=city, report=progress, accept=True)
    _partners_world(users, agencies)  # a KPI named with the payload: the partners panel chart

    period = f"?start={today - timedelta(days=30):%Y-%m-%d}&end={today:%Y-%m-%d}"
    dashboard = reverse("pilot:dashboard") + period
    assert_pages(client_for("city"), [
        reverse("pilot:plan_detail", args=[plan.pk]), reverse("pilot:task_detail", args=[task.pk]),
        reverse("pilot:task_edit", args=[task.pk]), reverse("pilot:progress_list"),
        reverse("pilot:progress_detail", args=[progress.pk]),
        reverse("pilot:plan_summary", args=[plan.pk]), dashboard])

    html = client_for("leader").get(dashboard).content.decode()
    assert_no_markup(html, "dashboard")
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    for svg in svgs:
        assert "<script" not in svg and "<img" not in svg
        ElementTree.fromstring(svg)  # still well-formed SVG
    # labels are cut to fit, so look for the escaped start of the payload: the stage (stacked
    # bars, timeline), the task (timeline) and the KPI (the partners panel's bar chart)
    labelled = {re.search(r'class="chart chart--(\w+)"', svg).group(1)
                for svg in svgs if "&quot;&#x27;&gt;&lt;scri" in svg}
    assert labelled == {"stacked", "timeline", "bar"}, labelled

    report = services.pilot_report_request(actor=users["leader"], plan=plan,
                                           period_start=today - timedelta(days=30),
                                           period_end=today)
    report = services.pilot_report_generate(report_id=report.pk)
    assert report.status == "done", report.error
    with report.file.open("rb") as handle:
        assert_pdf_shows_payload(handle.read(), "pilot year-end report", 8)  # problems,
        # next steps, the task's content, key points and narrative; the partners chapter's
        # KPI (chart data and KPI table) and contract


# --- remittance: roster import, recipient pages, the bank file ----------------------------------

def test_remittance_pages_and_bank_file(client_for, users):
    from remittance import services

    finwork = users["finwork"]
    names = [PAYLOAD, *FORMULAS]
    recipients = remittance_factories.activated(finwork, [
        remittance_factories.row(n, name=name, address=PAYLOAD)
        for n, name in enumerate(names, start=1)])
    assert [recipient.person.name_zh for recipient in recipients] == names
    batch = services.batch_prepare(actor=users["city"], period=date(2022, 7, 1),
                                   rate=Decimal("0.873215"), rate_date=date(2022, 6, 30),
                                   rate_source=PAYLOAD)
    services.batch_approve(actor=remittance_factories.checker(), batch=batch)
    batch = services.batch_export(actor=finwork, batch=batch)
    refused = services.roster_import_preview(  # the error messages quote the cell
        actor=finwork, uploaded_file=remittance_factories.upload(remittance_factories.csv_bytes(
            [remittance_factories.row(9, aid_type=PAYLOAD, district=PAYLOAD)])))
    assert refused.error_count

    assert_pages(client_for("finwork"), [
        reverse("remittance:recipient_list"),
        reverse("remittance:recipient_detail", args=[recipients[0].pk]),
        reverse("remittance:import_detail", args=[refused.pk]),
        reverse("remittance:batch_detail", args=[batch.pk]), reverse("remittance:payment_list")])

    with batch.export_file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8"))))
    column = services.BANK_FILE_HEADER.index("account_name")
    cells = [row[column] for row in rows if row[0] == "D"]
    assert PAYLOAD in cells
    assert_formulas_neutralised(cells, "bank file CSV")


# --- templates/includes/form.html -----------------------------------------------------------

def test_form_help_texts_are_escaped():
    """The shared form template prints help texts escaped, as every other value."""
    from django import forms
    from django.template.loader import render_to_string

    class Form(forms.Form):
        name = forms.CharField(help_text=PAYLOAD)

    html = render_to_string("includes/form.html", {"form": Form()})
    assert_no_markup(html, "includes/form.html")
    assert MARK in html
