"""Settings of the real worker process started by test_integration.py: the test database
(DATABASE_URL), a private Redis (REDIS_URL) and e-mails written as files to count them."""

from ecosystem.settings.base import *  # noqa: F401,F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "ecosystem.notifications.mail.DirectoryEmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Restore messages of a killed worker quickly (the test sets a short visibility timeout).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
