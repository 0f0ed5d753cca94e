"""Erase my account: nothing names the person afterwards, kept records stay valid."""

import json
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import models
from django.test import Client

from ecosystem.models import AuditEntry
from ecosystem.privacy import services
from ecosystem.privacy.models import Erasure
from events.models import Registration
from procurement.models import Application
from stakeholders.models import Membership
from tests.procurement.ocds_schema import require_zip, schema_errors

from .conftest import EMAIL, NAME, PHONE

pytestmark = pytest.mark.django_db

TEXT_FIELDS = (models.CharField, models.TextField, models.EmailField, models.JSONField)


def _scan(needles) -> list[str]:
    """Every text, char, e-mail and JSON column of every table, searched for each needle
    (JSON also in its escaped form, as SQLite stores it)."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for model_field in model._meta.concrete_fields:
            if not isinstance(model_field, TEXT_FIELDS):
                continue
            for value in model._default_manager.values_list(model_field.attname, flat=True):
                text = json.dumps(value) if not isinstance(value, str) else value
                for needle in needles:
                    if needle.lower() in (text or "").lower():
                        found.append(f"{model._meta.label}.{model_field.name}: {needle}")
    return found


def _erase(user, capture, password="pass-word-123"):
    with capture(execute=True):
        erasure = services.account_erase_request(user=user, password=password)
    erasure.refresh_from_db()
    return erasure


def test_before_erasure_the_scan_finds_the_person(world):
    assert _scan([EMAIL, NAME, PHONE])  # the scan is able to see them


def test_after_erasure_no_column_of_any_table_names_the_person(
        world, django_capture_on_commit_callbacks):
    erasure = _erase(world.person, django_capture_on_commit_callbacks)
    assert erasure.status == Erasure.Status.DONE and erasure.needles == []
    assert _scan([EMAIL, NAME, PHONE, "ivana.brezovac"]) == []


def test_kept_records_stay_and_no_longer_name_the_person(
        world, django_capture_on_commit_callbacks):
    _erase(world.person, django_capture_on_commit_callbacks)
    application = Application.objects.get(pk=world.application.pk)
    assert application.status == "submitted" and application.created_by_id == world.person.pk
    assert "We tested sensors in Opatija." in json.dumps(application.answers)
    assert not Membership.objects.filter(user_id=world.person.pk).exists()
    assert not Registration.objects.filter(user_id=world.person.pk).exists()
    assert Registration.objects.filter(pk=world.other_registration.pk).exists()
    erased = AuditEntry.objects.get(action="privacy.account.erased")
    assert erased.actor is None and "rows" in erased.changes
    assert NAME not in json.dumps(erased.changes) and EMAIL not in erased.target_repr
    # sealed applications of other organisations are untouched
    other = Application.objects.get(pk=world.other_application.pk)
    assert other.answers == world.other_application.answers


def _use_schema_zip_above(monkeypatch):
    """The standards live in shared/standards beside the checkout (or a worktree of it)."""
    from tests.procurement import ocds_schema

    for base in Path(__file__).resolve().parents:
        candidate = base / "shared" / "standards" / ocds_schema.ZIP.name
        if candidate.exists():
            monkeypatch.setattr(ocds_schema, "ZIP", candidate)
            return


def test_ocds_of_the_awarded_call_still_validates(world, django_capture_on_commit_callbacks,
                                                  monkeypatch):
    from procurement import services as procurement
    from tests.factories import UserFactory
    from tests.procurement.conftest import past_deadline
    from tests.procurement.test_ocds import _award

    _use_schema_zip_above(monkeypatch)
    require_zip()
    call = past_deadline(world.call)
    evaluator = UserFactory(email="expert@example.org")
    buyer_admin = call.buyer.memberships.get(role="admin").user
    with django_capture_on_commit_callbacks(execute=True):
        procurement.evaluator_assign(call=call, actor=buyer_admin, evaluator=evaluator,
                                     is_chair=True)
        _award(call, buyer_admin, evaluator, Application.objects.get(pk=world.application.pk))
    _erase(world.person, django_capture_on_commit_callbacks)
    package = Client().get(f"/api/v1/calls/{call.pk}/ocds/").json()
    assert schema_errors(package) == []
    assert package["releases"][-1]["tag"] == ["award"]
    assert EMAIL not in json.dumps(package) and NAME not in json.dumps(package)


def test_the_person_cannot_sign_in_and_the_email_can_register_again(
        world, django_capture_on_commit_callbacks):
    _erase(world.person, django_capture_on_commit_callbacks)
    client = Client()
    response = client.post("/accounts/login/", {"login": EMAIL, "password": "pass-word-123"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert not EmailAddress.objects.filter(email__iexact=EMAIL).exists()
    response = client.post("/accounts/signup/", {
        "email": EMAIL, "password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"})
    assert response.status_code == 302
    new = apps.get_model("ecosystem", "User").objects.get(email=EMAIL)
    assert new.pk != world.person.pk and new.is_active


def test_erasure_is_safe_to_run_twice(world, django_capture_on_commit_callbacks):
    erasure = _erase(world.person, django_capture_on_commit_callbacks)
    counts = dict(erasure.counts)
    Erasure.objects.filter(pk=erasure.pk).update(status=Erasure.Status.PENDING)
    again = services.erasure_run(erasure_id=erasure.pk)
    assert again.status == Erasure.Status.DONE
    assert services.erasure_run(erasure_id=erasure.pk).counts == again.counts
    assert counts  # the first run did the work
    assert AuditEntry.objects.filter(action="privacy.account.erased").count() == 2


def test_wrong_password_and_sole_admin_are_refused(world):
    from ecosystem.errors import Conflict, InvalidInput
    from tests.factories import MembershipFactory, OrganisationFactory

    with pytest.raises(InvalidInput):
        services.account_erase_request(user=world.person, password="wrong")
    solo = OrganisationFactory(name="Solo Studio", slug="solo-studio")
    MembershipFactory(user=world.person, organisation=solo, role=Membership.Role.ADMIN)
    with pytest.raises(Conflict):
        services.account_erase_request(user=world.person, password="pass-word-123")
    world.person.refresh_from_db()
    assert world.person.is_active and not Erasure.objects.exists()


def test_erase_page_links_the_members_page_for_a_sole_admin_and_erases_with_the_password(
        world, django_capture_on_commit_callbacks):
    from tests.factories import MembershipFactory, OrganisationFactory

    client = Client()
    client.force_login(world.person)
    solo = OrganisationFactory(name="Solo Studio", slug="solo-studio")
    membership = MembershipFactory(user=world.person, organisation=solo,
                                   role=Membership.Role.ADMIN)
    page = client.get("/account/erase/")
    assert b"/organisations/solo-studio/members/" in page.content
    assert b'name="password"' not in page.content
    membership.delete()
    page = client.get("/account/erase/")
    assert b'name="password"' in page.content
    response = client.post("/account/erase/", {"password": "nope", "confirm": "on"})
    assert response.status_code == 400 and not Erasure.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/erase/", {"password": "pass-word-123",
                                                   "confirm": "on"})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert Erasure.objects.get().status == Erasure.Status.DONE


def test_scrubbing_replaces_whole_names_only(db, django_capture_on_commit_callbacks):
    from ecosystem.notifications.models import Notification
    from tests.factories import UserFactory

    marko = UserFactory(email="marko@example.org", full_name="Marko")
    ana = UserFactory(email="ana.kos@example.org", full_name="Ana Kos")
    reader = UserFactory(email="reader@example.org", full_name="Reader Person")
    note = Notification.objects.create(
        recipient=reader, kind="k", dedupe_key="n",
        body="Marko Marić met Ana Kos and Ana Kostić; write to ana.kos@example.org.")
    _erase(marko, django_capture_on_commit_callbacks)
    _erase(ana, django_capture_on_commit_callbacks)
    note.refresh_from_db()
    assert note.body == "Marko Marić met [erased] and Ana Kostić; write to [erased]."
