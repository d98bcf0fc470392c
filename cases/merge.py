"""Merging a duplicate person into the surviving one, and undoing it.

Every row of every app that points at a person (found from the model registry, so a new model
with a foreign key to ``Person`` is moved without being named here) is moved to the survivor in
one transaction; the ids moved per model and field are kept on the ``PersonMerge`` so that
``person_merge_undo`` moves back exactly those rows. The duplicate is kept, marked
``merged_into``, and hidden from lists and search.

Who: any role that sees both people may propose; a city officer decides and may undo.
"""
from __future__ import annotations

from django.apps import apps
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record, refusals_audited
from core.errors import ApplicationError
from core.roles import has_role

from .models import (
    Case,
    CaseGroupObjectPermission,
    Person,
    PersonMerge,
    PersonMergeStatus,
    PossibleDuplicate,
)
from .permissions import MERGE_DECIDER_ROLES
from .selectors import person_visible_to

#: relations to Person that describe the merge itself, not the person's records; and the shares
#: of a record with Zhuhai (``person_share``): each was a consent-gated disclosure of that
#: record, so it stays with the hidden duplicate rather than widen who sees the survivor
NOT_MOVED = {("cases.person", "merged_into"), ("cases.personmerge", "survivor"),
             ("cases.personmerge", "duplicate"), ("cases.possibleduplicate", "first"),
             ("cases.possibleduplicate", "second"),
             ("cases.persongroupobjectpermission", "content_object"),
             ("cases.personuserobjectpermission", "content_object"),
             # the subject a case's share keeps follows its case (``_shares_follow_cases``)
             ("cases.casegroupobjectpermission", "subject")}
#: how ``moved`` names the cases whose subject a merge changed
MOVED_CASES = "cases.case.subject"


def movable_relations() -> list[models.ForeignKey]:
    """Every foreign key (or one-to-one) of any installed model that points at ``Person``."""
    relations = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (getattr(field, "concrete", False) and field.is_relation
                    and (field.many_to_one or field.one_to_one)
                    and field.remote_field.model is Person
                    and (model._meta.label_lower, field.name) not in NOT_MOVED):
                relations.append(field)
    return relations


def _key(field) -> str:
    return f"{field.model._meta.label_lower}.{field.name}"


def merge_counts(duplicate: Person) -> list[tuple[str, int]]:
    """(kind of record, how many) that a merge of ``duplicate`` would move, for the check page."""
    counts = []
    for field in movable_relations():
        count = field.model._base_manager.filter(**{field.name: duplicate}).count()
        if count:
            counts.append((str(field.model._meta.verbose_name_plural), count))
    return counts


def _conflicts(survivor: Person, duplicate: Person) -> list[str]:
    """Kinds of records that cannot move because the survivor already has the same one (a
    unique constraint that includes the person field, e.g. one roster entry per person)."""
    found = []
    for field in movable_relations():
        manager = field.model._base_manager
        moving = manager.filter(**{field.name: duplicate})
        if not moving.exists():
            continue
        unique_sets = [tuple(constraint.fields) for constraint in field.model._meta.constraints
                       if isinstance(constraint, models.UniqueConstraint) and constraint.fields]
        unique_sets += [tuple(fields) for fields in field.model._meta.unique_together]
        if field.unique:
            unique_sets.append((field.name,))
        for fields in unique_sets:
            if field.name not in fields and field.attname not in fields:
                continue
            others = [name for name in fields if name not in (field.name, field.attname)]
            staying = manager.filter(**{field.name: survivor})
            if not others:
                clash = staying.exists()
            else:
                clash = staying.filter(models.Q(*[
                    models.Q(**dict(zip(others, values)))
                    for values in moving.values_list(*others)], _connector=models.Q.OR)).exists()
            if clash:
                found.append(str(field.model._meta.verbose_name_plural))
                break
    return found


def _shares_follow_cases(case_ids: list) -> None:
    """The shares of these cases take their case's subject again (after a merge or its undo
    moved the cases; a merge from before shares kept the subject is undone right too)."""
    if case_ids:
        CaseGroupObjectPermission.objects.filter(content_object_id__in=case_ids).update(
            subject_id=Subquery(Case.objects.filter(pk=OuterRef("content_object_id"))
                                .values("subject_id")[:1]))


def _sees_both(actor, survivor: Person, duplicate: Person) -> bool:
    return person_visible_to(actor).filter(pk__in=[survivor.pk, duplicate.pk]).count() == 2


def _lock(*pks) -> dict:
    """Both people, locked in id order (two merges of the same people cannot deadlock)."""
    return {person.pk: person for person in
            Person.objects.select_for_update().filter(pk__in=pks).order_by("pk")}


