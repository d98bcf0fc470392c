from django.utils.translation import gettext_lazy as _

from core.roles import has_role
from core.work import WorkSource
from web.navigation import Panel

from .models import AppointmentStatus, BatchStatus, OnboardingStatus
from .permissions import BANK_ROLES, CHECKER_ROLES
from .selectors import (
    appointment_visible_to,
    bank_appointment_visible_to,
    batch_visible_to,
    recipient_visible_to,
)


def panels(request) -> list[Panel]:
    user = request.user
    result: list[Panel] = []
    if has_role(user, *CHECKER_ROLES):
        waiting = list(batch_visible_to(user).filter(status=BatchStatus.PREPARED)
                       .exclude(prepared_by=user).select_related(None)
                       .only("pk", "number", "period", "payment_count")[:10])
        if waiting:
            result.append(Panel(_("Batches awaiting your approval"),
                                "remittance/panels/batches.html", {"batches": waiting}, order=40))
    if has_role(user, *BANK_ROLES):
        booked = list(bank_appointment_visible_to(user).filter(status=AppointmentStatus.BOOKED)
                      .order_by("scheduled_at")[:10])
        if booked:
            result.append(Panel(_("Your bank's priority-channel appointments"),
                                "remittance/panels/bank_appointments.html",
                                {"appointments": booked}, order=44))
    changeable = recipient_visible_to(user, permission="change")
    if changeable.query.is_empty():
        return result
    visits = list(changeable.filter(onboarding_status=OnboardingStatus.VISIT_SCHEDULED)
                  .order_by("visit_date").select_related(None).select_related("person")
                  .only("pk", "visit_date", "person__name_zh")[:10])
    if visits:
        result.append(Panel(_("Home visits for card opening"), "remittance/panels/visits.html",
                            {"recipients": visits}, order=45))
    booked = list(appointment_visible_to(user, permission="change")
                  .filter(status=AppointmentStatus.BOOKED).order_by("scheduled_at")
                  .select_related(None).select_related("recipient__person", "branch")
                  .only("scheduled_at", "recipient__person__name_zh", "branch__name")[:10])
    if booked:
        result.append(Panel(_("Priority-channel appointments"),
                            "remittance/panels/appointments.html", {"appointments": booked},
                            order=46))
    return result


def work_sources(user, *, since) -> list:
    """Batches to check (not one's own); the bank's booked appointments to handle; home
    visits for card opening and booked appointments whose outcome is to record. A booked
    appointment or visit in the past is not "upcoming": it is overdue, its outcome unrecorded."""
    sources = []
    if has_role(user, *CHECKER_ROLES):
        sources.append(WorkSource("remittance.batch_to_check", _("Payment batch to check"),
                                  batch_visible_to(user).filter(status=BatchStatus.PREPARED)
                                  .exclude(prepared_by=user), "remittance:batch_detail"))
    if has_role(user, *BANK_ROLES):
        sources.append(WorkSource("remittance.bank_appointment",
                                  _("Priority-channel appointment to handle"),
                                  bank_appointment_visible_to(user)
                                  .filter(status=AppointmentStatus.BOOKED),
                                  "remittance:bank_appointment_outcome", reference="pk",
                                  reference_prefix="#", due="scheduled_at"))
    changeable = recipient_visible_to(user, permission="change")
    if changeable.query.is_empty():
        return sources
    sources.append(WorkSource("remittance.home_visit", _("Home visit for card opening"),
                              changeable.filter(
                                  onboarding_status=OnboardingStatus.VISIT_SCHEDULED),
                              "remittance:recipient_detail", reference="ias_case_no",
                              due="visit_date"))
    sources.append(WorkSource("remittance.appointment", _("Priority-channel appointment"),
                              appointment_visible_to(user, permission="change")
                              .filter(status=AppointmentStatus.BOOKED),
                              "remittance:appointment_outcome", reference="pk",
                              reference_prefix="#", due="scheduled_at"))
    return sources
