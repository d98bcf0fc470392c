import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core import metrics
from core.audit import audit_record
from core.models import AuditOutcome
from core.passwords import password_expired
from core.sessions import session_seen
from core.text import holds_nul, visible_query
from core.two_factor import is_enrolled
from web import request_context
from zhuao import logs


class RequestContextMiddleware:
    """Puts the client IP and a request id where the audit service, the logs and the Celery
    tasks this request queues find them (``zhuao.logs``); answers with the id in
    ``X-Request-ID`` (error pages show it, so a user can quote it), writes one log line and
    one latency observation per request (``core.metrics``, by view name)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request_id = logs.request_id_from(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        token = request_context.set_current(request_context.RequestContext(
            ip_address=request_context.client_ip(request), request_id=request_id))
        log_tokens = logs.bind_request(request_id)
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - started
            view = metrics.view_name(request)
            response[logs.REQUEST_ID_HEADER] = str(request_id)
            metrics.request_observe(request, response.status_code, duration, view)
            logs.log_request(request, response, duration, view)
            return response
        finally:
            logs.unbind(log_tokens)
            request_context.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            audit_record(actor=request.user if hasattr(request, "user") else None,
                         action="access.denied", object_type="url",
                         object_id=request.path[:64], outcome=AuditOutcome.DENIED)
        return None


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_INACTIVITY_SECONDS without a request (the absolute limit
    is the session cookie's age)."""

    KEY = "zhuao_last_activity"
    STARTED_KEY = "zhuao_session_started"
    RESOLUTION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.KEY)
            started = request.session.setdefault(self.STARTED_KEY, now)
            if now - int(started) > settings.SESSION_COOKIE_AGE:
                # Absolute limit: the cookie's expiry slides with every session write, so the
                # start time is kept in the session and checked here.
                audit_record(actor=request.user, action="auth.session_expired", obj=request.user)
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, _("Your session reached its maximum length. "
                                         "Please sign in again."))
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            if last is not None and now - int(last) > settings.SESSION_INACTIVITY_SECONDS:
                audit_record(actor=request.user, action="auth.session_timeout", obj=request.user)
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, _("Your session ended after a period of inactivity. "
                                         "Please sign in again."))
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            if last is None or now - int(last) >= self.RESOLUTION:
                request.session[self.KEY] = now  # a session write at most once a minute
                if not request.path.startswith("/api/"):
                    session_seen(request)
        return self.get_response(request)


