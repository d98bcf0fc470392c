"""Production: PostgreSQL, Redis, HTTPS behind a proxy. Every secret comes from the environment."""
from zhuao.settings.base import *  # noqa: F401,F403
from zhuao.settings.base import INSTALLED_APPS, LOG_LEVEL, env
from zhuao.logs import logging_config

# Developer tooling (demo data, scale data, the benchmark) is not part of the running application.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "devtools"]
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY")
FIELD_INDEX_KEY = env.str("FIELD_INDEX_KEY")
if not (env.list("FIELD_ENCRYPTION_KEYS", default=[])
        or env.str("FIELD_ENCRYPTION_KEY_FILE", default="")):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEYS or FIELD_ENCRYPTION_KEY_FILE: identity "
                               "and bank-account numbers are encrypted at rest (docs/operations.md).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

# JSON log lines unless told otherwise (zhuao.logs).
ZHUAO_LOG_JSON = env.bool("ZHUAO_LOG_JSON", default=True)
LOGGING = logging_config(json_lines=ZHUAO_LOG_JSON, level=LOG_LEVEL)
# Load balancers and Prometheus probe the nodes directly, over plain HTTP on the internal
# network: these answer there instead of redirecting (core.monitoring.PUBLIC_PATHS).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
