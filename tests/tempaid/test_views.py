"""Pages: permissions (anonymous, wrong district, wrong role, allowed user; nothing changed when
refused), bad input with clear messages and nothing saved, statement exports."""
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone

from tempaid import services
from tempaid.models import Application, FundAllocation, LedgerEntry, PolicyVersion, Status
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def test_create_form_and_bad_amounts(client_for, case, policy, fund):
    client = client_for("district")
    assert client.get("/tempaid/new/").status_code == 200
    for raw, fragment in (("-100", "负"), ("abc", "abc"), ("12.345", "2")):
        response = client.post("/tempaid/new/", {
            "case": case.number, "kind": "illness", "description": "住院", "amount_requested": raw})
        assert response.status_code == 200
        errors = response.context["form"].errors["amount_requested"]
        assert errors and fragment in errors[0], (raw, errors)
    assert not Application.objects.exists()
    response = client.post("/tempaid/new/", {
        "case": case.number, "kind": "illness", "description": "住院", "amount_requested": "1,200.50"})
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tempaid/{application.pk}/"
    assert str(application.amount_requested) == "1200.50"


def test_create_permissions(client_for, case, policy, fund):
    data = {"case": case.number, "kind": "illness", "description": "住院", "amount_requested": "100"}
    assert client_for("anonymous").post("/tempaid/new/", data).status_code == 302
    for username in ("city", "finance", "macau", "leader"):
        assert client_for(username).post("/tempaid/new/", data).status_code == 403, username
    response = client_for("district2").post("/tempaid/new/", data)  # another district's case
    assert response.status_code == 200 and response.context["form"].errors
    assert not Application.objects.exists()


def test_detail_permissions(users, client_for, make_application, agencies):
    application = make_application("500")
    url = f"/tempaid/{application.pk}/"
    assert client_for("anonymous").get(url).status_code == 302
    assert client_for("district2").get(url).status_code == 404
    assert client_for("macau").get(url).status_code == 404
    assert client_for("finance").get(url).status_code == 404  # not approved yet
    assert client_for("leader").get(url).status_code == 403
    response = client_for("district").get(url)
    assert response.status_code == 200 and application.number in response.content.decode()
    assert AuditEvent.objects.filter(action="application.view", actor_username="district").exists()
    services.application_share(actor=users["district"], application=application,
                               agency=agencies["mo-ias"], reason="协同")
    assert client_for("macau").get(url).status_code == 200


def test_approve_refusals_change_nothing(users, client_for, reviewer, make_application):
    from tests.two_factor_clients import VerifiedClient as Client

    application = make_application("500")
    url = f"/tempaid/{application.pk}/approve/"
    assert client_for("anonymous").post(url).status_code == 302
    assert client_for("district2").post(url).status_code == 404
    assert client_for("macau").post(url).status_code == 403
    confirm = {"confirm": "yes"}
    response = client_for("district").post(url, confirm, follow=True)  # own application
    assert "自己" in " ".join(_messages(response)) or "yourself" in " ".join(_messages(response))
    response = client_for("city").post(url, confirm, follow=True)  # wrong stage for the city
    application.refresh_from_db()
    assert application.status == Status.DISTRICT_REVIEW and application.decided_by is None
    assert not LedgerEntry.objects.filter(application=application).exists()
    client = Client()
    client.force_login(reviewer)
    response = client.post(url, {"amount": "12.345", "confirm": "yes"}, follow=True)
    application.refresh_from_db()
    assert application.status == Status.DISTRICT_REVIEW
    response = client.post(url, {"amount": "", "confirm": "yes"}, follow=True)
    application.refresh_from_db()
    assert application.status == Status.APPROVED and application.decided_by == reviewer


def test_detail_page_offers_buttons_not_open_forms(client_for, reviewer, make_application):
    """Each step is a button to its own short page: the detail page holds no text field."""
    from tests.two_factor_clients import VerifiedClient as Client

    application = make_application("500")
    client = Client()
    client.force_login(reviewer)
    page = client.get(f"/tempaid/{application.pk}/").content.decode()
    assert f'href="/tempaid/{application.pk}/approve/"' in page
    assert f'href="/tempaid/{application.pk}/reject/"' in page
    assert "<textarea" not in page and 'name="amount"' not in page
    step = client.get(f"/tempaid/{application.pk}/reject/")
    assert step.status_code == 200 and 'name="reason"' in step.content.decode()
    # a step that is not open now sends the officer back to the record
    assert client.get(f"/tempaid/{application.pk}/pay/").status_code in (302, 403, 404)
    # a failed step shows its own page again with the error summary, nothing changed
    failed = client.post(f"/tempaid/{application.pk}/reject/", {"reason": ""})
    assert failed.status_code == 400 and "error-summary" in failed.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DISTRICT_REVIEW


