"""The permission matrix (ASVS 8.2.1–8.2.3, 8.4.1): every route × every role through the pages
and the API, against the demo data; the table is permission_matrix.py."""
from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from core.roles import Role

from .matrix_engine import OUT_OF_SCOPE, ROLES, STEPS, Clients, answer, client_for, routes, url_for
from .permission_matrix import CREATES, FORM_PAGES, MATRIX

APPS = ["zhuao", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot"]


def _app(name: str) -> str:
    head = name.split(":", 1)[0] if ":" in name else "zhuao"
    return head.removesuffix("-api")


def test_every_route_is_in_the_matrix():
    names = {route.name for route in routes()}
    missing = sorted(names - set(MATRIX) - set(OUT_OF_SCOPE))
    stale = sorted(set(MATRIX) - names)
    assert missing == [], f"routes missing from tests/hardening/permission_matrix.py: {missing}"
    assert stale == [], f"rows for routes that no longer exist: {stale}"


def test_every_answer_string_has_one_cell_per_role():
    for name, entry in MATRIX.items():
        assert entry is not None, f"{name}: every row is a reviewed answer string"
        method, cells = entry
        assert method in ("GET", "POST") and len(cells) == len(ROLES), name
        assert set(cells) <= set("ADV"), name


@pytest.mark.parametrize("app", APPS)
def test_matrix_cells(app, seeded_media, db):
    seeded = seeded_media
    by_name = {route.name: route for route in routes()}
    clients = Clients(seeded)
    mismatches = []
    untested = []
    for name, entry in sorted(MATRIX.items()):
        if _app(name) != app:
            continue
        route = by_name[name]
        url = url_for(route, STEPS) if entry is not None else None
        if entry is None or url is None:
            untested.append(name)
            continue
        method, expected = entry
        for role, wanted in zip(ROLES, expected, strict=True):
            got, status = answer(route, url, method, clients(role, api=route.is_api))
            if got != wanted:
                mismatches.append(f"{name} {method} {url} as {role}: expected {wanted}, "
                                  f"got {got} ({status})")
    assert mismatches == [], "\n".join(mismatches)
    assert untested == [], f"no demo record to aim at: {untested}"


@pytest.mark.parametrize("app", ["cases", "infosharing"])
def test_form_page_cells(app, seeded_media, db):
    """The GET of a step's own page, for routes the MATRIX exercises by POST: each role sees
    the page only where it may take the step."""
    by_name = {route.name: route for route in routes()}
    clients = Clients(seeded_media)
    mismatches = []
    for name, (step, expected) in sorted(FORM_PAGES.items()):
        assert MATRIX[name][0] == "POST", name
        if _app(name) != app:
            continue
        route = by_name[name]
        url = url_for(route, {**STEPS, name: step} if step else STEPS)
        assert url is not None, name
        for role, wanted in zip(ROLES, expected, strict=True):
            got, status = answer(route, url, "GET", clients(role, api=False))
            if got != wanted:
                mismatches.append(f"{name} GET {url} as {role}: expected {wanted}, got {got} "
                                  f"({status})")
    assert mismatches == [], "\n".join(mismatches)


def _all_pages(client, url):
    ids = []
    while url:
        body = client.get(url).json()
        rows = body["results"] if isinstance(body, dict) and "results" in body else body
        ids += [row["id"] for row in rows]
        url = body.get("next") if isinstance(body, dict) else None
    return set(ids)


@pytest.mark.parametrize("role", ["city", "district", "district2", "macau", "hengqin"])
def test_case_list_returns_exactly_the_visible_cases(role, seeded, db):
    """Expected sets computed from the data (owner, district, explicit shares), not from the
    selector under test."""
    from cases.models import Case, CaseGroupObjectPermission

    user = seeded[role]
    agency = user.staff.agency
    shared = set(CaseGroupObjectPermission.objects.filter(
        group_id=agency.group_id, permission__codename="view_case")
        .values_list("content_object_id", flat=True))
    if role == "city":
        expected = set(Case.objects.values_list("pk", flat=True))
    else:
        expected = {case.pk for case in Case.objects.all()
                    if case.owner_agency_id == agency.pk or case.pk in shared
                    or (role.startswith("district") and case.district == agency.district)}
    client = client_for(role, seeded, api=True)
    assert _all_pages(client, "/api/v1/cases/cases/?page_size=500") == expected
    # the page list shows the same number
    page = client_for(role, seeded, api=False).get("/cases/")
    assert page.status_code == 200


@pytest.mark.parametrize("role,other", [("ngo", "ngo2"), ("ngo2", "ngo")])
def test_referral_list_holds_only_the_organisations_own(role, other, seeded, db):
    from partners.models import Referral

    client = client_for(role, seeded, api=True)
    ids = _all_pages(client, "/api/v1/partners/referrals/")
    agency = seeded[role].staff.agency
    for referral in Referral.objects.filter(pk__in=ids).select_related("organisation"):
        assert getattr(referral.organisation, "agency_id", agency.pk) == agency.pk


def _api_methods(route) -> set[str]:
    """The HTTP methods a router route maps to viewset actions (or a plain API view allows)."""
    from django.urls import resolve

    from .matrix_engine import url_for as _url

    url = _url(route, STEPS)
    if url is None:
        return set()
    callback = resolve(url.split("?")[0]).func
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return {method.upper() for method in actions}
    view = getattr(callback, "cls", None)
    return {method.upper() for method in getattr(view, "http_method_names", [])
            if hasattr(view, method)} - {"OPTIONS", "HEAD"}


def test_every_api_create_is_in_the_matrix(seeded_media, db):
    """An API route that takes POST besides the verb its MATRIX row exercises (a list route that
    also creates) needs a row in CREATES; a route missing there fails."""
    by_name = {route.name: route for route in routes() if route.is_api}
    takes_post = {name for name, route in by_name.items()
                  if MATRIX.get(name) and MATRIX[name][0] == "GET" and "POST" in _api_methods(route)}
    missing = sorted(takes_post - set(CREATES))
    assert missing == [], f"API creates missing from CREATES: {missing}"
    assert sorted(set(CREATES) - takes_post) == [], "CREATES rows for routes that do not create"


@pytest.mark.parametrize("app", APPS)
def test_api_create_cells(app, seeded_media, db):
    """An empty POST to each API create as each role: the roles that may create reach
    validation (V), the others are denied (D), and nothing changes."""
    by_name = {route.name: route for route in routes()}
    clients = Clients(seeded_media)
    mismatches = []
    for name, expected in sorted(CREATES.items()):
        if _app(name) != app:
            continue
        route = by_name[name]
        url = url_for(route, STEPS)
        for role, wanted in zip(ROLES, expected, strict=True):
            got, status = answer(route, url, "POST", clients(role, api=True))
            if got != wanted:
                mismatches.append(f"{name} POST {url} as {role}: expected {wanted}, got {got} "
                                  f"({status})")
    assert mismatches == [], "\n".join(mismatches)


@pytest.mark.parametrize("app", APPS)
def test_no_api_record_is_changed_or_deleted_in_place(app, seeded_media, db):
    """The API changes records only through their workflow actions: PUT, PATCH and DELETE are
    refused on every route for every role (405, or denied first), and change nothing."""
    from .matrix_engine import DENIED, change_fingerprint

    clients = {role: client_for(role, seeded_media, api=True) for role in ROLES}  # logins audited
    before = change_fingerprint()
    wrong = []
    for route in routes():
        if not route.is_api or _app(route.name) != app or MATRIX.get(route.name) is None:
            continue
        url = url_for(route, STEPS)
        for role, client in clients.items():
            for method in ("put", "patch", "delete"):
                status = getattr(client, method)(url).status_code
                if status != 405 and status not in DENIED:
                    wrong.append(f"{method.upper()} {url} as {role}: {status}")
    assert wrong == [], "\n".join(wrong)
    assert change_fingerprint() == before


def test_the_backup_liaison_answers_like_the_primary(seeded_media, db):
    """macau_backup holds the same role in the same agency as macau: every cell of the table is
    the same for both (pages and API)."""
    by_name = {route.name: route for route in routes()}
    clients = Clients(seeded_media)
    different = []
    for name, entry in sorted(MATRIX.items()):
        url = url_for(by_name[name], STEPS) if entry else None
        if url is None:
            continue
        method = entry[0]
        route = by_name[name]
        primary = answer(route, url, method, clients("macau", api=route.is_api))
        backup = answer(route, url, method, clients("macau_backup", api=route.is_api))
        if primary[0] != backup[0]:
            different.append(f"{name} {method} {url}: macau {primary}, macau_backup {backup}")
    assert different == [], "\n".join(different)


#: The role each column's demo user holds.
COLUMN_ROLES = {"city": Role.CITY, "district": Role.DISTRICT, "district2": Role.DISTRICT,
                "finance": Role.FINANCE, "finwork": Role.FINWORK, "macau": Role.MACAU,
                "hengqin": Role.HENGQIN, "ngo": Role.NGO, "ngo2": Role.NGO,
                "leader": Role.LEADERSHIP, "admin": Role.ADMIN,
                "secadmin": Role.SECURITY_ADMIN, "auditadmin": Role.AUDIT_ADMIN}


def _declared_roles(callback):
    """The roles a route's view admits, as declared with ``role_required`` (pages) or
    ``roles_allowed`` (API), from the role sets of the apps' permissions.py; None when the view
    decides otherwise."""
    if hasattr(callback, "allowed_roles"):
        return callback.allowed_roles
    view_class = getattr(callback, "cls", None)
    if view_class is None:
        return None
    classes = (getattr(callback, "initkwargs", {}).get("permission_classes")
               or view_class.permission_classes)
    declared = [permission.allowed_roles for permission in classes
                if hasattr(permission, "allowed_roles")]
    return frozenset.intersection(*declared) if declared else None


def test_matrix_agrees_with_the_declared_role_sets():
    """The table and the declarations read one truth: a role outside the set a view declares is
    denied in the reviewed table, and every role the table allows is in it."""
    callbacks = {}

    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, namespace + (f"{entry.namespace}:" if entry.namespace
                                                    else ""))
            elif isinstance(entry, URLPattern) and entry.name:
                yield namespace + entry.name, entry.callback

    for name, callback in walk(get_resolver()):
        callbacks.setdefault(name, callback)
    assert set(COLUMN_ROLES) == set(ROLES) - {"anonymous"}
    assert set(COLUMN_ROLES.values()) == set(Role.values) - {Role.BANK}
    disagreements, compared = [], 0
    for name, (method, cells) in sorted(MATRIX.items()):
        declared = _declared_roles(callbacks[name])
        if declared is None:
            continue
        compared += 1
        for username, cell in zip(ROLES, cells, strict=True):
            role = COLUMN_ROLES.get(username)
            if role is not None and cell == "A" and role not in declared:
                disagreements.append(f"{name} {method} as {username}: the table allows it, "
                                     f"the view admits {sorted(declared)}")
    assert compared > 200, compared
    assert disagreements == [], "\n".join(disagreements)
