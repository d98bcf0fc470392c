import datetime

from django.db.models import DateTimeField, ExpressionWrapper, F
from django.utils.translation import gettext_lazy as _

from core.roles import Role, has_role
from core.visibility import user_agency
from core.work import WorkSource
from web.navigation import Panel

from .models import ReferralStatus
from .selectors import expiring_social_workers_for, referral_visible_to


def panels(request) -> list[Panel]:
    user = request.user
    result: list[Panel] = []
    if has_role(user, Role.CITY):
        workers = list(expiring_social_workers_for(user)
                       .only("pk", "name", "practice_valid_until", "is_macau_social_worker",
                             "macau_registration_valid_until", "organisation__name")[:10])
        if workers:
            result.append(Panel(_("Social-worker registrations expiring within 60 days"),
                                "partners/panels/expiring.html", {"workers": workers}, order=50))
    if has_role(user, Role.NGO) and not has_role(user, Role.CITY):
        waiting = list(referral_visible_to(user).filter(status=ReferralStatus.SENT)[:10])
        if waiting:
            result.append(Panel(_("Referrals waiting for your answer"),
                                "partners/panels/referrals.html", {"referrals": waiting},
                                order=40))
    return result


#: A referral sent to a provider is answered (accepted or declined) within this many days.
REFERRAL_ANSWER_DAYS = 5


def work_sources(user, *, since) -> list:
    """For a provider's staff: the referrals sent to it, waiting for an answer."""
    if not has_role(user, Role.NGO) or has_role(user, Role.CITY):
        return []
    waiting = referral_visible_to(user).filter(status=ReferralStatus.SENT,
                                               organisation__agency=user_agency(user))
    due = ExpressionWrapper(F("sent_at") + datetime.timedelta(days=REFERRAL_ANSWER_DAYS),
                            output_field=DateTimeField())
    return [WorkSource("partners.referral_to_accept", _("Referral to accept or decline"),
                       waiting, "partners:referral_detail", due=due)]
