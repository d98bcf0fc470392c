"""The 360° person page as a PDF (WeasyPrint, Noto Sans CJK); the minutes' PDF is the
secretariat's (cases/secretariat/pdf.py)."""
from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone


def person_pdf(person, documents, sections) -> bytes:
    """The 360° person page for a case conference."""
    from weasyprint import HTML

    html = render_to_string("cases/pdf/person.html", {
        "person": person, "documents": documents, "sections": sections,
        "generated_at": timezone.localtime(),
    })
    return HTML(string=html).write_pdf()
