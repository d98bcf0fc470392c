"""The relief approval form (临时救助审批表) of an application, for the file and signatures."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from web.printforms import Form, render_form

def approval_form_pdf(application, *, language: str | None = None) -> bytes:
    form = Form(template="tempaid/pdf/approval_form.html",
                title=_("Temporary relief approval form"),
                reference=application.number,
                path=reverse("tempaid:detail", args=[application.pk]),
                issuer=application.owner_agency.name)
    return render_form(form, {"application": application}, language=language)
