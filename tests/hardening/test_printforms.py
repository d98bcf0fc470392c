"""Printed forms: each rendered from a demo record, its text read back with pdftotext for the key
fields, its QR code's payload, its audit row, and the refusal of a role that cannot see it."""
import shutil
import subprocess

import pytest
from django.urls import reverse

from infosharing.models import Authorization, VerificationRequest
from remittance.models import Batch
from tempaid.models import Application
from core.models import AuditEvent
from web.printforms import form_language, qr_payload, qr_svg

from .matrix_engine import client_for, pick

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    if shutil.which("pdftotext"):
        result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                                capture_output=True, check=True)
        return result.stdout.decode()
    from io import BytesIO

    from pypdf import PdfReader
    return "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def fetch(username, users, url):
    response = client_for(username, users, api=False).get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return text_of(response.content), response["Content-Disposition"]


def test_relief_approval_form(seeded_media):
    application = pick(Application)
    text, disposition = fetch("city", seeded_media,
                              reverse("tempaid:approval_form", args=[application.pk]))
    assert application.number in text and application.number in disposition
    assert application.person.name_zh in text
    assert str(application.amount_requested) in text
    assert "临时救助审批表" in text
    assert AuditEvent.objects.filter(action="application.form_print").exists()
    denied = client_for("ngo", seeded_media, api=False).get(
        reverse("tempaid:approval_form", args=[application.pk]))
    assert denied.status_code in (403, 404)
    other = client_for("district2", seeded_media, api=False).get(
        reverse("tempaid:approval_form", args=[application.pk]))
    assert other.status_code == 404


def test_verification_letter_and_authorization_form(seeded_media):
    verification = pick(VerificationRequest)
    text, disposition = fetch("city", seeded_media,
                              reverse("infosharing:request_letter", args=[verification.pk]))
    assert verification.number in text and verification.number in disposition
    assert verification.person.name_zh in text and "协查函" in text
    authorization = pick(Authorization)
    text, _ = fetch("city", seeded_media,
                    reverse("infosharing:authorization_form", args=[authorization.pk]))
    assert authorization.person.name_zh in text and "授权书" in text
    number = authorization.person.documents.first().number
    assert number in text.replace(" ", "")  # the full number, only on this signed form
    assert AuditEvent.objects.filter(action="authorization.form_print").exists()
    assert client_for("finance", seeded_media, api=False).get(
        reverse("infosharing:authorization_form", args=[authorization.pk])).status_code in (403, 404)


def test_payment_batch_list(seeded_media):
    batch = pick(Batch)
    text, disposition = fetch("finwork", seeded_media,
                              reverse("remittance:batch_list_form", args=[batch.pk]))
    assert batch.number in text and batch.number in disposition
    assert f"{batch.total_mop:,}".replace(",", "") in text.replace(",", "")
    assert str(batch.total_cny) in text.replace(",", "") and str(batch.rate) in text
    assert client_for("district", seeded_media, api=False).get(
        reverse("remittance:batch_list_form", args=[batch.pk])).status_code in (403, 404)


def test_traditional_chinese_for_traditional_readers(seeded_media):
    from tempaid.printforms import approval_form_pdf

    application = pick(Application)
    assert "臨時救助審批表" in text_of(approval_form_pdf(application, language="zh-hant"))
    assert "临时救助审批表" in text_of(approval_form_pdf(application, language="en"))
    assert form_language("zh-hant") == "zh-hant" and form_language("en") == "zh-hans"


def test_qr_code_holds_the_reference_number():
    import segno

    assert qr_payload(reference="TA-2026-000001", path="/tempaid/1/") == "TA-2026-000001"
    assert qr_payload(reference="", path="/infosharing/authorizations/1/") == (
        "/infosharing/authorizations/1/")
    svg = qr_svg("TA-2026-000001")
    assert svg.startswith("<svg") and svg == segno.make(
        "TA-2026-000001", error="m", micro=False).svg_inline(scale=3, border=2)


def test_meeting_minutes_on_the_official_frame(seeded_media):
    from cases.models import Meeting, MinutesStatus

    meeting = Meeting.objects.filter(minutes_status=MinutesStatus.APPROVED).first()
    text, disposition = fetch("city", seeded_media,
                              reverse("cases:meeting_minutes_pdf", args=[meeting.pk]))
    assert f"minutes-{meeting.pk}.pdf" in disposition
    flat = text.replace(" ", "")
    assert "会议纪要" in flat and meeting.title.replace(" ", "") in flat
    assert "记录人（签名）" in flat and "审批人（签名）" in flat
    path = reverse("cases:meeting_detail", args=[meeting.pk])
    assert path in text  # the QR code's payload, printed beside it
    assert qr_svg(qr_payload(path=path)).startswith("<svg")
    assert AuditEvent.objects.filter(action="meeting.minutes_pdf").exists()
    denied = client_for("ngo", seeded_media, api=False).get(
        reverse("cases:meeting_minutes_pdf", args=[meeting.pk]))
    assert denied.status_code in (403, 404)
