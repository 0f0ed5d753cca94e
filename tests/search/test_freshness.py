"""Services keep the index current after commit: an edit, an unpublish, a delete shows at once."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from ecosystem.search import index, selectors
from ecosystem.search.models import SearchDocument
from events import services as event_services
from procurement import services as call_services
from stakeholders import services as organisation_services
from tests.events.factories import EventFactory
from tests.factories import OrganisationFactory
from tests.procurement.factories import CallFactory

pytestmark = pytest.mark.django_db


def found(query, viewer=None):
    return [hit.title for hit in selectors.search(viewer=viewer or AnonymousUser(), query=query).hits]


def test_an_edit_is_found_under_its_new_words_and_no_longer_under_the_old(
        admin_a, org_a, django_capture_on_commit_callbacks, indexed):
    indexed(org_a)
    assert found("alpha") == ["Alpha Sensors"]
    with django_capture_on_commit_callbacks(execute=True):
        organisation_services.organisation_update(organisation=org_a, actor=admin_a,
                                                  name="Opatija Air Quality")
    assert found("alpha") == []
    assert found("opatija") == ["Opatija Air Quality"]


def test_a_new_organisation_is_found_as_soon_as_it_is_committed(
        citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        organisation_services.organisation_create(
            actor=citizen, name="Labin Heat Pumps", kind="sme", country="HR")
    assert found("labin") == ["Labin Heat Pumps"]


def test_a_rolled_back_change_never_reaches_the_index(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                organisation_services.organisation_create(
                    actor=citizen, name="Phantom Robotics", kind="sme", country="HR")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert found("phantom") == []
    assert not SearchDocument.objects.filter(title__icontains="phantom").exists()


def test_publishing_a_call_shows_it_and_rejecting_an_event_hides_it(
        staff, django_capture_on_commit_callbacks, indexed):
    call = indexed(CallFactory(title="Flood sensors for Kastela"))
    assert found("kastela") == []
    with django_capture_on_commit_callbacks(execute=True):
        call_services.call_publish(call=call, actor=staff)
    assert found("kastela") == ["Flood sensors for Kastela"]

    event = indexed(EventFactory(title="Rovinj harbour hackathon",
                                 publication="pending", published_at=None))
    assert found("rovinj") == []
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_publish(event=event, actor=staff)
    assert found("rovinj") == ["Rovinj harbour hackathon"]


def test_a_deleted_row_leaves_the_results_at_once_and_its_document_after_commit(
        django_capture_on_commit_callbacks, indexed):
    organisation = indexed(OrganisationFactory(name="Vodnjan Olive Data"))
    assert found("vodnjan") == ["Vodnjan Olive Data"]
    with django_capture_on_commit_callbacks(execute=True):
        index.remove(organisation)
        organisation.delete()
    assert found("vodnjan") == []
    assert not SearchDocument.objects.filter(kind="stakeholders.organisation").exists()


def test_rebuild_replaces_documents_batch_by_batch_and_drops_what_is_gone(indexed):
    kept = indexed(OrganisationFactory(name="Pula Shipyard Digital"))
    gone = indexed(OrganisationFactory(name="Porec Tourism Sensors"))
    type(gone).objects.filter(pk=gone.pk).delete()
    OrganisationFactory(name="Umag Tennis Analytics")  # never indexed by a service
    progress = []
    counts = index.rebuild(progress=lambda kind, done, total: progress.append((kind.key, done, total)))
    assert counts["stakeholders.organisation"] == 2
    assert ("stakeholders.organisation", 2, 2) in progress
    assert found("porec") == [] and found("umag") == ["Umag Tennis Analytics"]
    assert found("pula") == ["Pula Shipyard Digital"]
    assert SearchDocument.objects.filter(object_id=kept.pk).count() == 1
