"""Settings shared by every environment. Values come from the environment (12-factor).

Defaults are the embedded ones: a SQLite file in the project folder and kombu's filesystem
transport as the Celery broker, so the application, its worker and beat run with no server.
"""
import datetime
import re
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("ZHUAO_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the widgets' templates, for FORM_RENDERER below
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
    "core.apps.CoreConfig",
    "web",
    "devtools",
    "cases",
    "infosharing",
    "remittance",
    "tempaid",
    "partners",
    "pilot",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "web.middleware.RequestContextMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "web.middleware.RequestBodyLimitMiddleware",
    "web.middleware.InputTextMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "web.middleware.QueuedLaterMiddleware",
    "web.middleware.SessionTimeoutMiddleware",
    "web.middleware.BreakGlassAuditMiddleware",
    "web.middleware.UserLanguageMiddleware",
    "web.middleware.TwoFactorMiddleware",
    "web.middleware.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "web.middleware.PersonalDataHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhuao.urls"
WSGI_APPLICATION = "zhuao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.navigation",
            ],
        },
    },
]
# Form widgets are rendered with the templates above, so that templates/django/forms/ can
# replace one of Django's (the select, with its options written in).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Each gunicorn thread keeps its connection between requests: opening one costs more than
# a simple page's queries. A connection that broke meanwhile is replaced before use.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the application's queries are short, and a plan whose estimated
    # cost passes jit_above_cost (a count over a million-row table) spent 0.8 s compiling to
    # run in 0.1 s (BENCHMARKS.md, "A million people"). DATABASE_JIT=on restores the server's.
    if not env.bool("DATABASE_JIT", default=False):
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web process, a worker and beat share the file: wait for locks rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.auth.StaffModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.passwords.ComplexityValidator"},
    {"NAME": "core.passwords.CommonChinesePasswordValidator"},
    {"NAME": "core.passwords.PasswordHistoryValidator", "OPTIONS": {"keep": 5}},
]
# A password older than this many days must be changed first; 0 (the default) never expires
# one, as NIST SP 800-63B advises; a deployment that must may set it (core.passwords).
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=0)
LOGIN_URL = "login"
# Two-factor login (core.two_factor, django-otp): every account passes a TOTP code or a
# recovery code after its password. The issuer names the account in authenticator apps; a
# wrong code waits 1, 2, 4… seconds longer each time and counts as a failed login (axes).
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Zhuao")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: an absolute lifetime (cookie age) and an inactivity limit (our middleware): 8 hours
# and 15 minutes for staff (GB/T 22239-2019 level 3; core.sessions lists and ends them).
SESSION_COOKIE_AGE = env.int("SESSION_ABSOLUTE_SECONDS", default=8 * 3600)
SESSION_INACTIVITY_SECONDS = env.int("SESSION_INACTIVITY_SECONDS", default=15 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: five wrong passwords lock the account (by username) for an hour.
# API tokens expire this many days after issue (core.tokens).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)
#: A list export longer than this runs as a background job (web.exports); shorter ones stream.
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=5000)
#: How long a background export's file is kept (the download link says so).
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
#: How many full identity or bank-account numbers one user may reveal per hour (core.reveal).
REVEAL_LIMIT_PER_HOUR = env.int("REVEAL_LIMIT_PER_HOUR", default=20)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
# Locks a username after five failures, and an address that tries many usernames.
# Per account and per account + address: one person's mistakes never lock a whole office behind
# one NAT address (core.lockout).
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "core" / "locale"]
#: Dates on Chinese pages in the long form (2026年12月5日): zhuao/formats/<locale>/formats.py.
FORMAT_MODULE_PATH = ["zhuao.formats"]
LANGUAGE_COOKIE_NAME = "zhuao_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploads are never served at this URL (no route serves it): only through views that check
# visibility. It must still be a path for the test live server.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several web nodes share uploads and generated files through an S3-compatible object store
# (MinIO in docker-compose.yml) when S3_BUCKET is set; the embedded run keeps the filesystem.
# Files are still read only through views that check visibility (core.files.
# protected_file_response streams them): no public or pre-signed URL ever reaches a browser
# (docs/operations.md, "Shared storage").
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="us-east-1"),
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("S3_PREFIX", default=""),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 60,
            # Server-side encryption of every object (SSE-S3; MinIO needs a KMS key set).
            "object_parameters": ({"ServerSideEncryption": env.str("S3_SSE", default="AES256")}
                                  if env.str("S3_SSE", default="AES256") else {}),
            "addressing_style": "path",
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# A request body that is not a file upload (form fields, JSON) is at most this big: free text is
# at most core.validators.TEXT_MAX_LENGTH characters a field. Django refuses larger form
# bodies with 400; web.middleware.RequestBodyLimitMiddleware answers 413 for others (the
# API's JSON, which DRF reads past Django's check). Files keep UPLOAD_MAX_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)

# Operational dates (every date of the pilot's work, core.fields) lie in this window; birth
# dates from ZHUAO_BIRTH_DATE_MIN to today. Out of range is a form error or a 400.
ZHUAO_DATE_MIN = datetime.date.fromisoformat(env.str("ZHUAO_DATE_MIN", default="2000-01-01"))
ZHUAO_DATE_MAX = datetime.date.fromisoformat(env.str("ZHUAO_DATE_MAX", default="2060-12-31"))
ZHUAO_BIRTH_DATE_MIN = datetime.date(1900, 1, 1)

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis down must not break pages or API throttling: core.cache treats it as a miss.
    CACHES = {"default": {"BACKEND": "core.cache.ResilientRedisCache",
                          "LOCATION": REDIS_URL, "TIMEOUT": 300,
                          "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache")}}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default=f"filemail://{VAR_DIR / 'mail'}")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG.get("EMAIL_BACKEND") == "django.core.mail.backends.filebased.EmailBackend":
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="zhuao@localhost")

