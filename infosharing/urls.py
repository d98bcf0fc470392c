app_name = "infosharing"

urlpatterns: list = []
