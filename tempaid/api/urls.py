from rest_framework.routers import DefaultRouter

app_name = "tempaid-api"

router = DefaultRouter()

urlpatterns = router.urls
