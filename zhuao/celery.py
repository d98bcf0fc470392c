"""The Celery application. Tasks are thin: they take ids, fetch, call a service, and are safe to
run twice (acks are late, so a task whose worker died runs again)."""
import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuao.settings.local")

app = Celery("zhuao")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders() -> None:
    """kombu's filesystem transport dies if its folders are missing: create them first."""
    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
