from rest_framework.routers import DefaultRouter

app_name = "pilot-api"

router = DefaultRouter()

urlpatterns = router.urls
