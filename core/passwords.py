"""Password policy for staff accounts (GB/T 22239-2019 level 3, 身份鉴别: complexity, no reuse,
periodic change available; NIST SP 800-63B: a list of known passwords, no forced expiry by
default). Each rule is a Django password validator (``AUTH_PASSWORD_VALIDATORS``), so the
password change page, the admin and ``changepassword`` all apply them; messages are in the
user's language.

* ``ComplexityValidator``: at least three of lower-case, upper-case, digits and other signs.
* ``CommonChinesePasswordValidator``: not one of the passwords common in Chinese-speaking
  breaches (``zhuao/data/common-passwords-zh.txt``, bundled: no network), beside Django's own
  list of 20,000.
* ``PasswordHistoryValidator``: none of the last five passwords again; it records each new
  one (Django calls ``password_changed`` when a user with a new password is saved).
* ``password_expired``: with ``PASSWORD_MAX_AGE_DAYS`` above 0 (off by default), a password
  older than that must be changed before anything else (``PasswordExpiryMiddleware``)."""
from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import PasswordHistory

COMMON_LIST = Path(__file__).resolve().parent / "data" / "common-passwords-zh.txt"


class ComplexityValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    @staticmethod
    def classes(password: str) -> int:
        return sum([any(char.islower() for char in password),
                    any(char.isupper() for char in password),
                    any(char.isdigit() for char in password),
                    any(not char.isalnum() for char in password)])

    def validate(self, password, user=None):
        if self.classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("Your password must mix at least %(count)s of: small letters, capital letters, "
                 "digits, other signs.") % {"count": self.min_classes}


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    return frozenset(line.strip() for line in COMMON_LIST.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


class CommonChinesePasswordValidator:
    def validate(self, password, user=None):
        if password.lower().strip() in _common_passwords():
            raise ValidationError(_("This password is too common."), code="password_too_common")

    def get_help_text(self):
        return _("Your password can't be a commonly used password.")


class PasswordHistoryValidator:
    def __init__(self, keep: int = 5):
        self.keep = keep

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return

        recent = list(PasswordHistory.objects.filter(user=user)
                      .values_list("password", flat=True)[:self.keep])
        if user.password:
            recent.append(user.password)
        if any(check_password(password, encoded) for encoded in recent):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return

        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.keep:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return _("Your password can't be one of your last %(count)s passwords.") % {
            "count": self.keep}


def password_expired(user) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or not user.is_authenticated:
        return False

    latest = (PasswordHistory.objects.filter(user=user).values_list("created_at", flat=True)
              .first())
    changed = latest or user.date_joined
    return changed < timezone.now() - timedelta(days=days)
