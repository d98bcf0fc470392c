"""Paging lists too large to count on every request (100,000 cases, 240,000 payments and 20,000
more each month). Django's Paginator runs ``COUNT(*)`` over the whole filtered list to number
its pages, and for an agency whose visibility includes shared records that means testing every
row of the table. A page here reads one row more than it shows to know whether a next page
exists, and offers Previous / Next only (which is all templates/includes/pagination.html shows).

A list that tells the officer how many records match asks for ``count_up_to``: it counts at
most that many rows plus one, so the figure costs as much as reading the first thousand and
reads "more than 1,000" beyond it."""
from __future__ import annotations

from django.core.paginator import InvalidPage

#: The highest page number read: past it the offset would overflow the database's bigint (a
#: 500 on ``?page=99999999999999999999``); a list this long is searched, not paged through.
MAX_PAGE = 10 ** 9

#: How far the lists that show a count (cases, recipients) count before saying "more than".
COUNT_UP_TO = 1000


class UncountedPage:
    def __init__(self, queryset, number, per_page: int, *, count_up_to: int | None = None,
                 strict: bool = False):
        """``strict`` raises ``InvalidPage`` for a page number that is not a positive integer
        or lies past the end (the API's 404); otherwise such a number shows the first page
        (a stale link on a page)."""
        text = str(number or "1")
        valid = text.isascii() and text.isdigit() and 0 < int(text) <= MAX_PAGE
        if not valid and strict:
            raise InvalidPage(number)
        number = int(text) if valid else 1
        rows = list(queryset[(number - 1) * per_page:number * per_page + 1])
        if not rows and number > 1:
            if strict:
                raise InvalidPage(number)
            number, rows = 1, list(queryset[:per_page + 1])
        self.number = number
        self.object_list = rows[:per_page]
        self._has_next = len(rows) > per_page
        self.count = self.count_capped = None
        if count_up_to is not None:  # one query whatever the size, so the count per page is fixed
            self.count = queryset.order_by()[:count_up_to + 1].count()
            self.count_capped = self.count > count_up_to
            self.count = min(self.count, count_up_to)

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


def page_of(request, queryset, per_page: int = 25, *, count_up_to: int | None = None):
    """The page of ``queryset`` the request's ``?page=`` asks for."""
    return UncountedPage(queryset, request.GET.get("page"), per_page, count_up_to=count_up_to)
