"""The embedded default: SQLite, filesystem broker, file e-mail, DEBUG on."""
from zhuao.settings.base import *  # noqa: F401,F403
from zhuao.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
