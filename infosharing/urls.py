from django.urls import path

from . import views

app_name = "infosharing"

urlpatterns = [
    path("", views.request_list, name="index"),
    path("authorizations/", views.authorization_list, name="authorization_list"),
    path("authorizations/new/", views.authorization_create, name="authorization_create"),
    path("authorizations/<int:pk>/", views.authorization_detail, name="authorization_detail"),
    path("authorizations/<int:pk>/revoke/", views.authorization_revoke,
         name="authorization_revoke"),
    path("authorizations/<int:pk>/revoked/", views.authorization_revoked,
         name="authorization_revoked"),
    path("authorizations/<int:pk>/scan/", views.authorization_scan, name="authorization_scan"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/export/", views.request_export, name="request_export"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("requests/<int:pk>/route/", views.request_route, name="request_route"),
    path("requests/<int:pk>/authorization/", views.request_authorization_scan,
         name="request_authorization_scan"),
    path("requests/<int:pk>/attachments/<int:attachment_pk>/", views.request_attachment,
         name="request_attachment"),
    path("requests/<int:pk>/close/", views.request_close, name="request_close"),
    path("requests/<int:pk>/closed/", views.request_closed, name="request_closed"),
    path("requests/<int:pk>/<slug:step>/", views.request_step, name="request_step"),
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/export/", views.bulletin_export, name="bulletin_export"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/pdf/", views.bulletin_pdf, name="bulletin_pdf"),
    path("bulletins/<int:pk>/section/", views.bulletin_section_edit, name="bulletin_section"),
    path("bulletins/<int:pk>/publish/", views.bulletin_publish, name="bulletin_publish"),
    path("bulletins/<int:pk>/acknowledge/", views.bulletin_acknowledge,
         name="bulletin_acknowledge"),
    path("urgent/", views.urgent_list, name="urgent_list"),
    path("urgent/new/", views.urgent_create, name="urgent_create"),
    path("urgent/<int:pk>/", views.urgent_detail, name="urgent_detail"),
    path("urgent/<int:pk>/acknowledge/", views.urgent_acknowledge, name="urgent_acknowledge"),
]
