"""Saved searches alert once per new match, never for what existed when they were saved."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ecosystem.celery import app as celery_app
from ecosystem.notifications.models import Notification
from ecosystem.search import services
from ecosystem.search.models import SavedSearch
from tests.events.factories import EventFactory
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
KIND = "search.saved_search_match"


def alerts(user):
    return list(Notification.objects.filter(recipient=user, kind=KIND)
                .order_by("id").values_list("context__title", flat=True))


def test_a_global_search_alerts_once_per_new_match_and_never_for_what_existed(citizen, indexed):
    past = timezone.now() - timedelta(days=3)
    indexed(OrganisationFactory(name="Old Energy Cooperative", created_at=past))
    saved = services.saved_search_create(owner=citizen, name="Energy", path="/search/",
                                         query_string="q=energy&page=3",
                                         frequency=SavedSearch.Frequency.INSTANT)
    assert saved.query_string == "q=energy"
    assert services.saved_searches_run() == 0
    indexed(OrganisationFactory(name="New Energy Start-up"),
            OrganisationFactory(name="New Mobility Start-up"))
    SavedSearch.objects.update(last_run_at=timezone.now() - timedelta(minutes=10))
    assert services.saved_searches_run() == 1
    assert alerts(citizen) == ["New Energy Start-up"]
    SavedSearch.objects.update(last_run_at=timezone.now() - timedelta(minutes=10))
    assert services.saved_searches_run() == 0          # the same match never alerts twice
    assert alerts(citizen) == ["New Energy Start-up"]
    notification = Notification.objects.get(recipient=citizen, kind=KIND)
    assert notification.url == "/organisations/" + OrganisationFactory._meta.model.objects.get(
        name="New Energy Start-up").slug + "/"


def test_a_list_search_uses_the_lists_filters(citizen, indexed):
    services.saved_search_create(owner=citizen, name="Mobility events", path="/events/",
                                 query_string="q=mobility&kind=hackathon",
                                 frequency=SavedSearch.Frequency.INSTANT,
                                 now=timezone.now() - timedelta(minutes=5))
    indexed(EventFactory(title="Mobility hackathon Rijeka", kind="hackathon"),
            EventFactory(title="Mobility workshop Rijeka", kind="workshop"),
            EventFactory(title="Mobility draft hackathon", kind="hackathon",
                         publication="draft", published_at=None))
    assert services.saved_searches_run() == 1
    assert alerts(citizen) == ["Mobility hackathon Rijeka"]


def test_daily_and_weekly_searches_run_only_when_due(citizen, indexed):
    daily = services.saved_search_create(owner=citizen, name="Energy", path="/search/",
                                         query_string="q=energy",
                                         now=timezone.now() - timedelta(hours=2))
    indexed(OrganisationFactory(name="Energy Newcomer"))
    assert services.saved_searches_run() == 0                # checked 2 hours ago: not due
    SavedSearch.objects.filter(pk=daily.pk).update(last_run_at=timezone.now() - timedelta(days=1))
    assert services.saved_searches_run() == 1


def test_bad_saved_searches_are_refused(citizen):
    from ecosystem.errors import Conflict, InvalidInput

    with pytest.raises(InvalidInput):
        services.saved_search_create(owner=citizen, name="x", path="/admin/", query_string="")
    with pytest.raises(InvalidInput):
        services.saved_search_create(owner=citizen, name="x", path="/search/", query_string="")
    with pytest.raises(InvalidInput):
        services.saved_search_create(owner=citizen, name=" ", path="/calls/", frequency="hourly")
    services.saved_search_create(owner=citizen, name="Calls", path="/calls/")
    with pytest.raises(Conflict):
        services.saved_search_create(owner=citizen, name="Calls again", path="/calls/")
    assert SavedSearch.objects.count() == 1


def test_api_is_only_ever_the_callers_own(api, citizen):
    assert api.get("/api/v1/me/saved-searches/").status_code in (401, 403)
    api.force_authenticate(citizen)
    created = api.post("/api/v1/me/saved-searches/", {
        "name": "Open data calls", "path": "/calls/", "query_string": "q=open+data"})
    assert created.status_code == 201, created.json()
    assert created.json()["frequency"] == "daily"
    again = api.post("/api/v1/me/saved-searches/", {
        "name": "Again", "path": "/calls/", "query_string": "q=open+data"})
    assert again.status_code == 409 and again.json()["code"] == "already_saved"
    bad = api.post("/api/v1/me/saved-searches/", {"name": "x", "path": "/nowhere/"})
    assert bad.status_code == 400 and "path" in bad.json()["fields"]
    pk = created.json()["id"]
    changed = api.patch(f"/api/v1/me/saved-searches/{pk}/", {"frequency": "weekly"})
    assert changed.status_code == 200 and changed.json()["frequency"] == "weekly"
    assert api.patch(f"/api/v1/me/saved-searches/{pk}/", {"frequency": "hourly"}).status_code == 400
    api.force_authenticate(UserFactory())
    assert api.get(f"/api/v1/me/saved-searches/{pk}/").status_code == 404
    assert api.delete(f"/api/v1/me/saved-searches/{pk}/").status_code == 404
    api.force_authenticate(citizen)
    assert api.delete(f"/api/v1/me/saved-searches/{pk}/").status_code == 204


def test_alert_me_for_people_and_the_feed_for_visitors(client, citizen):
    page = client.get("/events/", {"q": "mobility"}).content.decode()
    assert "/events/feed.rss" in page and 'action="/search/saved/new/"' not in page
    client.force_login(citizen)
    page = client.get("/events/", {"q": "mobility", "page": "2"}).content.decode()
    assert 'action="/search/saved/new/"' in page and 'value="q=mobility"' in page
    response = client.post("/search/saved/new/", {
        "name": "Mobility", "path": "/events/", "query_string": "q=mobility", "frequency": "weekly"})
    assert response.status_code == 302 and response["Location"] == "/search/saved/"
    listing = client.get("/search/saved/").content.decode()
    assert "Mobility" in listing and "/events/?q=mobility" in listing
    saved = SavedSearch.objects.get(owner=citizen)
    client.post(f"/search/saved/{saved.pk}/delete/")
    assert not SavedSearch.objects.exists()


def test_the_beat_job_is_scheduled_and_the_rebuild_command_reports(db):
    from ecosystem.search.schedule import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["search-saved-searches"]["task"] == "search.saved_searches_run"
    assert "search.saved_searches_run" in celery_app.tasks
    assert set(BEAT_SCHEDULE) <= set(celery_app.conf.beat_schedule)
    from io import StringIO
    out = StringIO()
    call_command("rebuild_search_index", "--no-progress", stdout=out)
    assert "Indexed" in out.getvalue()
