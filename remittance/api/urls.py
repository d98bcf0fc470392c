from rest_framework.routers import DefaultRouter

from .views import (
    AppointmentViewSet,
    BankAppointmentViewSet,
    BankRecipientViewSet,
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
router.register("bank/recipients", BankRecipientViewSet, basename="bank-recipient")
router.register("bank/appointments", BankAppointmentViewSet, basename="bank-appointment")

urlpatterns = router.urls
