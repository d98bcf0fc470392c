"""Reads of the register, and the one place that decides who sees which person and case.

Pages and the API take the queryset they need from here ("… for the API list"), built on the
``…_visible_to`` doors: views do not re-shape querysets."""
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from core.identity import DocumentType, normalize, normalize_and_validate
from core.models import Agency
from core.roles import LIAISON_ROLES, Role, has_role
from core.visibility import fetch_or_404, scope, shared_ids, user_agency

from .duplicates import matches_for_person
from .models import (
    Case,
    Household,
    HouseholdMember,
    IdentityDocument,
    Person,
    PersonMerge,
    PersonMergeStatus,
    PossibleDuplicate,
)
from .permissions import (
    CASE_CITYWIDE_ROLES,
    IDENTITY_REVEAL_ROLES,
    MERGE_PROPOSER_ROLES,
    PERSON_REGISTER_ROLES,
)


def case_visible_to(user, *, permission: str = "view") -> QuerySet[Case]:
    """Owner agency; district officers their district; city officers all; agencies the case
    was shared with (guardian object permission ``view_case`` / ``change_case``)."""
    return scope(Case.objects.all(), user, citywide_roles=CASE_CITYWIDE_ROLES,
                 district_field="district", shareable=True, permission=permission)


def get_case_for(user, pk, *, action: str = "view", related: tuple[str, ...] = ()) -> Case:
    """The case, if visible; ``related`` is passed to select_related."""
    permission = "change" if action in {"change", "update", "edit"} else "view"
    visible = case_visible_to(user, permission=permission)
    return fetch_or_404(visible.select_related(*related) if related else visible, pk, user=user,
                        action=action)


def person_visible_to(user) -> QuerySet[Person]:
    """The registering agency, the district, city officers, and anyone who sees one of the
    person's cases.

    Either side registers people: a Macau or Hengqin liaison registers its own residents.
    City and district officers see only people registered on the Zhuhai side; a person
    registered by Macau or Hengqin is seen by that agency, by the Zhuhai agencies it shared
    the person with (``cases.services.person_share``: guardian ``view_person``) and by whom it
    shares a case with (a verification request shows the receiving side the identifying data
    it needs, on the request's own page)."""
    agency = user_agency(user)
    # the subjects of the cases shared with the agency, as each share records its case's
    # subject: read from the shares' index, not by joining every shared case to its subject
    shared = (shared_ids(Case, agency, "view", column="subject_id"),) if agency else ()
    return scope(Person.objects.all(), user, citywide_roles=CASE_CITYWIDE_ROLES,
                 district_field="district",
                 # a person shared with an agency is for its officers, not its leadership
                 shareable=has_role(user, *PERSON_REGISTER_ROLES), extra_ids=shared,
                 ids_shared_through=(Case,), own_side_only=True)


def get_person_for(user, pk, *, action: str = "view") -> Person:
    return fetch_or_404(person_visible_to(user), pk, user=user, action=action)


# --- Lists and search --------------------------------------------------------------------------

def document_number_candidates(text: str) -> set[str]:
    """The canonical forms ``text`` could have as any document type (for exact search)."""
    candidates = {normalize(text)}
    for document_type in DocumentType.values:
        try:
            candidates.add(normalize_and_validate(document_type, text))
        except ValidationError:
            continue
    candidates.discard("")
    return candidates


#: Where the searches put each person's identity documents (a plain list: Django's prefetch
#: otherwise builds a queryset per person, and another each time the documents are read).
LISTED_DOCUMENTS = "listed_documents"


def identity_documents(*, types=()) -> QuerySet:
    """Identity documents (of the given types), in the order pages list them: for another
    app's prefetch of its people's documents."""
    documents = IdentityDocument.objects.all()
    if types:
        documents = documents.filter(document_type__in=types)
    return documents.order_by("document_type", "id") if types else documents.order_by("id")


def people_registered_count(*, agencies, since, until) -> int:
    """How many people ``agencies`` registered in [since, until): an aggregate for reports."""
    return Person.objects.filter(owner_agency__in=agencies, created_at__gte=since,
                                 created_at__lt=until).count()


def documents_of(person) -> list:
    """The person's identity documents: as a search listed them, or read now."""
    listed = getattr(person, LISTED_DOCUMENTS, None)
    return listed if listed is not None else list(person.documents.all())


