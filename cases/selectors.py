"""Reads of the register, and the one place that decides who sees which person and case."""
from django.db.models import Q, QuerySet

from zhuao.roles import Role
from zhuao.visibility import fetch_or_404, scope, shared_ids, user_agency

from .models import Case, Person

#: Roles that see every case in the city.
CASE_CITYWIDE_ROLES = (Role.CITY,)
#: Roles that never see individual cases (they see aggregates).
CASE_NO_ACCESS_ROLES = (Role.LEADERSHIP, Role.ADMIN)


def case_visible_to(user, *, permission: str = "view") -> QuerySet[Case]:
    """Owner agency; district officers their district; city officers all; agencies the case
    was shared with (guardian object permission ``view_case`` / ``change_case``)."""
    return scope(Case.objects.all(), user, citywide_roles=CASE_CITYWIDE_ROLES,
                 district_field="district", shareable=True, permission=permission)


def get_case_for(user, pk, *, action: str = "view") -> Case:
    permission = "change" if action in {"change", "update", "edit"} else "view"
    return fetch_or_404(case_visible_to(user, permission=permission), pk, user=user, action=action)


def person_visible_to(user) -> QuerySet[Person]:
    """The registering agency, the district, city officers, and anyone who sees one of the
    person's cases."""
    agency = user_agency(user)
    extra = None
    if agency is not None:
        shared_cases = Case.objects.filter(pk__in=shared_ids(Case, agency, "view"))
        extra = Q(pk__in=shared_cases.values("subject_id"))
    return scope(Person.objects.all(), user, citywide_roles=CASE_CITYWIDE_ROLES,
                 district_field="district", extra=extra)


def get_person_for(user, pk, *, action: str = "view") -> Person:
    return fetch_or_404(person_visible_to(user), pk, user=user, action=action)
