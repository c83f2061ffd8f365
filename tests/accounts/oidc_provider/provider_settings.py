"""Settings of a tiny, real OpenID Connect provider (django-oidc-provider) for the sign-on tests.

It plays the council's Microsoft Entra ID: its own Django project, its own SQLite file, served
by waitress in a subprocess on a free loopback port (``run.py``). Its cookies have their own
names because browsers do not keep cookies apart by port.
"""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
PORT = int(os.environ["PROVIDER_PORT"])
SITE_URL = f"http://127.0.0.1:{PORT}"
SECRET_KEY = "test-provider-only-" + "y" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "provider_urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [HERE / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": ["django.template.context_processors.request",
                                       "django.contrib.auth.context_processors.auth"]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PROVIDER_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
LOGIN_URL = "/accounts/login/"
SESSION_COOKIE_NAME = "provider_session"
CSRF_COOKIE_NAME = "provider_csrftoken"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # test speed only

# Like Entra ID: the ID token carries the claims (name, e-mail, app roles, groups).
OIDC_IDTOKEN_INCLUDE_CLAIMS = True
OIDC_USERINFO = "provider_claims.userinfo"
OIDC_IDTOKEN_PROCESSING_HOOK = "provider_claims.entra_like_claims"
