"""Retention removes exactly what is past its period, and nothing else."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.utils import timezone

from ecosystem.notifications.models import Notification, OutboxMessage
from ecosystem.privacy import services
from ecosystem.privacy.models import DataExport
from events.models import Registration
from stakeholders.models import Invitation
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


@pytest.fixture
def periods(settings):
    settings.RETENTION_DAYS = {
        "unconfirmed_signups": 7, "expired_invitations": 30, "past_event_attendees": 365,
        "checkin_codes": 30, "read_notifications": 180, "delivered_outbox": 14,
        "sessions": 0, "exports": 0,
    }
    return settings.RETENTION_DAYS


def _signup(email, joined, verified=False, logged_in=False):
    user = UserFactory(email=email, date_joined=joined,
                       last_login=joined if logged_in else None)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def test_each_rule_removes_exactly_what_is_past_its_period(periods):
    # unconfirmed sign-ups: 7 days
    old_unconfirmed = _signup("old@example.org", NOW - 7 * DAY - HOUR)
    fresh_unconfirmed = _signup("fresh@example.org", NOW - 7 * DAY + HOUR)
    old_confirmed = _signup("confirmed@example.org", NOW - 100 * DAY, verified=True)
    old_admin_made = UserFactory(email="made-by-staff@example.org",
                                 date_joined=NOW - 100 * DAY)  # no sign-up address at all
    # invitations: 30 days after expiry, unless accepted
    org = OrganisationFactory()
    old_invitation = Invitation.objects.create(organisation=org, email="a@example.org",
                                               expires_at=NOW - 30 * DAY - HOUR)
    fresh_invitation = Invitation.objects.create(organisation=org, email="b@example.org",
                                                 expires_at=NOW - 30 * DAY + HOUR)
    accepted = Invitation.objects.create(organisation=org, email="c@example.org",
                                         status="accepted", expires_at=NOW - 400 * DAY)
    # events: codes cleared 30 days after the end, attendees deleted after 365
    long_ago = EventFactory(starts_at=NOW - 400 * DAY, ends_at=NOW - 366 * DAY)
    month_ago = EventFactory(starts_at=NOW - 32 * DAY, ends_at=NOW - 31 * DAY)
    recent = EventFactory(starts_at=NOW - 30 * DAY, ends_at=NOW - 29 * DAY)
    ancient_registration = RegistrationFactory(event=long_ago)
    month_registration = RegistrationFactory(event=month_ago)
    recent_registration = RegistrationFactory(event=recent)
    # notifications read 180 days ago; outbox done 14 days ago
    reader = UserFactory()
    old_read = Notification.objects.create(recipient=reader, kind="k", dedupe_key="1",
                                           read_at=NOW - 180 * DAY - HOUR)
    fresh_read = Notification.objects.create(recipient=reader, kind="k", dedupe_key="2",
                                             read_at=NOW - 180 * DAY + HOUR)
    unread_old = Notification.objects.create(recipient=reader, kind="k", dedupe_key="3",
                                             created_at=NOW - 900 * DAY)
    old_done = OutboxMessage.objects.create(task="t", status="done",
                                            done_at=NOW - 14 * DAY - HOUR)
    fresh_done = OutboxMessage.objects.create(task="t", status="done",
                                              done_at=NOW - 14 * DAY + HOUR)
    old_dead = OutboxMessage.objects.create(task="t", status="dead",
                                            created_at=NOW - 900 * DAY)
    # sessions when expired; exports when their link expired
    Session.objects.create(session_key="old", session_data="x", expire_date=NOW - HOUR)
    Session.objects.create(session_key="new", session_data="x", expire_date=NOW + HOUR)
    expired_export = DataExport.objects.create(user=reader, status="ready",
                                               expires_at=NOW - HOUR)
    live_export = DataExport.objects.create(user=reader, status="ready", expires_at=NOW + HOUR)

    report = services.retention_apply(now=NOW, batch_size=2)

    assert report == {
        "checkin_codes": 2, "delivered_outbox": 1, "expired_invitations": 1, "exports": 1,
        "past_event_attendees": 1, "read_notifications": 1, "sessions": 1,
        "unconfirmed_signups": 1,
    }
    users = set(type(reader).objects.values_list("pk", flat=True))
    assert old_unconfirmed.pk not in users
    assert {fresh_unconfirmed.pk, old_confirmed.pk, old_admin_made.pk} <= users
    assert set(Invitation.objects.values_list("pk", flat=True)) == {fresh_invitation.pk,
                                                                   accepted.pk}
    assert not Invitation.objects.filter(pk=old_invitation.pk).exists()
    assert set(Registration.objects.values_list("pk", flat=True)) == {
        month_registration.pk, recent_registration.pk}
    month_registration.refresh_from_db()
    recent_registration.refresh_from_db()
    assert month_registration.code == f"~{month_registration.pk}"
    assert not recent_registration.code.startswith("~")
    assert ancient_registration.pk not in set(Registration.objects.values_list("pk", flat=True))
    assert set(Notification.objects.values_list("pk", flat=True)) == {fresh_read.pk,
                                                                     unread_old.pk}
    assert old_read.pk not in set(Notification.objects.values_list("pk", flat=True))
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {fresh_done.pk,
                                                                      old_dead.pk}
    assert old_done.pk not in set(OutboxMessage.objects.values_list("pk", flat=True))
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]
    assert list(DataExport.objects.values_list("pk", flat=True)) == [live_export.pk]
    assert expired_export.pk != live_export.pk

    # a second run finds nothing left to do
    assert set(services.retention_apply(now=NOW).values()) == {0}


def test_periods_come_from_settings(periods, settings):
    reader = UserFactory()
    Notification.objects.create(recipient=reader, kind="k", dedupe_key="1",
                                read_at=NOW - 10 * DAY)
    assert services.retention_apply(now=NOW)["read_notifications"] == 0
    settings.RETENTION_DAYS = {**periods, "read_notifications": 9}
    assert services.retention_apply(now=NOW)["read_notifications"] == 1


def test_retention_runs_daily_from_beat():
    from ecosystem import celery_app
    from ecosystem.privacy.schedule import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["privacy-retention"]["task"] == "privacy.retention_apply"
    assert "privacy.retention_apply" in celery_app.tasks
    assert set(BEAT_SCHEDULE) <= set(celery_app.conf.beat_schedule)
