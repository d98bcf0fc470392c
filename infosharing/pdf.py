"""Bulletin PDFs with WeasyPrint (Noto Sans CJK for simplified and traditional Chinese)."""
from __future__ import annotations

from django.template.loader import render_to_string


def bulletin_pdf(bulletin) -> bytes:
    from weasyprint import HTML

    from .bulletins import display_sections

    html = render_to_string("infosharing/pdf/bulletin.html", {
        "bulletin": bulletin, "sections": display_sections(bulletin.content)})
    return HTML(string=html).write_pdf()
