"""Racing writes on PostgreSQL: the feedback rate limit and feedback moderation hold."""

import threading

import pytest
from django.db import close_old_connections, connection

from ecosystem.errors import DomainError
from projects import services
from projects.models import Feedback
from projects.services import FEEDBACK_PER_HOUR
from tests.factories import StaffFactory, UserFactory

from .factories import FeedbackFactory, PilotFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def _race(count, work):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serialises "
                    "writers and cannot show the race.")
    barrier = threading.Barrier(count)
    outcomes = []

    def run(number):
        try:
            barrier.wait()
            work(number)
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_20_simultaneous_submissions_by_one_person_accept_exactly_the_limit():
    pilot = PilotFactory()
    citizen = UserFactory()
    outcomes = _race(20, lambda n: services.feedback_submit(pilot=pilot, author=citizen,
                                                            body=f"Idea {n}"))
    assert outcomes.count("ok") == FEEDBACK_PER_HOUR
    assert outcomes.count("rate_limited") == 20 - FEEDBACK_PER_HOUR
    assert Feedback.objects.filter(author=citizen).count() == FEEDBACK_PER_HOUR


def test_two_moderators_publish_at_once_only_one_wins():
    feedback = FeedbackFactory()
    moderators = [StaffFactory(), StaffFactory()]
    outcomes = _race(2, lambda n: services.feedback_publish(feedback=feedback,
                                                            actor=moderators[n]))
    assert sorted(outcomes) == ["invalid_state", "ok"]