def test_approval_check_page_then_confirmation(client_for, reviewer, make_application, fund):
    """Approving relief moves money: the officer sees the amount, the applicant and the fund's
    balance after, confirms, and lands on a confirmation page saying what happens next."""
    from tests.two_factor_clients import VerifiedClient as Client

    application = make_application("1200")
    fund.refresh_from_db()
    available = fund.available
    client = Client()
    client.force_login(reviewer)
    url = f"/tempaid/{application.pk}/approve/"
    form = client.get(url)
    assert form.status_code == 200 and 'id="id_approve_amount"' in form.content.decode()
    check = client.post(url, {"amount": "1,000", "note": "同意"})
    body = check.content.decode()
    assert check.status_code == 200 and 'name="confirm"' in body
    assert "¥1,000.00" in body and application.case.number in body
    assert f"{available - 1000:,.2f}" in body  # the available balance after the approval
    application.refresh_from_db()
    assert application.status == Status.DISTRICT_REVIEW  # nothing booked by the check page
    assert not LedgerEntry.objects.filter(application=application).exists()
    bad = client.post(url, {"amount": "12.345"})
    assert bad.status_code == 400 and 'name="confirm"' not in bad.content.decode()
    done = client.post(url, {"amount": "1000.00", "note": "同意", "confirm": "yes"})
    assert done.status_code == 302
    assert done["Location"] == f"/tempaid/{application.pk}/approve/done/"
    application.refresh_from_db()
    assert application.status == Status.APPROVED and application.amount_approved == 1000
    page = client.get(done["Location"])
    assert page.status_code == 200 and "data-confirmation" in page.content.decode()
    assert "¥1,000.00" in page.content.decode()
    assert AuditEvent.objects.filter(action="application.approve",
                                     object_id=str(application.pk)).exists()


def test_confirmation_page_permissions(users, client_for, reviewer, make_application):
    application = services.application_approve(actor=reviewer, application=make_application("300"))
    url = f"/tempaid/{application.pk}/approve/done/"
    assert client_for("anonymous").get(url).status_code == 302
    assert client_for("district2").get(url).status_code == 404
    assert client_for("macau").get(url).status_code == 403
    assert client_for("city").get(url).status_code == 200
    assert client_for("finance").get(url).status_code == 200
    assert client_for("city").get(f"/tempaid/{application.pk}/pay/done/").status_code == 404


def test_payment_page_flow(users, client_for, reviewer, make_application):
    application = services.application_approve(actor=reviewer, application=make_application("800"))
    url = f"/tempaid/{application.pk}/pay/"
    refused = client_for("district").post(url, {"payment_reference": "x"}, follow=True)
    assert any("role" in m or "角色" in m for m in _messages(refused))
    assert client_for("macau").post(url, {"payment_reference": "x"}).status_code == 403
    response = client_for("finance").post(url, {"payment_reference": ""}, follow=True)
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    response = client_for("finance").post(url, {"payment_reference": "GK-77"}, follow=True)
    application.refresh_from_db()
    assert application.status == Status.PAID and response.status_code == 200


def test_fund_page_and_allocation_permissions(client_for, fund):
    assert client_for("anonymous").get("/tempaid/fund/").status_code == 302
    for username in ("district", "macau", "leader"):
        assert client_for(username).get("/tempaid/fund/").status_code == 403, username
    assert client_for("city").get("/tempaid/fund/").status_code == 200
    data = {"allocate": "1", "allocation-amount": "5000", "allocation-allocated_on": "2026-01-05",
            "allocation-document_reference": "珠财〔2026〕1号"}
    assert client_for("city").post("/tempaid/fund/", data).status_code == 403
    bad = client_for("finance").post("/tempaid/fund/", {**data, "allocation-amount": "-1"})
    assert bad.status_code == 200 and bad.context["allocation_form"].errors
    assert FundAllocation.objects.count() == 1
    assert client_for("finance").post("/tempaid/fund/", data).status_code == 302
    assert FundAllocation.objects.count() == 2


