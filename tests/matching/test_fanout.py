"""The publish-time fan-out: once per person and call, nobody for a withdrawn call."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecosystem.matching import services
from ecosystem.matching.models import Recommendation
from ecosystem.notifications.models import Notification
from procurement.models import Call
from procurement.services import call_cancel, call_publish
from tests.factories import StaffFactory
from tests.procurement.factories import CallFactory


def matches(call):
    return Notification.objects.filter(kind="matching.call_match", target_id=str(call.pk))


def test_publishing_a_call_notifies_matching_organisations_once(world, settings,
                                                                django_capture_on_commit_callbacks):
    w = world
    settings.MATCHING = {"NOTIFY_SCORE": 0.3}
    staff = StaffFactory()
    call = CallFactory(buyer=w.buyer, title="Parking and air-quality sensors", slug="sensors-2",
                       challenge="Smart parking sensors and air quality sensors.")
    call.themes.set([w.mobility, w.energy])
    with django_capture_on_commit_callbacks(execute=True):
        call_publish(call=call, actor=staff)
    assert set(matches(call).values_list("recipient__email", flat=True)) >= {
        "ana@adriatic-sensors.example"}
    first = matches(call).count()
    # The job runs again (a redelivered message): nobody hears twice.
    services.target_published(kind="call", target_id=call.pk)
    services.target_published(kind="call", target_id=call.pk)
    assert matches(call).count() == first
    assert Recommendation.objects.filter(kind="call", target_id=call.pk,
                                         organisation=w.sme).count() == 1
    # Organisations below the threshold or not eligible are not told; the buyer neither.
    assert not matches(call).filter(recipient__memberships__organisation=w.health_only).exists()
    assert not matches(call).filter(recipient__memberships__organisation=w.buyer).exists()


def test_a_call_withdrawn_before_the_job_runs_notifies_nobody(world, django_capture_on_commit_callbacks):
    w = world
    staff = StaffFactory()
    call = CallFactory(buyer=w.buyer, title="Parking sensors again", slug="sensors-3",
                       challenge="Smart parking sensors.")
    call.themes.set([w.mobility])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_publish(call=call, actor=staff)
    call_cancel(call=call, actor=staff, reason="Published by mistake.")
    for callback in callbacks:  # the queued job runs only now
        callback()
    services.target_published(kind="call", target_id=call.pk)
    assert not matches(call).exists()
    assert not Recommendation.objects.filter(kind="call", target_id=call.pk).exists()
    assert Call.objects.get(pk=call.pk).status == Call.Status.CANCELLED


def test_scoring_one_call_reads_a_fixed_number_of_queries(world):
    w = world
    with CaptureQueriesContext(connection) as small:
        services.target_published(kind="call", target_id=w.call.pk, notify_members=False)
    assert len(small) < 40


def test_the_buyer_sees_whom_a_draft_reaches_and_invites_after_publishing(
        client, world, django_capture_on_commit_callbacks):
    from stakeholders.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    w = world
    officer = MembershipFactory(organisation=w.buyer, role=Membership.Role.ADMIN,
                                user=UserFactory(email="officer@rijeka.example")).user
    call = CallFactory(buyer=w.buyer, title="Parking sensors pilot", slug="reach",
                       challenge="Smart parking sensors and air quality.")
    call.themes.set([w.mobility])
    client.force_login(officer)
    page = client.get(f"/calls/{call.slug}/manage/").content.decode()
    assert "Once published, this call will be suggested to" in page
    assert "Adriatic Sensors" in page and "Clinic Tech" not in page
    assert not matches(call).exists()  # a preview tells nobody
    with django_capture_on_commit_callbacks(execute=True):
        call_publish(call=call, actor=officer)
    told = matches(call).count()
    page = client.get(f"/calls/{call.slug}/manage/").content.decode()
    assert "This call is suggested to" in page and "Adriatic Sensors" in page
    client.post(f"/calls/{call.slug}/invite/")
    client.post(f"/calls/{call.slug}/invite/")
    people = list(matches(call).values_list("recipient_id", flat=True))
    assert len(people) == len(set(people)) >= told  # invited once each, nobody twice
    assert w.ngo_member.pk in people  # below the publish-time threshold, but reached