# Celery. Without REDIS_URL, kombu's filesystem transport: worker and beat still really run.
# Encryption at rest of identity and bank-account numbers (core/crypto.py). Keys are
# "<key id>:<sm4|aes>:<base64 key>", the first encrypts; without any, keys derive from
# SECRET_KEY (development and tests only: production requires them).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
FIELD_ENCRYPTION_KEY_FILE = env.str("FIELD_ENCRYPTION_KEY_FILE", default="")
FIELD_INDEX_KEY = env.str("FIELD_INDEX_KEY", default="")
FIELD_INDEX_HASH = env.str("FIELD_INDEX_HASH", default="sm3")

# The audit trail's chain of keyed hashes and its retention (core/audit_chain.py). The key is
# not SECRET_KEY; production requires its own. Retention: never fewer than 180 days.
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default="")
AUDIT_CHAIN_HASH = env.str("AUDIT_CHAIN_HASH", default="sm3")
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=3 * 365)
# Months of audit partitions made ahead on PostgreSQL (core.audit_partitions), at most 24.
AUDIT_PARTITIONS_AHEAD = env.int("AUDIT_PARTITIONS_AHEAD", default=3)
AUDIT_ARCHIVE_DIR = Path(env.str("AUDIT_ARCHIVE_DIR", default=str(VAR_DIR / "audit-archive")))

CELERY_BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # An unacknowledged task (its worker died) is redelivered after the visibility timeout:
    # keep it above the longest task (the pilot report PDF takes minutes, not an hour).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        # How often a worker looks for such abandoned tasks (interval x throttle seconds).
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
        "socket_connect_timeout": 3,
        "socket_timeout": 10,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # fanout exchanges (worker remote control); kombu's default is ./control
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_RETRY = True  # a worker that loses the broker reconnects
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Publishing while the broker is down: a few quick tries, then the job goes to the outbox
# (zhuao.celery.OutboxTask) and the sweep republishes it once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0,
                                    "interval_step": 0.2, "interval_max": 0.5}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated API call then answers 401 with WWW-Authenticate.
        "core.auth.StaffTokenAuthentication",
        "core.auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["web.api.parsers.JSONParser",
                               "web.api.parsers.FormParser",
                               "web.api.parsers.MultiPartParser"],
    "DEFAULT_FILTER_BACKENDS": ["web.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "web.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "web.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "web.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_USER_RATE", default="6000/hour")},
}
def _enum_name_overrides() -> dict[str, str]:
    """One OpenAPI enum name per choices class of every app (``CasesCaseStatusEnum``…), so
    that fields called ``kind`` or ``status`` in different apps don't collide."""
    overrides = {}
    for app in ["core", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot"]:
        path = BASE_DIR / app / "models.py"
        if not path.exists():
            continue
        for name in re.findall(r"^class (\w+)\((?:models\.)?(?:TextChoices|IntegerChoices)\)",
                               path.read_text(encoding="utf-8"), re.M):
            overrides[f"{app.replace('core', 'zhuao').capitalize()}{name}Enum"] = f"{app}.models.{name}"
    return overrides


SPECTACULAR_SETTINGS = {
    "TITLE": "Zhuao API",
    "DESCRIPTION": "Zhuhai–Macau social-assistance pilot case management.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # the schema and its docs describe every endpoint and field: for signed-in users only
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": _enum_name_overrides(),
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "web.api.schema.document_queued_later"],
}

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None  # guardian: no anonymous object permissions

# Content Security Policy (django-csp 4): same-origin only; no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Structured logs (zhuao.logs): JSON lines with ZHUAO_LOG_JSON=1 (production's default), a
# console line otherwise; every line of a request and of the tasks it queued has its id.
ZHUAO_LOG_JSON = env.bool("ZHUAO_LOG_JSON", default=False)
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
from zhuao.logs import logging_config  # noqa: E402

LOGGING = logging_config(json_lines=ZHUAO_LOG_JSON, level=LOG_LEVEL)
# Celery keeps the handlers above (its own would print plain text, without the request id).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Monitoring (core.monitoring): /metrics answers a bearer token equal to ZHUAO_METRICS_TOKEN
# or a client inside one of ZHUAO_METRICS_NETWORKS (CIDR); with neither, it answers 404.
ZHUAO_METRICS_TOKEN = env.str("ZHUAO_METRICS_TOKEN", default="")
ZHUAO_METRICS_NETWORKS = env.list("ZHUAO_METRICS_NETWORKS", default=[])

# Seconds after which the worker heartbeat counts as stale: /readyz is then not ready.
WORKER_HEARTBEAT_STALE_SECONDS = env.int("WORKER_HEARTBEAT_STALE_SECONDS", default=180)

ZHUAO_DEMO_PASSWORD = "Zhuao-Demo-2026"

# Possible duplicates of a person (cases.duplicates): weights of each agreeing field and the
# thresholds, as OpenCR/SanteDB configure theirs. A score at or above "possible" is shown before
# a new person is created and listed for the city bureau; a shared document number is certain.
ZHUAO_MATCH_WEIGHTS = {"name": 0.5, "date_of_birth": 0.3, "sex": 0.1, "district": 0.1}
ZHUAO_MATCH_THRESHOLDS = {"possible": 0.75, "name_similarity": 80}
