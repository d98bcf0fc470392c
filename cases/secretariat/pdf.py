"""The minutes of an approved meeting as a PDF (WeasyPrint, Noto Sans CJK)."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from web.printforms import Form, render_form

from . import selectors


def minutes_pdf(meeting, user, *, language: str | None = None) -> bytes:
    """The approved minutes on the official form's frame (web.printforms): the organiser's
    header, a QR code of the meeting's page (a meeting has no reference number) and the
    recorder's and approver's signature blocks."""
    form = Form(template="cases/secretariat/pdf/minutes.html",
                title=pgettext_lazy("printed form", "Meeting minutes"),
                reference="", path=reverse("cases:meeting_detail", args=[meeting.pk]),
                issuer=meeting.organiser_agency.name)
    return render_form(form, {
        "meeting": meeting,
        "agenda": selectors.meeting_agenda(meeting, user),
        "action_items": meeting.action_items.select_related("owner_agency").order_by("due_date"),
        "invited_agencies": meeting.invited_agencies.all(),
    }, language=language)
