import pytest
from django.core import mail
from django.db import transaction

from ecosystem.notifications.models import Follow, Notification, OutboxMessage
from ecosystem.notifications.services import (
    follow,
    followers_of,
    is_following,
    notify,
    unfollow,
)
from tests.factories import OrganisationFactory, UserFactory

from .conftest import DAILY, INSTANT, ctx

pytestmark = pytest.mark.django_db


def test_notify_reaches_followers_but_never_the_actor(alice, bob, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    follow(user=alice, target=organisation)
    follow(user=bob, target=organisation)
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(kind=INSTANT, target=organisation, actor=bob, context=ctx())
    assert [n.recipient for n in created] == [alice]
    notification = Notification.objects.get()
    assert notification.subject == "Call for e-mobility pilots published"
    assert notification.body == "Submit by 1 March."
    assert notification.url == organisation.get_absolute_url()
    assert notification.target == organisation
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_inactive_people_and_duplicates_in_the_list_get_one_or_nothing(alice):
    gone = UserFactory(is_active=False)
    created = notify(kind=INSTANT, recipients=[alice, alice, gone], context=ctx())
    assert [n.recipient for n in created] == [alice]


def test_dedupe_key_makes_a_repeat_create_nothing(alice, bob):
    first = notify(kind=INSTANT, recipients=[alice], context=ctx(), dedupe_key="call:7:published")
    again = notify(kind=INSTANT, recipients=[alice, bob], context=ctx(),
                   dedupe_key="call:7:published")
    assert len(first) == 1
    assert [n.recipient for n in again] == [bob]
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert OutboxMessage.objects.count() == 2


def test_without_dedupe_key_every_call_notifies(alice):
    notify(kind=INSTANT, recipients=[alice], context=ctx())
    notify(kind=INSTANT, recipients=[alice], context=ctx())
    assert Notification.objects.filter(recipient=alice).count() == 2


def test_context_must_be_json(alice):
    with pytest.raises(TypeError):
        notify(kind=INSTANT, recipients=[alice], context={"when": object()})
    assert not Notification.objects.exists()


def test_unknown_kind_is_a_programming_error(alice):
    with pytest.raises(LookupError):
        notify(kind="nobody.registered", recipients=[alice])


def test_a_rolled_back_change_notifies_nobody(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(kind=INSTANT, recipients=[alice], context=ctx())
            raise RuntimeError("the caller's change failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_email_waits_for_commit(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(kind=INSTANT, recipients=[alice], context=ctx())
    assert mail.outbox == []
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.DONE


def test_only_instant_recipients_get_an_outbox_row(alice, bob):
    from ecosystem.notifications.services import preferences_update

    preferences_update(user=bob, frequencies={INSTANT: "weekly"})
    notify(kind=INSTANT, recipients=[alice, bob], context=ctx())
    notify(kind=DAILY, recipients=[alice], context=ctx())
    payloads = [row.payload for row in OutboxMessage.objects.all()]
    alice_instant = Notification.objects.get(recipient=alice, kind=INSTANT)
    assert payloads == [{"notification_id": alice_instant.pk}]


def test_follow_is_idempotent_and_unfollow_removes(alice):
    organisation = OrganisationFactory()
    assert not is_following(user=alice, target=organisation)
    follow(user=alice, target=organisation)
    follow(user=alice, target=organisation)
    assert Follow.objects.count() == 1
    assert is_following(user=alice, target=organisation)
    assert list(followers_of(organisation)) == [alice]
    unfollow(user=alice, target=organisation)
    assert not is_following(user=alice, target=organisation)
    assert list(followers_of(organisation)) == []


def test_anonymous_follows_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert is_following(user=AnonymousUser(), target=OrganisationFactory()) is False


def test_many_recipients_are_written_once_each_with_the_ids_returned(alice):
    from django.contrib.auth import get_user_model

    people = [UserFactory(language=("en", "hr", "de", "it")[n % 4]) for n in range(30)]
    first = notify(kind=INSTANT, recipients=get_user_model().objects.filter(
        pk__in=[p.pk for p in people[:20]]), context=ctx(), dedupe_key="call:9:published")
    stored = dict(Notification.objects.values_list("recipient_id", "pk"))
    assert {n.recipient_id: n.pk for n in first} == stored
    assert len(stored) == 20
    again = notify(kind=INSTANT, recipients=people, context=ctx(),
                   dedupe_key="call:9:published")
    assert sorted(n.recipient_id for n in again) == sorted(p.pk for p in people[20:])
    assert Notification.objects.count() == 30
    assert {n.pk for n in again} == set(Notification.objects.filter(
        recipient_id__in=[p.pk for p in people[20:]]).values_list("pk", flat=True))
    assert OutboxMessage.objects.count() == 30


class _Untouchable:
    """A recipient whose every field but who they are raises: what a template reads shows."""

    pk, is_active, language = 1, True, "en"

    def __getattr__(self, name):
        raise LookupError(f"the template read recipient.{name}")


def test_kinds_rendered_once_per_language_never_read_the_recipient():
    """``personal=False`` kinds are rendered once per language, and their recipients are
    read as (pk, is_active, language) tuples: a template reading anything else about the
    person would show every reader someone else's data, or nothing."""
    from ecosystem.notifications import emails
    from ecosystem.notifications.registry import all_kinds

    shared = [kind for kind in all_kinds() if not kind.personal]
    assert shared  # the matching kinds at least
    for kind in shared:
        context = {"title": "Smart parking sensors", "recipient": _Untouchable(),
                   "target": None, "site_url": "https://portal.example"}
        for suffix in (".subject.txt", ".txt"):
            assert emails.render_optional(kind.template + suffix, context), kind.key
