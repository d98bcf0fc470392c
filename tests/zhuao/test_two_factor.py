"""Two-factor login (core.two_factor): a session that passed only its password reaches nothing
but enrolment or verification; enrolment with a QR code drawn locally; recovery codes used once;
wrong codes refused, audited and locked like passwords; the security administrator's reset and
the break-glass command; API tokens only after two factors."""
import datetime
import re
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from tests.two_factor_clients import VerifiedClient, code_for, current_code, demo_code
from core.errors import ApplicationError
from core.models import AuditEvent, AuditOutcome, Notification
from core.roles import Role
from core.two_factor import (
    DEMO_TOTP_SECRET,
    current_code as device_code,
    second_factor_reset,
    totp_device,
)

pytestmark = pytest.mark.django_db
PASSWORD = settings.ZHUAO_DEMO_PASSWORD
VERIFY = "/accounts/two-factor/verify/"
ENROL = "/accounts/two-factor/enrol/"


def _password_only(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _new_user(username="newcomer", *, agency_user=None):
    from devtools.demo import ensure_user

    return ensure_user(username, agency_user.staff.agency, Role.DISTRICT, "新同事",
                       password=PASSWORD)


def _codes(response) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())


@pytest.mark.parametrize("path", ["/", "/inbox/", "/cases/", "/audit/", "/accounts/tokens/",
                                  "/accounts/password/", "/accounts/sessions/", "/search/",
                                  "/accounts/two-factor/", "/admin/", "/help/"])
def test_a_password_alone_reaches_only_the_second_factor(users, path):
    client = _password_only("district")
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_a_password_alone_reaches_no_api(users):
    client = _password_only("city")
    for path in ["/api/v1/", "/api/v1/auth/whoami/", "/api/v1/cases/cases/", "/api/schema/"]:
        response = client.get(path)
        assert response.status_code in (401, 403), path
    assert client.post(reverse("api_token_obtain"), {}).status_code in (401, 403)


