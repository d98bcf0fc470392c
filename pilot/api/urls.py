from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "pilot-api"

router = DefaultRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("progress-reports", views.ProgressReportViewSet, basename="progress-report")
router.register("reports", views.PilotReportViewSet, basename="report")

urlpatterns = [path("dashboard/", views.dashboard, name="dashboard"), *router.urls]
