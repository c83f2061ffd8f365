"""Django settings, driven by environment variables with safe development defaults.

Development (the default) runs on an embedded SQLite file under ``OVERSIGHT_HOME`` so that one
council laptop needs no server. Production is switched on with ``OVERSIGHT_ENV=production``,
which refuses to start without a real secret key and turns on every secure-cookie and HTTPS
setting that ``manage.py check --deploy`` asks for.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
OVERSIGHT_HOME = Path(os.environ.get("OVERSIGHT_HOME", Path.cwd() / "var")).resolve()
DATA_DIR = Path(os.environ.get("OVERSIGHT_DATA_DIR", OVERSIGHT_HOME / "data")).resolve()

ENVIRONMENT = os.environ.get("OVERSIGHT_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
# Debug only when asked for: a debug page shows settings (and DATABASE_URL) to whoever hits an error.
DEBUG = os.environ.get("OVERSIGHT_DEBUG", "0") == "1"

SECRET_KEY = os.environ.get("OVERSIGHT_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("OVERSIGHT_SECRET_KEY must be set in production.")
    # Development only: a fixed key is acceptable because nothing here is real data.
    SECRET_KEY = "dev-only-insecure-key-" + "x" * 40

if PRODUCTION and not os.environ.get("OVERSIGHT_ALLOWED_HOSTS"):
    raise ImproperlyConfigured("OVERSIGHT_ALLOWED_HOSTS must be set in production (the server's host names).")
ALLOWED_HOSTS = [h for h in os.environ.get("OVERSIGHT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("OVERSIGHT_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "oversight.accounts",
    "oversight.plans",
    "oversight.datasets",
    "oversight.performance",
    "oversight.risks",
    "oversight.reports",
    "oversight.ops",
    "oversight.governance",
    "oversight.pools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "oversight.accounts.scope.ProgrammeScopeMiddleware",  # the request's programme; no role there, 403
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "oversight.accounts.audit.AuditMiddleware",  # logs every file downloaded; asks why where the install wants it
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "oversight.accounts.backends.ProgrammeRoleBackend",  # Django's ModelBackend, roles per programme
]

ROOT_URLCONF = "oversight.config.urls"
WSGI_APPLICATION = "oversight.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    # The embedded default: one file under OVERSIGHT_HOME, created on first use.
    OVERSIGHT_HOME.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{OVERSIGHT_HOME / 'oversight.sqlite3'}"),
        # Keep a connection open per server thread for a minute (checked before reuse): opening one
        # costs PostgreSQL a process and a SCRAM handshake, ~36 ms a request here (docs/performance.md).
        conn_max_age=int(os.environ.get("OVERSIGHT_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many people on the embedded file at once (docs/performance.md "Load"): WAL lets pages be read
    # while someone saves; IMMEDIATE takes the write lock when a transaction starts, so two saves
    # queue (up to `timeout` seconds) instead of one failing with "database is locked". WAL needs
    # a local disk: OVERSIGHT_SQLITE_JOURNAL=DELETE for a file on a network share. synchronous
    # stays FULL (an acknowledged save survives a power cut); NORMAL trades that for ~7 ms a save.
    _journal = os.environ.get("OVERSIGHT_SQLITE_JOURNAL", "WAL")
    _sync = os.environ.get("OVERSIGHT_SQLITE_SYNCHRONOUS", "FULL")
    if _journal.upper() not in {"WAL", "DELETE", "TRUNCATE", "PERSIST"} or _sync.upper() not in {"FULL", "NORMAL",
                                                                                                   "EXTRA"}:
        raise ImproperlyConfigured("OVERSIGHT_SQLITE_JOURNAL must be WAL or DELETE (TRUNCATE, PERSIST), "
                                   "OVERSIGHT_SQLITE_SYNCHRONOUS FULL, NORMAL or EXTRA.")
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "init_command": f"PRAGMA journal_mode={_journal}; PRAGMA synchronous={_sync}",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (Annex A uploads, indicator runs): django-tasks with its database backend, so
# the queue lives in the same database (SQLite or PostgreSQL) and needs no broker. A worker runs
# them: ``oversight db_worker`` (``oversight serve`` runs one in a thread). docs/operations.md.
TASKS = {"default": {"BACKEND": os.environ.get("OVERSIGHT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = OVERSIGHT_HOME / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = OVERSIGHT_HOME / "media"
# Static files are served by WhiteNoise from the installed package, even on one laptop (no
# collectstatic needed: it finds them where the apps keep them), compressed and cacheable.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "login"

# Uploads of Annex A workbooks can be tens of MB; keep them on disk, not in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Hostile files: the largest file accepted (the other limits: oversight.engine.limits, read from
# the environment or a setting of the same name), enforced while the body is read.
OVERSIGHT_MAX_UPLOAD_MB = int(os.environ.get("OVERSIGHT_MAX_UPLOAD_MB", "100"))
# The council this install serves (DfE LA code, ONS code or name, e.g. "202" or "Camden"): every
# dataset loaded is stamped with it, so pooled data and benchmarks know whose it is. Checked at start-up.
OVERSIGHT_COUNCIL = os.environ.get("OVERSIGHT_COUNCIL", "").strip()
FILE_UPLOAD_HANDLERS = [
    "oversight.config.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Security headers on in every environment; cookie/HTTPS hardening in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("OVERSIGHT_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("OVERSIGHT_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}

AXES_FAILURE_LIMIT = int(os.environ.get("OVERSIGHT_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
# Lock the account, not the address: behind a council's reverse proxy one address is the whole
# council. An address is refused only when many different accounts fail from it
# (``accounts.throttle``). Reset: ``oversight axes_reset_username NAME``.
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns that username-only lockout lets an attacker rotate user agents; that holds for
# address-based lockout, not for an account lock (the username cannot be rotated).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
OVERSIGHT_LOGIN_ADDRESS_ACCOUNTS = int(os.environ.get("OVERSIGHT_LOGIN_ADDRESS_ACCOUNTS", "20"))

# Reports marked for publication replace counts below this (1–4 by default) with "[c]".
OVERSIGHT_SUPPRESS_BELOW = int(os.environ.get("OVERSIGHT_SUPPRESS_BELOW", "5"))

# Ask people for a reason (a short form, written to the audit log) before showing child-level rows.
OVERSIGHT_ASK_REASON_FOR_CHILD_DATA = os.environ.get("OVERSIGHT_ASK_REASON_FOR_CHILD_DATA", "") in ("1", "true", "yes")

# Reminder e-mails (``oversight remind``): printed to the console unless SMTP is configured
# (OVERSIGHT_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend plus EMAIL_HOST/PORT/…).
EMAIL_BACKEND = os.environ.get("OVERSIGHT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("OVERSIGHT_FROM_EMAIL", "oversight@localhost")
OVERSIGHT_REMIND_DUE_DAYS = int(os.environ.get("OVERSIGHT_REMIND_DUE_DAYS", "14"))
OVERSIGHT_REMIND_STALE_WEEKS = int(os.environ.get("OVERSIGHT_REMIND_STALE_WEEKS", "6"))
OVERSIGHT_REMIND_ESCALATE_DAYS = int(os.environ.get("OVERSIGHT_REMIND_ESCALATE_DAYS", "28"))
OVERSIGHT_REMIND_PACK_DAYS = int(os.environ.get("OVERSIGHT_REMIND_PACK_DAYS", "5"))  # board pack approval due
# The address people open Oversight at, for the links in reminder e-mails.
OVERSIGHT_BASE_URL = os.environ.get("OVERSIGHT_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"oversight": {"handlers": ["console"], "level": os.environ.get("OVERSIGHT_LOG_LEVEL", "INFO")}},
}

# --- Sign-on (issue 10: council single sign-on and TOTP two-factor; owner: accounts/oidc.py,
# accounts/twofactor.py; docs/operations.md "Single sign-on") ----------------------------------
# OpenID Connect (Microsoft Entra ID or any standard provider) is off unless a client id is
# given. Endpoints come from OVERSIGHT_OIDC_ISSUER's discovery document, read on first use (so a
# provider that is down never stops the service or local sign-in), or are given one by one.
OVERSIGHT_OIDC_ENABLED = bool(os.environ.get("OVERSIGHT_OIDC_CLIENT_ID"))
OVERSIGHT_OIDC_ISSUER = os.environ.get("OVERSIGHT_OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("OVERSIGHT_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OVERSIGHT_OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("OVERSIGHT_OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = os.environ.get("OVERSIGHT_OIDC_SIGN_ALGO", "RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OVERSIGHT_OIDC_AUTHORIZATION_ENDPOINT") or None
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OVERSIGHT_OIDC_TOKEN_ENDPOINT") or None
OIDC_OP_USER_ENDPOINT = os.environ.get("OVERSIGHT_OIDC_USERINFO_ENDPOINT") or None
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OVERSIGHT_OIDC_JWKS_ENDPOINT") or None
# Which claim names the Oversight account ("preferred_username" is the UPN in Entra ID).
OVERSIGHT_OIDC_USERNAME_CLAIM = os.environ.get("OVERSIGHT_OIDC_USERNAME_CLAIM", "preferred_username")
# Entra app role values (``roles`` claim) or group object ids (``groups`` claim) -> Oversight
# role(s). A person none of whose claims is mapped is refused (accounts/oidc.py says why).
try:
    OVERSIGHT_OIDC_ROLE_MAP = json.loads(os.environ.get("OVERSIGHT_OIDC_ROLE_MAP", "{}"))
except json.JSONDecodeError as exc:
    raise ImproperlyConfigured(f"OVERSIGHT_OIDC_ROLE_MAP is not valid JSON: {exc}") from exc
# Roles are per programme: a mapped role ("Analyst") is held in each programme named here (slugs,
# comma-separated), or council-wide when empty; a map value "demo:Analyst" names its programme itself.
OVERSIGHT_OIDC_PROGRAMMES = [p.strip() for p in os.environ.get("OVERSIGHT_OIDC_PROGRAMMES", "").split(",") if p.strip()]
if OVERSIGHT_OIDC_ENABLED:
    if not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured("OVERSIGHT_OIDC_CLIENT_SECRET must be set when OVERSIGHT_OIDC_CLIENT_ID is.")
    if not OVERSIGHT_OIDC_ISSUER and not (OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT
                                          and OIDC_OP_JWKS_ENDPOINT):
        raise ImproperlyConfigured("Single sign-on needs OVERSIGHT_OIDC_ISSUER, or the authorization, token and "
                                   "JWKS endpoints (OVERSIGHT_OIDC_*_ENDPOINT).")
    if not OVERSIGHT_OIDC_ROLE_MAP:
        raise ImproperlyConfigured("OVERSIGHT_OIDC_ROLE_MAP must map at least one app role or group to a role.")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = int(os.environ.get("OVERSIGHT_OIDC_TIMEOUT", "10"))
OIDC_CREATE_USER = True
OIDC_AUTHENTICATE_CLASS = "oversight.accounts.oidc.SignOnStartView"
OIDC_CALLBACK_CLASS = "oversight.accounts.oidc.SignOnCallbackView"
# After the axes backend (which must stay first) and the password backend; idle when SSO is off.
AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "oversight.accounts.oidc.CouncilOIDCBackend"]

# TOTP two-factor for local accounts (django-otp). Optional for each person; required for the
# roles named here (comma-separated, e.g. "Programme manager,Team manager"). Single sign-on
# users are not asked: their council's provider does multi-factor.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp"]
_auth_mw = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE[_auth_mw + 1:_auth_mw + 1] = ["django_otp.middleware.OTPMiddleware",
                                         "oversight.accounts.twofactor.TwoFactorMiddleware"]
OVERSIGHT_TOTP_REQUIRED_ROLES = [r.strip() for r in os.environ.get("OVERSIGHT_TOTP_REQUIRED_ROLES", "").split(",")
                                 if r.strip()]
OTP_TOTP_ISSUER = os.environ.get("OVERSIGHT_TOTP_ISSUER", "Oversight")
# --- end of sign-on settings ------------------------------------------------------------------
