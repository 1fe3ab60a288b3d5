"""Settings shared by every environment, read from environment variables.

Safe by default: DEBUG is off, no secret key, no allowed host. `dev` and `test` fill in
embedded defaults; `production` refuses to start without its required variables.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

SITE_DIR = Path(__file__).resolve().parents[2]  # site/
BASE_DIR = SITE_DIR.parent  # project root


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Keys the HMAC of carnet codes; falls back to SECRET_KEY. Rotating it invalidates every code.
CARNET_CODE_KEY = os.environ.get("CARNET_CODE_KEY", "")
# Encrypts the structures' attestation signing keys at rest (learners/attestations/keys.py);
# falls back to SECRET_KEY. Losing it loses the keys: new keys are made, old credentials
# still verify (their public keys are stored in clear).
ATTESTATION_KEYS_SECRET = os.environ.get("ATTESTATION_KEYS_SECRET", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "health",
    "workshops",
    "learners",
    "agenda",
    "opendata",
    "api",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "import_export",
    # Serves the API documentation page's Swagger UI from its own static files (no CDN).
    "ninja",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]
# Logins, two-factor sign-in and security headers (README "Logins, 2FA and headers").
# `accounts` first: its templates replace Wagtail's inline-script ones (CSP).
INSTALLED_APPS.insert(0, "accounts")
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp"]
INSTALLED_APPS += ["django_otp.plugins.otp_static"]

MIDDLEWARE = [
    # First: answers load balancers before host checks and HTTPS redirects.
    "health.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Shared caches' headers (public or private, ETag, 304): sees every final answer.
    "caching.front.FrontCacheMiddleware",
    # Anonymous full-page cache: before the session, so a hit touches neither it nor the DB.
    "caching.pages.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The CSRF cookie's path narrowed to the pages with forms (caching/cookies.py).
    "caching.cookies.CsrfCookieScopeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]
# Security headers on every answer, cache hits included (so outside the page cache).
MIDDLEWARE.insert(
    MIDDLEWARE.index("caching.front.FrontCacheMiddleware"),
    "accounts.middleware.ContentSecurityPolicyMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("caching.front.FrontCacheMiddleware"),
    "django_permissions_policy.PermissionsPolicyMiddleware",
)
# Second factor: django-otp marks the verified session, ours asks for it on /admin/.
_AUTH = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE[_AUTH + 1 : _AUTH + 1] = [
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.AdminTwoFactorMiddleware",
]
# Failed-login throttling (django-axes): last, as its documentation asks.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            # Django's i18n tags, a constant `{% translate %}` remembered (common/template_i18n.py).
            "libraries": {"i18n": "common.template_i18n"},
        },
    },
]
# That `i18n` deliberately shadows Django's, which Django's check warns about (W003);
# tests/common/test_template_i18n.py fails on any other shadowed tag library.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "caching.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pasapas",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-axes must see every authentication attempt first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French for people. Message ids are written in French: it is the only interface language.
LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [SITE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Django serves MEDIA_URL itself only in the embedded default (dev settings, home/media.py);
# elsewhere the reverse proxy does (deploy/nginx/pasapas.conf).
SERVE_MEDIA = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# E-mail: console unless an SMTP host is given.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Pas à pas <ne-pas-repondre@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A slow or silent mail server must not hold a worker forever (seconds).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# Folder of the file-based backend (EMAIL_BACKEND=django.core.mail.backends.filebased...).
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]

# SMS (common/sms, README « SMS »): printed on the console unless a backend is named.
# Production names a provider (common.sms.backends.brevo.SmsBackend, SMS_API_KEY); the
# file-based backend writes one file per message in SMS_FILE_PATH.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "common.sms.backends.console.SmsBackend")
# Shown instead of a number on the phone: 3 to 11 letters or digits, beginning with a letter.
SMS_SENDER = os.environ.get("SMS_SENDER", "PasAPas")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", "")
SMS_API_URL = os.environ.get("SMS_API_URL", "https://api.brevo.com/v3/transactionalSMS/send")

# --- Open data (opendata/, README « Venues in the national standard ») ---
# The producer named in the open files (`source` column, file names) and the territory they
# cover (file names, slugified): « 2026-12-06_pas-a-pas_lieux-de-mediation-numerique_vendee.csv ».
OPEN_DATA_PRODUCER = os.environ.get("OPEN_DATA_PRODUCER", "Pas à pas")
OPEN_DATA_TERRITORY = os.environ.get("OPEN_DATA_TERRITORY", "France")
SMS_API_KEY = os.environ.get("SMS_API_KEY", "")
SMS_TIMEOUT = int(os.environ.get("SMS_TIMEOUT", "10"))

# Celery: with no broker configured, tasks run in-process (embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # In-process tasks never reach a broker; naming the in-memory one keeps kombu from
    # warning that no host was given.
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
# A killed worker's task comes back (README, "Background jobs after a crash"): acknowledged
# only once done, one message reserved at a time, requeued if the worker process is lost,
# and with Redis, an unacknowledged message is handed out again after `visibility_timeout`
# seconds (Redis's default is one hour). Every task must end well before that, or Redis
# would hand it to a second worker while the first still runs: hard and soft time limits
# below it (prefork pool), and long jobs split into pieces (reminders and digests stop
# after JOBS_SEND_BUDGET_SECONDS and queue the rest; statistics one task per snapshot).
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "600"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # kombu looks for overdue messages every 10 s but scans only every 10th time by default
    # (a 100 s delay on top of the timeout); a scan is one ZRANGE: every time.
    "unacked_restore_throttle": 1,
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = CELERY_VISIBILITY_TIMEOUT * 3 // 5  # 360 s: the process is killed
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_VISIBILITY_TIMEOUT // 2  # 300 s: SoftTimeLimitExceeded
JOBS_SEND_BUDGET_SECONDS = int(
    os.environ.get("JOBS_SEND_BUDGET_SECONDS", str(CELERY_VISIBILITY_TIMEOUT // 5))
)  # 120 s of sending, then the rest goes to a follow-up task
# Celery closes the database connection before and after every task unless this is set
# (a new PostgreSQL connection per sign-up notice); celery_app.py closes it instead when
# unusable or older than CONN_MAX_AGE, as Django does around a request.
CELERY_DB_REUSE_MAX = int(os.environ.get("CELERY_DB_REUSE_MAX", "1000"))
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}
# Jobs of the tracking app (learners/tasks.py; each also has a management command).
CELERY_BEAT_SCHEDULE["learners-retention"] = {  # anonymise the inactive, purge old logs
    "task": "learners.retention_run",
    "schedule": crontab(hour=3, minute=30),
}
CELERY_BEAT_SCHEDULE["learners-reminders"] = {  # reminders for tomorrow's sessions
    "task": "learners.reminders_send",
    "schedule": crontab(hour=10, minute=0),
}
CELERY_BEAT_SCHEDULE["learners-weekly-digest"] = {  # counsellors' week ahead, Monday 7:00
    "task": "learners.weekly_digest_send",
    "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
}
CELERY_BEAT_SCHEDULE["learners-statistics"] = {  # pre-computed network statistics
    "task": "learners.statistics_refresh",
    "schedule": crontab(hour=2, minute=15),
}
CELERY_BEAT_SCHEDULE["learners-booking-offers"] = {  # freed places offered to the next person
    "task": "learners.booking_offers_expire",
    "schedule": crontab(minute="*/10"),
}
CELERY_BEAT_SCHEDULE["learners-structure-links"] = {  # dashboards' copies kept in step
    "task": "learners.structure_links_refresh",
    "schedule": crontab(hour=2, minute=45),
}
# The read API's removals (api/tasks.py): kept API_TOMBSTONE_RETENTION_DAYS, then forgotten.
CELERY_BEAT_SCHEDULE["api-tombstones-purge"] = {
    "task": "api.tombstones_purge",
    "schedule": crontab(hour=4, minute=10),
}
# The public agenda's clock (agenda/clock.py): a started session leaves the cached lists.
CELERY_BEAT_SCHEDULE["agenda-clock"] = {
    "task": "agenda.clock_tick",
    "schedule": crontab(minute="*"),
}

# Public sign-ups (learners/services/bookings.py, agenda/views/signup.py): live upcoming
# sign-ups per phone or e-mail (a cycle counts once), and the rate limits of the public forms
# (« 20/h »: count per period, counted in the default cache, agenda/limits.py) per client
# address and per contact.
AGENDA_SIGNUP_LIMITS = {
    "live_groups_per_contact": int(os.environ.get("AGENDA_SIGNUP_MAX_PER_CONTACT", "6")),
    "per_address": os.environ.get("AGENDA_SIGNUP_RATE_PER_ADDRESS", "20/h"),
    "per_contact": os.environ.get("AGENDA_SIGNUP_RATE_PER_CONTACT", "6/h"),
}

# Statistics dashboard (learners/statistics): figures about people below this threshold are
# published as "< 5" (small-cell suppression); see learners.statistics.snapshots for the
# pre-computation settings (STATS_SNAPSHOT_YEARS, STATS_SNAPSHOT_COMMUNE_MIN_PEOPLE,
# STATS_SNAPSHOT_MAX_AGE_HOURS, STATS_LIVE_MAX_ROWS), which have defaults.
STATS_SUPPRESSION_THRESHOLD = int(os.environ.get("STATS_SUPPRESSION_THRESHOLD", "5"))

# Wagtail 8 runs its own background work (reference index, image clean-up) on django-tasks.
# Those jobs are small: they run in-process, so only Celery needs a worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Public pages served to anonymous visitors from the cache for this many seconds, 0 to turn
# it off (caching/pages.py; invalidated on every publication; README « Caching »).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Shared caches in front of the site (the reverse proxy, a CDN: caching/front.py, README
# « Front cache: the reverse proxy and a CDN »). Public pages may be kept S_MAXAGE seconds,
# then served stale for STALE_SECONDS more while one request refreshes them: a change is
# visible through the proxy within S_MAXAGE + STALE_SECONDS, plus up to 1 s because nginx
# counts cache times in whole seconds (2 + 2 + 1 = 5 s). Browsers revalidate
# every time (MAX_AGE 0), answered 304 by the proxy or, cheaply, by the app (ETag).
# S_MAXAGE 0 turns the public headers off (personal answers still get private, no-store).
FRONT_CACHE_MAX_AGE = int(os.environ.get("FRONT_CACHE_MAX_AGE", "0"))
FRONT_CACHE_S_MAXAGE = int(os.environ.get("FRONT_CACHE_S_MAXAGE", "2"))
FRONT_CACHE_STALE_SECONDS = int(os.environ.get("FRONT_CACHE_STALE_SECONDS", "2"))
# An ETag lasts at most this long (what changes with time alone, like page cache entries).
FRONT_CACHE_TAG_SECONDS = PAGE_CACHE_SECONDS or 300
# The deployed code's identity in every ETag (e.g. the commit); empty: the code's newest
# modification time, read once per process (caching.front.release).
FRONT_CACHE_RELEASE = os.environ.get("PASAPAS_RELEASE", "")
# Guides kept offline (home/offline.py): a kept guide is shown when the network has not
# answered a page request within this time (a weak signal), in milliseconds.
OFFLINE_NETWORK_TIMEOUT_MS = int(os.environ.get("OFFLINE_NETWORK_TIMEOUT_MS", "4000"))
# Cookies that make a request personal besides the session (caching/personal.py): never a
# public answer, never the page cache. The carnet's are set by learners/views/carnet.py.
PERSONAL_COOKIES = ("messages", "carnet", "carnet_agenda", "carnet_attente")
# Paths always answered private, no-store: the admin, the carnet, the sign-up links.
FRONT_CACHE_PRIVATE_PATHS = ("/admin/", "/carnet/", "/pres-de-chez-vous/inscription/")
# The CSRF cookie is sent back only where a form needs it (caching/cookies.py): the first
# pattern matching the path gives the cookie's path; elsewhere CSRF_COOKIE_PATH ("/").
CSRF_COOKIE_SCOPES = (
    r"^/admin/",
    r"^/carnet/",
    r"^/pres-de-chez-vous/seances/\d+/",
    r"^/pres-de-chez-vous/inscription/[^/]+/",
    r"^/pres-de-chez-vous/lieux/\d+/rendez-vous/",
    r"^/attestations/",  # the verification form
)
# Rendered fragments of published guides and ateliers (any visitor, logged in or not), keyed
# by page state and publication version, so never stale; 0 to turn off.
RENDER_CACHE_SECONDS = int(os.environ.get("RENDER_CACHE_SECONDS", "3600"))
# Warm workers (home/warmup.py, started by deploy/gunicorn.conf.py): at boot and after each
# publication, every web worker renders the home page, the indexes, the agenda and this
# many most-read guides itself; 0 turns warming off. The publication version is read every
# WARM_UP_POLL_SECONDS by each worker.
WARM_UP_GUIDES = int(os.environ.get("WARM_UP_GUIDES", "10"))
WARM_UP_POLL_SECONDS = float(os.environ.get("WARM_UP_POLL_SECONDS", "1"))
# The admin sidebar kept per user and process for this many seconds (caching/sidebar.py),
# 0 to build it on every page.
ADMIN_SIDEBAR_SECONDS = int(os.environ.get("ADMIN_SIDEBAR_SECONDS", "300"))
# Spreadsheet exports are built during the request: beyond this many rows (about 30 s of
# work) the user is asked for a shorter period or a narrower search instead.
EXPORT_MAX_ROWS = int(os.environ.get("EXPORT_MAX_ROWS", "100000"))

# Privacy (RGPD). People with no activity for RETENTION_MONTHS are anonymised by the daily
# retention job; audit log rows are deleted after AUDIT_RETENTION_MONTHS (CNIL: 6 months to
# a year for access logs; a year lets a person learn who saw their record over the whole
# time it is kept). The controller and DPO are shown on the processing register page.
RETENTION_MONTHS = int(os.environ.get("RETENTION_MONTHS", "12"))
AUDIT_RETENTION_MONTHS = int(os.environ.get("AUDIT_RETENTION_MONTHS", "12"))
if RETENTION_MONTHS < 1 or AUDIT_RETENTION_MONTHS < 1:
    raise ValueError("RETENTION_MONTHS and AUDIT_RETENTION_MONTHS must be at least 1.")
PRIVACY_CONTROLLER = os.environ.get(
    "PRIVACY_CONTROLLER",
    "À renseigner : nom et adresse de la structure responsable du traitement",
)
PRIVACY_DPO_CONTACT = os.environ.get(
    "PRIVACY_DPO_CONTACT",
    "À renseigner : adresse électronique ou postale du délégué à la protection des données",
)

WAGTAIL_SITE_NAME = "Pas à pas"
# Public base URL. When empty, the printed carnet card builds its address from the request,
# and links sent without a request (e-mails) use the local address `bin/run` serves on.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
# Carnet: cards printed before codes had 16 symbols carry 10; turn off once all are replaced.
CARNET_ACCEPT_LEGACY_CODES = env_bool("CARNET_ACCEPT_LEGACY_CODES", True)
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILEMBEDS_FINDERS: list = []  # no oEmbed: nothing is fetched from the internet
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "ods", "xlsx", "csv", "txt", "png", "jpg"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# 25 megapixels: guides show phone screenshots (about 3 MP), computer screenshots (4K: 8 MP)
# and photos (12 MP; an iPhone's default 24 MP); decoding 25 MP takes at most 100 MB, where
# a 4.9 KB PNG of 6300 x 6300 (40 MP) took a worker from 150 to 500 MB. Also Pillow's own
# bomb limit (WorkshopsConfig.ready). Every upload form checks files with workshops.images.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 25_000_000
WAGTAILIMAGES_IMAGE_FORM_BASE = "workshops.images.ImageForm"
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Wagtail's database backend; on SQLite it also stems French (common/search_backend.py)
        "BACKEND": "common.search_backend",
        "SEARCH_CONFIG": "french_unaccent",  # used on PostgreSQL only; see home migration 0003
    }
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Logins, two-factor sign-in, security headers (accounts/; README section) ---
# Failed logins (django-axes): locked after AXES_FAILURE_LIMIT failures on one account
# (from anywhere) OR from one address (on any account), for AXES_COOLOFF_MINUTES. The
# address is the one common.clients reads behind the local reverse proxy.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "common.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"  # French page, accounts/lockout.html
# Not reset by a success: with its own account, an insider could otherwise clear the
# address's count every 4 guesses at someone else's password.
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Wagtail's login form labels its password field from the field name ("Password"), outside
# gettext: ours gives French labels.
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.LoginForm"
# Two-factor sign-in (django-otp): required for coordinators before they use the admin,
# optional for everyone else (accounts/middleware.py).
ADMIN_2FA_REQUIRED_FOR_COORDINATORS = True
OTP_TOTP_ISSUER = "Pas à pas"
# Content-Security-Policy (django-csp 4). Public pages: nothing inline but the text-size
# script of base.html, allowed by its hash (a hash, not a nonce: anonymous pages are served
# from the page cache, and a cached nonce would be the same for every visitor). The admin
# gets CSP_ADMIN_OVERRIDES (accounts/middleware.py). Nothing is loaded from other hosts.
CSP_TEXT_SCALE_SCRIPT_HASH = "'sha256-kVMpAlKvPwXWFRhEsu3LGKN5hBlLQhHFiTdXF6RJLJg='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", CSP_TEXT_SCALE_SCRIPT_HASH],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The service worker (/sw.js) and the web app manifest, from this site only.
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The Wagtail admin (and its previews) writes inline styles and style attributes and
# frames its own previews; its scripts are files, so 'unsafe-inline' stays out of scripts.
CSP_ADMIN_OVERRIDES = {
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# Browser features nobody here needs, off for every page (django-permissions-policy).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # One line per Wagtail background task is noise, not information.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}
# django-axes: one warning per failed login and lock-out (names masked), no INFO chatter.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}
