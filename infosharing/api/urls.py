from rest_framework.routers import DefaultRouter

app_name = "infosharing-api"

router = DefaultRouter()

urlpatterns = router.urls
