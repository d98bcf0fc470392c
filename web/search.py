"""List searches that may hold personal data (a name, an identity-document number) travel in a
POST body and are kept in the session, never in an address, where browser history, the proxy's
and the server's access logs and the Referer header would keep them.

The search form posts here; the filters are kept for that list and the browser is sent back to
the bare list (303). A GET with other parameters (links such as ``?status=open``) filters by those,
without the free-text ``q``; a GET with none, or only ``page``, uses the kept filters; ``?clear=1``
forgets them. So pagination and "lists remember their filters" keep working."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect, QueryDict

from web.listing import VIEW_PARAMETERS

SESSION_PREFIX = "zhuao:search:"
PRIVATE = ("q",)


def search_params(request: HttpRequest, key: str) -> QueryDict | HttpResponseRedirect:
    """The list's filter parameters, or the redirect that answers a search or a clear."""
    session_key = SESSION_PREFIX + key
    if request.method == "POST":
        kept = request.POST.copy()
        kept.pop("csrfmiddlewaretoken", None)
        for name in ("page", "sort", "per_page", "format"):
            kept.pop(name, None)
        request.session[session_key] = kept.urlencode()
        return HttpResponseRedirect(request.path, status=303)
    if request.GET.get("clear"):
        request.session.pop(session_key, None)
        return HttpResponseRedirect(request.path, status=303)
    return _current(request, session_key)


def current_params(request: HttpRequest, key: str) -> QueryDict:
    """The filters a list page shows, for a view that only reads them (its export)."""
    return _current(request, SESSION_PREFIX + key)


def _current(request: HttpRequest, session_key: str) -> QueryDict:
    given = request.GET.copy()
    for name in VIEW_PARAMETERS:  # how the list is shown (page, sort, size, export format)
        given.pop(name, None)
    for name in PRIVATE:
        given.pop(name, None)
    if given:
        return given
    return QueryDict(request.session.get(session_key, ""))
