"""Services against the real database: writes, transitions, audit, notifications."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ecosystem.errors import InvalidInput, InvalidTransition, NotAllowed
from ecosystem.models import AuditEntry
from ecosystem.notifications.models import Notification
from ecosystem.notifications.services import follow
from projects import selectors, services
from projects.models import Feedback, Measurement, Pilot, Project, ProjectMember, ProjectPartner
from stakeholders.models import Membership, OrganisationKind
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import PartnerFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_project_create_by_coordinator_admin(admin_a, org_a):
    project = services.project_create(actor=admin_a, coordinator=org_a, acronym="SME4SMARTCITIES",
                                      title="SMEs for smart cities", funding_programme="interreg_med")
    assert project.status == Project.Status.DRAFT
    assert project.slug == "sme4smartcities"
    assert project.partners.get().role == ProjectPartner.Role.COORDINATOR
    assert ProjectMember.objects.get(project=project).user == admin_a
    assert AuditEntry.objects.filter(action="projects.project.created").exists()


def test_project_create_refused_for_plain_member(member_a, org_a):
    with pytest.raises(NotAllowed):
        services.project_create(actor=member_a, coordinator=org_a, acronym="X", title="X",
                                funding_programme="other")
    assert not Project.objects.exists()


def test_eu_funding_cannot_exceed_budget(world):
    with pytest.raises(InvalidInput):
        services.project_update(project=world.project, actor=world.editor,
                                budget=Decimal("100"), eu_funding=Decimal("200"))
    world.project.refresh_from_db()
    assert world.project.budget is None


def test_partner_admin_is_editor_but_associated_admin_is_not(world):
    partner_admin = MembershipFactory(organisation=world.coordinator,
                                      role=Membership.Role.ADMIN).user
    services.project_update(project=world.project, actor=partner_admin, summary="By the coordinator")
    associated = OrganisationFactory()
    PartnerFactory(project=world.project, organisation=associated, role="associated")
    associated_admin = MembershipFactory(organisation=associated, role=Membership.Role.ADMIN).user
    with pytest.raises(NotAllowed):
        services.project_update(project=world.project, actor=associated_admin, summary="No")
    plain_member = MembershipFactory(organisation=world.coordinator).user
    with pytest.raises(NotAllowed):
        services.project_update(project=world.project, actor=plain_member, summary="No")


def test_status_transitions_and_followers_told(world):
    follower = UserFactory()
    follow(user=follower, target=world.project)
    services.project_set_status(project=world.project, actor=world.staff, status="completed")
    assert Notification.objects.filter(recipient=follower, kind="projects.project_update").exists()
    with pytest.raises(InvalidTransition):
        services.project_set_status(project=world.project, actor=world.staff, status="draft")


def test_editor_cannot_change_status_manager_can(world):
    with pytest.raises(NotAllowed):
        services.project_set_status(project=world.project, actor=world.editor, status="completed")
    ProjectMember.objects.filter(user=world.editor).update(role="manager")
    services.project_set_status(project=world.project, actor=world.editor, status="completed")


def test_result_progress_notifies_followers_once(world):
    follower = UserFactory()
    follow(user=follower, target=world.project)
    services.result_update_progress(result=world.result, actor=world.editor, achieved=2,
                                    note="Two solutions in testing")
    services.result_update_progress(result=world.result, actor=world.editor, achieved=2)
    world.result.refresh_from_db()
    assert world.result.achieved == 2 and world.result.percent == 40
    assert Notification.objects.filter(recipient=follower).count() == 1
    with pytest.raises(InvalidInput):
        services.result_update_progress(result=world.result, actor=world.editor, achieved=-1)


def test_pilot_update_tells_followers_what_changed(world, citizen):
    follow(user=citizen, target=world.pilot)
    services.pilot_update(pilot=world.pilot, actor=world.city_staff, status="completed",
                          results="236 suggestions collected.")
    update = world.pilot.updates.get()
    assert "Completed" in update.title
    notification = Notification.objects.get(recipient=citizen, kind="projects.pilot_update")
    assert world.pilot.title in notification.subject
    assert notification.url == world.pilot.get_absolute_url()


def test_pilot_update_without_change_or_news_is_silent(world, citizen):
    follow(user=citizen, target=world.pilot)
    services.pilot_update(pilot=world.pilot, actor=world.editor, summary="Typo fixed")
    assert not world.pilot.updates.exists()
    assert not Notification.objects.filter(recipient=citizen).exists()


def test_pilot_status_transitions(world):
    services.pilot_update(pilot=world.pilot, actor=world.staff, status="completed")
    with pytest.raises(InvalidTransition):
        services.pilot_update(pilot=world.pilot, actor=world.staff, status="planned")


def test_pilot_coordinates_validated(world):
    with pytest.raises(InvalidInput):
        services.pilot_update(pilot=world.pilot, actor=world.staff, latitude=91, longitude=8)
    with pytest.raises(InvalidInput):
        services.pilot_update(pilot=world.pilot, actor=world.staff, latitude=45, longitude=None)


def test_pilot_cannot_be_moved_to_a_project_you_do_not_edit(world):
    foreign = ProjectFactory()
    with pytest.raises(NotAllowed):
        services.pilot_update(pilot=world.pilot, actor=world.city_staff, project=foreign)


def test_pilot_create_by_city_staff_only_in_their_city(world):
    pilot = services.pilot_create(actor=world.city_staff, city=world.city_x, title="Smart bins",
                                  latitude="45.33", longitude="14.44")
    assert pilot.slug.startswith("xanten-smart-bins")
    with pytest.raises(NotAllowed):
        services.pilot_create(actor=world.city_staff, city=world.city_y, title="Elsewhere")


def test_feedback_moderation_publish_and_reject(world):
    services.feedback_publish(feedback=world.feedback, actor=world.city_staff)
    world.feedback.refresh_from_db()
    assert world.feedback.status == Feedback.Status.PUBLISHED
    assert Notification.objects.filter(recipient=world.citizen,
                                       kind="projects.feedback_published").exists()
    with pytest.raises(InvalidTransition):
        services.feedback_publish(feedback=world.feedback, actor=world.city_staff)
    services.feedback_reject(feedback=world.feedback, actor=world.staff, reason="Personal data")
    notification = Notification.objects.get(recipient=world.citizen,
                                            kind="projects.feedback_rejected")
    assert "Personal data" in notification.body
    with pytest.raises(InvalidTransition):
        services.feedback_reject(feedback=world.feedback, actor=world.staff, reason="Again")


def test_reject_needs_a_reason(world):
    with pytest.raises(InvalidInput):
        services.feedback_reject(feedback=world.feedback, actor=world.staff, reason="   ")
    world.feedback.refresh_from_db()
    assert world.feedback.status == Feedback.Status.PENDING


def test_other_city_staff_cannot_moderate(world):
    with pytest.raises(NotAllowed):
        services.feedback_publish(feedback=world.feedback, actor=world.other_city_staff)


def test_feedback_on_a_stopped_pilot_is_refused(world):
    Pilot.objects.filter(pk=world.pilot.pk).update(status="stopped")
    world.pilot.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.feedback_submit(pilot=world.pilot, author=world.citizen, body="Hello")


def test_measurement_record_and_correct(world):
    services.measurement_record(indicator=world.indicator_x, actor=world.city_staff,
                                date=date(2022, 1, 31), value="70")
    services.measurement_record(indicator=world.indicator_x, actor=world.city_staff,
                                date=date(2022, 1, 31), value="72", note="corrected")
    measurement = Measurement.objects.get(indicator=world.indicator_x, date=date(2022, 1, 31))
    assert measurement.value == Decimal("72") and measurement.note == "corrected"


def test_measurement_in_the_future_refused_by_server_clock(world):
    today = date(2022, 3, 1)
    with pytest.raises(InvalidInput):
        services.measurement_record(indicator=world.indicator_x, actor=world.city_staff,
                                    date=today + timedelta(days=1), value="1", today=today)


def test_other_city_staff_cannot_record_measurement(world):
    with pytest.raises(NotAllowed):
        services.measurement_record(indicator=world.indicator_x, actor=world.other_city_staff,
                                    date=date(2022, 1, 31), value="1")
    with pytest.raises(NotAllowed):
        services.action_update(action=world.action_x, actor=world.mentor, status="done")


def test_roadmap_comment_notifies_city_staff_and_mentors_not_author(world):
    services.roadmap_comment_post(roadmap=world.roadmap_x, actor=world.mentor, body="Good work")
    recipients = set(Notification.objects.filter(kind="projects.roadmap_comment")
                     .values_list("recipient__email", flat=True))
    assert recipients == {world.city_staff.email}
    services.roadmap_comment_post(roadmap=world.roadmap_x, actor=world.city_staff, body="Thanks")
    assert Notification.objects.filter(recipient=world.mentor,
                                       kind="projects.roadmap_comment").exists()


def test_roadmap_stage_update(world):
    services.roadmap_update(roadmap=world.roadmap_x, actor=world.city_staff, stage="implementation")
    entry = world.programme.cohort.get(city=world.city_x)
    assert entry.stage == "implementation"
    cycle = selectors.city_cycle(programme=world.programme, entry=entry)
    assert [step.state for step in cycle] == ["done", "done", "current", "upcoming"]


def test_helix_balance_counts_shares_and_missing(world, django_assert_num_queries):
    PartnerFactory(project=world.project,
                   organisation=OrganisationFactory(kind=OrganisationKind.MUNICIPALITY, helix="public"))
    with django_assert_num_queries(1):
        balance = selectors.project_helix_balance(project=world.project)
    counts = {share.helix: share.count for share in balance.shares}
    assert counts == {"industry": 1, "academia": 1, "public": 1, "civil": 0}
    assert balance.total == 3
    assert [share.helix for share in balance.missing] == ["civil"]
    assert [share.percent for share in balance.present] == [33, 33, 33]


def test_current_phase_by_date(world):
    phases = list(world.programme.phases.all())
    assert selectors.current_phase(phases, today=date(2021, 3, 1)) == "vision"
    assert selectors.current_phase(phases, today=date(2019, 1, 1)) == "assessment"
    assert selectors.current_phase(phases, today=date(2030, 1, 1)) == "measurement"


def test_indicator_comparison_and_progress(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(selectors.indicator_comparison(viewer=None, programme=world.programme,
                                                   code="open-datasets"))
    by_city = {row.city_name: row for row in rows}
    assert by_city["Xanten"].latest_value == Decimal("55")
    assert selectors.indicator_progress(by_city["Xanten"], by_city["Xanten"].latest_value) == 13
    assert by_city["Ypres"].latest_value is None


def test_progress_for_a_decreasing_indicator(world):
    indicator = world.indicator_x
    indicator.baseline, indicator.target = Decimal("6.0"), Decimal("5.0")
    assert selectors.indicator_progress(indicator, Decimal("5.5")) == 50
    assert selectors.indicator_progress(indicator, Decimal("6.5")) == 0
    assert selectors.indicator_progress(indicator, Decimal("4.0")) == 100


def test_city_staff_cannot_move_a_pilot_into_another_city(world):
    standalone = services.pilot_create(actor=world.city_staff, city=world.city_x, title="Bins")
    with pytest.raises(NotAllowed):
        services.pilot_update(pilot=standalone, actor=world.city_staff, city=world.city_y)
    standalone.refresh_from_db()
    assert standalone.city == world.city_x
    services.pilot_update(pilot=standalone, actor=world.staff, city=world.city_y)


def test_moderators_are_told_once_a_day_that_feedback_waits(world):
    services.feedback_submit(pilot=world.pilot, author=world.mentor, body="First")
    services.feedback_submit(pilot=world.pilot, author=world.mentor, body="Second")
    told = set(Notification.objects.filter(kind="projects.feedback_waiting")
               .values_list("recipient__email", flat=True))
    assert told == {world.city_staff.email, world.editor.email}
    assert Notification.objects.filter(kind="projects.feedback_waiting").count() == 2
    notification = Notification.objects.filter(kind="projects.feedback_waiting").first()
    assert notification.url == "/pilots/feedback/moderation/"