def test_statement_page_excel_and_pdf(users, client_for, reviewer, make_application, fund):
    application = services.application_approve(actor=reviewer, application=make_application("800"))
    services.application_payment_record(actor=users["finance"], application=application,
                                        payment_reference="=HYPERLINK(\"x\")")
    today = timezone.localdate()
    query = f"?start={today - timedelta(days=1):%Y-%m-%d}&end={today:%Y-%m-%d}"
    assert client_for("district").get("/tempaid/fund/statement/" + query).status_code == 403
    page = client_for("finance").get("/tempaid/fund/statement/" + query)
    assert page.status_code == 200 and application.number in page.content.decode()

    from openpyxl import load_workbook

    xlsx = client_for("finance").get("/tempaid/fund/statement/" + query + "&format=xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    values = [cell for row in load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True)
              for cell in row if cell is not None]
    assert "'=HYPERLINK(\"x\")" in values and application.number in values

    from pypdf import PdfReader

    pdf = client_for("city").get("/tempaid/fund/statement/" + query + "&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert application.number in text and "临时救助专项基金" in text
    assert AuditEvent.objects.filter(action="fund.statement_export").count() == 2


def test_policy_page_permissions(client_for, policy):
    data = {"effective_from": "2030-01-01", "standard_amount": "1200",
            "district_limit_multiple": "3", "city_limit_multiple": "6",
            "fast_track_limit_multiple": "1", "fast_track_paperwork_days": 5,
            "frequency_limit": 2, "frequency_window_months": 12}
    assert client_for("district").get("/tempaid/policies/").status_code == 200
    assert client_for("district").post("/tempaid/policies/", data).status_code == 403
    assert client_for("macau").get("/tempaid/policies/").status_code == 403
    bad = client_for("city").post("/tempaid/policies/", {**data, "standard_amount": "-1"})
    assert bad.status_code == 200 and bad.context["form"].errors
    assert PolicyVersion.objects.count() == 1
    assert client_for("city").post("/tempaid/policies/", data).status_code == 302
    assert PolicyVersion.objects.count() == 2


def test_pages_render_for_each_role(users, client_for, make_application, reviewer):
    services.application_approve(actor=reviewer, application=make_application("500"))
    make_application("4000")
    for username in ("district", "city", "finance", "macau", "hengqin"):
        response = client_for(username).get("/tempaid/")
        assert response.status_code == 200, username
    assert client_for("leader").get("/tempaid/").status_code == 403
    home = client_for("city").get("/")
    assert home.status_code == 200


def test_document_upload_and_download(users, client_for, make_application, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = make_application("500", submit=False)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = client_for("district").post(
        f"/tempaid/{application.pk}/documents/",
        {"file": SimpleUploadedFile("诊断证明.pdf", pdf, content_type="application/pdf")})
    assert response.status_code == 302
    document = application.documents.get()
    url = f"/tempaid/{application.pk}/documents/{document.pk}/"
    assert client_for("district2").get(url).status_code == 404
    download = client_for("district").get(url)
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    bad = client_for("district").post(
        f"/tempaid/{application.pk}/documents/",
        {"file": SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")})
    assert bad.status_code == 302 and application.documents.count() == 1


def test_edit_a_draft(client_for, make_application):
    application = make_application("500", submit=False)
    url = f"/tempaid/{application.pk}/edit/"
    assert client_for("district").get(url).status_code == 200
    assert client_for("district2").get(url).status_code == 404
    assert client_for("city").get(url).status_code == 403
    data = {"kind": "disaster", "description": "火灾", "household_situation": "",
            "amount_requested": "-3"}
    bad = client_for("district").post(url, data)
    assert bad.status_code == 200 and bad.context["form"].errors["amount_requested"]
    application.refresh_from_db()
    assert application.kind == "illness" and str(application.amount_requested) == "500.00"
    assert client_for("district").post(url, {**data, "amount_requested": "650"}).status_code == 302
    application.refresh_from_db()
    assert application.kind == "disaster" and str(application.amount_requested) == "650.00"
    services.application_submit(actor=application.created_by, application=application)
    refused = client_for("district").post(url, {**data, "amount_requested": "700"})
    assert refused.status_code == 200
    application.refresh_from_db()
    assert str(application.amount_requested) == "650.00"


def test_home_panels(client_for, make_application, fund):
    make_application("4000")
    district_home = client_for("district").get("/").content.decode()
    assert "待您办理的临时救助" in district_home
    city_home = client_for("city").get("/").content.decode()
    assert "¥100,000.00" in city_home
