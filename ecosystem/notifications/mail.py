"""An e-mail backend that writes each message to its own file in a directory.

For the integration tests (a real worker process, counted from outside) and for local
inspection: ``EMAIL_BACKEND = "ecosystem.notifications.mail.DirectoryEmailBackend"`` with
``NOTIFICATIONS_MAIL_DIR`` (setting or environment variable). ``NOTIFICATIONS_MAIL_DELAY``
(seconds) makes every send slow, so a test can kill a worker in the middle of one. A file
appears atomically (written, then renamed) only once the "send" completed.
"""

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class DirectoryEmailBackend(BaseEmailBackend):
    def __init__(self, *args, directory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(
            directory
            or getattr(settings, "NOTIFICATIONS_MAIL_DIR", None)
            or os.environ.get("NOTIFICATIONS_MAIL_DIR", "")
            or Path(settings.BASE_DIR) / "sent-mail"
        )
        self.delay = float(os.environ.get("NOTIFICATIONS_MAIL_DELAY", "0") or 0)

    def send_messages(self, email_messages):
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if self.delay:
                time.sleep(self.delay)
            name = f"{time.time_ns()}-{uuid.uuid4().hex}"
            partial = self.directory / f".{name}.tmp"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(self.directory / f"{name}.eml")
            sent += 1
        return sent
