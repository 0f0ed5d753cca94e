"""The test suite. Uses DATABASE_URL/REDIS_URL when given (CI: PostgreSQL and Redis)."""

from .base import *  # noqa: F401,F403
from .base import REST_FRAMEWORK

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks in-process unless a test starts a real worker itself.
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        scope: "10000/min" for scope in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    },
}
ACCOUNT_RATE_LIMITS = False
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private-media"  # noqa: F405
# Static files straight from the finders (no collectstatic), also for the browser tests' live server.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
