"""The one visibility mechanism. Each app's selectors call ``scope`` once per model
(``<model>_visible_to(user)``) and fetch single records with ``fetch_or_404``; pages, exports,
the API and bulletins all go through those selectors.

A record is visible to
- roles with a city-wide view of that model (declared by the model's selector),
- its owner agency, and for district officers every record of their district,
- agencies it was explicitly shared with: django-guardian object permissions granted to the
  receiving agency's group, stored in the model's direct foreign-key permission table so that
  they die with the record.
"""
from __future__ import annotations

import operator
from collections.abc import Iterable
from functools import reduce

from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Exists, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext
from guardian.shortcuts import assign_perm
from guardian.utils import get_group_obj_perms_model

from core.audit import audit_record
from core.models import Agency, AuditOutcome
from core.roles import Role, has_role


def user_agency(user) -> Agency | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    staff = getattr(user, "staff", None) if _has_staff(user) else None
    return staff.agency if staff is not None else None


def _has_staff(user) -> bool:
    try:
        return user.staff is not None
    except Exception:  # RelatedObjectDoesNotExist
        return False


def shared_ids(model: type[models.Model], agency: Agency, permission: str = "view", *,
               column: str = "content_object_id"):
    """Subquery of the pks of ``model`` rows shared with ``agency`` for ``permission`` (or of
    another ``column`` the model's shares keep)."""
    share_model = group_permission_model(model)
    return share_model.objects.filter(
        group_id=agency.group_id, permission_id=permission_id(model, permission)
    ).values(column)


def permission_id(model: type[models.Model], permission: str) -> Subquery:
    """The id of ``model``'s ``permission`` as a subquery PostgreSQL reads once, before the
    shares: they are then found by their own index, not joined to the permissions."""
    return Subquery(Permission.objects.filter(
        content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name,
        codename=f"{permission}_{model._meta.model_name}").order_by().values("pk"))


def group_permission_model(model: type[models.Model]):
    share_model = get_group_obj_perms_model(model)
    if share_model._meta.model_name == "groupobjectpermission":
        raise LookupError(
            f"{model._meta.label} has no direct group object permission model; shares must die "
            "with their record"
        )
    return share_model


#: An agency holding at most this many shares of a model sees "few" of them (see ``scope``).
FEW_SHARES = 1000
#: How long the count of an agency's shares is kept: it chooses a query plan, never a result.
SHARE_COUNT_SECONDS = 600


def shares_are_few(model: type[models.Model], agency: Agency, permission: str = "view") -> bool:
    """Whether ``agency`` holds at most ``FEW_SHARES`` shares of ``model`` (kept in the cache
    for ``SHARE_COUNT_SECONDS``; both answers give the same records)."""
    key = f"visibility:few-shares:{model._meta.label_lower}:{permission}:{agency.pk}"
    few = cache.get(key)
    if few is None:
        few = shared_ids(model, agency, permission)[:FEW_SHARES + 1].count() <= FEW_SHARES
        cache.set(key, few, SHARE_COUNT_SECONDS)
    return few


def scope(
    queryset: QuerySet,
    user,
    *,
    citywide_roles: Iterable[str] = (Role.CITY,),
    owner_field: str | None = "owner_agency",
    district_field: str | None = None,
    shareable: bool = False,
    permission: str = "view",
    extra: Q | None = None,
    extra_ids: Iterable[QuerySet] = (),
    ids_shared_through: Iterable[type[models.Model]] = (),
    own_side_only: bool = False,
) -> QuerySet:
    """Filter ``queryset`` to what ``user`` may ``permission``. Never a per-object check.

    ``extra`` is a further condition on the record's own columns. ``extra_ids`` are subqueries
    of the pks of further records the user may see; when they follow from shares of other
    models (a person is visible through a shared case), ``ids_shared_through`` names them.

    How the pieces are put together decides PostgreSQL's plan, and the best plan depends on
    how many records the user sees beside the table:
    - many (a district officer's whole district, the statuses ``extra`` selects, or an agency
      holding more than ``FEW_SHARES`` shares): an ``OR``, the subqueries as correlated
      ``EXISTS`` (the record's own shares joined instead for an agency seeing no whole
      district and holding many, ``_joined_shares``), which a list reads in its index order
      until the page is full;
    - few (an agency's own records and a few shared ones: a liaison office against 100,000
      cases): a ``UNION`` of pks, each part found from its index. The ``OR`` plan would read
      the whole index to fill a page that stays nearly empty.

    ``own_side_only``: the records are owned by either side (Macau and Hengqin liaisons
    register their own residents). A city-wide or district view then covers only records whose
    owner agency is on the user's own side; another side's records are seen by their owner and
    by whom they were shared with (``extra_ids``), nobody else."""
    agency = user_agency(user)
    if agency is None:
        return queryset.none()
    other_side = (Q(**{f"{owner_field}__in": Agency.objects.exclude(side=agency.side)
                       .values("pk")}) if own_side_only and owner_field else None)
    if has_role(user, *citywide_roles):
        if other_side is None:
            return queryset
        shared = [shared_ids(queryset.model, agency, permission)] if shareable else []
        shared = [_for_this_row(subquery.order_by()) for subquery in [*shared, *extra_ids]]
        return queryset.filter(reduce(operator.or_, shared, ~other_side))
    wide = []
    if district_field and agency.district and has_role(user, Role.DISTRICT):
        in_district = Q(**{district_field: agency.district})
        wide.append(in_district & ~other_side if other_side is not None else in_district)
    if extra is not None:
        wide.append(extra)
    own = Q(**{owner_field: agency}) if owner_field else None
    subqueries = [shared_ids(queryset.model, agency, permission)] if shareable else []
    subqueries += [subquery.order_by() for subquery in extra_ids]
    shared_models = [queryset.model] if shareable else []
    shared_models += list(ids_shared_through)
    few = not wide and all(shares_are_few(model, agency, permission if model is queryset.model
                                          else "view") for model in shared_models)
    if subqueries and few:
        if own is not None:
            owned = queryset.model._default_manager.filter(own).order_by().values("pk")
            subqueries.insert(0, owned)
        return queryset.filter(pk__in=subqueries[0].union(*subqueries[1:]))
    pieces = [*wide, *([own] if own is not None else [])]
    if shareable and not wide and not shares_are_few(queryset.model, agency, permission):
        # a liaison office's own shares, when they are many: joined, not hashed (below); their
        # count was read (and kept) for ``few`` above
        queryset, shared = _joined_shares(queryset, agency, permission)
        pieces.append(shared)
        subqueries = subqueries[1:]
    pieces += map(_for_this_row, subqueries)
    return queryset.filter(reduce(operator.or_, pieces, Q(pk__in=[])))


