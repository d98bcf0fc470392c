from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.roles import Role, has_role
from core.work import WorkSource
from web.navigation import Panel

from .models import Status
from .selectors import applications_waiting_for, fund_visible_to


def panels(request) -> list[Panel]:
    user = request.user
    if not has_role(user, Role.DISTRICT, Role.CITY, Role.FINANCE):
        return []
    waiting = list(applications_waiting_for(user).select_related(None).select_related("person")
                   .only("pk", "number", "amount_requested", "amount_approved", "status",
                         "paperwork_overdue_at", "paperwork_completed_at", "person__name_zh")
                   .order_by("created_at")[:8])
    result = [Panel(title=_("Temporary relief waiting for you"),
                    template="tempaid/home_panel.html", context={"applications": waiting},
                    order=400)]
    if has_role(user, Role.CITY, Role.FINANCE):
        funds = list(fund_visible_to(user).order_by("kind", "id"))
        if funds:
            result.append(Panel(title=_("Relief funds"), template="tempaid/fund_panel.html",
                                context={"funds": funds}, order=401))
    return result


def work_sources(user, *, since) -> list:
    """Relief to review (district, city), to pay (finance); for the district, fast-track
    relief whose paperwork is still missing, due on its paperwork date."""
    if not has_role(user, Role.DISTRICT, Role.CITY, Role.FINANCE):
        return []  # without asking the visibility door, which may count the agency's shares
    waiting = applications_waiting_for(user)
    if waiting.query.is_empty():
        return []
    if has_role(user, Role.CITY) or not has_role(user, Role.DISTRICT):
        label = _("Relief to pay") if not has_role(user, Role.CITY) else _("Relief to review")
        return [WorkSource("tempaid.relief_to_review" if has_role(user, Role.CITY)
                           else "tempaid.relief_to_pay", label, waiting, "tempaid:detail")]
    paperwork = Q(is_fast_track=True, paperwork_completed_at__isnull=True,
                  status__in=(Status.APPROVED, Status.PAID))
    return [WorkSource("tempaid.relief_to_review", _("Relief to review"),
                       waiting.exclude(paperwork), "tempaid:detail"),
            WorkSource("tempaid.paperwork", _("Relief paperwork to complete"),
                       waiting.filter(paperwork), "tempaid:detail", due="paperwork_due")]
