from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.referral_list, name="referral_list"),
    path("referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/export/", views.referral_export, name="referral_export"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/consent/", views.referral_consent, name="referral_consent"),
    path("referrals/<int:pk>/consent/file/", views.referral_consent_download,
         name="referral_consent_download"),
    path("referrals/<int:pk>/send/", views.referral_send, name="referral_send"),
    path("referrals/<int:pk>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<int:pk>/decline/", views.referral_decline, name="referral_decline"),
    path("referrals/<int:pk>/close/", views.referral_close, name="referral_close"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_create, name="organisation_edit"),
    path("social-workers/", views.social_worker_list, name="social_worker_list"),
    path("social-workers/new/", views.social_worker_create, name="social_worker_create"),
    path("social-workers/<int:pk>/", views.social_worker_detail, name="social_worker_detail"),
    path("social-workers/<int:pk>/edit/", views.social_worker_create, name="social_worker_edit"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/new/", views.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.contract_create, name="contract_edit"),
    path("contracts/<int:pk>/kpis/", views.contract_kpi_add, name="contract_kpi_add"),
    path("contracts/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("contracts/<int:pk>/milestones/<int:milestone_pk>/release/", views.milestone_release,
         name="milestone_release"),
    path("contracts/<int:pk>/evaluate/", views.evaluation_create, name="evaluation_create"),
    path("contracts/<int:pk>/<slug:step>/", views.contract_step, name="contract_step"),
    path("service-records/", views.service_record_list, name="service_record_list"),
    path("service-records/export/", views.service_record_export,
         name="service_record_export"),
    path("service-records/new/", views.service_record_create, name="service_record_create"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/approve/", views.evaluation_approve, name="evaluation_approve"),
    path("figures/", views.figures, name="figures"),
]