def case_search(user, *, q: str = "", document_number: str = "", district: str = "",
                status: str = "", category: str = "", risk_level: str = "",
                key_case: bool | None = None, shared_with: str = "",
                mine: bool = False) -> QuerySet[Case]:
    """The visible cases matching the filters, ready for a list page: subject, agency and
    officer joined, the subject's documents prefetched (a fixed number of queries)."""
    cases = case_visible_to(user)
    q = (q or "").strip()
    if q:
        condition = (Q(number__iexact=q) | Q(subject__name_zh__icontains=q)
                     | Q(subject__name_latin__icontains=q))
        if q.upper().startswith("ZH-"):
            condition |= Q(number__istartswith=q)
        candidates = document_number_candidates(q)
        if candidates:
            condition |= Q(subject__in=IdentityDocument.with_numbers(candidates)
                           .values("person_id"))
        cases = cases.filter(condition)
    if document_number:
        candidates = document_number_candidates(document_number)
        cases = cases.filter(subject__in=IdentityDocument.with_numbers(candidates)
                             .values("person_id"))
    if district:
        cases = cases.filter(district=district)
    if status:
        cases = cases.filter(status=status)
    if category:
        cases = cases.filter(category=category)
    if risk_level:
        cases = cases.filter(risk_level=risk_level)
    if key_case is not None:
        cases = cases.filter(is_key_case=key_case)
    if mine:
        cases = cases.filter(assigned_officer=user)
    if shared_with:

        agency = Agency.objects.filter(code=shared_with).first()
        cases = cases.filter(pk__in=shared_ids(Case, agency)) if agency else cases.none()
    return (cases.select_related("subject", "owner_agency", "assigned_officer")
            .prefetch_related(Prefetch("subject__documents", to_attr=LISTED_DOCUMENTS,
                                       queryset=IdentityDocument.objects.order_by("id")))
            .order_by("-opened_at", "-id"))


def person_search(user, *, q: str = "", district: str = "") -> QuerySet[Person]:
    people = person_visible_to(user).filter(merged_into__isnull=True)
    q = (q or "").strip()
    if q:
        condition = Q(name_zh__icontains=q) | Q(name_latin__icontains=q)
        candidates = document_number_candidates(q)
        if candidates:
            condition |= Q(pk__in=IdentityDocument.with_numbers(candidates).values("person_id"))
        people = people.filter(condition)
    if district:
        people = people.filter(district=district)
    return people.select_related("owner_agency").prefetch_related(
        Prefetch("documents", queryset=IdentityDocument.objects.order_by("id"),
                 to_attr=LISTED_DOCUMENTS))


def household_visible_to(user) -> QuerySet:
    """The registering agency, the district, city officers, and anyone who sees a case of the
    household."""
    agency = user_agency(user)
    shared = ()
    if agency is not None:
        shared_cases = Case.objects.filter(pk__in=shared_ids(Case, agency, "view"))
        shared = (shared_cases.exclude(household=None).values("household_id"),)
    return scope(Household.objects.all(), user, citywide_roles=CASE_CITYWIDE_ROLES,
                 district_field="district", extra_ids=shared, ids_shared_through=(Case,))


def households_for_api(user) -> QuerySet:
    """Households with their members and income as plain lists (``to_attr``: Django's prefetch
    otherwise builds a related manager's queryset per household and relation); a member shows
    only the person's id and name."""
    members = HouseholdMember.objects.select_related("person").only(
        "household_id", "person_id", "relationship", "person__name_zh")
    return (household_visible_to(user)
            .prefetch_related(Prefetch("members", queryset=members, to_attr="listed_members"),
                              Prefetch("income_items", to_attr="listed_income_items"))
            .select_related("owner_agency").order_by("-id"))


def cases_for_api(user, *, fields, **filters) -> QuerySet[Case]:
    """The list page's search (``case_search``), loading only ``fields`` of the case, the
    subject's name and the agency's code (no officer, no identity documents)."""
    return (case_search(user, **filters).select_related(None)
            .select_related("subject", "owner_agency").prefetch_related(None)
            .only(*fields, "subject__name_zh", "owner_agency__code"))


def get_household_for(user, pk, *, action: str = "view"):
    return fetch_or_404(household_visible_to(user).select_related("head", "owner_agency"), pk,
                        user=user, action=action)


