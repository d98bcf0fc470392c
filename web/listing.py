"""What every list page shares: its definition (``ListSpec``: the query that gives its rows,
the columns that may be sorted, the columns of its export), the sort and page size the officer
chose (kept in the session with the list's filters), and the registry the export views and the
background export job find a list in.

A list's rows come from one function, ``spec.query(user, params)``, used by the page, its export
and the background job alike, so an export holds exactly the rows the page would show: the same
visibility door, the same filters. Sorting is allowed only on the columns a list names (each
backed by an index or a small table), always with the id as the last key so that equal values
keep one order from page to page."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

from core.workstreams import app_modules

#: Parameters that change how a list is shown, not which rows it holds: never filters.
VIEW_PARAMETERS = ("page", "sort", "per_page", "format")
#: Page sizes an officer may choose; anything else falls back to the list's own size.
PAGE_SIZES = (20, 50, 100)
SESSION_PREFIX = "zhuao:listing:"


@dataclass(frozen=True)
class Column:
    """One column of an export: its header and how to read it from a row."""

    header: Any
    value: Callable[[Any], Any]


@dataclass
class ListQuery:
    """The rows of a list for one user and one set of parameters (not yet sorted or paged)."""

    queryset: QuerySet
    filters: dict[str, Any] = field(default_factory=dict)
    form: Any = None
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ListSpec:
    key: str
    title: Any
    url_name: str
    export_url_name: str
    roles: tuple[str, ...]
    object_type: str
    query: Callable[[Any, QueryDict], ListQuery]
    columns: Callable[[], Sequence[Column]]
    #: sort key → the model fields it orders by (ascending); the id is added last.
    sorts: dict[str, tuple[str, ...]]
    default_sort: str
    page_size: int = 25
    #: Called with each chunk of rows before they are written (one query per chunk for what
    #: the columns need beyond the row: identity documents, say).
    prepare: Callable[[list], None] | None = None
    #: Where the list's filters are kept in the session (web.search), if they are.
    search_key: str = ""

    def page_sizes(self) -> tuple[int, ...]:
        return tuple(sorted({self.page_size, *PAGE_SIZES}))


REGISTRY: dict[str, ListSpec] = {}


def register(spec: ListSpec) -> ListSpec:
    REGISTRY[spec.key] = spec
    return spec


def spec_for(key: str) -> ListSpec | None:
    if key not in REGISTRY:
        load_all()
    return REGISTRY.get(key)


def load_all() -> dict[str, ListSpec]:
    """Import every app's ``lists`` module (the worker has not loaded the URL configuration)."""
    app_modules("lists")
    return REGISTRY


def filter_params(params: QueryDict) -> QueryDict:
    kept = params.copy()
    for name in VIEW_PARAMETERS:
        kept.pop(name, None)
    return kept


@dataclass
class Ordering:
    key: str
    descending: bool
    per_page: int

    @property
    def sort(self) -> str:
        return ("-" if self.descending else "") + self.key


def parse_sort(spec: ListSpec, text: str | None) -> tuple[str, bool] | None:
    text = (text or "").strip()
    descending = text.startswith("-")
    key = text[1:] if descending else text
    if key in spec.sorts:
        return key, descending
    return None


def parse_page_size(spec: ListSpec, text: str | None) -> int | None:
    text = str(text or "")
    if text.isascii() and text.isdigit() and int(text) in spec.page_sizes():
        return int(text)
    return None


def ordering_for(request, spec: ListSpec) -> Ordering:
    """The sort and page size asked for, else the ones kept for this list in the session, else
    the list's defaults. An unknown sort key or page size is ignored, never an error."""
    session_key = SESSION_PREFIX + spec.key
    kept = request.session.get(session_key, {}) if hasattr(request, "session") else {}
    sort = parse_sort(spec, request.GET.get("sort")) or parse_sort(spec, kept.get("sort")) \
        or parse_sort(spec, spec.default_sort)
    per_page = (parse_page_size(spec, request.GET.get("per_page"))
                or parse_page_size(spec, kept.get("per_page")) or spec.page_size)
    ordering = Ordering(key=sort[0], descending=sort[1], per_page=per_page)
    chosen = {"sort": ordering.sort, "per_page": per_page}
    if hasattr(request, "session") and ("sort" in request.GET or "per_page" in request.GET) \
            and kept != chosen:  # written when it changes, not on every page of the list
        request.session[session_key] = chosen
    return ordering


def sorted_queryset(spec: ListSpec, queryset: QuerySet, sort: str) -> QuerySet:
    parsed = parse_sort(spec, sort) or parse_sort(spec, spec.default_sort)
    key, descending = parsed
    sign = "-" if descending else ""
    # a name written "=name" keeps its direction both ways: the list's index may mix them
    # (payments: newest month first, then by reference)
    return queryset.order_by(*(name[1:] if name.startswith("=") else f"{sign}{name}"
                               for name in spec.sorts[key]), f"{sign}id")


@dataclass
class Listing:
    """What a list template needs for its sortable headers, page-size choice and export links."""

    spec: ListSpec
    ordering: Ordering
    base_query: str

    def link(self, **changes: Any) -> str:
        values = dict(QueryDict(self.base_query).lists())
        for name, value in changes.items():
            values[name] = [value]
        return "?" + urlencode(values, doseq=True)

    def header(self, key: str) -> dict[str, str]:
        if key not in self.spec.sorts:
            return {"href": "", "aria_sort": ""}
        active = self.ordering.key == key
        descending = active and not self.ordering.descending
        return {"href": self.link(sort=("-" if descending else "") + key),
                "aria_sort": ("descending" if self.ordering.descending else "ascending")
                if active else "none"}

    def page_size_links(self) -> list[tuple[int, str, bool]]:
        return [(size, self.link(per_page=size), size == self.ordering.per_page)
                for size in self.spec.page_sizes()]

    def export_links(self) -> list[tuple[str, str]]:
        address = reverse(self.spec.export_url_name)
        query = filter_params(QueryDict(self.base_query))
        query["sort"] = self.ordering.sort
        return [(label, f"{address}?{query.urlencode()}&format={fmt}")
                for fmt, label in (("xlsx", "Excel"), ("csv", "CSV"))]


def listing_for(request, spec: ListSpec, list_query: ListQuery):
    """The sorted rows and the ``Listing`` for the template."""
    ordering = ordering_for(request, spec)
    base = request.GET.copy()
    for name in ("page", "sort", "per_page", "format"):
        base.pop(name, None)
    return (sorted_queryset(spec, list_query.queryset, ordering.sort),
            Listing(spec=spec, ordering=ordering, base_query=base.urlencode()))


def sortable_keys(specs: Iterable[ListSpec] | None = None) -> dict[str, list[str]]:
    return {spec.key: list(spec.sorts) for spec in (specs or load_all().values())}
