""""My work": one list per user of what waits for them, gathered from the apps.

Each app's ``home.py`` may have ``work_sources(user) -> list[WorkSource]``: one source per kind
of work (verification requests to answer, relief to review, batches to check…), each a
queryset built on the app's selectors (the visibility door) and the names of the columns that
give the item's reference, due date and link. From them:

- ``work_items(user)`` reads at most ``PER_SOURCE`` rows of each source, one query per source
  whatever the amount of data, overdue items first, then by due date;
- ``work_count(user)`` counts every source in one statement (``count_each``);
- ``menu_count(user)`` is that count for the navigation's "My work" badge, kept for
  ``MENU_COUNT_SECONDS``: it reads every source through the visibility door, which cost more
  than the rest of a page's layout (a district officer's: 15 of 23 ms at 100,000 cases). The
  home page's list is always read fresh, and the badge drawn with it is its total.

Items carry a kind, a reference (a record number, never a person's name), a due date and a
link: the page and the API show the same list."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.db import count_each
from core.workstreams import app_modules

#: Rows read from each source: the home page shows what comes first, the count tells the rest.
PER_SOURCE = 20

#: How far back "shared with me since my last visit" looks for a user never seen before.
FIRST_VISIT_LOOKBACK = datetime.timedelta(days=14)


@dataclass
class WorkSource:
    kind: str  # stable key, e.g. "infosharing.request_to_answer" (the API's ``kind``)
    label: Any  # the kind as people read it (lazy translation)
    queryset: QuerySet
    url_name: str
    reference: Any = "number"  # a column (or expression) naming the record
    due: Any = None  # a column (or expression) holding the due date or time, if any
    target: str = "pk"  # the column whose value the link's url_name takes ("": none)
    reference_prefix: str = ""


@dataclass
class WorkItem:
    kind: str
    label: Any
    reference: str
    url: str
    due: datetime.date | datetime.datetime | None = None
    is_overdue: bool = False

    @property
    def due_date(self) -> datetime.date | None:
        if isinstance(self.due, datetime.datetime):
            return timezone.localtime(self.due).date()
        return self.due


def _is_overdue(due, *, now: datetime.datetime, today: datetime.date) -> bool:
    if due is None:
        return False
    if isinstance(due, datetime.datetime):
        return due < now
    return due < today


def work_sources(user, *, since: datetime.datetime | None = None) -> list[WorkSource]:
    """Every app's sources for ``user``; ``since``: what counts as new (shared since the last
    visit), by default the last visit recorded."""
    if not getattr(user, "is_authenticated", False):
        return []
    since = since or last_visit(user)
    sources: list[WorkSource] = []
    for module in app_modules("home"):
        collect = getattr(module, "work_sources", None)
        if collect is not None:
            sources.extend(collect(user, since=since))
    return [source for source in sources if not source.queryset.query.is_empty()]


def _rows(source: WorkSource) -> list[dict]:
    columns = {"work_reference": F(source.reference) if isinstance(source.reference, str)
               else source.reference}
    if source.target:
        columns["work_target"] = F(source.target)
    if source.due is not None:
        columns["work_due"] = F(source.due) if isinstance(source.due, str) else source.due
    rows = source.queryset.prefetch_related(None).values(**columns)
    if source.due is not None:  # the most pressing first, before the cut
        rows = rows.order_by(F("work_due").asc(nulls_last=True), "pk")
    return list(rows[:PER_SOURCE])


def work_items(user, *, sources: list[WorkSource] | None = None) -> list[WorkItem]:
    """What waits for ``user``: overdue first, then by due date (undated last), then kind."""
    now, today = timezone.now(), timezone.localdate()
    items: list[WorkItem] = []
    for source in work_sources(user) if sources is None else sources:
        for row in _rows(source):
            due = row.get("work_due")
            items.append(WorkItem(
                kind=source.kind, label=source.label,
                reference=f"{source.reference_prefix}{row['work_reference']}",
                url=reverse(source.url_name, args=[row["work_target"]] if source.target else None),
                due=due,
                is_overdue=_is_overdue(due, now=now, today=today)))
    far = datetime.date.max
    items.sort(key=lambda item: (not item.is_overdue, item.due_date or far, item.kind,
                                 item.reference))
    return items


#: How long the menu's "My work" badge may lag behind the work (seconds).
MENU_COUNT_SECONDS = 30


def _menu_count_key(user) -> str:
    return f"work:menu-count:{user.pk}"


def menu_count(user) -> int:
    """The "My work" badge: ``work_count`` at most every ``MENU_COUNT_SECONDS`` per user."""
    count = cache.get(_menu_count_key(user))
    if count is None:
        count = work_count(user)
        cache.set(_menu_count_key(user), count, MENU_COUNT_SECONDS)
    return count


def remember_menu_count(user, count: int) -> None:
    """The badge from a count just read (the home page's list)."""
    cache.set(_menu_count_key(user), count, MENU_COUNT_SECONDS)


def work_count(user, *, sources: list[WorkSource] | None = None) -> int:
    """How many items wait for ``user`` in all: one query."""
    sources = work_sources(user) if sources is None else sources
    return sum(count_each([source.queryset for source in sources])) if sources else 0


@dataclass
class WorkList:
    items: list[WorkItem] = field(default_factory=list)
    total: int = 0

    @property
    def overdue(self) -> int:
        return sum(item.is_overdue for item in self.items)


def work_list(user, *, since: datetime.datetime | None = None) -> WorkList:
    """The items and, when a source had more than ``PER_SOURCE``, the full count (one more
    query)."""
    sources = work_sources(user, since=since)
    items = work_items(user, sources=sources)
    truncated = any(sum(item.kind == source.kind for item in items) >= PER_SOURCE
                    for source in sources)
    total = work_count(user, sources=sources) if truncated else len(items)
    return WorkList(items=items, total=total)


def last_visit(user) -> datetime.datetime:
    """When the user last opened their work list (or, the first time, two weeks ago)."""
    try:
        staff = user.staff
    except AttributeError:
        staff = None
    seen = getattr(staff, "work_seen_at", None)
    return seen or timezone.now() - FIRST_VISIT_LOOKBACK


def work_list_for_visit(user, session) -> WorkList:
    """The work list of the home page. What was shared "since the last visit" is reckoned
    from the visit before this session's first look at it, so it stays listed while the
    session lasts; the visit is then recorded for the next session."""
    since = parse_datetime(session.get("work_since") or "")
    if since is None:
        since = last_visit(user)
        session["work_since"] = since.isoformat()
        try:
            staff = user.staff
        except AttributeError:
            staff = None
        if staff is not None:
            staff.work_seen_at = timezone.now()
            staff.save(update_fields=["work_seen_at"])
    return work_list(user, since=since)
