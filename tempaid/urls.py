from django.urls import path

from . import views

app_name = "tempaid"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_create, name="create"),
    path("export/", views.application_export, name="export"),
    path("assign/", views.application_assign, name="assign"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/approval-form.pdf", views.approval_form, name="approval_form"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download,
         name="document_download"),
    path("<int:pk>/<slug:action>/", views.application_action, name="action"),
    path("<int:pk>/<slug:action>/done/", views.application_action_done, name="done"),
    path("fund/", views.fund_detail, name="fund"),
    path("fund/statement/", views.fund_statement, name="statement"),
    path("fund/ledger/export/", views.ledger_export, name="ledger_export"),
    path("policies/", views.policy_list, name="policies"),
]
