"""Settings for newsroom.

One module for every environment, read from environment variables (README.md, the
Configuration table). Each variable may be spelled DJANGO_NAME or NAME, and its setting
has the same NAME. With none set, the site refuses to start: DEBUG is off unless the
environment (or the `dev` script, for development) turns it on, and production needs its
secret key and host names. With DEBUG on and nothing else: SQLite, a file cache every
process shares, and mail printed to the console.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    """Read DJANGO_<name>, falling back to the bare <name>."""
    return os.environ.get(f"DJANGO_{name}", os.environ.get(name, default))


def env_bool(name, default):
    value = env(name, "")
    if value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "dev-only-secret-key-never-used-in-production-0123456789"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "testserver"]
else:
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DEBUG is off: set DJANGO_SECRET_KEY to a random value of 50 characters or more "
            "(or DJANGO_DEBUG=1 on a development machine; ./dev does it for you)."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DEBUG is off: set DJANGO_ALLOWED_HOSTS to the site's host names."
        )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_NAME = "sessionid"

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "reversion",
    "django_tasks",
    "newsroom.apps.JobsConfig",  # django_tasks_db, named in French
    "crispy_forms",
    "crispy_bootstrap5",
    "django_prose_editor",
    "newsroom.apps.NewsroomConfig",
    "articles",
    "comments",
    "letters",
    "dashboard",
    "archive",
    "django_prometheus",
]

MIDDLEWARE = [
    # /healthz, /readyz and /metrics, answered before the rest (newsroom/health.py).
    "newsroom.health.ProbeMiddleware",
    # One log line per request, with its id (X-Request-ID) passed on or made.
    "newsroom.logs.RequestLogMiddleware",
    # Requests by view and status, with their latency (django-prometheus), and the
    # database queries each made (newsroom/metrics.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "newsroom.metrics.QueryCountMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The old site's addresses (an imported WordPress archive): 301 to their new page.
    "archive.middleware.OldAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "newsroom.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "newsroom.staff.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.language_links",
            ],
            "libraries": {"newsroom": "newsroom.templatetags"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default: the web server and the job worker share the file. Readers never
    # wait on a writer (WAL), and a writer waits its turn rather than failing.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
# A PostgreSQL read replica for the pages every reader shares (newsroom/replica.py,
# docs/scaling.md): they read there, except for REPLICA_LAG_SECONDS after a change readers
# must see. Everything else reads and writes on the primary.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["newsroom.replica.ReplicaRouter"]
REPLICA_LAG_SECONDS = int(env("REPLICA_LAG_SECONDS", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The readings index carries its count column (INCLUDE) on PostgreSQL; SQLite, the embedded
# default, builds the same index without it, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

REDIS_URL = env("REDIS_URL")
REDIS_RETRY_SECONDS = int(env("REDIS_RETRY_SECONDS", "10"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.rediscache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "newsroom"),
            # A Redis that does not answer costs a page a fraction of a second, not a minute,
            # once: then it is skipped for REDIS_RETRY_SECONDS (newsroom/rediscache.py).
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    # Files on disk: every process (the server, a management command) sees the same
    # entries, so a change made by one is seen by the others at once.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("CACHE_DIR", str(BASE_DIR / ".cache")),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin logins: after 5 failures for one username from one address, that pair waits
# AXES_COOLOFF_MINUTES; other addresses, and the same person elsewhere, are not locked out.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Password spraying: an address that failed this many logins, over any accounts, is locked
# out for the same time (newsroom/lockout.py); only that address.
AXES_ADDRESS_FAILURE_LIMIT = int(env("AXES_ADDRESS_FAILURE_LIMIT", "15"))
AXES_HANDLER = "newsroom.lockout.AddressAwareHandler"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.http.client_network"
AXES_LOCKOUT_TEMPLATE = "errors/lockout.html"
AXES_VERBOSE = False
# The admin's address; change it to keep scanners away (it still needs a login).
ADMIN_URL = env("ADMIN_URL", "admin/").strip("/") + "/"
# Staff log in with a second factor (an authenticator app's code, or a recovery code): on
# in production, off in the demo so that ./dev serve stays one command.
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "Newsroom"
# A staff session ends after this long without a request, and a day after its login at most.
STAFF_SESSION_IDLE_MINUTES = int(env("STAFF_SESSION_IDLE_MINUTES", "60"))
STAFF_SESSION_MAX_HOURS = 24
# A deleted story waits this many days in the bin, restorable, before it goes for good.
STORY_BIN_DAYS = int(env("STORY_BIN_DAYS", "30"))
# Journalists edit (and unpublish) their own stories; editors, everyone's. On for a small
# team where everyone edits everything.
JOURNALISTS_EDIT_ALL = env_bool("JOURNALISTS_EDIT_ALL", False)
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsroom.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded images and their renditions: local disk, or an S3-compatible bucket that several
# app servers share (django-storages) when S3_BUCKET is set.
S3_BUCKET = env("S3_BUCKET")
if S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY_ID") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": env("S3_CUSTOM_DOMAIN") or None,
            "location": env("S3_LOCATION", "media"),
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        # Hashed names need a collectstatic run, which development skips.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Newsroom <redaction@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A mail server that hangs must not hold a reader's request for long.
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "5"))


# The story body's editor (django-prose-editor): the story's own extensions, in
# static/articles/prose.js. Figures placing an image of the story are the only markup they
# add to the stored body (articles.rendering.BODY_TAGS).
def _story_figure(config, allowed):
    allowed["tags"].add("figure")
    allowed["attributes"].setdefault("figure", set()).add("data-image")


DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("articles/prose.js")],
        "extensions": {"StoryImage": _story_figure, "WordProcessorPaste": lambda *_: None},
    }
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Headers on every response. Scripts only from our own files (no inline script); the
# admin's widgets set a few style attributes, hence inline styles are allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "report-uri": ["/csp-report/"],
    }
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Background jobs: Django's Tasks API (the django-tasks backport) with its database backend,
# run by `manage.py worker` (which ./dev serve starts): mail never goes from a web worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The periodic jobs, queued by the worker itself: job → every so many seconds.
TASK_SCHEDULE = {
    "newsroom.mail.send_mail": 60,  # what waited (a mail server that was down)
    "comments.services.digest.digest_job": 60,  # it waits COMMENT_DIGEST_MINUTES itself
    "comments.tasks.purge": 24 * 3600,
    "articles.tasks.purge_bin": 24 * 3600,
    "articles.tasks.fold_readings": 24 * 3600,
    "newsroom.tasks.prune_results": 24 * 3600,
}
TASK_SCHEDULE_CHECK_SECONDS = 15
# Nightly backups, kept BACKUP_KEEP_DAYS, when BACKUP_DIR is set (PostgreSQL: pg_dump).
BACKUP_DIR = env("BACKUP_DIR")
BACKUP_KEEP_DAYS = int(env("BACKUP_KEEP_DAYS", "14"))
if BACKUP_DIR:
    TASK_SCHEDULE["newsroom.tasks.backup"] = 24 * 3600

# A public form takes no file (newsroom/uploads.py); the admin's uploads go on to Django's.
FILE_UPLOAD_HANDLERS = [
    "newsroom.uploads.NoFilesOutsideTheAdmin",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Logs on standard output, one line a record: JSON in production (LOG_FORMAT=json, the
# default without DEBUG), text in development; email and IP addresses masked in both, and
# each record of a request carries its id (X-Request-ID). One line per request
# (newsroom.requests; runserver prints its own in development) and per business event
# (newsroom.events). newsroom/logs.py.
LOG_FORMAT = env("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "one_line": {"()": "newsroom.logs.OneLineClientErrors"},
        "request_id": {"()": "newsroom.logs.RequestIdFilter"},
    },
    "formatters": {
        "json": {"()": "newsroom.logs.JsonFormatter"},
        "text": {
            "()": "newsroom.logs.TextFormatter",
            "format": "%(levelname)s %(name)s: %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["one_line", "request_id"],
            "formatter": LOG_FORMAT if LOG_FORMAT in ("json", "text") else "json",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Django's own handlers for its logger would print a refused request's traceback in
    # development: its records go through ours alone.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "newsroom.requests": {"level": "WARNING" if DEBUG else "INFO"},
    },
}
# Where a login lands when the page asked for is not one of ours.
LOGIN_REDIRECT_URL = "/" + ADMIN_URL
# Who to write to about a security problem (/.well-known/security.txt).
SECURITY_CONTACT = env("SECURITY_CONTACT", "mailto:securite@newsroom.example")

PAGE_SIZE = 12
# "Sujets les + lus" and "les + commentés": their windows (days), and how long these lists,
# the tag menu and list counts are cached at most (s): readings, and scheduled stories going
# live, change them without any write.
MOST_READ_DAYS = int(env("MOST_READ_DAYS", "7"))
MOST_COMMENTED_DAYS = int(env("MOST_COMMENTED_DAYS", "30"))
RANKING_CACHE_SECONDS = int(env("RANKING_CACHE_SECONDS", "60"))
# Anonymous pages are served whole from the cache for this long (0: off). Any public change
# moves the site version their keys carry (newsroom/cache.py), so none is served stale.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "60"))
# The cookie that remembers which comments this browser sent (no account needed).
COMMENT_OWN_COOKIE = "own_comments"
# A request carrying one of these gets a page of its own, never the shared cached one
# ("messages" is the cookie of Django's message storage).
PERSONAL_COOKIES = (SESSION_COOKIE_NAME, "messages", COMMENT_OWN_COOKIE)
# The benchmark's ceiling view (bench/run.py, newsroom/ceiling.py): the template file it
# serves; off unless set.
BENCH_CEILING_TEMPLATE = env("BENCH_CEILING_TEMPLATE")
# The site's public address, for links in mail.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Comments: at most this many accepted submissions per client address per window (seconds).
COMMENT_RATE_LIMIT = int(env("COMMENT_RATE_LIMIT", "5"))
COMMENT_RATE_WINDOW = int(env("COMMENT_RATE_WINDOW", "600"))
# Client addresses the rate limit does not apply to (the benchmark's own, for instance).
COMMENT_RATE_LIMIT_EXEMPT = env_list("COMMENT_RATE_LIMIT_EXEMPT")
# A form sent back faster than this (seconds) was not filled by a person; older ones are stale.
COMMENT_MIN_SECONDS = 3
COMMENT_FORM_MAX_AGE = 24 * 3600
# Moderators get one digest of the waiting comments at most this often (minutes), and a
# comment waiting longer than COMMENT_MODERATION_TARGET (hours) stands out in the queue.
COMMENT_DIGEST_MINUTES = int(env("COMMENT_DIGEST_MINUTES", "5"))
COMMENT_MODERATION_TARGET = int(env("COMMENT_MODERATION_TARGET", "4"))
# A published comment reported by this many different readers goes back to the queue.
COMMENT_FLAG_THRESHOLD = int(env("COMMENT_FLAG_THRESHOLD", "3"))
# Rejected and spam comments are deleted, and address hashes dropped, after this many days.
COMMENT_RETENTION_DAYS = int(env("COMMENT_RETENTION_DAYS", "90"))

# Archive imports (manage.py import_wordpress, import_disqus): how long one image of the old
# site may take to arrive, and whether addresses of this machine's networks may be fetched
# (off: an export could otherwise make the server read its own network).
IMPORT_FETCH_TIMEOUT = int(env("IMPORT_FETCH_TIMEOUT", "10"))
IMPORT_FETCH_PRIVATE = env_bool("IMPORT_FETCH_PRIVATE", False)

# /metrics (Prometheus's format) answers only requests with "Authorization: Bearer <token>";
# without a token it is off (a 404). Under gunicorn, PROMETHEUS_MULTIPROC_DIR (set by
# gunicorn.conf.py) sums the workers' counters.
METRICS_TOKEN = env("METRICS_TOKEN")

# Errors to Sentry (or a service that takes its DSN), personal data scrubbed
# (newsroom/sentry.py); off without a DSN.
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    from newsroom.sentry import init as init_sentry

    init_sentry(SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", "production"))

# The story editor keeps what a journalist types every so many seconds (and when they
# leave the page), for them to restore after a closed tab or a crash.
AUTOSAVE_SECONDS = int(env("AUTOSAVE_SECONDS", "30"))
