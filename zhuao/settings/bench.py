"""The benchmark: production behaviour (DEBUG off, gunicorn, compressed static files) over
plain HTTP on loopback, with a middleware that reports each request's query count and server
time in response headers."""
from zhuao.settings.base import *  # noqa: F401,F403
from zhuao.settings.base import MIDDLEWARE, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="benchmark-only-key-0123456789-abcdefghijklmnopqrstuvwxyz")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
MIDDLEWARE = ["devtools.benchmark.QueryCountMiddleware", *MIDDLEWARE]
AXES_ENABLED = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ROOT_URLCONF = "devtools.bench_urls"  # the application's URLs and the pages' baseline
