"""The admin as city staff's workplace: the dashboard, task groups, technical models hidden."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecosystem.staff import StaffTask, StaffTaskRegistry, admin_groups
from procurement.models import Call, Question
from projects.models import Feedback
from tests.events.factories import EventFactory
from tests.factories import OrganisationFactory, StaffFactory, UserFactory
from tests.procurement.factories import CallFactory
from tests.projects.factories import FeedbackFactory

pytestmark = pytest.mark.django_db

TECHNICAL_URLS = ["/admin/django_celery_beat/periodictask/", "/admin/django_celery_beat/crontabschedule/",
                  "/admin/notifications/outboxmessage/", "/admin/authtoken/tokenproxy/",
                  "/admin/sites/site/", "/admin/events/agendatoken/"]


@pytest.fixture
def city_staff(db):
    """Staff with every admin permission, as a city's staff group would have, but no superuser:
    whatever they do not see is hidden by the staff site, not by missing permissions."""
    user = StaffFactory(email="officer@rijeka.example")
    user.user_permissions.set(Permission.objects.all())
    return user


@pytest.fixture
def superuser(db):
    return StaffFactory(email="root@rijeka.example", is_superuser=True)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_index_groups_models_by_task_and_hides_technical_ones_from_staff(city_staff):
    page = client_for(city_staff).get("/admin/")
    assert page.status_code == 200
    html = page.content.decode()
    for group in ("Programmes and projects", "Events", "Procurement", "Organisations and people",
                  "Communication"):
        assert group in html
    assert "/admin/procurement/call/" in html and "/admin/events/event/" in html
    for url in TECHNICAL_URLS:
        assert url not in html
    assert "Technical (superusers only)" not in html


def test_superusers_see_the_technical_models(superuser):
    html = client_for(superuser).get("/admin/").content.decode()
    assert "Technical (superusers only)" in html
    for url in TECHNICAL_URLS:
        assert url in html


def test_technical_app_page_is_hidden_from_staff(city_staff, superuser):
    assert client_for(city_staff).get("/admin/django_celery_beat/").status_code == 404
    assert client_for(superuser).get("/admin/django_celery_beat/").status_code == 200


def test_every_registered_model_has_a_task_group():
    from django.contrib import admin

    unplaced = [f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry
                if admin_groups.group_of(model._meta.app_label, model._meta.model_name).key
                == "other"]
    assert unplaced == []


@pytest.mark.parametrize("path", [
    "/admin/", "/admin/procurement/call/", "/admin/procurement/call/add/",
    "/admin/procurement/question/", "/admin/events/event/", "/admin/events/event/add/",
    "/admin/projects/feedback/", "/admin/projects/pilot/add/", "/admin/stakeholders/organisation/",
    "/admin/events/schedulerrun/",
])
def test_admin_pages_render_for_city_staff(city_staff, path):
    assert client_for(city_staff).get(path).status_code == 200


def _tasks(html):
    import re

    return {key: int(count) for key, count in re.findall(
        r'data-key="([\w.]+)">\s*<a href="[^"]*">\s*<span class="staff-task-count">(\d+)</span>',
        html)}


def _make(rows: int):
    now = timezone.now()
    for i in range(rows):
        FeedbackFactory()
        FeedbackFactory(status=Feedback.Status.PUBLISHED)
        OrganisationFactory(verified=False)
        EventFactory(starts_at=now + timedelta(days=2))
        EventFactory(starts_at=now + timedelta(days=20))
        closing = CallFactory(status=Call.Status.PUBLISHED,
                              submission_deadline=now + timedelta(days=3),
                              clarification_deadline=now + timedelta(days=1))
        CallFactory(status=Call.Status.PUBLISHED, submission_deadline=now + timedelta(days=30))
        CallFactory(status=Call.Status.EVALUATION, submission_deadline=now - timedelta(days=3),
                    clarification_deadline=now - timedelta(days=9))
        asker = UserFactory()
        organisation = OrganisationFactory(verified=True)
        Question.objects.create(call=closing, asked_by=asker, organisation=organisation,
                                text=f"Is there power at site {i}?")
        Question.objects.create(call=closing, asked_by=asker, organisation=organisation,
                                text="Answered", answer="Yes", answered_at=now)


def test_dashboard_counts_what_needs_staff_with_a_fixed_number_of_queries(city_staff):
    client = client_for(city_staff)
    _make(2)
    with CaptureQueriesContext(connection) as two:
        html = client.get("/admin/").content.decode()
    counts = _tasks(html)
    assert counts["projects.feedback"] == 2
    assert counts["procurement.questions"] == 2
    assert counts["procurement.closing"] == 2
    assert counts["procurement.evaluations"] == 2
    assert counts["events.week"] == 2
    # 2 unverified plus the buyers (public authorities are organisations too, unverified here)
    assert counts["stakeholders.verify"] == OrganisationFactory._meta.model.objects.filter(
        verified=False).count()
    _make(18)
    with CaptureQueriesContext(connection) as twenty:
        html = client.get("/admin/").content.decode()
    assert _tasks(html)["projects.feedback"] == 20
    assert _tasks(html)["procurement.closing"] == 20
    assert len(twenty.captured_queries) == len(two.captured_queries)


def test_dashboard_links_open_the_filtered_lists(city_staff):
    _make(1)
    client = client_for(city_staff)
    assert client.get("/admin/projects/feedback/?status__exact=pending").context[
        "cl"].result_count == 1
    assert client.get("/admin/procurement/call/?closes=7d").context["cl"].result_count == 1
    assert client.get("/admin/procurement/question/?to_answer=yes").context["cl"].result_count == 1
    assert client.get("/admin/events/event/?when=week").context["cl"].result_count == 1


def test_registry_leaves_out_tasks_a_builder_declines():
    registry = StaffTaskRegistry()
    registry.register("b", lambda **kw: StaffTask(title="B", count=1, url="/b", order=2))
    registry.register("a", lambda **kw: StaffTask(title="A", count=0, url="/a", order=1))
    registry.register("none", lambda **kw: None)
    assert [task.key for task in registry.build(viewer=None, now=None)] == ["a", "b"]


# Forms that ask for nothing the portal knows -----------------------------------------------

def test_event_form_picks_project_and_programme_zone_and_place(city_staff):
    html = client_for(city_staff).get("/admin/events/event/add/").content.decode()
    for name in ("project", "programme"):
        assert f'name="{name}"' in html
        assert 'data-ajax--url="/admin/autocomplete/"' in html
    assert 'class="vForeignKeyRawIdAdminField"' not in html  # no typed ID numbers
    zone_select = html[html.index('name="time_zone"'):]
    zone_select = zone_select[:zone_select.index("</select>")]
    assert zone_select.index("Europe/Zagreb") < zone_select.index("America/New_York")
    assert '<optgroup label="Common in Europe">' in zone_select
    assert 'data-map-picker="id_longitude"' in html
    assert "js/admin_map_picker.js" in html and "vendor/leaflet/leaflet.js" in html
    assert "//unpkg.com" not in html and "cdn" not in html.lower()
    assert 'name="created_at"' not in html


def test_event_saved_in_the_admin_with_a_chosen_zone(city_staff):
    now = timezone.now() + timedelta(days=30)
    response = client_for(city_staff).post("/admin/events/event/add/", {
        "title_en": "Lisbon open data day", "slug": "lisbon-open-data-day",
        "summary_en": "Open data.", "description_en": "A day on open data.", "kind": "conference",
        "language": "en", "time_zone": "Europe/Lisbon", "mode": "in_person",
        "starts_at": now.strftime("%Y-%m-%dT09:00"), "ends_at": now.strftime("%Y-%m-%dT17:00"),
        "venue_name": "Fábrica de Unicórnios", "latitude": "38.722252", "longitude": "-9.139337",
        "capacity": 50,
        "registration_required": "on",
        **{f"{prefix}-{key}": value for prefix in ("meeting_sessions", "registrations")
           for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))},
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    from events.models import Event

    event = Event.objects.get(slug="lisbon-open-data-day")
    assert event.time_zone == "Europe/Lisbon" and event.created_at is not None


def test_slugs_are_prepopulated_and_created_dates_not_asked(city_staff):
    client = client_for(city_staff)
    html = client.get("/admin/projects/programme/add/").content.decode()
    assert "django-admin-prepopulated-fields-constants" in html and "#id_slug" in html
    assert 'name="created_at"' not in html
    pilot = client.get("/admin/projects/pilot/add/").content.decode()
    assert 'data-map-picker="id_longitude"' in pilot
    assert 'name="call"' in pilot and 'class="vForeignKeyRawIdAdminField"' not in pilot


# Long jobs link to their progress ----------------------------------------------------------

def test_scheduler_action_links_to_the_scheduler_page(superuser):
    from events import services as event_services
    from events.models import SchedulerRun
    from tests.events.factories import MeetingSessionFactory

    event = EventFactory(matchmaking=True, kind="matchmaking", capacity=None)
    event_services.session_save(session=MeetingSessionFactory.build(event=event), actor=superuser)
    client = client_for(superuser)
    response = client.post("/admin/events/event/", {
        "action": "run_scheduler", "_selected_action": [event.pk]}, follow=True)
    html = response.content.decode()
    assert SchedulerRun.objects.filter(event=event).exists()
    assert f'<a href="/events/{event.slug}/scheduler/">follow its progress' in html
    runs = client.get("/admin/events/schedulerrun/").content.decode()
    assert f'href="/events/{event.slug}/scheduler/"' in runs
    page = client.get(f"/events/{event.slug}/scheduler/").content.decode()
    assert 'id="scheduler-progress"' in page


def test_amendments_on_the_call_page_name_what_changed(superuser):
    from procurement import services as procurement_services

    call = CallFactory()
    procurement_services.call_publish(call=call, actor=superuser)
    procurement_services.call_amend(call=call, actor=superuser, rationale="Later deadline.",
                                    submission_deadline=call.submission_deadline
                                    + timedelta(days=5))
    html = client_for(superuser).get(f"/admin/procurement/call/{call.pk}/change/").content.decode()
    import re

    cell = re.search(r'<td class="field-changed">(.*?)</td>', html, re.S).group(1)
    assert "Submission deadline" in cell and "submission_deadline" not in cell


def test_the_city_staff_group_works_every_task_and_no_technical_model(db):
    from ecosystem.staff import CITY_STAFF_GROUP, city_staff_group

    group = city_staff_group()
    assert city_staff_group().pk == group.pk  # run again: the same group, brought up to date
    officer = StaffFactory(email="clerk@rijeka.example")
    officer.groups.add(group)
    client = Client()
    client.force_login(officer)
    index = client.get("/admin/").content.decode()
    assert "Procurement" in index and "Events" in index and "Technical" not in index
    for url in ("/admin/procurement/call/", "/admin/events/event/", "/admin/projects/pilot/",
                "/admin/stakeholders/organisation/"):
        assert client.get(url).status_code == 200, url
    for url in TECHNICAL_URLS:
        assert client.get(url).status_code == 403, url
    # People are seen, never changed: nobody in the group can make anyone a superuser.
    assert client.get("/admin/ecosystem/user/").status_code == 200
    client.post(f"/admin/ecosystem/user/{officer.pk}/change/",
                {"email": officer.email, "is_staff": "on", "is_superuser": "on"})
    officer.refresh_from_db()
    assert not officer.is_superuser
    assert client.get("/admin/auth/group/").status_code == 403
    assert group.name == CITY_STAFF_GROUP
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "change_call" in codenames and "change_user" not in codenames
    assert not {"change_periodictask", "view_outboxmessage", "change_group"} & codenames