#: The residence statuses of the people a liaison's agency registers as its side's records.
PERSON_RESIDENCE_BY_SIDE = {"macau": ("macau_resident",), "hengqin": ("hengqin_resident",)}


def person_may_change(user, person: Person) -> bool:
    """The owner agency, the district and city officers change a Zhuhai record; a liaison
    changes only the records its own agency registered (it reads shared ones)."""
    if person.merged_into_id:  # its records belong to the survivor now
        return False
    if has_role(user, *LIAISON_ROLES):
        agency = user_agency(user)
        return agency is not None and person.owner_agency_id == agency.pk
    if not has_role(user, Role.CITY, Role.DISTRICT):
        return False
    # a Macau or Hengqin record shared with Zhuhai is read, not changed, here
    return person_visible_to(user).filter(
        pk=person.pk, owner_agency__side="zhuhai").exists()


def person_may_share(user, person: Person) -> bool:
    """The Macau or Hengqin agency that registered the person shares it with Zhuhai."""
    if person.merged_into_id or not has_role(user, *LIAISON_ROLES):
        return False
    agency = user_agency(user)
    return agency is not None and person.owner_agency_id == agency.pk


def case_may_change(user, case: Case) -> bool:
    if not has_role(user, Role.CITY, Role.DISTRICT):
        return False
    return case_visible_to(user, permission="change").filter(pk=case.pk).exists()




def person_numbers_revealable_by(user, person_id) -> bool:
    """Whether ``user`` may see the full numbers of the person's identity documents: an officer
    of the side that holds the person (its registering agency's side), for a person the
    officer sees."""
    if not has_role(user, *IDENTITY_REVEAL_ROLES):
        return False
    agency = user_agency(user)
    if agency is None:
        return False
    return person_visible_to(user).filter(pk=person_id, owner_agency__side=agency.side).exists()


def identity_document_revealable_by(user, document) -> bool:
    return person_numbers_revealable_by(user, document.person_id)


def get_document_for(user, person, pk) -> IdentityDocument:
    """One of ``person``'s identity documents (the person already fetched through the door)."""
    return fetch_or_404(IdentityDocument.objects.filter(person=person), pk, user=user,
                        action="reveal")


# --- Duplicates and merges ---------------------------------------------------------------------

def person_merges_visible_to(user) -> QuerySet:
    """Merges of two people the user both sees (a merge shows both)."""
    people = person_visible_to(user).values("pk")
    return (PersonMerge.objects.filter(survivor__in=people, duplicate__in=people)
            .select_related("survivor", "duplicate", "proposed_by", "decided_by", "undone_by"))


def get_person_merge_for(user, pk, *, action: str = "view"):
    return fetch_or_404(person_merges_visible_to(user), pk, user=user, action=action)


def possible_duplicates_for(user) -> QuerySet:
    """Stored pairs of active people the user sees both of that may be the same person, best
    first, without pairs already proposed for a merge or rejected as two people."""
    visible = person_visible_to(user).filter(merged_into__isnull=True).values("pk")
    proposed = PersonMerge.objects.filter(status=PersonMergeStatus.PROPOSED)
    rejected = PersonMerge.objects.filter(status=PersonMergeStatus.REJECTED)
    return (PossibleDuplicate.objects.filter(first__in=visible, second__in=visible)
            .exclude(Exists(proposed.filter(duplicate=OuterRef("first"))))
            .exclude(Exists(proposed.filter(duplicate=OuterRef("second"))))
            .exclude(Exists(rejected.filter(survivor=OuterRef("first"),
                                            duplicate=OuterRef("second"))))
            .exclude(Exists(rejected.filter(survivor=OuterRef("second"),
                                            duplicate=OuterRef("first"))))
            .select_related("first", "second").order_by("-score", "-second_id"))


def person_possible_duplicates(user, person, *, numbers=None) -> list:
    """The active people the user sees who may be ``person``, for a user who may propose a
    merge (the person's page); none for a person already merged.

    ``numbers``: the person's identity-document numbers, when the caller has read them."""
    if person.merged_into_id or not has_role(user, *MERGE_PROPOSER_ROLES):
        return []
    return matches_for_person(person, numbers=numbers, people=person_visible_to(user))
