"""Showing a full identity-document or bank-account number: a deliberate act with a reason.

Pages, the API and exports show numbers masked (``core.identity.mask``). A user whose work
needs the full number asks for it with a reason (``RevealForm``); the app's reveal service
checks the role and the visibility door, counts the user's reveals of the last hour against
``settings.REVEAL_LIMIT_PER_HOUR`` and audits who revealed which number and why (refusals
too, by ``core.audit.refusals_audited``). The answer shows the number once and is never
cached (``no_store``).

Who may reveal (decided by the work that needs the number):

* an identity-document number: the register's officers of the side that holds the person
  (city and district officers, Macau and Hengqin liaisons) for a person they see, and the
  partner bank's staff for a recipient routed to their bank (identity check at the counter);
* a bank-card account number: the remittance officers who record card onboarding (city and
  Financial Work bureau officers) for a recipient they may change, and the partner bank's
  staff for a recipient routed to their bank.

Leadership, finance, NGO staff and the system administrator never see a full number."""
from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.db import models
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError
from core.models import AuditEvent, AuditOutcome
from web.forms import add_service_error

#: The audit actions of a successful reveal; the hourly limit counts them.
REVEAL_ACTIONS = ("identity_document.reveal", "recipient_account.reveal")


class RevealReason(models.TextChoices):
    COUNTER_CHECK = "counter_check", _("Verify identity at the counter")
    CARD_ONBOARDING = "card_onboarding", _("Bank card onboarding")
    PAYMENT_QUERY = "payment_query", _("Answer a payment or bank query")
    VERIFICATION = "verification", _("Verify the person with another agency")
    OTHER = "other", _("Other (say which)")


class RevealForm(forms.Form):
    """The reason for a reveal or a full-number export: a choice, and words for "other"."""

    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *RevealReason.choices])
    note = forms.CharField(label=_("Details"), max_length=200, required=False,
                           help_text=_("Required when the reason is “other”."))

    def clean(self):
        data = super().clean()
        if data.get("reason") == RevealReason.OTHER and not data.get("note", "").strip():
            self.add_error("note", _("Say why you need the full number."))
        return data


def reason_text(reason: str, note: str = "") -> str:
    """The reason as the audit trail keeps it: the code, and the words typed for "other"."""
    note = (note or "").strip()
    return f"{reason}: {note}"[:200] if note else reason


def check_reason(reason: str, note: str = "") -> None:
    """Refuse a reveal or full export without a valid reason (the API's check; the pages'
    form says the same)."""
    if reason not in RevealReason.values:
        raise ApplicationError(_("Choose the reason you need the full number."),
                               code="reason_required", field="reason")
    if reason == RevealReason.OTHER and not (note or "").strip():
        raise ApplicationError(_("Say why you need the full number."), code="reason_required",
                               field="note")


def reveals_in_last_hour(actor) -> int:
    since = timezone.now() - datetime.timedelta(hours=1)
    return AuditEvent.objects.filter(actor_id=actor.pk, action__in=REVEAL_ACTIONS,
                                     outcome=AuditOutcome.SUCCESS,
                                     occurred_at__gte=since).count()


def check_rate(actor) -> None:
    """Refuse the reveal past the hourly limit (the refusal is audited by the service)."""
    limit = settings.REVEAL_LIMIT_PER_HOUR
    if reveals_in_last_hour(actor) >= limit:
        raise ApplicationError(
            _("You have revealed %(limit)s numbers in the last hour, the most allowed. Try "
              "again later or ask your supervisor.") % {"limit": limit},
            code="reveal_rate_limited", status=403)


def no_store(response):
    """A response holding a full number: never kept by the browser or a proxy."""
    response["Cache-Control"] = "no-store, private, max-age=0"
    response["Pragma"] = "no-cache"
    return response


def reveal_page(request, *, record: str, kind: str, masked: str, back_url: str, reveal):
    """The reveal page of one number: GET shows the masked number and the reason form; POST
    calls ``reveal(reason, note)`` (the app's service) and shows the full number once. A
    refusal goes on the form. Never cached."""
    form = RevealForm(request.POST if request.method == "POST" else None)
    number = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                number = reveal(form.cleaned_data["reason"], form.cleaned_data["note"])
            except ApplicationError as error:
                add_service_error(form, error)
                status = error.status if error.status in (403, 409) else 400
        else:
            status = 400
    response = render(request, "zhuao/reveal.html", {
        "record": record, "kind": kind, "masked": masked, "back_url": back_url, "form": form,
        "number": number}, status=status)
    return no_store(response)
