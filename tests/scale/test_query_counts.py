"""Queries per request do not grow with the data: every main list and detail page and API
endpoint, as the roles that use them, found the way ``manage.py bench`` finds them (each role's
navigation, the first detail link of each list, each app's API router and the first item of
each list), costs at most 15 queries and the same number at two data sizes (seed_scale at a
tiny factor, then — rolled back — at a four times larger one), and none loads a field its
query deferred (a list that reads only the columns it shows, ``.only()``, and then shows one
more would cost a query per row)."""
from __future__ import annotations

import io
import json
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Model
from tests.two_factor_clients import VerifiedClient as Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from devtools.benchmark import _DETAIL_LINK, discover_api, discover_pages

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
API_ROLES = ("city", "district", "macau", "ngo", "finance", "finwork")
SMALL, LARGE = 0.001, 0.004
#: The home page gathers every workstream's panels (one or two queries each): a dashboard, not
#: a list or detail page; its count is bounded and, like every page's, the same at both sizes.
#: Its work list reads one query per kind of work waiting for the user (issue 26: about a dozen
#: for a city officer), whatever the number of items.
HOME_MAX_QUERIES = 40


def _limit(page: str) -> int:
    if page == "/":
        return HOME_MAX_QUERIES
    return MAX_QUERIES


#: (path, model, fields) of every deferred field loaded while a page was served.
DEFERRED_LOADS: list[tuple[str, str, tuple]] = []


def _count(client, path: str) -> tuple[int, int, bytes]:
    client.get(path)  # warm-up: per-process caches (translations, content types, menus)
    original = Model.refresh_from_db

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        if fields:  # a deferred field read, not a reload the view asks for
            DEFERRED_LOADS.append((path, type(self).__name__, tuple(fields)))
        return original(self, using=using, fields=fields, from_queryset=from_queryset)

    Model.refresh_from_db = refresh_from_db
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
    finally:
        Model.refresh_from_db = original
    body = response.content if not getattr(response, "streaming", False) else b""
    return response.status_code, len(queries), body


def _kind(path: str) -> str:
    """A detail path without its ids: the same kind of page at both sizes."""
    return re.sub(r"/\d+(?=/|$)", "/<id>", path)


def measure(users) -> dict[tuple[str, str], tuple[int, int, str]]:
    """{(role, path kind): (status, queries, path)} for every page and API endpoint."""
    cache.clear()
    results = {}
    clients = {}
    for username, path in discover_pages(users):
        if path.startswith("/admin/"):
            continue  # Django's admin site, not an application page
        client = clients.setdefault(username, Client())
        client.force_login(users[username])
        status, count, body = _count(client, path)
        results[(username, path)] = (status, count, path)
        match = _DETAIL_LINK.search(body)
        if status == 200 and match:
            detail = match.group(1).decode()
            d_status, d_count, _body = _count(client, detail)
            results[(username, f"detail of {path}: {_kind(detail)}")] = (d_status, d_count, detail)
    for path in discover_api():
        for username in API_ROLES:
            client = APIClient()
            client.force_authenticate(users[username])
            status, count, body = _count(client, path)
            results[(username, path)] = (status, count, path)
            if status != 200:
                continue
            try:
                data = json.loads(body)
            except ValueError:
                continue
            first = (data.get("results") or [None])[0] if isinstance(data, dict) else None
            if isinstance(first, dict) and "id" in first:
                detail = f"{path}{first['id']}/"
                d_status, d_count, _body = _count(client, detail)
                results[(username, f"{path}<id>/")] = (d_status, d_count, detail)
    return results


def test_queries_bounded_and_independent_of_rows(demo):
    users = demo["users"]
    DEFERRED_LOADS.clear()
    out = io.StringIO()
    sizes = {}
    for factor in (SMALL, LARGE):
        savepoint = transaction.savepoint()
        call_command("seed_scale", factor=factor, bulletin_months=1, batch_months=2, stdout=out)
        sizes[factor] = measure(users)
        transaction.savepoint_rollback(savepoint)
    small, large = sizes[SMALL], sizes[LARGE]
    assert len(small) > 40, "discovery found too few pages"
    problems = []
    for key in sorted(set(small) | set(large)):
        if key not in small or key not in large:
            continue  # a detail link only present at one size (e.g. an empty list)
        (s_status, s_count, s_path), (l_status, l_count, l_path) = small[key], large[key]
        if s_status >= 500 or l_status >= 500:
            problems.append(f"{key}: HTTP {s_status}/{l_status}")
        elif max(s_count, l_count) > _limit(key[1]):
            problems.append(f"{key}: {s_count} / {l_count} queries (> {_limit(key[1])}) {l_path}")
        elif s_count != l_count:
            problems.append(f"{key}: {s_count} queries at the small size, {l_count} at the "
                            f"large one ({s_path} / {l_path})")
    assert not problems, "\n".join(problems)
    assert DEFERRED_LOADS == []
