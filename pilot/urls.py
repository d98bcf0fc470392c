app_name = "pilot"

urlpatterns: list = []
