"""What must hold with a real Redis and a real worker process (issue 3).

Each test starts its own ``redis-server`` on a free port (never the machine's Redis) and a
``celery -A ecosystem worker`` subprocess on the test database; e-mails are written as files
by ``DirectoryEmailBackend`` so they can be counted from here. PostgreSQL only: the worker
must see the test database, which on SQLite lives in this process's memory.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from ecosystem.celery import app as celery_app
from ecosystem.notifications import outbox
from ecosystem.notifications.models import (
    Announcement,
    EmailDelivery,
    Notification,
    OutboxMessage,
)
from ecosystem.notifications.services import ANNOUNCEMENT_KIND, notify

from .conftest import ctx

# The worker process knows only the kinds real apps register, not the test kinds.

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
CELERY = BASE_DIR / ".venv" / "bin" / "celery"


@pytest.fixture(autouse=True)
def _needs_postgres_and_redis():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker process must share the test database "
                    "(run with DATABASE_URL=postgres://...)")
    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server binary: the test starts and stops its own Redis")


def _free_port(start=6391) -> int:
    for port in range(start, start + 200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port for a private redis-server")


class PrivateRedis:
    def __init__(self, directory: Path):
        self.port = _free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/1"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class Worker:
    def __init__(self, *, redis: PrivateRedis, mail_dir: Path, log: Path, pool="solo",
                 concurrency=1, mail_delay=0.0, visibility_timeout=3600):
        db = connection.settings_dict
        database_url = (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
                        f":{db['PORT'] or 5432}/{db['NAME']}")
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis.url,
            "NOTIFICATIONS_MAIL_DIR": str(mail_dir),
            "NOTIFICATIONS_MAIL_DELAY": str(mail_delay),
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "LOG_LEVEL": "WARNING",
        }
        self.args = [str(CELERY), "-A", "ecosystem", "worker", f"--pool={pool}",
                     f"--concurrency={concurrency}", "--loglevel=INFO", "--without-gossip",
                     "--without-mingle", "--without-heartbeat", "-n",
                     f"test-{uuid.uuid4().hex[:8]}@%h"]
        self.log = log
        self.process = None

    def start(self):
        self.log_file = self.log.open("ab")
        self.process = subprocess.Popen(
            self.args, cwd=BASE_DIR, env=self.env, stdout=self.log_file,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.wait_for("ready.", timeout=60)
        return self

    def wait_for(self, text: str, *, timeout: float):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited:\n{self.log.read_text(errors='replace')}")
            time.sleep(0.1)
        raise TimeoutError(f"worker never logged {text!r}:\n{self.log.read_text()[-3000:]}")

    def kill(self):
        """SIGKILL the whole worker (main process and pool children)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log_file.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            self.log_file.close()


