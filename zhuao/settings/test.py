"""Tests: whatever DATABASE_URL and REDIS_URL say (CI: the machine's PostgreSQL and Redis)."""
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def _separate_parallel_workers():
    """Under ``pytest -n`` each worker (PYTEST_XDIST_WORKER gw0, gw1, …) gets its own Redis
    database and var folder, as pytest-django gives it its own test database: their caches,
    Celery queues and files never meet. The values the run started with are kept in
    ZHUAO_TEST_RUN_*; only those are replaced, so a process a test starts (it inherits this
    environment) keeps the worker's values, or the ones the test gave it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    number = int(worker.removeprefix("gw"))

    def var_dir(path):
        return str(Path(path) / worker)

    def redis_url(url):
        parts = urlsplit(url)
        database = (int(parts.path.strip("/") or 0) + 1 + number) % 16  # Redis has 16
        return urlunsplit(parts._replace(path=f"/{database}"))

    default_var_dir = str(Path(__file__).resolve().parents[2] / "var")
    for name, default, derive in (("ZHUAO_VAR_DIR", default_var_dir, var_dir),
                                  ("REDIS_URL", "", redis_url)):
        started_with = os.environ.setdefault(f"ZHUAO_TEST_RUN_{name}",
                                             os.environ.get(name, default))
        if started_with and os.environ.get(name, default) == started_with:
            os.environ[name] = derive(started_with)


_separate_parallel_workers()

from zhuao.settings.base import *  # noqa: E402,F401,F403
from zhuao.settings.base import DATABASES, STORAGES, VAR_DIR, env  # noqa: E402

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-but-long-enough-for-checks-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Uploads where the base settings put them (the filesystem, or the object store when a test's
# web node is given S3_BUCKET); static files unhashed.
STORAGES = {**STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "test-media")))
AXES_ENABLED = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
# Every test's connections close with it: the test database is dropped at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The test database need not survive a crash: a commit does not wait for the disk. Added
    # to any options the base settings set, not in their place.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c synchronous_commit=off").strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: a Celery worker started by a test must see the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
