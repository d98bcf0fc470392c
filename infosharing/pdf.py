"""Bulletin PDFs with WeasyPrint (Noto Sans CJK for simplified and traditional Chinese)."""
from __future__ import annotations

from django.template.loader import render_to_string

from .bulletins import display_sections
from .selectors import bulletin_writer_side


def bulletin_pdf(bulletin, *, user=None) -> bytes:
    """The bulletin as its readers see it: every section of a published bulletin; of an open
    one (a contributing side's preview), the content of ``user``'s own side only."""
    from weasyprint import HTML


    sections = list(bulletin.sections.select_related("agency").order_by("id"))
    if bulletin.is_open:

        own_side = bulletin_writer_side(user) if user is not None else None
        sections = [section for section in sections if section.side == own_side]
    for section in sections:
        section.blocks = display_sections({"sections": section.content})
    html = render_to_string("infosharing/pdf/bulletin.html", {
        "bulletin": bulletin, "sections": sections,
        "recipients": bulletin.recipients.select_related("agency").order_by("agency__code")})
    return HTML(string=html).write_pdf()
