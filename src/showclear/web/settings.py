"""Django settings, all from the environment through :mod:`showclear.config`."""

from __future__ import annotations

import os
from pathlib import Path

from showclear import config
from showclear.web.database import django_database

DEBUG = os.environ.get("SHOWCLEAR_DEBUG") == "1"
SECRET_KEY = config.secret_key()
ALLOWED_HOSTS = [
    h for h in os.environ.get("SHOWCLEAR_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API's browsable docs from its own package (no CDN)
    "showclear.web.accounts",
    "showclear.web.floor",
    "showclear.web.api",
    "showclear.web.refusals",
    "showclear.web.hooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "showclear.web.csp.ContentSecurityPolicy",  # no inline script, nothing from elsewhere
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "showclear.web.request_size.RequestSizeLimits",  # before the CSRF check reads a form
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "showclear.web.floor.still.StateHeldStill",
    "showclear.web.not_recorded.NotRecordedAnswers503",  # "Not recorded" pages answer 503
]

ROOT_URLCONF = "showclear.web.urls"
WSGI_APPLICATION = "showclear.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
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

DATABASES = {"default": django_database(config.database_url())}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = config.data_dir() / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from the package; an empty root keeps it quiet
STATICFILES_DIRS = [Path(__file__).parent / "static"]
WHITENOISE_USE_FINDERS = True  # serve straight from the installed package: no collectstatic step

# Django's database sessions and ModelBackend, each signed-in request read with one plain query
# instead of one built by the ORM (showclear.web.accounts.lookups): same tables, same checks.
SESSION_ENGINE = "showclear.web.accounts.lookups"
AUTHENTICATION_BACKENDS = ["showclear.web.accounts.lookups.LoginBackend"]

# argon2 first: every new or changed password is hashed with it.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
# Served over HTTPS (``showclear serve --tls``, or behind a TLS proxy that says so with
# SHOWCLEAR_SECURE_COOKIES=1): the cookies never travel over plain HTTP. Not on plain loopback
# HTTP, where a browser would then never send them back.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = os.environ.get("SHOWCLEAR_SECURE_COOKIES") == "1"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Strict-Transport-Security on every answer served over HTTPS (``serve --tls``, ``--cert``, or a
# TLS proxy whose X-Forwarded-Proto gunicorn believes): a phone that has seen it asks only for
# HTTPS from this server for a year, so no one on the Wi-Fi can turn a later visit into plain
# HTTP. Never sent over plain HTTP (Django's SecurityMiddleware sends it only when the request
# is secure), where a browser would ignore it anyway. No includeSubDomains: the other names
# under a studio's domain are not Showclear's to promise. SHOWCLEAR_HSTS_SECONDS=0 turns it off.
SECURE_HSTS_SECONDS = int(os.environ.get("SHOWCLEAR_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False

# Throttles (wrong PINs, failed device tokens) must hold across every app process, so the
# cache lives in the database all processes share (created by ``migrate`` in showclear.web.setup).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "showclear_cache",
    }
}

# The API: failed device-token attempts allowed per client address per minute before 429
# (0: no limit). Counted in Django's cache (the shared database cache above).
SHOWCLEAR_API_AUTH_FAILURES_PER_MINUTE = int(
    os.environ.get("SHOWCLEAR_API_AUTH_FAILURES_PER_MINUTE", "10")
)