#: The alias of an agency's share of each record in a scoped queryset (``_joined_shares``).
SHARE_ALIAS = "share_for_agency"


def _joined_shares(queryset: QuerySet, agency: Agency, permission: str) -> tuple[QuerySet, Q]:
    """The agency's share of each record as a ``LEFT JOIN`` on the share table's unique
    (group, permission, record) index, and the condition that there is one. A record has at
    most one such share, so no row is repeated. PostgreSQL then probes the index for the rows
    it reads (a page read in its index order, a count cut short); an ``EXISTS`` in an ``OR``
    would first hash every share the agency holds (50,000 of a million cases: 20 ms before
    the first row). Only for an agency holding many and seeing no whole district: otherwise
    the ``EXISTS`` costs nothing and leaves the planner's estimates, and so its plans (a
    search's), as they were."""
    model = queryset.model
    relation = group_permission_model(model)._meta.get_field("content_object").related_query_name()
    queryset = queryset.alias(**{SHARE_ALIAS: FilteredRelation(relation, condition=Q(**{
        f"{relation}__group_id": agency.group_id,
        f"{relation}__permission_id": permission_id(model, permission)}))})
    return queryset, Q(**{f"{SHARE_ALIAS}__isnull": False})


def _for_this_row(subquery: QuerySet) -> Exists:
    """``pk IN (subquery)`` as a correlated ``EXISTS``: PostgreSQL may then probe an index for
    the rows it reads (one record's page, a list read in index order) instead of first
    building the whole set, and still hashes the set when it reads the whole table."""
    field, = subquery.query.values_select
    return Exists(subquery.filter(**{field: OuterRef("pk")}))


def fetch_or_404(visible: QuerySet, pk, *, user, action: str = "view"):
    """The record ``pk`` if it is in ``visible``; else 404, whether missing or forbidden.
    A forbidden attempt on a record that exists is audited as a refused access."""
    try:
        return visible.get(pk=pk)
    except (visible.model.DoesNotExist, ValueError, TypeError):
        pass
    model = visible.model
    try:
        exists = model._default_manager.filter(pk=pk).exists()
    except (ValueError, TypeError):
        exists = False
    if exists:
        audit_record(actor=user, action=f"{model._meta.model_name}.{action}",
                     object_type=model._meta.label_lower, object_id=str(pk),
                     outcome=AuditOutcome.DENIED, summary=gettext("not visible to this user"))
    raise Http404


@transaction.atomic
def share_with_agency(obj: models.Model, agency: Agency, *, actor, reason: str,
                      permissions: Iterable[str] = ("view",)) -> None:
    """Grant ``agency`` the object permissions; audited with the reason."""
    group_permission_model(type(obj))  # refuse models without direct FK permissions
    model_name = obj._meta.model_name
    for permission in permissions:
        assign_perm(f"{obj._meta.app_label}.{permission}_{model_name}", agency.group, obj)
    audit_record(actor=actor, action=f"{model_name}.share", obj=obj,
                 summary=reason[:400], changes={"agency": agency.code,
                                                "permissions": ",".join(permissions)})


@transaction.atomic
def unshare_with_agency(obj: models.Model, agency: Agency, *, actor, reason: str = "") -> None:
    """Withdraw every object permission ``agency`` holds on ``obj``; audited."""
    share_model = group_permission_model(type(obj))
    share_model.objects.filter(group_id=agency.group_id, content_object=obj).delete()
    audit_record(actor=actor, action=f"{obj._meta.model_name}.unshare", obj=obj,
                 summary=reason[:400], changes={"agency": agency.code})


def agencies_shared_with(obj: models.Model, permission: str = "view") -> QuerySet:
    share_model = group_permission_model(type(obj))
    codename = f"{permission}_{obj._meta.model_name}"
    groups = share_model.objects.filter(content_object=obj, permission__codename=codename)
    return Agency.objects.filter(group__in=groups.values("group_id"))
