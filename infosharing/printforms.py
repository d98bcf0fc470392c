"""The printed forms of information sharing: the person's authorization form (授权书) and the
verification letter (协查函) to the asked side."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.identity import mask
from web.printforms import Form, render_form

from .models import AskableSide, DataCategory


def _ticks(chosen, choices) -> list[tuple[str, bool]]:
    """Every choice with whether it was chosen: the form shows the boxes not ticked too."""
    return [(label, value in chosen) for value, label in choices]


def authorization_form_pdf(authorization, *, language: str | None = None) -> bytes:
    """The form the person (and the household members) sign: the full document numbers are
    printed here, and only here, since a signed authorization must name the document."""
    person = authorization.person
    form = Form(template="infosharing/pdf/authorization_form.html",
                title=_("Authorization for the verification of personal information"),
                reference="",
                path=reverse("infosharing:authorization_detail", args=[authorization.pk]),
                issuer=authorization.owner_agency.name)
    return render_form(form, {
        "authorization": authorization, "person": person,
        "documents": list(person.documents.order_by("document_type", "id")),
        "categories": _ticks(authorization.categories, DataCategory.choices),
        "sides": _ticks(authorization.sides, AskableSide.choices),
        "signatories": [line for line in authorization.signatories.splitlines() if line.strip()],
    }, language=language)


def verification_letter_pdf(verification, *, language: str | None = None) -> bytes:
    """The letter asking the other side to verify: the items asked, the due date and whom to
    contact. The person is named by name and masked document number."""
    form = Form(template="infosharing/pdf/verification_letter.html",
                title=_("Letter requesting verification"),
                reference=verification.number,
                path=reverse("infosharing:request_detail", args=[verification.pk]),
                issuer=verification.requesting_agency.name)
    labels = dict(DataCategory.choices)
    return render_form(form, {
        "verification": verification, "person": verification.person,
        "documents": [(document.get_document_type_display(), mask(document.number))
                      for document in verification.person.documents.order_by("document_type", "id")],
        "items": [labels.get(value, value) for value in verification.categories],
        "contact": verification.created_by,
    }, language=language)
