"""Download my data: a ZIP with every registered item of the person and nothing of others."""

import csv
import io
import json
import zipfile

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ecosystem.models import AuditEntry
from ecosystem.notifications.models import Notification
from ecosystem.privacy import registry, services
from ecosystem.privacy.models import DataExport
from tests.factories import StaffFactory, UserFactory

from .conftest import EMAIL, OTHER_EMAIL, OTHER_NAME

pytestmark = pytest.mark.django_db


def _archive(export) -> zipfile.ZipFile:
    with export.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def _request_and_build(user, actor, capture):
    with capture(execute=True):
        export = services.export_request(user=user, actor=actor)
    export.refresh_from_db()
    return export


def test_export_holds_every_registered_item_of_the_person(world, django_capture_on_commit_callbacks):
    export = _request_and_build(world.person, world.person, django_capture_on_commit_callbacks)
    assert export.status == DataExport.Status.READY and export.progress == 100
    archive = _archive(export)
    names = set(archive.namelist())
    assert "README.txt" in names
    exported = [e for e in registry.personal_data() if e.exported]
    for entry in exported:
        app_label = entry.model._meta.app_label
        data = json.loads(archive.read(f"{app_label}.json"))
        ids = sorted(row["id"] for row in data[entry.label]) if "id" in entry.columns() else None
        rows = entry.rows_of(world.person)
        if entry.model is Notification:  # "your export is ready" came after the export
            rows = rows.exclude(kind="privacy.export_ready")
        expected = sorted(rows.values_list("pk", flat=True))
        if ids is not None:
            assert ids == expected, entry.label
        else:
            assert len(data[entry.label]) == len(expected), entry.label
    # the categories the person relies on are all there, with rows
    for label in ["ecosystem.User", "stakeholders.Membership", "events.Registration",
                  "events.MeetingRequest", "events.Meeting", "procurement.Application",
                  "procurement.Question", "projects.Feedback", "notifications.Follow",
                  "notifications.Notification", "notifications.Preference",
                  "stakeholders.Invitation", "events.CooperationProfile"]:
        entry = next(e for e in exported if e.label == label)
        data = json.loads(archive.read(f"{entry.model._meta.app_label}.json"))
        assert data[label], f"{label} is empty"
    # CSV where tabular: same rows, documented in the README
    rows = list(csv.DictReader(io.StringIO(archive.read("events/registration.csv").decode())))
    assert len(rows) == 2 and rows[0]["code"]
    readme = archive.read("README.txt").decode()
    assert "events/registration.csv" in readme and "procurement.json" in readme
    assert "procurement/application.csv" not in names  # answers are JSON: not a plain table


def test_export_holds_nothing_of_anyone_else(world, django_capture_on_commit_callbacks):
    export = _request_and_build(world.person, world.person, django_capture_on_commit_callbacks)
    archive = _archive(export)
    everything = "".join(archive.read(name).decode() for name in archive.namelist())
    assert OTHER_EMAIL not in everything and OTHER_NAME not in everything
    assert world.other_registration.code not in everything
    assert "Sealed offer of Adria Sensing" not in everything
    assert "Drones for bridge inspection" not in everything
    assert "someone.else@example.com" not in everything  # an invitation she sent to another
    procurement = json.loads(archive.read("procurement.json"))
    assert [row["id"] for row in procurement["procurement.Application"]] == [world.application.pk]


def test_ready_export_notifies_by_mail_and_only_the_person_can_download(
        world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    export = _request_and_build(world.person, world.person, django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=world.person, kind="privacy.export_ready")
    assert notification.url == f"/account/data/exports/{export.pk}/download/"
    assert any(EMAIL in message.to for message in mail.outbox)
    owner = Client()
    owner.force_login(world.person)
    response = owner.get(notification.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    stranger = Client()
    stranger.force_login(world.other)
    assert stranger.get(notification.url).status_code == 404
    staff = Client()
    staff.force_login(StaffFactory(email="dpo@city.example"))
    assert staff.get(notification.url).status_code == 404
    assert Client().get(notification.url).status_code == 302  # to sign in


def test_expired_export_cannot_be_downloaded_and_retention_deletes_its_file(
        world, django_capture_on_commit_callbacks, settings):
    export = _request_and_build(world.person, world.person, django_capture_on_commit_callbacks)
    path = export.file.path
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    client = Client()
    client.force_login(world.person)
    assert client.get(export.download_url()).status_code == 404
    report = services.retention_apply()
    assert report["exports"] == 1
    assert not DataExport.objects.filter(pk=export.pk).exists()
    import os

    assert not os.path.exists(path)


def test_account_page_requests_an_export_and_shows_progress_without_javascript(
        world, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(world.person)
    page = client.get("/account/data/")
    assert page.status_code == 200
    assert b'action="/account/data/exports/"' in page.content
    pending = DataExport.objects.create(user=world.person, status=DataExport.Status.RUNNING,
                                        progress=40)
    page = client.get("/account/data/")
    assert b'http-equiv="refresh"' in page.content and b"40" in page.content
    assert client.post("/account/data/exports/").status_code == 302  # one at a time
    assert DataExport.objects.filter(user=world.person).count() == 1
    pending.delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/data/exports/")
    assert response.status_code == 302
    export = DataExport.objects.get(user=world.person)
    assert export.status == DataExport.Status.READY
    page = client.get("/account/data/")
    assert b'http-equiv="refresh"' not in page.content
    assert export.download_url().encode() in page.content


def test_staff_export_for_a_data_subject_request_is_audited(
        world, django_capture_on_commit_callbacks):
    staff = StaffFactory(email="dpo@city.example", is_superuser=True)
    client = Client()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/ecosystem/user/", {
            "action": "export_personal_data", "_selected_action": [world.person.pk]})
    assert response.status_code == 302
    export = DataExport.objects.get(user=world.person)
    assert export.requested_by == staff and export.status == DataExport.Status.READY
    assert AuditEntry.objects.filter(action="privacy.export.requested", actor=staff).exists()
    assert client.get(export.download_url()).status_code == 200
    subject = Client()
    subject.force_login(world.person)
    assert subject.get(export.download_url()).status_code == 404
    assert not Notification.objects.filter(kind="privacy.export_ready").exists()
    other_staff = Client()
    other_staff.force_login(StaffFactory(email="clerk@city.example"))
    assert other_staff.get(export.download_url()).status_code == 404


def test_export_of_a_person_without_data(db, django_capture_on_commit_callbacks):
    user = UserFactory(email="new@example.org")
    export = _request_and_build(user, user, django_capture_on_commit_callbacks)
    archive = _archive(export)
    data = json.loads(archive.read("ecosystem.json"))
    assert data["ecosystem.User"][0]["email"] == "new@example.org"
    assert json.loads(archive.read("events.json"))["events.Registration"] == []


def test_account_page_reads_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(world.person)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/account/data/").status_code == 200
        return len(queries)

    DataExport.objects.create(user=world.person, status=DataExport.Status.FAILED)
    one = count()
    for _ in range(4):
        DataExport.objects.create(user=world.person, status=DataExport.Status.FAILED)
    assert count() == one
