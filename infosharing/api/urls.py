from rest_framework.routers import DefaultRouter

from .views import (
    AuthorizationViewSet,
    BulletinViewSet,
    UrgentNotificationViewSet,
    VerificationRequestViewSet,
)

app_name = "infosharing-api"

router = DefaultRouter()
router.register("authorizations", AuthorizationViewSet, basename="authorization")
router.register("verification-requests", VerificationRequestViewSet,
                basename="verification-request")
router.register("bulletins", BulletinViewSet, basename="bulletin")
router.register("urgent-notifications", UrgentNotificationViewSet, basename="urgent-notification")

urlpatterns = router.urls
