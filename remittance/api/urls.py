from rest_framework.routers import DefaultRouter

from .views import (
    AppointmentViewSet,
    BatchViewSet,
    ImportViewSet,
    OnboardingViewSet,
    PaymentViewSet,
    RecipientViewSet,
)

app_name = "remittance-api"

router = DefaultRouter()
router.register("recipients", RecipientViewSet, basename="recipient")
router.register("imports", ImportViewSet, basename="import")
router.register("onboarding", OnboardingViewSet, basename="onboarding")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("batches", BatchViewSet, basename="batch")
router.register("payments", PaymentViewSet, basename="payment")

urlpatterns = router.urls