@pytest.fixture
def redis(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis):
    """Point this process's Celery app at the private Redis (no eager mode)."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager)
    conf.broker_url, conf.task_always_eager = redis.url, False
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield redis
    conf.broker_url, conf.task_always_eager = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def mail_dir(tmp_path):
    directory = tmp_path / "mail"
    directory.mkdir()
    return directory


@pytest.fixture
def workers(broker, mail_dir, tmp_path):
    started = []

    def start(**options):
        worker = Worker(redis=broker, mail_dir=mail_dir, log=tmp_path / f"worker{len(started)}.log",
                        **options)
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        worker.stop()


def sent_mails(mail_dir: Path) -> list:
    return [message_from_bytes(path.read_bytes()) for path in sorted(mail_dir.glob("*.eml"))]


def wait_until(predicate, *, timeout: float, sweep=False, interval=0.5):
    """Poll ``predicate``; with ``sweep`` also run the outbox sweep, as beat would."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sweep:
            outbox.outbox_relay()
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def test_redis_down_loses_nothing(client, broker, workers, mail_dir):
    """100 announcements sent from the admin while Redis is down: every request succeeds,
    and all 100 e-mails arrive within 60 s of Redis coming back."""
    User = get_user_model()
    staff = User.objects.create_superuser("staff@city.example", "pass-word-123")
    reader = User.objects.create_user("reader@example.org", "pass-word-123")
    announcements = [Announcement.objects.create(subject=f"Open call {n}", body="Apply now.",
                                                 all_people=True) for n in range(100)]
    workers()
    client.force_login(staff)
    broker.stop()

    for announcement in announcements:
        response = client.post("/admin/notifications/announcement/",
                               {"action": "send", "_selected_action": [announcement.pk],
                                "index": 0})
        assert response.status_code == 302
    # The first failed kick paused the others: requests do not each wait for the broker.
    assert outbox._kick_paused_until > 0
    # Each send is queued as one background job in the outbox, kept until the broker is back.
    assert Announcement.objects.filter(status=Announcement.Status.SENDING).count() == 100
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count() == 100
    assert Notification.objects.filter(recipient=reader).count() == 0
    assert sent_mails(mail_dir) == []

    broker.start()
    back = time.monotonic()
    assert wait_until(lambda: len(sent_mails(mail_dir)) >= 100, timeout=60, sweep=True)
    assert time.monotonic() - back < 60
    mails = sent_mails(mail_dir)
    assert len(mails) == 100
    assert {mail["Subject"] for mail in mails} == {f"Open call {n}" for n in range(100)}
    # A delivery is marked sent after the mail server accepted the message (its file is
    # written first): the last one may commit a moment after its mail is seen.
    assert wait_until(
        lambda: EmailDelivery.objects.filter(status=EmailDelivery.Status.SENT).count() == 100,
        timeout=10,
    )
    assert Notification.objects.filter(recipient=reader).count() == 100
    assert not Announcement.objects.exclude(status=Announcement.Status.SENT).exists()
    assert wait_until(
        lambda: OutboxMessage.objects.exclude(status=OutboxMessage.Status.DONE).count() == 0,
        timeout=10,
    )


def test_worker_killed_mid_send_sends_exactly_once(broker, workers, mail_dir):
    reader = get_user_model().objects.create_user("reader@example.org", "pass-word-123")
    slow = workers(mail_delay=6, visibility_timeout=4)
    with transaction.atomic():
        (notification,) = notify(kind=ANNOUNCEMENT_KIND, recipients=[reader], context=ctx())
    outbox.outbox_relay()
    slow.wait_for("deliver_email", timeout=30)
    time.sleep(2)  # inside the slow send
    slow.kill()
    assert sent_mails(mail_dir) == []
    assert not EmailDelivery.objects.filter(status=EmailDelivery.Status.SENT).exists()

    workers(visibility_timeout=4)  # Redis hands the unacknowledged message to this one
    assert wait_until(lambda: len(sent_mails(mail_dir)) >= 1, timeout=60)
    time.sleep(3)
    assert len(sent_mails(mail_dir)) == 1
    assert EmailDelivery.objects.get(notification=notification).status == "sent"


def test_same_message_delivered_twice_sends_one_email(broker, workers, mail_dir):
    reader = get_user_model().objects.create_user("reader@example.org", "pass-word-123")
    with transaction.atomic():
        (notification,) = notify(kind=ANNOUNCEMENT_KIND, recipients=[reader], context=ctx())
    row = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxMessage.Status.PUBLISHED,
                                                   published_at=timezone.now())
    # The broker hands the very same message to two worker processes at once.
    task_id = str(uuid.uuid4())
    for _ in range(2):
        celery_app.send_task(row.task, kwargs={**row.payload, "outbox_id": row.pk},
                             task_id=task_id)
    workers(pool="prefork", concurrency=2, mail_delay=2)
    assert wait_until(lambda: len(sent_mails(mail_dir)) >= 1, timeout=60)
    assert wait_until(
        lambda: OutboxMessage.objects.get(pk=row.pk).status == OutboxMessage.Status.DONE,
        timeout=30,
    )
    time.sleep(3)
    assert len(sent_mails(mail_dir)) == 1
    assert Notification.objects.filter(recipient=reader).count() == 1
    assert EmailDelivery.objects.get(notification=notification).status == "sent"
