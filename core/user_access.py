"""Who may change a user's access, and the audit of every change, whichever way it is made.

A user's access is ``is_superuser``, ``is_staff``, ``is_active`` and the roles (groups). Only
a superuser may grant superuser or staff status; only the security administrator (or the
console, or a break-glass superuser) grants roles and agencies, and never to itself; the
system administrator creates users but grants no role, so no administrator can promote itself
and read every person. Whoever grants, no user ends up with two of the separated
administrator duties, or a duty and an operational role (``core.roles.duty_conflicts``, and
the ``admin_duties`` system check for rows written around the ORM). The Django admin
names the acting user (``acting_as``); a management command or the shell acts as the console
(no user), which only the server's operators reach. Every change is audited with before and
after, through Django's model signals: they are the one place every way of changing a user
passes (admin, commands, services, ``group.user_set.add``), and this is audit and a guard,
not domain logic."""
from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.models import AuditOutcome
from core.roles import Role, duty_conflicts, has_role

User = get_user_model()
FLAGS = ("is_superuser", "is_staff", "is_active")
_acting: ContextVar = ContextVar("zhuao_acting_user", default=None)


@contextlib.contextmanager
def acting_as(user):
    """Changes to users inside the block are made by ``user`` (checked and audited as such)."""
    token = _acting.set(user)
    try:
        yield
    finally:
        _acting.reset(token)


def _is_superuser(actor) -> bool:
    """As stored: the actor may be the very user whose flags are being changed."""
    return User.objects.filter(pk=actor.pk, is_superuser=True).exists()


def may_grant_groups(actor, groups, user=None) -> bool:
    """Roles and agencies are granted by the security administrator, to others only (and by
    the console or a superuser); granting nothing is always allowed."""
    if not groups or actor is None or _is_superuser(actor):
        return True
    if user is not None and user.pk == actor.pk:
        return False
    return has_role(actor, Role.SECURITY_ADMIN)


def may_set_password(actor, user) -> bool:
    """Another account's password is set by the system administrator, who creates accounts, or
    by a superuser. Not by the security administrator: setting a password and granting roles
    in one hand would let it sign in as anyone it promotes. Not on the holder of another
    administrator duty either, nor on one's own account, whose password is changed on the
    account page with the old one. Nor on a superuser's: setting the break-glass account's
    password would make its setter a superuser."""
    if actor is None or _is_superuser(actor):
        return True
    if user.pk == actor.pk or not has_role(actor, Role.ADMIN) or _is_superuser(user):
        return False
    return not user.groups.filter(name__in=[Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]).exists()


def _refuse(actor, user, what: dict):
    audit_record(actor=actor, action="user.access_change", object_type="auth.user",
                 object_id=str(user.pk or ""), changes={"username": user.get_username(), **what},
                 outcome=AuditOutcome.DENIED, summary=_("not the security administrator"))
    raise PermissionDenied(_("Only a superuser may grant superuser or staff status, and only "
                             "the security administrator grants roles, never to itself."))


def separation_refusal(user, role_names) -> str | None:
    """The translated reason ``user`` may not hold ``role_names`` together, or None."""
    conflicts = duty_conflicts(role_names)
    if not conflicts:
        return None
    first, second = conflicts[0]
    return _("%(user)s may not hold both %(first)s and %(second)s: an administrator holds "
             "one administrator duty and no other role.") % {
        "user": user.get_username(), "first": Role(first).label, "second": Role(second).label}


def _refuse_separation(actor, user, reason: str, added):
    audit_record(actor=actor, action="user.access_change", object_type="auth.user",
                 object_id=str(user.pk or ""), outcome=AuditOutcome.DENIED,
                 changes={"username": user.get_username(),
                          "roles_added": ",".join(sorted(group.name for group in added))},
                 summary=_("separated administrator duties"), username=_console())
    raise PermissionDenied(reason)


@receiver(pre_save, sender=User, dispatch_uid="zhuao_user_access_before")
def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not set(FLAGS) & set(update_fields)):
        instance._access_before = None
        return
    old = (sender.objects.filter(pk=instance.pk).values(*FLAGS).first()
           if instance.pk is not None else None)
    before = old or {flag: False for flag in FLAGS}
    instance._access_before = before
    actor = _acting.get()
    granted = [flag for flag in ("is_superuser", "is_staff")
               if getattr(instance, flag) and not before[flag]]
    if granted and actor is not None and not _is_superuser(actor):
        _refuse(actor, instance, {"granted": ",".join(granted)})


@receiver(post_save, sender=User, dispatch_uid="zhuao_user_access_after")
def _after_save(sender, instance, created=False, raw=False, **kwargs):
    before = getattr(instance, "_access_before", None)
    if raw or before is None:
        return
    after = {flag: getattr(instance, flag) for flag in FLAGS}
    if after != before and (not created or any(after[flag] for flag in ("is_superuser",
                                                                         "is_staff"))):
        audit_record(actor=_acting.get(), action="user.access_change", object_type="auth.user",
                     object_id=str(instance.pk), username=_console(),
                     changes={"username": instance.get_username(),
                              **{f"{flag}_before": before[flag] for flag in FLAGS},
                              **{f"{flag}_after": after[flag] for flag in FLAGS}})


def _console() -> str:
    return "" if _acting.get() is not None else "(console)"


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="zhuao_user_roles")
def _roles_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """``user.groups.add(…)`` (forward) and ``group.user_set.add(…)`` (reverse) alike: the
    roles of each user concerned before the change are kept on ``instance`` until after."""
    if action not in ("pre_add", "pre_remove", "pre_clear", "post_add", "post_remove",
                      "post_clear"):
        return
    actor = _acting.get()
    if action.startswith("pre_"):
        if not reverse:
            users = [instance]
        elif action == "pre_clear":
            users = list(instance.user_set.all())
        else:
            users = list(User.objects.filter(pk__in=pk_set or ()))
        if action == "pre_add":
            added = [instance] if reverse else list(Group.objects.filter(pk__in=pk_set or ()))
            for user in users:
                if not may_grant_groups(actor, added, user):
                    _refuse(actor, user,
                            {"roles_added": ",".join(sorted(group.name for group in added))})
                held = set(user.groups.values_list("name", flat=True))
                reason = separation_refusal(user, held | {group.name for group in added})
                if reason:
                    _refuse_separation(actor, user, reason, added)
        instance._roles_before = {
            user.pk: (user, sorted(user.groups.values_list("name", flat=True))) for user in users}
        return
    for user, before in getattr(instance, "_roles_before", {}).values():
        after = sorted(user.groups.values_list("name", flat=True))
        if before != after:
            audit_record(actor=actor, action="user.roles_change", object_type="auth.user",
                         object_id=str(user.pk), username=_console(),
                         changes={"username": user.get_username(), "before": ",".join(before),
                                  "after": ",".join(after)})
    instance._roles_before = {}