def test_the_verification_page_sign_out_and_language_stay_reachable(users):
    client = _password_only("district")
    page = client.get(VERIFY)
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    assert "sidenav" not in page.content.decode()  # no menu, no work counts before the code
    assert client.post(reverse("language_set"), {"language": "en", "next": VERIFY}
                       ).status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_right_code_opens_the_session_and_is_audited(users):
    client = _password_only("district")
    response = client.post(VERIFY + "?next=/inbox/", {"code": code_for("district"),
                                                      "next": "/inbox/"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.filter(action="auth.otp_verify", actor_username="district").get()
    assert event.outcome == AuditOutcome.SUCCESS and event.changes["method"] == "totp"


def test_a_code_is_good_once(users):
    client = _password_only("district")
    code = code_for("district")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    other = _password_only("district")
    assert other.post(VERIFY, {"code": code}).status_code == 400


def test_a_wrong_code_is_refused_audited_and_counted_as_a_failed_sign_in(users):
    from axes.models import AccessAttempt

    client = _password_only("macau")
    response = client.post(VERIFY, {"code": "000000" if code_for("macau") != "000000"
                                    else "111111"})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert client.get("/").status_code == 302
    event = AuditEvent.objects.get(action="auth.otp_verify", actor_username="macau")
    assert event.outcome == AuditOutcome.DENIED
    assert AccessAttempt.objects.filter(username="macau").exists()
    # django-otp's throttle: the next try at once waits
    assert client.post(VERIFY, {"code": "123456"}).status_code == 400
    assert AuditEvent.objects.filter(action="auth.otp_verify", summary="throttled").exists()


def test_five_wrong_codes_lock_the_account_like_passwords(users):
    client = _password_only("hengqin")
    start = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.timezone.utc)
    response = None
    for attempt, seconds in enumerate([0, 10, 30, 70, 150]):
        with time_machine.travel(start + datetime.timedelta(seconds=seconds), tick=False):
            response = client.post(VERIFY, {"code": "99999x"})
        if attempt < 4:
            assert response.status_code == 400
    assert response.status_code == 429  # the lockout page: the session is ended
    assert "_auth_user_id" not in client.session
    with time_machine.travel(start + datetime.timedelta(seconds=200), tick=False):
        again = Client().post(reverse("login"), {"username": "hengqin", "password": PASSWORD})
    assert again.status_code == 429


def test_first_sign_in_enrols_with_a_local_qr_code_then_shows_ten_recovery_codes(users):
    user = _new_user(agency_user=users["district"])
    client = _password_only(user.username)
    assert client.get("/")["Location"].startswith(ENROL)
    page = client.get(ENROL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<script" not in html.split("</main>")[0].split("<main")[1]
    assert "http" not in re.search(r"<svg.*?</svg>", html, re.S).group(0).replace(
        "http://www.w3.org", "")  # nothing fetched from elsewhere
    assert "script-src 'self'" in page["Content-Security-Policy"]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'class="otp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    import base64
    assert base64.b32decode(secret) == device.bin_key

    wrong = client.post(ENROL, {"code": "12345"})
    assert wrong.status_code == 400
    assert AuditEvent.objects.filter(action="auth.otp_enrol", actor_id=user.pk,
                                     outcome=AuditOutcome.DENIED).exists()
    device.refresh_from_db()
    with time_machine.travel(datetime.datetime.now(datetime.timezone.utc)
                             + datetime.timedelta(seconds=40), tick=False):
        done = client.post(ENROL, {"code": device_code(device)})
        assert done.status_code == 200
        codes = _codes(done)
        assert len(codes) == 10 and len(set(codes)) == 10
        assert 'download="zhuao-recovery-codes.txt"' in done.content.decode()
        assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_enrol", actor_id=user.pk,
                                     outcome=AuditOutcome.SUCCESS).exists()
    assert client.get(ENROL).status_code == 302  # enrolled: no second enrolment


def test_recovery_codes_are_single_use_and_can_be_made_anew(users):
    client = VerifiedClient()
    client.force_login(users["ngo"])
    mine = client.get(reverse("two_factor_settings"))
    assert mine.status_code == 200
    codes = _codes(client.post(reverse("two_factor_settings")))
    assert len(codes) == 10
    assert AuditEvent.objects.filter(action="auth.otp_recovery_codes", actor_username="ngo"
                                     ).exists()

    first = _password_only("ngo")
    assert first.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert first.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=users["ngo"]).count() == 9
    event = AuditEvent.objects.filter(action="auth.otp_verify", actor_username="ngo").last()
    assert event.changes == {"method": "recovery", "recovery_codes_left": 9}
    second = _password_only("ngo")
    assert second.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert second.get("/").status_code == 302

    newer = _codes(client.post(reverse("two_factor_settings")))
    third = _password_only("ngo")
    with time_machine.travel(datetime.datetime.now(datetime.timezone.utc)
                             + datetime.timedelta(seconds=5), tick=False):
        assert third.post(VERIFY, {"code": codes[1]}).status_code == 400  # replaced
    with time_machine.travel(datetime.datetime.now(datetime.timezone.utc)
                             + datetime.timedelta(seconds=60), tick=False):
        assert third.post(VERIFY, {"code": newer[1]}).status_code == 302


def _security_admin(users):
    return users["secadmin"]  # the demo security administrator (devtools.demo)


def test_a_security_administrator_resets_a_second_factor(users, messages_sent):
    admin = _security_admin(users)
    client = VerifiedClient()
    client.force_login(admin)
    assert client.get(reverse("two_factor_reset")).status_code == 200
    victim = VerifiedClient()
    victim.force_login(users["finance"])
    assert victim.get("/").status_code == 200
    with messages_sent.capture():
        response = client.post(reverse("two_factor_reset"), {"username": "finance"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=users["finance"]).exists()
    event = AuditEvent.objects.get(action="auth.otp_reset", outcome=AuditOutcome.SUCCESS)
    assert event.actor_id == admin.pk and event.object_id == str(users["finance"].pk)
    assert Notification.objects.filter(recipient=users["finance"], kind="security").exists()
    # the session verified with the removed device is verified no more: enrol again
    assert victim.get("/")["Location"].startswith(ENROL)
    missing = client.post(reverse("two_factor_reset"), {"username": "nobody-here"})
    assert missing.status_code == 302
    assert AuditEvent.objects.filter(action="auth.otp_reset", object_id="nobody-here",
                                     outcome=AuditOutcome.DENIED).exists()


@pytest.mark.parametrize("username", ["admin", "auditadmin", "city", "leader"])
def test_no_one_else_may_reset_a_second_factor(users, username):
    client = VerifiedClient()
    client.force_login(users[username])
    assert client.get(reverse("two_factor_reset")).status_code == 403
    assert client.post(reverse("two_factor_reset"), {"username": "finance"}).status_code == 403
    assert TOTPDevice.objects.filter(user=users["finance"]).exists()
    assert AuditEvent.objects.filter(action="access.denied", actor_username=username).exists()
    with pytest.raises(ApplicationError):
        second_factor_reset(actor=users[username], username="finance")
    assert AuditEvent.objects.filter(action="auth.otp_reset", actor_username=username,
                                     outcome=AuditOutcome.DENIED).exists()


def test_the_break_glass_command_resets_and_is_audited(users):
    out = StringIO()
    call_command("reset_second_factor", "district2", stdout=out)
    assert "district2" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=users["district2"]).exists()
    event = AuditEvent.objects.get(action="breakglass.otp_reset")
    assert event.actor_id is None and event.object_id == str(users["district2"].pk)
    with pytest.raises(CommandError):
        call_command("reset_second_factor", "nobody-here")
    assert AuditEvent.objects.filter(action="breakglass.otp_reset",
                                     outcome=AuditOutcome.DENIED).exists()


