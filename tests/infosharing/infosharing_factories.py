"""Factories of the information-sharing tests (a module of its own: conftest is not importable)."""
from __future__ import annotations

import io
from datetime import date, timedelta
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

_numbers = count(100001)

PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
             b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def pdf_upload(name: str = "授权书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def make_person(actor, name="陈大文"):
    from cases.models import ResidenceStatus, Sex
    from cases.services import person_register

    return person_register(actor=actor, name_zh=name, sex=Sex.MALE, date_of_birth=date(1958, 3, 1),
                           residence_status=ResidenceStatus.MACAU_RESIDENT,
                           document_type="macau_id", document_number=f"1{next(_numbers):06d}(3)")


def make_case(actor, person):
    from cases.models import CaseCategory
    from cases.services import case_open

    return case_open(actor=actor, subject=person, category=CaseCategory.VERIFICATION)


def make_authorization(actor, person, *, categories=("income", "deposits"),
                       sides=("macau", "hengqin"), valid_from=None, valid_until=None):
    from infosharing.services import authorization_record

    today = timezone.localdate()
    return authorization_record(
        actor=actor, person=person, signatories=f"{person.name_zh}\n配偶 李美玲",
        categories=list(categories), sides=list(sides),
        valid_from=valid_from or today - timedelta(days=10),
        valid_until=valid_until or today + timedelta(days=365), scan=pdf_upload())
