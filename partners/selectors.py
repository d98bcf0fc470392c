"""Reads, and the one place that decides who sees which partner record.

- City officers see everything.
- District officers see organisations, social workers and non-draft contracts (to refer
  under them), and the referrals and service records of their district or agency.
- The Finance bureau sees organisations, contracts and evaluations (budgets, payments), not
  referrals or service records (personal data).
- NGO staff see their own organisation only: its workers, its non-draft contracts, referrals
  sent to it, its service records and its approved evaluations.
- Macau and Hengqin liaisons see the referrals their agency made (of their side's people),
  and are offered the active contracts to refer under (``referable_contracts``).
- Everyone else (leadership, banks, administrators) sees nothing here: leadership
  reads aggregates from ``partners.metrics``.
Records of a role's own agency never leak to another role of that agency: each selector
gates on roles first.
"""
from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from core.models import Side
from core.roles import LIAISON_ROLES, Role, has_role
from core.visibility import fetch_or_404, scope, user_agency

from .models import (
    EXPIRY_WARNING_DAYS,
    Contract,
    ContractKpi,
    ContractStatus,
    Evaluation,
    EvaluationStatus,
    Organisation,
    Referral,
    ReferralStatus,
    ServiceRecord,
    SocialWorker,
)


def _none_unless(queryset: QuerySet, user, *roles) -> QuerySet | None:
    if not has_role(user, *roles) or user_agency(user) is None:
        return queryset.none()
    return None


def organisation_visible_to(user) -> QuerySet[Organisation]:
    queryset = Organisation.objects.select_related("agency")
    refused = _none_unless(queryset, user, Role.CITY, Role.DISTRICT, Role.FINANCE, Role.NGO)
    if refused is not None:
        return refused
    return scope(queryset, user, citywide_roles=(Role.CITY, Role.DISTRICT, Role.FINANCE),
                 owner_field="agency")


def get_organisation_for(user, pk, *, action: str = "view") -> Organisation:
    return fetch_or_404(organisation_visible_to(user), pk, user=user, action=action)


def social_worker_visible_to(user) -> QuerySet[SocialWorker]:
    queryset = SocialWorker.objects.select_related("organisation", "supervisor")
    refused = _none_unless(queryset, user, Role.CITY, Role.DISTRICT, Role.NGO)
    if refused is not None:
        return refused
    return scope(queryset, user, citywide_roles=(Role.CITY, Role.DISTRICT),
                 owner_field="organisation__agency")


def social_workers_for_api(user) -> QuerySet[SocialWorker]:
    """The organisation and supervisor are shown as ids, so they are not joined."""
    return social_worker_visible_to(user).select_related(None)


def get_social_worker_for(user, pk, *, action: str = "view") -> SocialWorker:
    return fetch_or_404(social_worker_visible_to(user), pk, user=user, action=action)


def contract_visible_to(user) -> QuerySet[Contract]:
    queryset = Contract.objects.select_related("provider", "purchasing_agency")
    refused = _none_unless(queryset, user, Role.CITY, Role.FINANCE, Role.DISTRICT, Role.NGO)
    if refused is not None:
        return refused
    if has_role(user, Role.CITY, Role.FINANCE):
        return queryset
    not_draft = ~Q(status=ContractStatus.DRAFT)
    if has_role(user, Role.DISTRICT):
        return queryset.filter(not_draft)
    return queryset.filter(not_draft, provider__agency=user_agency(user))


#: The contracts whose KPIs the figures measure.
RUNNING = [ContractStatus.ACTIVE, ContractStatus.CLOSING]


def running_contracts(*, start: date, end: date, district: str | None = None
                      ) -> QuerySet[Contract]:
    """Contracts active or closing whose period overlaps ``start``..``end`` (with a provider
    serving ``district``): aggregates only, for the figures, not a visibility rule."""
    contracts = Contract.objects.filter(status__in=RUNNING, period_start__lte=end,
                                        period_end__gte=start)
    if district:
        contracts = contracts.filter(provider__districts_served__contains=district)
    return contracts


def running_contract_kpis(*, start: date, end: date, district: str | None = None
                          ) -> QuerySet[ContractKpi]:
    """The KPIs of ``running_contracts``, in the contracts' order: the figures page reads them a
    page at a time."""
    return (ContractKpi.objects
            .filter(contract__in=running_contracts(start=start, end=end, district=district))
            .select_related("contract").order_by("contract__period_start", "contract_id", "id"))


def contracts_for_api(user) -> QuerySet[Contract]:
    """The provider and agency are shown as ids, so they are not joined."""
    return contract_visible_to(user).select_related(None)


def get_contract_for(user, pk, *, action: str = "view") -> Contract:
    return fetch_or_404(contract_visible_to(user), pk, user=user, action=action)


def referral_visible_to(user) -> QuerySet[Referral]:
    """City officers see every referral, those Macau and Hengqin made too; a district its
    agency's and its district's Zhuhai referrals; a Macau or Hengqin liaison its agency's
    referrals; the provider what was sent to it."""
    queryset = Referral.objects.select_related("organisation", "contract", "referring_agency")
    refused = _none_unless(queryset, user, Role.CITY, Role.DISTRICT, Role.NGO, *LIAISON_ROLES)
    if refused is not None:
        return refused
    if has_role(user, Role.CITY):
        return queryset
    agency = user_agency(user)
    condition = Q(pk__in=[])
    if has_role(user, Role.DISTRICT):
        condition |= Q(referring_agency=agency)
        if agency.district:
            condition |= Q(district=agency.district, originating_side=Side.ZHUHAI)
    if has_role(user, *LIAISON_ROLES):
        condition |= Q(referring_agency=agency)
    if has_role(user, Role.NGO):
        condition |= Q(organisation__agency=agency) & ~Q(status=ReferralStatus.DRAFT)
    return queryset.filter(condition)


