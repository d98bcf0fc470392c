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

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from .audit import audit_record
from .models import Agency, AuditOutcome
from .roles import Role, has_role


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


def shared_ids(model: type[models.Model], agency: Agency, permission: str = "view"):
    """Subquery of the pks of ``model`` rows shared with ``agency`` for ``permission``."""
    share_model = group_permission_model(model)
    codename = f"{permission}_{model._meta.model_name}"
    return share_model.objects.filter(
        group_id=agency.group_id, permission__codename=codename
    ).values("content_object_id")


def group_permission_model(model: type[models.Model]):
    from guardian.utils import get_group_obj_perms_model

    share_model = get_group_obj_perms_model(model)
    if share_model._meta.model_name == "groupobjectpermission":
        raise LookupError(
            f"{model._meta.label} has no direct group object permission model; shares must die "
            "with their record"
        )
    return share_model


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
) -> QuerySet:
    """Filter ``queryset`` to what ``user`` may ``permission``. Never a per-object check."""
    agency = user_agency(user)
    if agency is None:
        return queryset.none()
    if has_role(user, *citywide_roles):
        return queryset
    condition = Q(pk__in=[])
    if owner_field:
        condition |= Q(**{owner_field: agency})
    if district_field and agency.district and has_role(user, Role.DISTRICT):
        condition |= Q(**{district_field: agency.district})
    if shareable:
        condition |= Q(pk__in=shared_ids(queryset.model, agency, permission))
    if extra is not None:
        condition |= extra
    return queryset.filter(condition)


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
    from guardian.shortcuts import assign_perm

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
