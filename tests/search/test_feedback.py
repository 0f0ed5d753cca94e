"""Citizens' published feedback is found by search; pending, rejected and erased feedback never
is, and the author is never in the index."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ecosystem.privacy import services as privacy
from ecosystem.search import selectors
from ecosystem.search.models import SearchDocument
from projects import services
from projects.models import Feedback
from tests.factories import StaffFactory, UserFactory
from tests.projects.factories import PilotFactory

pytestmark = pytest.mark.django_db


def found(query):
    return [(hit.kind, hit.title) for hit in
            selectors.search(viewer=AnonymousUser(), query=query).hits]


@pytest.fixture
def pilot(db):
    return PilotFactory(title="E-bike sharing at the harbour")


@pytest.fixture
def moderator(pilot):
    return StaffFactory()


def _feedback(pilot, author, body, capture):
    with capture(execute=True):
        return services.feedback_submit(pilot=pilot, author=author, body=body)


def test_published_feedback_is_found_and_pending_is_not(pilot, moderator,
                                                       django_capture_on_commit_callbacks):
    citizen = UserFactory(full_name="Vesna Horvat")
    feedback = _feedback(pilot, citizen, "Please add a docking station near the ferry "
                         "terminal.", django_capture_on_commit_callbacks)
    assert found("ferry") == []  # waiting for moderation
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_publish(feedback=feedback, actor=moderator)
    hits = found("ferry")
    assert [kind for kind, _title in hits] == ["projects.feedback"]
    assert hits[0][1].startswith("Please add a docking station")
    assert found("horvat") == []  # never found by its author
    document = SearchDocument.objects.get(kind="projects.feedback")
    assert "Horvat" not in document.title + document.body
    assert document.url.endswith(f"#feedback-{feedback.pk}")
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_reject(feedback=feedback, actor=moderator, reason="Duplicate")
    assert found("ferry") == []
    assert not SearchDocument.objects.filter(kind="projects.feedback").exists()


def test_erasing_the_author_takes_the_feedback_out_of_the_index(
        pilot, moderator, django_capture_on_commit_callbacks):
    citizen = UserFactory(email="vesna@example.org", full_name="Vesna Horvat")
    citizen.set_password("pass-word-123")
    citizen.save()
    feedback = _feedback(pilot, citizen, "A docking station near the ferry terminal.",
                         django_capture_on_commit_callbacks)
    other = _feedback(pilot, UserFactory(), "I agree with Vesna Horvat about the ferry.",
                      django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_publish(feedback=feedback, actor=moderator)
        services.feedback_publish(feedback=other, actor=moderator)
    assert len(found("ferry")) == 2 and found("vesna")
    with django_capture_on_commit_callbacks(execute=True):
        privacy.account_erase_request(user=citizen, password="pass-word-123")
    assert not Feedback.objects.filter(pk=feedback.pk).exists()
    assert [title for _kind, title in found("ferry")] == [
        Feedback.objects.get(pk=other.pk).body]
    # The name in someone else's feedback was scrubbed, and the index follows.
    assert found("vesna") == [] and found("horvat") == []
    assert not SearchDocument.objects.filter(body__icontains="horvat").exists()