def referable_contracts(user) -> QuerySet[Contract]:
    """The active contracts a referrer may refer a person under. A Macau or Hengqin liaison
    sees no contract pages; it is offered the active contracts' number, title and provider."""
    if not has_role(user, Role.CITY, Role.DISTRICT, *LIAISON_ROLES) or user_agency(user) is None:
        return Contract.objects.none()
    return (Contract.objects.filter(status=ContractStatus.ACTIVE).select_related("provider")
            .order_by("number"))


def may_see_contract_pages(user) -> bool:
    return has_role(user, Role.CITY, Role.FINANCE, Role.DISTRICT, Role.NGO)


def referrals_sent_count(*, agencies, since, until) -> int:
    """How many referrals ``agencies`` sent in [since, until): an aggregate for reports."""
    return Referral.objects.filter(referring_agency__in=agencies, sent_at__gte=since,
                                   sent_at__lt=until).count()


def referrals_for_api_list(user) -> QuerySet[Referral]:
    """The list shows the relations as ids: nothing to join."""
    return referral_visible_to(user).select_related(None)


def get_referral_for(user, pk, *, action: str = "view") -> Referral:
    return fetch_or_404(referral_visible_to(user), pk, user=user, action=action)


def is_provider_view(user) -> bool:
    """NGO staff see a referral's minimal fields only (no case, no identity numbers)."""
    return has_role(user, Role.NGO) and not has_role(user, Role.CITY, Role.DISTRICT)


def service_record_visible_to(user) -> QuerySet[ServiceRecord]:
    queryset = ServiceRecord.objects.select_related("contract", "worker", "referral",
                                                    "organisation")
    refused = _none_unless(queryset, user, Role.CITY, Role.DISTRICT, Role.NGO)
    if refused is not None:
        return refused
    if has_role(user, Role.CITY):
        return queryset
    agency = user_agency(user)
    condition = Q(pk__in=[])
    if has_role(user, Role.DISTRICT):
        condition |= Q(referral__referring_agency=agency)
        if agency.district:
            condition |= Q(district=agency.district)
    if has_role(user, Role.NGO):
        condition |= Q(organisation__agency=agency)
    return queryset.filter(condition)


def service_records_for_api(user) -> QuerySet[ServiceRecord]:
    """The contract, referral and worker are shown as ids, so they are not joined."""
    return service_record_visible_to(user).select_related(None)


def get_service_record_for(user, pk, *, action: str = "view") -> ServiceRecord:
    return fetch_or_404(service_record_visible_to(user), pk, user=user, action=action)


def evaluation_visible_to(user) -> QuerySet[Evaluation]:
    queryset = Evaluation.objects.select_related("contract", "milestone")
    refused = _none_unless(queryset, user, Role.CITY, Role.FINANCE, Role.NGO)
    if refused is not None:
        return refused
    if has_role(user, Role.CITY, Role.FINANCE):
        return queryset
    return queryset.filter(status=EvaluationStatus.APPROVED,
                           contract__provider__agency=user_agency(user))


def get_evaluation_for(user, pk, *, action: str = "view") -> Evaluation:
    return fetch_or_404(evaluation_visible_to(user), pk, user=user, action=action)


def user_organisation(user) -> Organisation | None:
    """The organisation an NGO staff member works for."""
    agency = user_agency(user)
    if agency is None or not has_role(user, Role.NGO):
        return None
    return Organisation.objects.filter(agency=agency).first()


def expiring_social_workers_for(user, *, today=None) -> QuerySet[SocialWorker]:
    visible = social_worker_visible_to(user).values("pk")
    return social_workers_expiring(today=today).filter(pk__in=visible)


def referrals_of_person(user, person) -> QuerySet[Referral]:
    """Referrals of the person the user may see (a provider: only its own)."""
    return referral_visible_to(user).filter(person=person).order_by("-created_at", "-id")


def service_records_of_person(user, person) -> QuerySet[ServiceRecord]:
    return service_record_visible_to(user).filter(referral__person=person).order_by(
        "-service_date", "-id")


def referral_service_summary(user, referral) -> dict:
    """What the close check page shows of a referral's service: how many records, how many
    minutes in all, the last service date (records this user may see)."""
    return service_record_visible_to(user).filter(referral=referral).aggregate(
        count=Count("id"), minutes=Sum("duration_minutes"), last=Max("service_date"))


def social_workers_expiring(*, today: date | None = None):
    """Active workers whose practice or Macau registration ends within EXPIRY_WARNING_DAYS."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    return SocialWorker.objects.filter(is_active=True).filter(
        Q(practice_valid_until__range=(today, horizon))
        | Q(is_macau_social_worker=True, macau_registration_valid_until__range=(today, horizon))
    ).select_related("organisation").order_by("practice_valid_until", "id")