@refusals_audited
@transaction.atomic
def person_merge_propose(*, actor, survivor: Person, duplicate: Person, reason: str = "",
                         score=None) -> PersonMerge:
    if survivor.pk == duplicate.pk:
        raise ApplicationError(_("Choose two different people."), code="same_person")
    if not _sees_both(actor, survivor, duplicate):
        raise ApplicationError(_("You may merge only people you can see."), code="forbidden",
                               status=403)
    people = _lock(survivor.pk, duplicate.pk)
    if any(person.merged_into_id for person in people.values()):
        raise ApplicationError(_("One of these people has already been merged."),
                               code="already_merged", status=409)
    if PersonMerge.objects.filter(duplicate__in=[survivor, duplicate],
                                  status=PersonMergeStatus.PROPOSED).exists():
        raise ApplicationError(_("A merge of this person is already proposed."),
                               code="already_proposed", status=409)
    merge = PersonMerge(survivor=survivor, duplicate=duplicate, reason=(reason or "").strip(),
                        score=score, proposed_by=actor)
    merge.full_clean()
    merge.save()
    audit_record(actor=actor, action="person.merge_propose", obj=merge,
                 changes={"survivor": survivor.pk, "duplicate": duplicate.pk})
    return merge


def _guard_decider(actor, merge: PersonMerge) -> None:
    if not has_role(actor, *MERGE_DECIDER_ROLES):
        raise ApplicationError(_("Only a city bureau officer decides on a merge."),
                               code="forbidden", status=403)
    if not _sees_both(actor, merge.survivor, merge.duplicate):
        raise ApplicationError(_("You may merge only people you can see."), code="forbidden",
                               status=403)


@refusals_audited
@transaction.atomic
def person_merge_decide(*, actor, merge: PersonMerge, approve: bool,
                        reason: str = "") -> PersonMerge:
    """Merge (``approve``) or reject a proposal. Locks both people, then the proposal."""
    _guard_decider(actor, merge)
    people = _lock(merge.survivor_id, merge.duplicate_id)
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.status != PersonMergeStatus.PROPOSED:
        raise ApplicationError(_("This merge has already been decided."),
                               code="already_decided", status=409)
    survivor, duplicate = people[merge.survivor_id], people[merge.duplicate_id]
    if survivor.merged_into_id or duplicate.merged_into_id:
        raise ApplicationError(_("One of these people has already been merged."),
                               code="already_merged", status=409)
    now = timezone.now()
    if not approve:
        merge.status, merge.decided_by, merge.decided_at = PersonMergeStatus.REJECTED, actor, now
        if reason:
            merge.reason = f"{merge.reason}\n{reason}".strip()
        merge.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
        audit_record(actor=actor, action="person.merge_reject", obj=merge)
        return merge
    conflicts = _conflicts(survivor, duplicate)
    if conflicts:
        raise ApplicationError(
            _("Both people have records that can exist only once (%(kinds)s); resolve them "
              "before merging.") % {"kinds": ", ".join(conflicts)}, code="merge_conflict",
            status=409)
    moved = {}
    for field in movable_relations():
        rows = field.model._base_manager.filter(**{field.name: duplicate})
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            field.model._base_manager.filter(pk__in=ids).update(**{field.name: survivor})
            moved[_key(field)] = ids
    _shares_follow_cases(moved.get(MOVED_CASES, []))
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into", "updated_at"])
    PossibleDuplicate.objects.filter(Q(first=duplicate) | Q(second=duplicate)).delete()
    merge.status, merge.decided_by, merge.decided_at = PersonMergeStatus.MERGED, actor, now
    merge.moved = moved
    merge.save(update_fields=["status", "decided_by", "decided_at", "moved", "updated_at"])
    audit_record(actor=actor, action="person.merge", obj=merge,
                 changes={"survivor": survivor.pk, "duplicate": duplicate.pk,
                          "moved": {key: len(ids) for key, ids in moved.items()}})
    return merge


@refusals_audited
@transaction.atomic
def person_merge_undo(*, actor, merge: PersonMerge, reason: str = "") -> PersonMerge:
    """Move back exactly the rows the merge moved and show the duplicate again."""
    _guard_decider(actor, merge)
    people = _lock(merge.survivor_id, merge.duplicate_id)
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.status != PersonMergeStatus.MERGED:
        raise ApplicationError(_("Only a done merge can be undone."), code="not_merged",
                               status=409)
    survivor, duplicate = people[merge.survivor_id], people[merge.duplicate_id]
    if survivor.merged_into_id:
        raise ApplicationError(_("The person who stayed has since been merged into another; "
                                 "undo that merge first."), code="survivor_merged", status=409)
    fields = {_key(field): field for field in movable_relations()}
    for key, ids in merge.moved.items():
        field = fields.get(key)
        if field is None:
            continue
        field.model._base_manager.filter(pk__in=ids, **{field.name: survivor}).update(
            **{field.name: duplicate})
    _shares_follow_cases(merge.moved.get(MOVED_CASES, []))
    duplicate.merged_into = None
    duplicate.save(update_fields=["merged_into", "updated_at"])
    merge.status, merge.undone_by, merge.undone_at = PersonMergeStatus.UNDONE, actor, timezone.now()
    if reason:
        merge.reason = f"{merge.reason}\n{reason}".strip()
    merge.save(update_fields=["status", "undone_by", "undone_at", "reason", "updated_at"])
    audit_record(actor=actor, action="person.merge_undo", obj=merge,
                 changes={"survivor": survivor.pk, "duplicate": duplicate.pk})
    return merge


def moved_counts(merge: PersonMerge) -> list[tuple[str, int]]:
    """(kind of record, how many) a done merge moved, for the page after the decision."""
    labels = {_key(field): str(field.model._meta.verbose_name_plural)
              for field in movable_relations()}
    return [(labels.get(key, key), len(ids)) for key, ids in merge.moved.items()]
