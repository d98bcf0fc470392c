from rest_framework.routers import DefaultRouter

from . import views

app_name = "partners-api"

router = DefaultRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("social-workers", views.SocialWorkerViewSet, basename="social-worker")
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("referrals", views.ReferralViewSet, basename="referral")
router.register("service-records", views.ServiceRecordViewSet, basename="service-record")
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")

urlpatterns = router.urls
