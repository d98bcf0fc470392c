"""The secretariat's pages, included by cases/urls.py in the ``cases`` namespace (no namespace
of their own: ``cases:meeting_detail``)."""
from django.urls import path

from . import views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/calendar/", views.meeting_calendar, name="meeting_calendar"),
    path("meetings/recurring/new/", views.meeting_series_create, name="meeting_series_create"),
    path("meetings/recurring/<int:pk>/end/", views.series_end, name="series_end"),
    path("meetings/feed/", views.calendar_feed, name="calendar_feed"),
    path("meetings/feed/<str:token>.ics", views.meeting_feed, name="meeting_feed"),
    path("meetings/pending/", views.pending_reviews, name="pending_reviews"),
    path("meetings/pending/<int:item_pk>/assign/", views.pending_assign, name="pending_assign"),
    path("meetings/agenda/<int:item_pk>/withdraw/", views.agenda_withdraw, name="agenda_withdraw"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/agenda/<int:item_pk>/decision/", views.decision_add,
         name="decision_add"),
    path("meetings/<int:pk>/action-items/", views.action_item_add, name="action_item_add"),
    path("meetings/<int:pk>/minutes/", views.minutes_save, name="minutes_save"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes_pdf, name="meeting_minutes_pdf"),
    path("meetings/<int:pk>/<slug:step>/", views.meeting_step, name="meeting_step"),
    path("meetings/<int:pk>/minutes/<slug:step>/done/", views.minutes_done, name="minutes_done"),
    path("action-items/", views.action_item_list, name="action_item_list"),
    path("action-items/export/", views.action_item_export, name="action_item_export"),
    path("action-items/done/", views.action_item_bulk_done, name="action_item_bulk_done"),
    path("action-items/<int:pk>/", views.action_item_detail, name="action_item_detail"),
    path("liaisons/", views.liaison_list, name="liaison_list"),
    path("liaisons/new/", views.liaison_edit, name="liaison_create"),
    path("liaisons/<int:pk>/edit/", views.liaison_edit, name="liaison_edit"),
]
