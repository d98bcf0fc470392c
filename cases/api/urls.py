from rest_framework.routers import DefaultRouter

app_name = "cases-api"

router = DefaultRouter()

urlpatterns = router.urls
