"""The project's addresses and one that fails, to see the server error page."""
from django.urls import path

from zhuao.urls import handler403, handler404, handler500  # noqa: F401
from zhuao.urls import urlpatterns as project_urlpatterns


def fail(request):
    raise RuntimeError("a test's deliberate failure")


urlpatterns = [path("test-failure/", fail, name="test_failure"), *project_urlpatterns]
