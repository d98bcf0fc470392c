"""The header's search box and the search-as-you-type fields that choose a person or a case.

Queries may be names or identity-document numbers, so they travel in POST bodies and the
session, never in an address (see web.search): the box posts here, the query is kept in the
session and the browser is sent back to the bare results page. The type-ahead endpoints answer
POSTs too (the page's CSRF token goes with them)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.audit import audit_bulk_read
from core.identity import mask
from web.decorators import role_required
from web.search import SESSION_PREFIX

from .global_search import QUERY_MAX_LENGTH, global_search
from .permissions import PEOPLE_ROLES
from .search import find_people
from .selectors import case_visible_to

SESSION_KEY = SESSION_PREFIX + "global"
#: Choices per page of a type-ahead field.
LOOKUP_PAGE_SIZE = 10
#: The furthest page a type-ahead field asks for (people are ranked among the first 200 found).
LOOKUP_MAX_PAGE = 10


@require_http_methods(["GET", "POST"])
@login_required
def search(request):
    if request.method == "POST":
        query = " ".join(str(request.POST.get("q", "")).split())[:QUERY_MAX_LENGTH]
        request.session[SESSION_KEY] = query
        return HttpResponseRedirect(request.path, status=303)
    if request.GET.get("clear"):
        request.session.pop(SESSION_KEY, None)
        return HttpResponseRedirect(request.path, status=303)
    query = request.session.get(SESSION_KEY, "")
    results = global_search(request.user, query) if query else None
    return render(request, "cases/search_results.html", {"query": query, "results": results})


def _page(request) -> int:
    try:
        page = int(request.POST.get("page", 1))
    except (TypeError, ValueError):
        page = 1
    return min(max(page, 1), LOOKUP_MAX_PAGE)


def _query(request) -> str:
    return " ".join(str(request.POST.get("q", "")).split())[:QUERY_MAX_LENGTH]


def person_choice(hit) -> dict:
    """What tells two people of the same name apart, and nothing more."""
    person = hit.person
    detail = [", ".join(hit.masked_documents), f"{person.date_of_birth:%Y-%m-%d}",
              person.get_district_display()]
    if hit.open_cases:
        detail.append(ngettext("%(count)d open case", "%(count)d open cases",
                               hit.open_cases) % {"count": hit.open_cases})
    label = person.name_zh + (f" ({person.name_latin})" if person.name_latin else "")
    return {"id": person.pk, "value": str(person.pk), "label": label,
            "detail": " · ".join(part for part in detail if part)}


@require_POST
@role_required(*PEOPLE_ROLES)
def person_lookup(request):
    """A page of the people the user may see whom the typed text names, best first."""
    query, page = _query(request), _page(request)
    hits = find_people(request.user, query, limit=page * LOOKUP_PAGE_SIZE + 1) if query else []
    shown = hits[(page - 1) * LOOKUP_PAGE_SIZE:page * LOOKUP_PAGE_SIZE]
    has_next = len(hits) > page * LOOKUP_PAGE_SIZE and page < LOOKUP_MAX_PAGE
    if query:
        audit_bulk_read(actor=request.user, action="person.lookup", object_type="cases.person",
                        rows=len(shown), filters={"q": query})
    return JsonResponse({"results": [person_choice(hit) for hit in shown], "page": page,
                         "has_next": has_next})


@require_POST
@role_required(*PEOPLE_ROLES)
def case_lookup(request):
    """A page of the cases the user may see whose number starts with the typed text, or whose
    subject it names; newest first."""
    query, page = _query(request), _page(request)
    results, has_next = [], False
    if query:
        visible = case_visible_to(request.user)
        number = "".join(query.split()).upper()
        if any(ch.isdigit() for ch in query) and len(number) <= 24:
            matching = visible.filter(number__startswith=number)
        else:
            people = [hit.person.pk for hit in find_people(request.user, query, limit=50)]
            matching = visible.filter(subject_id__in=people)
        start = (page - 1) * LOOKUP_PAGE_SIZE
        cases = list(matching.select_related("subject").order_by("-opened_at", "-id")
                     .prefetch_related("subject__documents")
                     [start:start + LOOKUP_PAGE_SIZE + 1])
        has_next = len(cases) > LOOKUP_PAGE_SIZE and page < LOOKUP_MAX_PAGE
        for case in cases[:LOOKUP_PAGE_SIZE]:
            subject = case.subject
            detail = [", ".join(mask(document.number) for document in subject.documents.all()),
                      f"{subject.date_of_birth:%Y-%m-%d}", subject.get_district_display(),
                      case.get_status_display()]
            results.append({"id": case.pk, "value": case.number,
                            "label": f"{case.number} · {subject.name_zh}",
                            "detail": " · ".join(part for part in detail if part)})
        audit_bulk_read(actor=request.user, action="case.lookup", object_type="cases.case",
                        rows=len(results), filters={"q": query})
    return JsonResponse({"results": results, "page": page, "has_next": has_next})

