"""The two-factor login's pages (core.two_factor): enrolment with a locally drawn QR code,
the code asked at each sign-in, the recovery codes shown once, the user's own page and the
security administrator's reset."""
from __future__ import annotations

import base64

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from web.decorators import role_required
from core.errors import ApplicationError
from core.lockout import lockout_response
from core.roles import Role
from core.two_factor import (
    enrolment_device,
    is_enrolled,
    qr_svg,
    recovery_codes_left,
    recovery_codes_regenerate,
    second_factor_enrol,
    second_factor_reset,
    second_factor_verify,
    secret_base32,
)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _codes_page(request, codes: list[str], *, first: bool):
    text = "\n".join(codes) + "\n"
    return render(request, "registration/two_factor_recovery.html", {
        "codes": codes, "first": first, "next": _next(request),
        "download": "data:text/plain;charset=utf-8;base64,"
                    + base64.b64encode(text.encode()).decode()})


def _locked_out(request):
    """After a wrong code: when the failures reached the lockout, the session ends."""
    credentials = {"username": request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return lockout_response(request, credentials=credentials)
    return None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request):
    if is_enrolled(request.user):
        return HttpResponseRedirect(reverse("two_factor_verify" if not request.user.is_verified()
                                            else "two_factor_settings"))
    error = ""
    if request.method == "POST":
        try:
            codes = second_factor_enrol(request=request, code=request.POST.get("code", ""))
        except ApplicationError as refusal:
            locked = _locked_out(request)
            if locked is not None:
                return locked
            error = refusal.message
        else:
            return _codes_page(request, codes, first=True)
    device = enrolment_device(request.user)
    secret = secret_base32(device)
    return render(request, "registration/two_factor_enrol.html", {
        "qr": mark_safe(qr_svg(device.config_url)),  # noqa: S308 - drawn here by segno
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "error": error, "next": request.GET.get("next", "")}, status=400 if error else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    if not is_enrolled(request.user):
        return HttpResponseRedirect(reverse("two_factor_enrol"))
    if request.user.is_verified():
        return HttpResponseRedirect(_next(request))
    error = ""
    if request.method == "POST":
        try:
            kind = second_factor_verify(request=request, code=request.POST.get("code", ""))
        except ApplicationError as refusal:
            locked = _locked_out(request)
            if locked is not None:
                return locked
            error = refusal.message
        else:
            if kind == "recovery":
                left = recovery_codes_left(request.user)
                messages.warning(request, _(
                    "You signed in with a recovery code; %(count)s are left. Make new ones on "
                    "your two-factor page if you are running out.") % {"count": left})
            return HttpResponseRedirect(_next(request))
    return render(request, "registration/two_factor_verify.html",
                  {"error": error, "next": request.POST.get("next") or request.GET.get("next", "")},
                  status=400 if error else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_settings(request):
    """The user's own page: two-factor login is on; new recovery codes."""
    if request.method == "POST":
        try:
            codes = recovery_codes_regenerate(actor=request.user)
        except ApplicationError as refusal:
            messages.error(request, refusal.message)
            return HttpResponseRedirect(reverse("two_factor_settings"))
        return _codes_page(request, codes, first=False)
    return render(request, "zhuao/two_factor.html", {
        "enrolled": is_enrolled(request.user),
        "recovery_left": recovery_codes_left(request.user)})


@never_cache
@role_required(Role.SECURITY_ADMIN)
@require_http_methods(["GET", "POST"])
def two_factor_reset(request):
    """A security administrator resets a user's second factor."""
    if request.method == "POST":
        username = str(request.POST.get("username", "")).strip()[:150]
        if not username:
            messages.error(request, _("Enter the user name whose second factor to reset."))
        else:
            try:
                second_factor_reset(actor=request.user, username=username)
            except ApplicationError as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, _(
                    "The second factor of %(username)s is reset: they set it up again at "
                    "their next sign-in.") % {"username": username})
        return HttpResponseRedirect(reverse("two_factor_reset"))
    return render(request, "zhuao/two_factor_reset.html")
