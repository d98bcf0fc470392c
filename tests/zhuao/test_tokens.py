"""API tokens: hashed at rest, shown by prefix, expiring, last use recorded, listed and revoked
by their owner or the security administrator (core.tokens)."""
import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from tests.two_factor_clients import code_for as _code
from core.models import ApiToken, AuditEvent, AuditOutcome
from core.tokens import token_hash, token_issue

pytestmark = pytest.mark.django_db


def _obtain(username):
    response = APIClient().post(reverse("api_token_obtain"),
                                {"username": username, "password": settings.ZHUAO_DEMO_PASSWORD,
                                 "code": _code(username)})
    assert response.status_code == 200, response.content
    return response.json()


def _api(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_only_a_hash_and_a_prefix_are_stored(users):
    key = _obtain("macau")["token"]
    stored = ApiToken.objects.get(user=users["macau"])
    assert stored.key_hash == token_hash(key) and stored.prefix == key[:8]
    assert not ApiToken.objects.filter(key_hash=key).exists()
    for field in ApiToken._meta.concrete_fields:
        assert getattr(stored, field.attname) != key
    for event in AuditEvent.objects.filter(action__startswith="auth.token"):
        assert key not in f"{event.summary}{event.changes}"


def test_a_token_expires_after_the_configured_days(users, settings):
    settings.API_TOKEN_DAYS = 30
    with time_machine.travel("2026-11-01 10:00 +0800", tick=False):
        key = _obtain("macau")["token"]
    with time_machine.travel("2026-11-30 10:00 +0800", tick=False):
        assert _api(key).get(reverse("api_whoami")).status_code == 200
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        response = _api(key).get(reverse("api_whoami"))
    assert response.status_code == 401 and "WWW-Authenticate" in response


def test_last_use_is_recorded_at_most_once_a_minute(users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel("2026-11-01 10:00 +0800", tick=False):
        key = _obtain("macau")["token"]
        client = _api(key)
        client.get(reverse("api_whoami"))
        first = ApiToken.objects.get().last_used_at
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("api_whoami"))
        assert not [q for q in queries if q["sql"].startswith("UPDATE")]
    with time_machine.travel("2026-11-01 10:05 +0800", tick=False):
        client.get(reverse("api_whoami"))
    assert first is not None and ApiToken.objects.get().last_used_at - first == \
        datetime.timedelta(minutes=5)


def test_owners_list_and_revoke_their_own_tokens(users):
    key = _obtain("macau")["token"]
    other = _obtain("macau")["token"]
    listed = _api(key).get(reverse("api_token_list")).json()
    assert {row["prefix"] for row in listed} == {key[:8], other[:8]}
    assert all("key_hash" not in row and "token" not in row for row in listed)
    victim = ApiToken.objects.get(prefix=other[:8])
    assert _api(key).post(reverse("api_token_revoke"), {"id": victim.pk}).status_code == 204
    assert _api(other).get(reverse("api_whoami")).status_code == 401
    assert _api(key).post(reverse("api_token_revoke")).status_code == 204  # the call's own
    assert _api(key).get(reverse("api_whoami")).status_code == 401


def test_nobody_revokes_anothers_token_but_the_security_administrator(users, client_for):
    mine, key = token_issue(user=users["macau"])
    intruder = _obtain("hengqin")["token"]
    assert _api(intruder).post(reverse("api_token_revoke"), {"id": mine.pk}).status_code == 404
    assert [row["prefix"] for row in _api(intruder).get(reverse("api_token_list")).json()] == \
        [intruder[:8]]
    assert AuditEvent.objects.filter(action="auth.token_revoke",
                                     outcome=AuditOutcome.DENIED).exists()
    assert _api(key).get(reverse("api_whoami")).status_code == 200

    admin = client_for("secadmin")
    page = admin.get(reverse("token_list")).content.decode()
    assert mine.prefix in page and "macau" in page and key not in page
    admin.post(reverse("token_revoke"), {"token": mine.pk})
    assert _api(key).get(reverse("api_whoami")).status_code == 401
    event = AuditEvent.objects.filter(action="auth.token_revoke", actor_username="secadmin").get()
    assert event.changes == {"prefix": mine.prefix, "owner": "macau"}


def test_the_page_shows_the_owners_tokens_and_refuses_odd_ids(users, client_for):
    token, _key = token_issue(user=users["district"])
    client = client_for("district")
    assert token.prefix in client.get(reverse("token_list")).content.decode()
    for odd in ("", "abc", str(2 ** 70), "-1"):
        response = client.post(reverse("token_revoke"), {"token": odd})
        assert response.status_code == 302
    assert ApiToken.objects.filter(pk=token.pk).exists()
