"""The bench's URLs (``zhuao.settings.bench`` only): the application's, and the pages'
baseline (``devtools.benchmark.baseline_page``)."""
from django.urls import path

from devtools.benchmark import BASELINE_PAGE, baseline_page
from zhuao.urls import handler403, handler404, handler500, urlpatterns as application_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]

urlpatterns = [path(BASELINE_PAGE.lstrip("/"), baseline_page, name="bench_baseline"),
               *application_urlpatterns]
