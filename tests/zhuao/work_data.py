"""Demo data made to show, for each main role, work that is overdue and work that is not yet
due (shared by the unit tests of "my work" and its browser test)."""
from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

#: The main roles of the work list and the kind of the overdue item each is given.
OVERDUE_KIND = {
    "district": "remittance.home_visit",
    "city": "remittance.home_visit",
    "macau": "infosharing.request_to_answer",
    "ngo": "partners.referral_to_accept",
    "bank": "remittance.bank_appointment",
    "leader": "infosharing.urgent_to_acknowledge",
}


def make_overdue_work() -> None:
    """On the seeded demo data: one referral sent ten days ago (the provider's answer is
    late), one bank appointment booked for yesterday and not recorded, one urgent
    notification escalated to the leader and not acknowledged in time, one verification
    request to Macau past its due date. The district's home visits of the demo are already
    past their date."""
    from infosharing.models import (AWAITING_ANSWER, DeliveryChannel, UrgentDelivery,
                                    UrgentRecipient, VerificationRequest)
    from partners.models import Referral, ReferralStatus
    from remittance.models import Appointment, AppointmentStatus
    from core.models import Agency

    now = timezone.now()
    users = {user.username: user for user in get_user_model().objects.filter(
        username__in=OVERDUE_KIND)}
    referral = Referral.objects.filter(status=ReferralStatus.SENT,
                                       organisation__agency__code="ngo-kaifong").first()
    Referral.objects.filter(pk=referral.pk).update(sent_at=now - datetime.timedelta(days=10))
    appointment = Appointment.objects.filter(status=AppointmentStatus.BOOKED,
                                             branch__bank_agency__code="bank-demo").first()
    Appointment.objects.filter(pk=appointment.pk).update(
        scheduled_at=now - datetime.timedelta(days=1))
    macau = Agency.objects.get(code="mo-ias")
    request = VerificationRequest.objects.filter(receiving_agency=macau,
                                                 status__in=AWAITING_ANSWER).first()
    VerificationRequest.objects.filter(pk=request.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3))
    recipient = UrgentRecipient.objects.filter(acknowledged_at__isnull=True).first()
    UrgentRecipient.objects.filter(pk=recipient.pk).update(
        ack_due_at=now - datetime.timedelta(hours=2))
    UrgentDelivery.objects.get_or_create(recipient=recipient, user=users["leader"],
                                         defaults={"channel": DeliveryChannel.choices[0][0],
                                                   "escalation_level": 2})
