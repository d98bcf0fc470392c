
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import lists
from core.audit import audit_record
from core.errors import ApplicationError
from core.files import protected_file_response
from core.lockout import account_unlock, locked_accounts
from core.models import Notification
from core.notifications import notification_mark_read
from core.roles import Role, has_role, user_roles
from core.sessions import active_sessions, sessions_end, user_sessions_end
from core.tokens import token_revoke as api_token_revoke
from core.tokens import tokens_visible_to
from core.visibility import user_agency
from core.work import remember_menu_count, work_list_for_visit
from web.decorators import role_required
from web.exports import export_response, get_export_job_for
from web.forms import LanguageForm
from web.listing import listing_for, spec_for
from web.navigation import home_panels, request_nav_items
from web.pagination import page_of


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action="auth.password_change", obj=self.request.user)
        return response


@login_required
def home(request):
    roles = user_roles(request.user)
    work = work_list_for_visit(request.user, request.session)
    remember_menu_count(request.user, work.total)  # the menu's badge agrees with the list
    quick_actions = [item for item in request_nav_items(request) if item.is_primary]
    return render(request, "home.html", {
        "agency": user_agency(request.user),
        "role_labels": [Role(role).label for role in Role.values if role in roles],
        "quick_actions": quick_actions,
        "panels": home_panels(request),
        "work": work,
    })



@require_POST
def language_set(request):
    """Switch language: stored on the user's profile (remembered on every device) and in a
    cookie for the login page."""
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if form.is_valid():
        language = form.cleaned_data["language"]
        staff = getattr(request.user, "staff", None) if request.user.is_authenticated else None
        if staff is not None:
            staff.language = language
            staff.save(update_fields=["language"])
        translation.activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600,
                            samesite="Lax", secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False))
    return response


@login_required
def inbox(request):
    notifications = Notification.objects.filter(recipient=request.user)
    page = page_of(request, notifications, 30)
    return render(request, "zhuao/inbox.html", {"page": page})


@login_required
def inbox_open(request, pk: int):
    """Mark one message read and follow its link (local paths only)."""
    notification = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if notification is None:
        return HttpResponseRedirect(reverse("inbox"))
    notification_mark_read(user=request.user, notification_ids=[pk])
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("inbox")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def inbox_read_all(request):
    notification_mark_read(user=request.user)
    messages.success(request, _("All messages are marked as read."))
    return HttpResponseRedirect(reverse("inbox"))


@role_required(Role.AUDIT_ADMIN)
@require_GET
def audit_list(request):
    """The audit administrator's search: who did what to which record when, refused or
    allowed; the search itself is audited."""
    list_query = lists.AUDIT.query(request.user, request.GET)
    rows, listing = listing_for(request, lists.AUDIT, list_query)
    page = page_of(request, rows, listing.ordering.per_page)
    audit_record(actor=request.user, action="audit.view", object_type="zhuao.auditevent",
                 changes={key: value for key, value in request.GET.items() if key != "page"})
    return render(request, "zhuao/audit_list.html",
                  {"page": page, "listing": listing, **list_query.context})


@role_required(Role.AUDIT_ADMIN)
@require_GET
def audit_export(request):
    """The filtered audit rows as Excel or CSV (audited as ``auditevent.export``)."""
    return export_response(request, lists.AUDIT)


@role_required(Role.SECURITY_ADMIN)
@require_GET
def lockout_list(request):
    return render(request, "zhuao/lockout_list.html", {"locked": locked_accounts()})


@role_required(Role.SECURITY_ADMIN)
@require_POST
def lockout_unlock(request):
    username = str(request.POST.get("username", ""))[:150]
    if not username:
        messages.error(request, _("Choose the account to unlock."))
    else:
        account_unlock(actor=request.user, username=username)
        messages.success(request, _("%(username)s may sign in again.") % {"username": username})
    return HttpResponseRedirect(reverse("lockout_list"))


