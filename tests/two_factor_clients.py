"""Test clients whose ``force_login`` also passes the second factor, as a real sign-in does.

The application lets a session that only passed its password reach nothing but the two-factor
pages (web.middleware.TwoFactorMiddleware): that rule holds in tests too. These clients sign
in with a real, confirmed TOTP device of the user (the demo users' own; one is enrolled for a
user who has none) and mark the session verified exactly as ``django_otp.login`` does after a
right code. ``Client``/``APIClient`` stay as they are, for tests of the rule itself."""
from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from rest_framework.test import APIClient


def confirmed_device(user):
    """The user's confirmed TOTP device; a new one when they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.two_factor import TOTP_NAME, totp_device

    return totp_device(user) or TOTPDevice.objects.create(user=user, name=TOTP_NAME,
                                                          confirmed=True)


def verify_session(client, user) -> None:
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    session.save()


class VerifiedClientMixin:
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        verify_session(self, user)

    def login(self, **credentials):
        """A password sign-in, then the second factor (the user's device)."""
        from django.contrib.auth import get_user_model

        signed_in = super().login(**credentials)
        if signed_in:
            user = get_user_model().objects.get(pk=self.session["_auth_user_id"])
            verify_session(self, user)
        return signed_in


class VerifiedClient(VerifiedClientMixin, Client):
    pass


class VerifiedAPIClient(VerifiedClientMixin, APIClient):
    pass


def current_code(user) -> str:
    """The code the user's authenticator app shows now (a code already used in this 30-second
    step is refused, as in real life: the device's last step is cleared first, as if the next
    step had come)."""
    from core.two_factor import current_code as code_now

    device = confirmed_device(user)
    if device.last_t >= 0:
        type(device).objects.filter(pk=device.pk).update(last_t=-1)
        device.last_t = -1
    return code_now(device)


def demo_code(at: float | None = None) -> str:
    """The code of the demo accounts' shared secret (core.two_factor.DEMO_TOTP_SECRET)."""
    import base64
    import time

    from django_otp.oath import TOTP

    from core.two_factor import DEMO_TOTP_SECRET

    totp = TOTP(base64.b32decode(DEMO_TOTP_SECRET))
    totp.time = at or time.time()
    return f"{totp.token():06d}"


def pass_demo_second_factor(page) -> None:
    """In a browser at the verification page after a demo user's password: enter the code its
    app shows. A code is good once per 30-second step: when this step's was used by an earlier
    sign-in of the same user, the next step's is entered. The wait is never shorter than the
    pause django-otp imposes after a wrong code (``OTP_TOTP_THROTTLE_FACTOR`` seconds), or a
    refusal just before a step ends would be followed by a throttled second try."""
    import time

    from django.conf import settings

    for _attempt in range(2):
        if "/accounts/two-factor/verify/" not in page.url:
            return
        page.fill("#id_code", demo_code())
        page.click("#main button[type=submit]")
        page.wait_for_load_state("load")
        if "/accounts/two-factor/verify/" in page.url:
            next_step = 30 - time.time() % 30 + 0.5
            time.sleep(max(next_step, settings.OTP_TOTP_THROTTLE_FACTOR + 1))


def code_for(username: str) -> str:
    """``current_code`` of the user named ``username``."""
    from django.contrib.auth import get_user_model

    return current_code(get_user_model().objects.get(username=username))
