from rest_framework.routers import DefaultRouter

app_name = "partners-api"

router = DefaultRouter()

urlpatterns = router.urls
