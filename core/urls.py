"""The shared domain's pages and API: home, sign-in and second factor, inbox, audit, sessions and
tokens, hand-over, exports, help, health and metrics (included by zhuao/urls.py)."""
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import handover_views, monitoring, two_factor_views, views
from core.api.views import (
    api_root,
    my_work,
    notification_list,
    token_list,
    token_obtain,
    token_revoke_view,
    whoami,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(
        template_name="registration/password_change_done.html"), name="password_change_done"),
    path("accounts/two-factor/", two_factor_views.two_factor_settings,
         name="two_factor_settings"),
    path("accounts/two-factor/enrol/", two_factor_views.two_factor_enrol,
         name="two_factor_enrol"),
    path("accounts/two-factor/verify/", two_factor_views.two_factor_verify,
         name="two_factor_verify"),
    path("accounts/two-factor/reset/", two_factor_views.two_factor_reset,
         name="two_factor_reset"),
    path("language/", views.language_set, name="language_set"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("accounts/lockouts/", views.lockout_list, name="lockout_list"),
    path("accounts/tokens/", views.token_list, name="token_list"),
    path("accounts/sessions/", views.session_list, name="session_list"),
    path("accounts/tokens/revoke/", views.token_revoke, name="token_revoke"),
    path("accounts/lockouts/unlock/", views.lockout_unlock, name="lockout_unlock"),
    path("accounts/sign-out/", views.user_sign_out, name="user_sign_out"),
    path("handover/", handover_views.work_handover, name="work_handover"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/open/", views.inbox_open, name="inbox_open"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("exports/<int:pk>/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("help/", include("core.help")),
    path("healthz", monitoring.healthz, name="healthz"),
    path("readyz", monitoring.readyz, name="readyz"),
    path("metrics", monitoring.metrics_view, name="metrics"),
    path("ops/status/", monitoring.status_page, name="ops_status"),
    path("api/v1/", api_root, name="api_root"),
    path("api/v1/auth/token/", token_obtain, name="api_token_obtain"),
    path("api/v1/auth/token/revoke/", token_revoke_view, name="api_token_revoke"),
    path("api/v1/auth/tokens/", token_list, name="api_token_list"),
    path("api/v1/auth/whoami/", whoami, name="api_whoami"),
    path("api/v1/inbox/", notification_list, name="api_inbox"),
    path("api/v1/my-work/", my_work, name="api_my_work"),
]
