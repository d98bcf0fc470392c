"""Two-factor login (django-otp): after the password, every account passes a TOTP code from an
authenticator app, or one of its ten single-use recovery codes.

A session is verified when django-otp's session key names one of the user's confirmed devices
(``django_otp.login``); ``web.middleware.TwoFactorMiddleware`` lets an unverified session
reach only the enrolment and verification pages, sign-out, the language switch and static
files, and ``core.auth.VerifiedSessionAuthentication`` refuses it on the API. A wrong code
waits longer each time (django-otp's throttling) and counts as a failed login for django-axes,
which locks the account as for wrong passwords. "Remember this device" does not exist: every
sign-in asks for a code.

Security administrators reset a user's second factor (``second_factor_reset``); with no one
able to sign in, ``manage.py reset_second_factor USERNAME`` does it from the command line."""
from __future__ import annotations

import base64
import time

import django_otp
import segno
from django.contrib.auth import get_user_model, user_login_failed
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import audit_record
from core.errors import ApplicationError
from core.messages import Text
from core.models import AuditOutcome
from core.notifications import notify_users
from core.roles import Role, has_role

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"
#: The demo accounts' shared secret (devtools.demo, README): any authenticator app, or
#: ``manage.py demo_totp USER``, gives their codes. Never used outside the demo data.
DEMO_TOTP_SECRET = "ZHUAODEMOSECRETZHUAODEMOSECRET23"


def totp_device(user, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=confirmed)
    return devices.order_by("-pk").first()


