"""Password and session policy (``core.passwords``, ``core.sessions``): complexity, a
bundled list of common passwords, no reuse of the last five, optional expiry; 15 minutes of
inactivity and 8 hours at most; a list of one's signed-in sessions and signing out
everywhere."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from tests.two_factor_clients import VerifiedClient as Client
from tests.two_factor_clients import current_code
from django.urls import reverse
from django.utils import timezone, translation

from core.models import AuditEvent, PasswordHistory, UserSession

PASSWORD = settings.ZHUAO_DEMO_PASSWORD


def test_the_session_limits_are_15_minutes_and_8_hours():
    assert settings.SESSION_INACTIVITY_SECONDS == 15 * 60
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["alllowercaseletters", "ALLUPPER12345", "woaini1314",
                                      "Woaini1314", "qq123456789", "1qaz2wsx3edc"])
def test_weak_passwords_are_refused_with_a_message_in_the_users_language(users, password):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password(password, users["district"])
    assert any("\u4e00" <= char <= "\u9fff" for char in " ".join(refused.value.messages))


@pytest.mark.django_db
def test_a_strong_password_passes(users):
    validate_password("Harbour-Bridge-2031", users["district"])


@pytest.mark.django_db
def test_none_of_the_last_five_passwords_again(users):
    user = users["finance"]
    chosen = [f"Lotus-Garden-{year}!" for year in range(2031, 2037)]
    for password in chosen:
        validate_password(password, user)
        user.set_password(password)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    for recent in chosen[-5:]:
        with pytest.raises(ValidationError) as refused:
            validate_password(recent, user)
        assert [error.code for error in refused.value.error_list] == ["password_reused"]
    validate_password(chosen[0], user)  # the sixth back may come again


@pytest.mark.django_db
def test_the_password_change_page_refuses_a_recent_password(users):
    client = Client()
    client.force_login(users["district"])
    new = "Harbour-Bridge-2031"
    first = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert first.status_code == 302
    again = client.post(reverse("password_change"), {
        "old_password": new, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert again.status_code == 200  # the form again, with the error: the last password
    assert "new_password2" in again.context["form"].errors


@pytest.mark.django_db
def test_expiry_is_off_by_default_and_forces_a_change_when_set(users, settings):
    client = Client()
    client.force_login(users["city"])
    assert client.get(reverse("home")).status_code == 200
    settings.PASSWORD_MAX_AGE_DAYS = 90
    PasswordHistory.objects.filter(user=users["city"]).update(
        created_at=timezone.now() - timedelta(days=91))
    get_user_model().objects.filter(pk=users["city"].pk).update(
        date_joined=timezone.now() - timedelta(days=365))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("password_change")
    assert client.get(reverse("password_change")).status_code == 200
    new = "Expired-Then-Changed-2031"
    client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": new,
                                             "new_password2": new})
    assert client.get(reverse("home")).status_code == 200


def _sign_in(user, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    response = client.post(reverse("two_factor_verify"), {"code": current_code(user)})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_my_sessions_are_listed_and_ended_everywhere_else(users):
    user = users["macau"]
    office, phone, other = (_sign_in(user, "Office browser"), _sign_in(user, "Phone browser"),
                            _sign_in(users["hengqin"], "Someone else"))
    page = office.get(reverse("session_list")).content.decode()
    assert "Office browser" in page and "Phone browser" in page and "Someone else" not in page
    assert UserSession.objects.filter(user=user).count() == 2
    office.post(reverse("session_list"), {"scope": "others"})
    assert office.get(reverse("home")).status_code == 200  # this one stays
    assert phone.get(reverse("home")).status_code == 302  # signed out
    assert other.get(reverse("home")).status_code == 200  # another user's untouched
    assert AuditEvent.objects.filter(action="auth.sessions_end", actor_id=user.pk).exists()
    office.post(reverse("session_list"), {"scope": "all"})
    assert office.get(reverse("home")).status_code == 302
    assert not UserSession.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_signing_out_removes_the_session_from_the_list(users):
    client = _sign_in(users["ngo"], "Browser")
    assert UserSession.objects.filter(user=users["ngo"]).count() == 1
    client.post(reverse("logout"))
    assert not UserSession.objects.filter(user=users["ngo"]).exists()


@pytest.mark.django_db
def test_every_request_of_the_break_glass_superuser_is_audited(users):
    root = get_user_model().objects.create_superuser("breakglass", "root@example.invalid",
                                                     "Break-Glass-Only-2031")
    client = Client()
    client.force_login(root)
    client.get(reverse("admin:index"), {"q": "440402198005051116"})
    rows = AuditEvent.objects.filter(action="superuser.request", actor_id=root.pk)
    assert rows.count() == 1 and rows.get().summary == f"GET {reverse('admin:index')}"
    officer = Client()
    officer.force_login(users["city"])
    officer.get(reverse("home"))
    assert not AuditEvent.objects.filter(action="superuser.request",
                                         actor_id=users["city"].pk).exists()
