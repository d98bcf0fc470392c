from rest_framework.routers import DefaultRouter

from . import merge_views, views

app_name = "cases-api"

router = DefaultRouter()
router.register("people", views.PersonViewSet, basename="person")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("cases", views.CaseViewSet, basename="case")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("action-items", views.ActionItemViewSet, basename="action-item")
router.register("liaisons", views.LiaisonViewSet, basename="liaison")
router.register("merges", merge_views.PersonMergeViewSet, basename="merge")

urlpatterns = router.urls
