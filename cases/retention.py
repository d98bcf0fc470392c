"""Retention of the files on cases (see zhuao.retention; periods in docs/operations.md).

The built-in ``cases.case`` rule empties a closed case's text; its attachments (scans of
documents, letters, photos) go with the same period: rows and stored files. Nothing counts
them."""
from __future__ import annotations

from zhuao.retention import Rule, delete_files

from .models import CaseAttachment


def _attachments_due(cutoff):
    return CaseAttachment.objects.filter(case__closed_at__lt=cutoff)


def _attachments_delete(attachments) -> int:
    delete_files(attachments, "file")
    return attachments.delete()[0]


RULES = [
    Rule(name="cases.caseattachment", due=_attachments_due, apply=_attachments_delete,
         description="Attachments of cases closed five years ago: rows and files deleted."),
]
