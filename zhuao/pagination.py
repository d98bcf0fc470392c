"""Paging a list too large to count on every request (the payments: 20,000 more each month).
Django's Paginator runs ``COUNT(*)`` over the whole filtered list to number its pages; this
page reads one row more than it shows to know whether a next page exists, and offers
Previous / Next only (which is all templates/includes/pagination.html shows)."""
from __future__ import annotations


class UncountedPage:
    def __init__(self, queryset, number, per_page: int):
        number = int(number) if str(number or "").isdigit() and int(number) > 0 else 1
        rows = list(queryset[(number - 1) * per_page:number * per_page + 1])
        if not rows and number > 1:  # past the end (a stale link): the first page
            number, rows = 1, list(queryset[:per_page + 1])
        self.number = number
        self.object_list = rows[:per_page]
        self._has_next = len(rows) > per_page

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1
