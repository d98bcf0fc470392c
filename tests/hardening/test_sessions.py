"""Sessions and login beyond tests/zhuao/test_auth.py (ASVS 7.2–7.4, 16.3; PIPL art. 51):
absolute timeout, fixation, deactivation and password change ending every session and token,
token revocation, lockout through the token endpoint and its audit, and no identity numbers in
URLs, logs or audit changes."""
from __future__ import annotations

import logging
import re
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from tests.two_factor_clients import code_for as _code
from core.models import AuditEvent, AuditOutcome

from .helpers import mainland_id

pytestmark = pytest.mark.django_db
PASSWORD = "Zhuao-Demo-2026"


def _login(client, username, password=PASSWORD):
    """The password, then (when it was right) the second factor, as a person signs in."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    if response.status_code == 302 and "_auth_user_id" in client.session:
        client.post(reverse("two_factor_verify"), {"code": _code(username)})
    return response


def _token(username: str) -> str:
    response = APIClient().post(reverse("api_token_obtain"),
                                {"username": username, "password": PASSWORD,
                                 "code": _code(username)})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _api(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_session_ends_at_the_absolute_limit_even_when_active(users, settings):
    """Activity every 10 minutes keeps the inactivity timer happy; the absolute lifetime
    (SESSION_COOKIE_AGE) still ends the session."""
    import time_machine

    settings.SESSION_COOKIE_AGE = 2 * 3600
    client = Client()
    with time_machine.travel("2026-11-28 08:00 +0800", tick=False):
        assert _login(client, "district").status_code == 302
    for minutes in range(10, 120, 10):
        with time_machine.travel(f"2026-11-28 {8 + minutes // 60:02d}:{minutes % 60:02d} +0800",
                                 tick=False):
            assert client.get(reverse("home")).status_code == 200, minutes
    with time_machine.travel("2026-11-28 10:05 +0800", tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_session_cookie_is_httponly_and_samesite(users):
    client = Client()
    _login(client, "city")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_session_key_planted_before_login_is_useless_after(users):
    attacker = Client()
    attacker.get(reverse("login"))
    attacker.session.save()
    planted = attacker.session.session_key
    victim = Client()
    victim.cookies[settings.SESSION_COOKIE_NAME] = planted
    _login(victim, "district")
    assert victim.cookies[settings.SESSION_COOKIE_NAME].value != planted
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert attacker.get(reverse("home")).status_code == 302


def test_logout_invalidates_the_session_server_side(users):
    client = Client()
    _login(client, "district")
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert replay.get(reverse("home")).status_code == 302


def test_deactivation_ends_every_session_and_token(users):
    browser, other_browser = Client(), Client()
    _login(browser, "macau")
    _login(other_browser, "macau")
    token = _token("macau")
    assert _api(token).get(reverse("api_root")).status_code == 200
    users["macau"].is_active = False
    users["macau"].save(update_fields=["is_active"])
    assert browser.get(reverse("home")).status_code == 302
    assert other_browser.get(reverse("home")).status_code == 302
    assert _api(token).get(reverse("api_root")).status_code == 401
    assert APIClient().post(reverse("api_token_obtain"),
                            {"username": "macau", "password": PASSWORD}).status_code == 400


def test_password_change_ends_other_sessions_and_revokes_api_tokens(users):
    token = _token("district")
    elsewhere = Client()
    _login(elsewhere, "district")
    here = Client()
    _login(here, "district")
    response = here.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "A-new-long-passphrase-42",
        "new_password2": "A-new-long-passphrase-42"})
    assert response.status_code == 302
    assert here.get(reverse("home")).status_code == 200  # the changer stays signed in
    assert elsewhere.get(reverse("home")).status_code == 302
    assert _api(token).get(reverse("api_root")).status_code == 401


def test_password_set_by_an_administrator_ends_sessions_and_tokens(users):
    token = _token("ngo")
    browser = Client()
    _login(browser, "ngo")
    users["ngo"].set_password("Reset-by-the-admin-2026")
    users["ngo"].save()
    assert browser.get(reverse("home")).status_code == 302
    assert _api(token).get(reverse("api_root")).status_code == 401


def test_revoked_token_is_refused_and_the_revocation_audited(users):
    token = _token("hengqin")
    client = _api(token)
    assert client.post(reverse("api_token_revoke")).status_code == 204
    assert client.get(reverse("api_root")).status_code == 401
    event = AuditEvent.objects.get(action="auth.token_revoke", actor_username="hengqin")
    assert event.actor_username == "hengqin" and event.changes == {"prefix": token[:8],
                                                                   "owner": "hengqin"}
    assert token not in str(event.changes) and token not in event.summary


def test_token_endpoint_counts_towards_the_lockout_and_it_is_audited(users):
    api = APIClient()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        api.post(reverse("api_token_obtain"), {"username": "finance", "password": "wrong"})
    refused = api.post(reverse("api_token_obtain"),
                       {"username": "finance", "password": PASSWORD})
    assert refused.status_code == 429
    assert '"token"' not in refused.content.decode()
    lockout = AuditEvent.objects.filter(action="auth.lockout", actor_username="finance").first()
    assert lockout.outcome == AuditOutcome.DENIED and lockout.ip_address == "127.0.0.1"
    assert AuditEvent.objects.filter(action="auth.login_failed", actor_username="finance",
                                     ).count() >= settings.AXES_FAILURE_LIMIT
    # the browser login is locked too
    assert _login(Client(), "finance").status_code == 429


def test_failed_login_audit_never_stores_the_password(users):
    _login(Client(), "city", "Not-the-Password-123")
    for event in AuditEvent.objects.all():
        assert "Not-the-Password-123" not in f"{event.summary}{event.changes}"


# --- identity numbers: never in URLs, logs or audit changes ---------------------------------

_SUSPICIOUS_PARAMETER = re.compile(r"(number|document|id_?card|identity|passport|permit|bir)",
                                   re.IGNORECASE)


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_no_url_pattern_can_carry_an_identity_number():
    """Path parameters are database ids or slugs of steps, never a document number."""
    offenders = []
    for route, _entry in _patterns():
        for name in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route):
            parameter = next(part for part in name if part)
            if re.search(r"(^|_)(pk|id)$", parameter):
                continue  # a database id
            if _SUSPICIOUS_PARAMETER.search(parameter):
                offenders.append(route)
    assert offenders == []


def test_searching_by_identity_number_keeps_it_out_of_every_address(client_for, users):
    """The people and case searches post the number; the redirect, the list page's links
    (pagination, export, clear) and the export carry no trace of it, and the export still
    holds the searched person alone."""
    from io import BytesIO

    from openpyxl import load_workbook

    from cases.services import case_open, person_register

    number = mainland_id(birth="19800101", seq="077")
    person = person_register(actor=users["district"], name_zh="搜索测试", sex="male",
                             date_of_birth=date(1980, 1, 1), residence_status="macau_resident",
                             document_type="mainland_id", document_number=number)
    case_open(actor=users["district"], subject=person, category="other")
    person_register(actor=users["district"], name_zh="另一人", sex="female",
                    date_of_birth=date(1981, 1, 1), residence_status="macau_resident",
                    document_type="mainland_id", document_number=mainland_id(birth="19810101", seq="078"))
    client = client_for("district")
    for name in ("cases:case_list", "cases:person_list"):
        url = reverse(name)
        response = client.post(url, {"q": number}, follow=True)
        assert response.redirect_chain == [(url, 303)]
        page = response.content.decode()
        assert "搜索测试" in page and "另一人" not in page
        hrefs = re.findall(r'(?:href|action)="([^"]*)"', page)
        assert not [href for href in hrefs if number[-6:] in href]
        client.get(url, {"clear": "1"})
        assert client.get(url, {"q": number}).context["form"].data.get("q") is None, \
            "a number given in the address is not used as the search"
    client.post(reverse("cases:case_list"), {"q": number})
    export = client.get(reverse("cases:case_export"))
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == ["搜索测试"]


def _register_person(client, number: str):
    return client.post(reverse("cases:person_create"), {
        "name_zh": "陈大文", "sex": "male", "date_of_birth": "1990-01-01",
        "residence_status": "macau_resident", "document_type": "mainland_id",
        "document_number": number, "district": "xiangzhou"})


def test_person_registration_masks_the_number_in_audit_logs_and_redirect(client_for, caplog):
    number = mainland_id()
    client = client_for("district")
    with caplog.at_level(logging.DEBUG):
        response = _register_person(client, number)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert number not in response["Location"]
        detail = client.get(response["Location"])
    assert detail.status_code == 200
    for record in caplog.records:
        assert number not in record.getMessage()
    for event in AuditEvent.objects.all():
        text = f"{event.summary} {event.changes} {event.object_id}"
        assert number not in text, event.action
    created = AuditEvent.objects.get(action="person.create")
    assert created.changes["document_number"] != number
    assert created.changes["document_number"][-2:] == number[-2:] or "*" in str(created.changes)


def test_duplicate_registration_does_not_leak_the_number(client_for):
    number = mainland_id(seq="456")
    _register_person(client_for("district"), number)
    response = _register_person(client_for("district2"), number)
    for event in AuditEvent.objects.all():
        assert number not in f"{event.summary} {event.changes} {event.object_id}"
    assert response.status_code in (200, 302)
