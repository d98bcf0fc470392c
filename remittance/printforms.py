"""The payment batch list for signature: every payment of the batch, the totals in MOP and CNY,
the rate, and the preparer's and the approver's signatures."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from web.printforms import Form, render_form


def batch_list_pdf(batch, payments, *, issuer: str = "", language: str | None = None) -> bytes:
    form = Form(template="remittance/pdf/batch_list.html",
                title=_("Payment batch list"), reference=batch.number,
                path=reverse("remittance:batch_detail", args=[batch.pk]), issuer=issuer)
    return render_form(form, {"batch": batch, "payments": payments}, language=language)
