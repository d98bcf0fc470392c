app_name = "tempaid"

urlpatterns: list = []