def is_enrolled(user) -> bool:
    return totp_device(user) is not None


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def current_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code an authenticator app shows now (``manage.py demo_totp``, the tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def qr_svg(text: str) -> str:
    """An inline SVG QR code, made here: nothing leaves the server, no script, no image URL."""
    return segno.make(text, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (a new secret the first time)."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def _clean(code: str) -> str:
    return "".join(str(code or "").split())[:32]


def _failed(request, user, *, action: str, reason: str) -> None:
    audit_record(actor=user, action=action, obj=user, outcome=AuditOutcome.DENIED,
                 summary=reason)
    # counted with the wrong passwords: the same lockout, the same unlock (core.lockout)
    user_login_failed.send(sender=__name__, request=request,
                           credentials={"username": user.get_username()})


def _recovery_codes_new(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def second_factor_enrol(*, request, code: str) -> list[str]:
    """Confirm the enrolment with a code from the app: the session is verified and the ten
    recovery codes are returned, to be shown once."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(
            user=user, confirmed=False).order_by("-pk").first()
        if device is None or is_enrolled(user):
            raise ApplicationError(_("Two-factor login is already set up for this account."),
                                   code="already_enrolled")
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            raise ApplicationError(_("Too many wrong codes: wait a moment and try again."),
                                   code="throttled", status=429)
        if not device.verify_token(_clean(code)):
            ok = False
        else:
            ok = True
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = _recovery_codes_new(user)
    if not ok:
        _failed(request, user, action="auth.otp_enrol", reason="wrong code")
        raise ApplicationError(_("The code is not right. Check the time on your phone and "
                                 "enter the code the app shows now."), code="wrong_code")
    django_otp.login(request, device)
    audit_record(actor=user, action="auth.otp_enrol", obj=user)
    return codes


def second_factor_check(*, request, user, code: str, action: str = "auth.otp_verify"):
    """The device of ``user`` that accepts ``code`` (a TOTP code, or a recovery code, used
    up), audited; a wrong code is refused, audited and counted as a failed sign-in."""
    token = _clean(code)
    devices = [totp_device(user), StaticDevice.objects.filter(user=user, confirmed=True).first()]
    devices = [device for device in devices if device is not None]
    if not devices:
        audit_record(actor=user, action=action, obj=user, outcome=AuditOutcome.DENIED,
                     summary="not enrolled")
        raise ApplicationError(_("Two-factor login is not set up for this account."),
                               code="not_enrolled")
    if not any(device.verify_is_allowed()[0] for device in devices):
        audit_record(actor=user, action=action, obj=user, outcome=AuditOutcome.DENIED,
                     summary="throttled")
        raise ApplicationError(_("Too many wrong codes: wait a moment and try again."),
                               code="throttled", status=429)
    for device in devices:
        if token and device.verify_is_allowed()[0] and device.verify_token(token):
            kind = "recovery" if isinstance(device, StaticDevice) else "totp"
            audit_record(actor=user, action=action, obj=user,
                         changes={"method": kind,
                                  **({"recovery_codes_left": recovery_codes_left(user)}
                                     if kind == "recovery" else {})})
            return device
    _failed(request, user, action=action, reason="wrong code")
    raise ApplicationError(_("The code is not right. Enter the code your app shows now, or "
                             "one of your recovery codes."), code="wrong_code")


def second_factor_verify(*, request, code: str) -> str:
    """Verify the signed-in session with a TOTP code or a recovery code (used up). Returns
    "totp" or "recovery"."""
    device = second_factor_check(request=request, user=request.user, code=code)
    django_otp.login(request, device)
    return "recovery" if isinstance(device, StaticDevice) else "totp"


def recovery_codes_regenerate(*, actor) -> list[str]:
    """Ten new recovery codes for the actor's own account (the old ones stop working)."""
    if not is_enrolled(actor):
        raise ApplicationError(_("Two-factor login is not set up for this account."),
                               code="not_enrolled")
    with transaction.atomic():
        codes = _recovery_codes_new(actor)
        audit_record(actor=actor, action="auth.otp_recovery_codes", obj=actor)
    return codes


def _reset(user) -> int:
    deleted = TOTPDevice.objects.filter(user=user).delete()[0]
    deleted += StaticDevice.objects.filter(user=user).delete()[0]
    return deleted


def second_factor_reset(*, actor, username: str):
    """A security administrator removes a user's second factor: at their next sign-in they
    enrol again. The user is told; a session they verified with a removed device is no
    longer verified (django-otp finds no device), so it reaches only the enrolment."""
    username = str(username or "")[:150]
    if not has_role(actor, Role.SECURITY_ADMIN):
        audit_record(actor=actor, action="auth.otp_reset", object_type="auth.user",
                     object_id=username[:64], outcome=AuditOutcome.DENIED,
                     summary="not a security administrator")
        raise ApplicationError(_("Only a security administrator may reset a second factor."),
                               code="forbidden", status=403)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        audit_record(actor=actor, action="auth.otp_reset", object_type="auth.user",
                     object_id=username[:64], outcome=AuditOutcome.DENIED, summary="no such user")
        raise ApplicationError(_("No such user."), code="not_found", status=404)
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        removed = _reset(user)
        audit_record(actor=actor, action="auth.otp_reset", obj=user,
                     changes={"devices_removed": removed})
        notify_users(recipients=[user], kind="security", title=Text(gettext_lazy(
                   "Your two-factor login was reset")),
               body=Text(gettext_lazy(
                   "A security administrator reset your second factor. At your next sign-in, "
                   "set up your authenticator app again. If you did not ask for this, tell "
                   "your security administrator at once.")))
    return user


def second_factor_reset_break_glass(*, username: str, operator: str):
    """The command line's reset (``manage.py reset_second_factor``), for when no security
    administrator can sign in: audited as a break-glass action."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        audit_record(actor=None, action="breakglass.otp_reset", object_type="auth.user",
                     object_id=str(username)[:64], outcome=AuditOutcome.DENIED,
                     summary="no such user")
        raise ApplicationError(_("No such user."), code="not_found", status=404)
    with transaction.atomic():
        removed = _reset(user)
        audit_record(actor=None, action="breakglass.otp_reset", obj=user,
                     summary=f"manage.py reset_second_factor by {operator}"[:500],
                     changes={"devices_removed": removed})
    return user


def demo_enrol(user, secret: str = DEMO_TOTP_SECRET) -> TOTPDevice:
    """Enrol a demo account with the known demo secret (idempotent)."""
    key = base64.b32decode(secret).hex()
    device = totp_device(user)
    if device is not None and device.key == key:
        return device
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=key, confirmed=True)
