app_name = "remittance"

urlpatterns: list = []