def test_demo_users_share_the_documented_secret_and_demo_totp_prints_the_code(users):
    device = totp_device(users["city"])
    import base64
    assert device.bin_key == base64.b32decode(DEMO_TOTP_SECRET)
    out = StringIO()
    with time_machine.travel(datetime.datetime(2026, 11, 28, 1, 0, 5,
                                               tzinfo=datetime.timezone.utc), tick=False):
        call_command("demo_totp", "city", stdout=out)
        assert out.getvalue().strip() == demo_code()
    with pytest.raises(CommandError):
        call_command("demo_totp", "newcomer-not-demo")


def test_api_tokens_only_after_two_factors(users):
    api = APIClient()
    no_code = api.post(reverse("api_token_obtain"), {"username": "macau", "password": PASSWORD})
    assert no_code.status_code == 400 and "token" not in no_code.json()
    wrong = api.post(reverse("api_token_obtain"), {"username": "macau", "password": PASSWORD,
                                                   "code": "12345x"})
    assert wrong.status_code in (400, 429) and "token" not in wrong.json()
    assert AuditEvent.objects.filter(action="auth.otp_token", actor_username="macau",
                                     outcome=AuditOutcome.DENIED).exists()
    user = get_user_model().objects.get(username="city")
    right = APIClient().post(reverse("api_token_obtain"), {
        "username": "city", "password": PASSWORD, "code": current_code(user)})
    assert right.status_code == 200
    key = right.json()["token"]
    # a token works without any session; it does not make another token
    with_token = APIClient()
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert with_token.get("/api/v1/auth/whoami/").status_code == 200
    assert with_token.post(reverse("api_token_obtain"), {}).status_code == 403
    # a verified browser session gets one without its password again
    session = APIClient()
    session.force_login(users["finance"])
    assert session.post(reverse("api_token_obtain"), {}).status_code in (401, 403)
    verified = VerifiedClient()
    verified.force_login(users["finance"])
    issued = verified.post(reverse("api_token_obtain"), {})
    assert issued.status_code == 200 and issued.json()["token"]
    assert verified.get("/api/v1/auth/whoami/").status_code == 200


class _ClientPage:
    """The few calls of a browser page ``pass_demo_second_factor`` makes, on a test client."""

    def __init__(self, client: Client):
        self.client, self.url, self.code = client, VERIFY, ""

    def fill(self, _selector, value):
        self.code = value

    def click(self, _selector):
        response = self.client.post(VERIFY, {"code": self.code})
        self.url = response.get("Location", VERIFY) if response.status_code == 302 else VERIFY

    def wait_for_load_state(self, _state):
        pass


def test_the_browser_sign_in_retries_after_the_pause_a_wrong_code_imposes(users, monkeypatch):
    """The e2e sign-in enters the code of the step; when an earlier sign-in already used it,
    it waits for the next step. Refused just before a step ends, it must also wait out
    django-otp's pause after a wrong code, or its second try is throttled too."""
    from tests.two_factor_clients import pass_demo_second_factor

    at = datetime.datetime(2026, 11, 28, 1, 0, 29, 800_000, tzinfo=datetime.timezone.utc)
    with time_machine.travel(at, tick=False) as traveller:
        monkeypatch.setattr("time.sleep", traveller.shift)
        TOTPDevice.objects.filter(user=users["leader"]).update(last_t=int(at.timestamp()) // 30)
        page = _ClientPage(_password_only("leader"))
        pass_demo_second_factor(page)
        assert VERIFY not in page.url
        assert page.client.get("/").status_code == 200
