from rest_framework.routers import DefaultRouter

app_name = "remittance-api"

router = DefaultRouter()

urlpatterns = router.urls
