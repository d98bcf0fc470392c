"""Retention of referrals, service records, social workers and organisations' contacts (see
core.retention; periods in docs/operations.md).

- A referral no longer open (a draft, declined or closed) and unchanged for five years, or whose
  person has been anonymised, loses the copies it holds of the person (name, phone, address),
  the reason, needs and the answer, and the consent-form scan (file); the notes of its service
  records go too. Number, case, contract, provider, district, status, consent and dates stay:
  the dashboard counts referrals sent and accepted, and the KPIs people served.
- A service record unchanged for five years loses its outcome and follow-up notes; date, type,
  duration and district stay for the service-hour KPIs.
- A social worker inactive, or whose practice registration ended, five years ago loses name,
  phone and registration numbers; the dates and flags stay.
- An organisation inactive and unchanged for five years loses its contact person's name, phone
  and e-mail; the organisation itself stays with its contracts and records.
The person stays in the register while a referral is open (sent, accepted) or changed less
than the period ago."""
from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from core.retention import ANONYMISED, Rule, delete_files

from .models import (Organisation, OrganisationStatus, Referral, ReferralStatus, ServiceRecord,
                     SocialWorker)

OPEN = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


def _referrals_due(cutoff):
    return (Referral.objects.exclude(status__in=OPEN)
            .filter(Q(updated_at__lt=cutoff) | Q(person__name_zh=ANONYMISED))
            .exclude(person_name=ANONYMISED))


def _referrals_anonymise(referrals) -> int:
    delete_files(referrals, "consent_form")
    ServiceRecord.objects.filter(referral__in=referrals).update(outcome="", follow_up="")
    return referrals.update(person_name=ANONYMISED, person_phone="", person_address="",
                            reason=ANONYMISED, needs="", decline_reason="", consent_form="",
                            consent_form_name="")


def _records_due(cutoff):
    return (ServiceRecord.objects.filter(updated_at__lt=cutoff)
            .exclude(referral__status__in=OPEN).exclude(outcome="", follow_up=""))


def _records_anonymise(records) -> int:
    return records.update(outcome="", follow_up="")


def _workers_due(cutoff):
    ended = Q(is_active=False, updated_at__lt=cutoff) | Q(
        practice_valid_until__lt=timezone.localdate(cutoff))
    return SocialWorker.objects.filter(ended).exclude(name=ANONYMISED)


def _workers_anonymise(workers) -> int:
    return workers.update(name=ANONYMISED, phone="", macau_registration_number="",
                          practice_registration_number=ANONYMISED)


def _contacts_due(cutoff):
    return (Organisation.objects.filter(status=OrganisationStatus.INACTIVE, updated_at__lt=cutoff)
            .exclude(contact_person="", contact_phone="", contact_email=""))


def _contacts_remove(organisations) -> int:
    return organisations.update(contact_person="", contact_phone="", contact_email="")


def _people_held(cutoff):
    return (Referral.objects.filter(Q(status__in=OPEN) | Q(updated_at__gte=cutoff))
            .values("person_id"))


RULES = [
    Rule(name="partners.referral", due=_referrals_due, apply=_referrals_anonymise,
         description="Referrals no longer open, five years on: the person's name, phone, "
                     "address, the reason, needs and consent scan removed; counts kept."),
    Rule(name="partners.servicerecord", due=_records_due, apply=_records_anonymise,
         description="Service records five years on: outcome and follow-up notes removed; "
                     "date, type and duration kept."),
    Rule(name="partners.socialworker", due=_workers_due, apply=_workers_anonymise,
         description="Social workers inactive or unregistered for five years: name, phone and "
                     "registration numbers removed."),
    Rule(name="partners.organisation", due=_contacts_due, apply=_contacts_remove,
         description="Organisations inactive for five years: the contact person's name, phone "
                     "and e-mail removed; the organisation stays."),
]
HOLDS = {"cases.person": _people_held}
