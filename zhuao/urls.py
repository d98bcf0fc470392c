"""The project's URLs: the shared domain's (core/urls.py), each workstream's pages and API, the
global search, the Django admin and the API schema."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from cases import search_views
from cases.api.search import global_search_api
from core.workstreams import WORKSTREAMS

urlpatterns = [
    path("", include("core.urls")),
    path("search/", search_views.search, name="global_search"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api_schema"), name="api_redoc"),
    path("api/v1/search/", global_search_api, name="api_global_search"),
]
for app_name in WORKSTREAMS:
    urlpatterns += [
        path(f"{app_name}/", include(f"{app_name}.urls")),
        path(f"api/v1/{app_name}/", include(f"{app_name}.api.urls")),
    ]

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
