"""Login lockout per account and per account + address, the locked user told when to retry,
and the administrator's unlock (core.lockout)."""
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import AuditEvent, AuditOutcome

pytestmark = pytest.mark.django_db
PASSWORD = settings.ZHUAO_DEMO_PASSWORD


def _login(username, password, address="10.1.1.1"):
    return Client(REMOTE_ADDR=address).post(reverse("login"),
                                            {"username": username, "password": password})


def _fail(username, address="10.1.1.1"):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(username, "wrong-password", address)


def test_one_persons_mistakes_do_not_lock_the_office_behind_one_address(users):
    _fail("district")
    assert _login("district2", PASSWORD).status_code == 302  # same address, another account
    assert _login("district", PASSWORD).status_code == 429


def test_an_account_is_locked_from_every_address(users):
    _fail("district", "10.1.1.1")
    assert _login("district", PASSWORD, "10.9.9.9").status_code == 429


def test_the_locked_user_is_told_when_to_try_again(users):
    import time_machine

    with time_machine.travel("2026-11-28 10:00 +0800", tick=False):
        _fail("district")
        page = _login("district", PASSWORD)
        api = APIClient(REMOTE_ADDR="10.1.1.1").post(
            reverse("api_token_obtain"), {"username": "district", "password": PASSWORD},
            HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 429 and "2026年11月28日 11:00" in page.content.decode()
    assert int(page["Retry-After"]) == 3600
    assert api.status_code == 429 and api.json()["retry_at"].startswith("2026-11-28T11:00")
    assert "token" not in api.json()


def test_the_security_administrator_unlocks_and_it_is_audited(users, client_for):
    _fail("district")
    admin = client_for("secadmin")
    listing = admin.get(reverse("lockout_list")).content.decode()
    assert "district" in listing
    response = admin.post(reverse("lockout_unlock"), {"username": "district"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.unlock")
    assert event.actor_username == "secadmin" and event.outcome == AuditOutcome.SUCCESS
    assert event.changes["username"] == "district"
    assert _login("district", PASSWORD).status_code == 302
    assert "district" not in admin.get(reverse("lockout_list")).content.decode().split(
        "<tbody>")[1]


def test_nobody_else_may_unlock(users, client_for):
    from core.errors import ApplicationError
    from core.lockout import account_unlock

    _fail("district")
    for username in ("city", "admin", "auditadmin"):
        assert client_for(username).post(reverse("lockout_unlock"),
                                         {"username": "district"}).status_code == 403
        with pytest.raises(ApplicationError):
            account_unlock(actor=users[username], username="district")
    assert AuditEvent.objects.filter(action="auth.unlock", outcome=AuditOutcome.DENIED).exists()
    assert _login("district", PASSWORD).status_code == 429


def test_the_security_administrator_signs_another_user_out_everywhere(users, client_for):
    from core.errors import ApplicationError
    from core.models import UserSession
    from core.sessions import user_sessions_end

    district = client_for("district")
    district.get(reverse("home"))
    assert UserSession.objects.filter(user=users["district"]).exists()
    response = client_for("secadmin").post(reverse("user_sign_out"), {"username": "district"})
    assert response.status_code == 302
    assert not UserSession.objects.filter(user=users["district"]).exists()
    assert district.get(reverse("home")).status_code == 302  # back to the sign-in page
    event = AuditEvent.objects.filter(action="auth.sessions_end").latest("id")
    assert event.actor_username == "secadmin" and event.changes["username"] == "district"
    for username in ("admin", "auditadmin", "city"):
        with pytest.raises(ApplicationError):
            user_sessions_end(actor=users[username], username="district")
    with pytest.raises(ApplicationError):  # its own sessions: its own page
        user_sessions_end(actor=users["secadmin"], username="secadmin")
    assert AuditEvent.objects.filter(action="auth.sessions_end",
                                     outcome=AuditOutcome.DENIED).count() == 4
