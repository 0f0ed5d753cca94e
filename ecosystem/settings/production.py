"""Production: passes `manage.py check --deploy --fail-level WARNING` with no warning.

SECRET_KEY and ALLOWED_HOSTS have no default here: the process refuses to start without them.
The portal sits behind a TLS-terminating proxy that sets X-Forwarded-Proto.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import STORAGES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Every absolute link the portal writes (e-mails, iCal and RSS feeds, JSON-LD, OCDS, open data)
# starts with SITE_URL. A feed pointing at the development address would send readers nowhere,
# so production refuses to start without the real public https address.
SITE_URL = env("SITE_URL").rstrip("/")
if urlsplit(SITE_URL).scheme != "https" or urlsplit(SITE_URL).hostname in {
        None, "127.0.0.1", "localhost", "0.0.0.0", "::1"}:
    raise ImproperlyConfigured(
        f"SITE_URL must be the portal's public https address (e.g. https://portal.example.org), "
        f"not {SITE_URL!r}: it is the base of every link in e-mails, feeds and open data.")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Probes of the container's health check speak plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "__Host-sessionid"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Static files are content-hashed by the manifest storage: browsers may keep them a year.
WHITENOISE_MAX_AGE = 31536000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # A forged Host header is noise, not an incident.
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}