class BreakGlassAuditMiddleware:
    """The Django superuser is for break-glass use only (created from the command line when no
    administrator can act): every request it makes is audited, page or API, read or write,
    with its method and path (never the query string, which may hold a search)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_superuser:
            audit_record(actor=user, action="superuser.request", object_type="auth.user",
                         object_id=str(user.pk), summary=f"{request.method} {request.path}"[:500],
                         changes={"status": response.status_code})
        return response


class TwoFactorMiddleware:
    """A signed-in session that has not passed its second factor (core.two_factor) reaches
    only the enrolment or verification page, sign-out, the language switch and static files;
    every other page sends it there. The API is left to its authentication classes
    (``core.auth.VerifiedSessionAuthentication`` refuses such a session; tokens are issued
    only after two-factor login)."""

    ALLOWED = ("two_factor_enrol", "two_factor_verify", "logout", "language_set", "healthz",
               "readyz", "metrics")

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed = None

    def _allowed_paths(self) -> frozenset[str]:
        """Reversed once per process, not on every request of an unverified session."""
        if self._allowed is None:
            self._allowed = frozenset(reverse(name) for name in self.ALLOWED)
        return self._allowed

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(("/api/", settings.STATIC_URL)) \
                and not user.is_verified() \
                and request.path not in self._allowed_paths():

            target = "two_factor_verify" if is_enrolled(user) else "two_factor_enrol"
            url = reverse(target)
            if request.method == "GET" and request.path != "/":

                url = f"{url}?{urlencode({'next': request.get_full_path()})}"
            return redirect(url)
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """With ``PASSWORD_MAX_AGE_DAYS`` set (off by default), a user whose password is older
    reaches only the password change page (and sign-out) until they change it."""

    ALLOWED = ("password_change", "password_change_done", "logout", "language_set")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PASSWORD_MAX_AGE_DAYS and request.user.is_authenticated \
                and not request.path.startswith(("/api/", settings.STATIC_URL)) \
                and request.path not in {reverse(name) for name in self.ALLOWED} \
                and password_expired(request.user):
            messages.warning(request, _("Your password has expired. Choose a new one."))
            return redirect("password_change")
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user's language is the one they chose, on every device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        staff = getattr(request.user, "staff", None) if request.user.is_authenticated else None
        if staff is not None and staff.language:
            translation.activate(staff.language)
            request.LANGUAGE_CODE = staff.language
        return self.get_response(request)


class PersonalDataHeadersMiddleware:
    """Pages for signed-in users hold personal data: never store them in a cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class RequestBodyLimitMiddleware:
    """Refuses, with 413, a request body that is not a file upload and is larger than
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``, before anything reads it.

    Django applies that limit to the form bodies it parses itself, but DRF's parsers read the
    request as a stream, past the check: a 10 MB JSON "note" would be read, decoded and
    validated in full. Multipart bodies are left to Django (their fields are counted against
    the same limit) and to ``core.files`` (each file against ``UPLOAD_MAX_BYTES``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        content_type = request.META.get("CONTENT_TYPE", "")
        if limit is not None and not content_type.startswith("multipart/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return self._too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def _too_large(request, limit: int):
        message = _("The request is too large: at most %(size)s MB of text may be sent at "
                    "once. Shorten the text, or attach long documents as files.") % {
            "size": f"{limit / (1024 * 1024):g}"}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "request_too_large"}, status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class InputTextMiddleware:
    """What users type, before any view reads it:

    * a NUL character in the address, the query or a form's fields is refused with 400: no
      field accepts one, and PostgreSQL refuses it in text (a filter ``?q=%00`` was a server
      error);
    * bidirectional overrides and zero-width characters (``core.text``) are removed from the
      query and the form fields, passwords excepted (they are compared, never shown).

    The API's bodies of every type and method get the same from its parsers
    (``web.api.parsers``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_form = request.method == "POST" and self._is_form(request)
        if "\x00" in request.path or holds_nul(request.GET) or (
                is_form and holds_nul(request.POST)):
            return self._refuse(request)
        request.GET = visible_query(request.GET)
        if is_form:
            request.POST = visible_query(request.POST)
        return self.get_response(request)

    @staticmethod
    def _is_form(request) -> bool:
        content_type = request.META.get("CONTENT_TYPE", "")
        return content_type.startswith(("application/x-www-form-urlencoded",
                                        "multipart/form-data"))

    @staticmethod
    def _refuse(request):
        message = _("The request holds a NUL character, which no field accepts.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "nul_character"}, status=400)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


QUEUED_LATER_HEADER = "Zhuao-Jobs-Queued-Later"


class QueuedLaterMiddleware:
    """Tells the user when work this request asked for (a notification, an e-mail, a report)
    could not be handed to the job queue because Redis is down: the outbox keeps it and
    ``zhuao.outbox_sweep`` sends it once the queue is back. Pages get a warning message; API
    responses the header ``Zhuao-Jobs-Queued-Later`` (the number of such jobs), documented on
    every operation that changes something (``web.api.schema.document_queued_later``).

    Placed after MessageMiddleware, so the message is stored with the response (a redirect
    after POST shows it on the next page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_context.start_deferred_jobs()
        try:
            response = self.get_response(request)
            deferred = request_context.deferred_jobs()
        finally:
            request_context.reset_deferred_jobs(token)
        if deferred:
            if request.path.startswith("/api/"):
                response[QUEUED_LATER_HEADER] = str(len(deferred))
            elif hasattr(request, "_messages"):
                messages.warning(request, _(
                    "Done. The job queue is unavailable at the moment, so the notifications "
                    "or jobs that follow from this action will go out automatically when it "
                    "is back; nothing is lost."))
        return response
