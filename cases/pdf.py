"""The minutes of an approved meeting as a PDF (WeasyPrint, Noto Sans CJK)."""
from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from . import selectors


def minutes_pdf(meeting, user) -> bytes:
    from weasyprint import HTML

    html = render_to_string("cases/pdf/minutes.html", {
        "meeting": meeting,
        "agenda": selectors.meeting_agenda(meeting, user),
        "action_items": meeting.action_items.select_related("owner_agency").order_by("due_date"),
        "invited_agencies": meeting.invited_agencies.all(),
        "generated_at": timezone.localtime(),
    })
    return HTML(string=html).write_pdf()


def person_pdf(person, documents, sections) -> bytes:
    """The 360° person page for a case conference."""
    from weasyprint import HTML

    html = render_to_string("cases/pdf/person.html", {
        "person": person, "documents": documents, "sections": sections,
        "generated_at": timezone.localtime(),
    })
    return HTML(string=html).write_pdf()
