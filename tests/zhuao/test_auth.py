"""Login, lockout, sessions and their audit."""
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.two_factor_clients import current_code
from core.models import AuditEvent, AuditOutcome

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_simplified_chinese_by_default(db):
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in response.content.decode()
    assert "登录" in response.content.decode()


def test_login_rotates_session_and_audits(users):
    client = Client()
    client.get(reverse("login"))
    before = client.session.session_key
    response = _login(client, "district", settings.ZHUAO_DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.session.session_key != before
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor_username == "district"
    assert event.agency_code == "zh-xiangzhou"
    assert event.ip_address == "127.0.0.1"


def test_failed_login_is_audited(users):
    _login(Client(), "district", "wrong-password")
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor_username == "district"
    assert event.outcome == AuditOutcome.FAILED


def test_five_wrong_passwords_lock_the_account(users):
    client = Client()
    for _attempt in range(5):
        _login(client, "district", "wrong-password")
    response = _login(client, "district", settings.ZHUAO_DEMO_PASSWORD)
    assert response.status_code == 429
    assert "账户已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.lockout", actor_username="district").exists()


def test_logout_is_audited(client_for):
    client = client_for("city")
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action="auth.logout", actor_username="city").exists()


def test_inactivity_ends_the_session(client_for, settings):
    import time_machine

    client = client_for("district")
    with time_machine.travel("2026-11-28 10:00 +0800", tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel("2026-11-28 10:14 +0800", tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel("2026-11-28 10:30 +0800", tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert AuditEvent.objects.filter(action="auth.session_timeout").exists()


def test_deactivated_user_loses_their_session(client_for, users):
    client = client_for("district")
    assert client.get(reverse("home")).status_code == 200
    users["district"].is_active = False
    users["district"].save(update_fields=["is_active"])
    response = client.get(reverse("home"))
    assert response.status_code == 302


def test_password_change_ends_other_sessions(client_for, users):
    first = client_for("district")
    second = Client()
    _login(second, "district", settings.ZHUAO_DEMO_PASSWORD)
    second.post(reverse("two_factor_verify"), {"code": current_code(users["district"])})
    assert second.get(reverse("home")).status_code == 200
    first.force_login(users["district"])
    response = first.post(reverse("password_change"), {
        "old_password": settings.ZHUAO_DEMO_PASSWORD,
        "new_password1": "A-new-long-passphrase-42", "new_password2": "A-new-long-passphrase-42"})
    assert response.status_code == 302
    assert first.get(reverse("home")).status_code == 200
    assert second.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.password_change").exists()


def test_api_token_issue_and_revoke(users):
    from rest_framework.test import APIClient

    client = APIClient()
    response = client.post(reverse("api_token_obtain"),
                           {"username": "macau", "password": settings.ZHUAO_DEMO_PASSWORD,
                            "code": current_code(users["macau"])})
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(reverse("api_root")).status_code == 200
    assert client.post(reverse("api_token_revoke")).status_code == 204
    assert client.get(reverse("api_root")).status_code == 401


def test_api_token_loads_user_staff_profile_and_agency_in_one_query(users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from core.tokens import token_issue

    _token, key = token_issue(user=users["macau"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("api_whoami"))
    assert response.status_code == 200
    assert response.json()["agency"] == users["macau"].staff.agency.code
    tables = [query["sql"].split(" FROM ", 1)[1].split()[0] for query in queries
              if query["sql"].startswith("SELECT") and " FROM " in query["sql"]]
    assert '"zhuao_staffprofile"' not in tables and '"zhuao_agency"' not in tables, tables


def test_api_refuses_an_unknown_token_or_a_deactivated_user_in_their_language(users):
    from rest_framework.test import APIClient

    from core.tokens import token_issue

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get(reverse("api_root"))
    assert response.status_code == 401
    assert "令牌无效" in response.content.decode()
    _token, key = token_issue(user=users["hengqin"])
    # deactivated in bulk, without the signal that deletes the user's tokens
    type(users["hengqin"]).objects.filter(pk=users["hengqin"].pk).update(is_active=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(reverse("api_root"))
    assert response.status_code == 401
    assert "User inactive or deleted." in response.content.decode()


def test_language_choice_is_remembered_on_the_profile(client_for, users):
    client = client_for("macau")
    client.post(reverse("language_set"), {"language": "en", "next": "/"})
    users["macau"].staff.refresh_from_db()
    assert users["macau"].staff.language == "en"
    other_device = client_for("macau")
    assert "Welcome" in other_device.get(reverse("home")).content.decode()


def test_language_switch_refuses_foreign_redirect(client_for):
    response = client_for("city").post(reverse("language_set"),
                                       {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
