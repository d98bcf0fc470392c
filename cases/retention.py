"""Retention of the files on cases and of the joint meetings' records (see core.retention;
periods in docs/operations.md).

The built-in ``cases.case`` rule empties a closed case's text; its attachments (scans of
documents, letters, photos) go with the same period: rows and stored files. Nothing counts
them.

A joint meeting discusses families by name: five years after it, its minutes, the titles and
reasons of its agenda items, its decisions and its action items' texts and progress notes are
emptied. The rows stay, so the dashboard still counts meetings held and action items closed on
time. A meeting with an action item still open is held back."""
from __future__ import annotations

from core.retention import ANONYMISED, Rule, delete_files

from .models import (ACTION_ITEM_ACTIVE_STATUSES, ActionItem, ActionItemProgress, AgendaItem,
                     CaseAttachment, Decision, Meeting)


def _attachments_due(cutoff):
    return CaseAttachment.objects.filter(case__closed_at__lt=cutoff)


def _attachments_delete(attachments) -> int:
    delete_files(attachments, "file")
    return attachments.delete()[0]


def _meetings_due(cutoff):
    return Meeting.objects.filter(starts_at__lt=cutoff).exclude(minutes=ANONYMISED)


def _meetings_anonymise(meetings) -> int:
    ids = list(meetings.values_list("pk", flat=True))
    Meeting.objects.filter(pk__in=ids).update(minutes=ANONYMISED)
    AgendaItem.objects.filter(meeting_id__in=ids).update(title=ANONYMISED, reason="")
    Decision.objects.filter(agenda_item__meeting_id__in=ids).update(text=ANONYMISED)
    ActionItem.objects.filter(meeting_id__in=ids).update(title=ANONYMISED, description="")
    ActionItemProgress.objects.filter(action_item__meeting_id__in=ids).update(text=ANONYMISED)
    return len(ids)


def _meetings_with_open_items(cutoff):
    return ActionItem.objects.filter(status__in=ACTION_ITEM_ACTIVE_STATUSES).values("meeting_id")


RULES = [
    Rule(name="cases.caseattachment", due=_attachments_due, apply=_attachments_delete,
         description="Attachments of cases closed five years ago: rows and files deleted."),
    Rule(name="cases.meeting", due=_meetings_due, apply=_meetings_anonymise,
         description="Joint meetings five years old: minutes, agenda titles and reasons, "
                     "decisions, action items' texts and progress notes emptied."),
]

HOLDS = {"cases.meeting": _meetings_with_open_items}