@role_required(Role.SECURITY_ADMIN)
@require_POST
def user_sign_out(request):
    """End every session of another user (the security administrator's duty)."""
    username = str(request.POST.get("username", ""))[:150]
    if not username:
        messages.error(request, _("Choose the account to sign out."))
        return HttpResponseRedirect(reverse("lockout_list"))
    try:
        ended = user_sessions_end(actor=request.user, username=username)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, ngettext("%(username)s: %(count)s session ended.",
                                           "%(username)s: %(count)s sessions ended.", ended)
                         % {"username": username, "count": ended})
    return HttpResponseRedirect(reverse("lockout_list"))


@login_required
@require_GET
def token_list(request):
    tokens = page_of(request, tokens_visible_to(request.user), 50)
    return render(request, "zhuao/token_list.html",
                  {"page": tokens, "now": timezone.now(),
                   "all_users": has_role(request.user, Role.SECURITY_ADMIN)})


@login_required
@require_POST
def token_revoke(request):
    try:
        revoked = api_token_revoke(actor=request.user,
                                   token_id=int(request.POST.get("token", "")))
    except (ValueError, ApplicationError):
        messages.error(request, _("No such token."))
    else:
        messages.success(request, _("The token %(prefix)s… is revoked.")
                         % {"prefix": revoked.prefix})
    return HttpResponseRedirect(reverse("token_list"))


def _is_api(request) -> bool:
    """An address under /api/ answers in the API's JSON shape (``web.api.schema.ERROR``),
    even where no API view does (an unknown path, an error before the view)."""
    return request.path.startswith("/api/")


def error_403(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("You do not have permission to perform this action."),
                             "code": "permission_denied"}, status=403)
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return render(request, "404.html", status=404)


def error_500(request):
    if _is_api(request):
        return JsonResponse({"detail": _("A server error occurred."), "code": "error"},
                            status=500)
    return render(request, "500.html", status=500)


@login_required
@require_http_methods(["GET", "POST"])
def session_list(request):
    """Where I am signed in; "sign out everywhere else" or "everywhere"."""
    if request.method == "POST":
        everywhere = request.POST.get("scope") == "all"
        ended = sessions_end(actor=request.user,
                             keep_session_key=None if everywhere else request.session.session_key)
        if everywhere:
            logout(request)
            messages.success(request, _("You are signed out everywhere."))
            return HttpResponseRedirect(reverse("login"))
        messages.success(request, ngettext("%(count)s other session ended.",
                                           "%(count)s other sessions ended.", ended)
                         % {"count": ended})
        return HttpResponseRedirect(reverse("session_list"))
    return render(request, "zhuao/session_list.html", {
        "sessions": list(active_sessions(request.user)[:50]),
        "current": request.session.session_key})


# --- list exports too long to stream (web.exports) -------------------------------------------

@login_required
def export_status(request, pk: int):
    """The owner's export: progress while it is written, then the download link. JSON for the
    page's polling (Accept: application/json)."""
    job = get_export_job_for(request.user, pk)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"done": job.is_finished, "status": job.status,
                             "status_label": str(job.get_status_display()),
                             "percent": job.percent, "rows_done": job.rows_done,
                             "rows_total": job.rows_total,
                             "download_url": reverse("export_download", args=[job.pk])
                             if job.status == "done" else ""})

    spec = spec_for(job.list_key)
    return render(request, "zhuao/export_status.html", {
        "job": job, "spec": spec, "keep_days": settings.EXPORT_KEEP_DAYS})


@login_required
def export_download(request, pk: int):
    """Only the user who asked for the export downloads it; anyone else gets 404 (audited)."""
    job = get_export_job_for(request.user, pk)
    if job.status != "done" or not job.file:
        raise Http404
    audit_record(actor=request.user, action="export.download", obj=job,
                 changes={"list": job.list_key, "format": job.file_format})
    return protected_file_response(
        job.file, download_name=f"{job.list_key}-{timezone.localtime(job.finished_at):%Y%m%d-%H%M}"
        f".{job.file_format}")
