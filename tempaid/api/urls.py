from rest_framework.routers import DefaultRouter

from . import views

app_name = "tempaid-api"

router = DefaultRouter()
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("funds", views.FundViewSet, basename="fund")
router.register("ledger", views.LedgerViewSet, basename="ledger")
router.register("policies", views.PolicyViewSet, basename="policy")

urlpatterns = router.urls
