from django.urls import path

from . import views

app_name = "remittance"

urlpatterns = [
    path("", views.recipient_list, name="recipient_list"),
    path("recipients/<int:pk>/", views.recipient_detail, name="recipient_detail"),
    path("recipients/<int:pk>/appointments/", views.appointment_create,
         name="appointment_create"),
    path("recipients/<int:pk>/account/reveal/", views.recipient_account_reveal,
         name="recipient_account_reveal"),
    path("recipients/<int:pk>/<slug:action>/", views.recipient_action, name="recipient_action"),
    path("recipients/export/", views.recipient_export, name="recipient_export"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/template.<str:kind>", views.import_template, name="import_template"),
    path("branches/", views.branch_list, name="branch_list"),
    path("appointments/", views.appointment_list, name="appointment_list"),
    path("appointments/<int:pk>/outcome/", views.appointment_outcome,
         name="appointment_outcome"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/list.pdf", views.batch_list_form, name="batch_list_form"),
    path("batches/<int:pk>/decision/", views.batch_decide, name="batch_decide"),
    path("batches/<int:pk>/check/", views.batch_check, name="batch_check"),
    path("batches/<int:pk>/approved/", views.batch_approved, name="batch_approved"),
    path("batches/<int:pk>/bank-file/", views.batch_bank_file, name="batch_bank_file"),
    path("batches/<int:pk>/results/", views.batch_results, name="batch_results"),
    path("payments/", views.payment_list, name="payment_list"),
    path("payments/export/", views.payment_export, name="payment_export"),
    path("coverage/", views.coverage, name="coverage"),
    path("bank/", views.bank_desk, name="bank_desk"),
    path("bank/recipients/<int:pk>/", views.bank_recipient, name="bank_recipient"),
    path("bank/recipients/<int:pk>/account/reveal/", views.bank_account_reveal,
         name="bank_account_reveal"),
    path("bank/recipients/<int:pk>/document/reveal/", views.bank_document_reveal,
         name="bank_document_reveal"),
    path("bank/appointments/<int:pk>/outcome/", views.bank_appointment_outcome,
         name="bank_appointment_outcome"),
]
