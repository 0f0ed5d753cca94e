"""Sealed means sealed through every door of the admin.

The test walks every registered admin whose model can point at an application or a question
(a foreign key to them, a generic relation, a row pointing at such a record, an outbox row
that names one) and opens, as portal staff with every permission and as a superuser, before
the submission deadline: the list, the list searched for each secret, every row's detail page,
the search that autocomplete uses, and the CSV export of every row. None may show who applied,
the receipt, the documents, or who asked a question.
"""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.fields import GenericForeignKey
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from ecosystem import sealing
from ecosystem.models import AuditEntry
from ecosystem.notifications.models import EmailDelivery, Notification, OutboxMessage
from procurement import services
from procurement.models import Application, Question
from stakeholders.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory

from .conftest import answers_for, past_deadline
from .factories import pdf_upload

pytestmark = pytest.mark.django_db

POINTS_AT = (Application, Question)
# Rows whose JSON payload names a record (the e-mail task names its notification).
NAMES_A_RECORD = (OutboxMessage,)
VIEWS_CHECKED = []


def _points_at_sealed(model, depth=2) -> bool:
    if model in POINTS_AT or model in NAMES_A_RECORD:
        return True
    if any(isinstance(f, GenericForeignKey) for f in model._meta.private_fields):
        return True
    if depth == 0:
        return False
    return any(_points_at_sealed(f.related_model, depth - 1) for f in model._meta.fields
               if f.is_relation and f.many_to_one or getattr(f, "one_to_one", False)
               and f.related_model is not None and f.concrete)


def sealed_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if _points_at_sealed(model)]


@pytest.fixture
def sealed_world(published_call, buyer_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = _sealed_world(published_call, buyer_admin)
    assert Notification.objects.filter(kind="procurement.application_submitted").exists()
    assert EmailDelivery.objects.exists() and OutboxMessage.objects.exists()
    return world


def _sealed_world(published_call, buyer_admin):
    applicant = OrganisationFactory(name="Parkwise Sensors d.o.o.", slug="parkwise")
    officer = MembershipFactory(organisation=applicant, role=Membership.Role.ADMIN,
                                user=UserFactory(email="bid.officer@parkwise.example")).user
    application = services.application_create(call=published_call, organisation=applicant,
                                              actor=officer)
    services.application_update(application=application, actor=officer,
                                answers=answers_for(published_call))
    document = services.application_document_add(
        application=application, actor=officer, upload=pdf_upload("parkwise-offer-secret.pdf"))
    application = services.application_submit(application=application, actor=officer)
    asker_org = OrganisationFactory(name="Curious Mobility Lab", slug="curious-lab")
    asker = MembershipFactory(organisation=asker_org,
                              user=UserFactory(email="quiet.asker@curious.example")).user
    services.question_ask(call=published_call, actor=asker, organisation=asker_org,
                          text="Is a power supply available at each parking bay?")
    # An amendment that asks applicants to confirm: its notice tells who applied.
    services.call_amend(call=published_call, actor=buyer_admin, rationale="Longer deadline.",
                        invalidates=True,
                        submission_deadline=published_call.submission_deadline
                        + timedelta(days=1))
    secrets = [applicant.name, officer.email, application.receipt_sha256,
               document.original_name, document.sha256]
    return {"call": published_call, "application": application, "secrets": secrets,
            "asker": asker, "asker_secrets": [asker.email, asker_org.name]}


def _viewers():
    everything = StaffFactory(email="staff.all.permissions@city.example")
    everything.user_permissions.set(Permission.objects.all())
    superuser = StaffFactory(email="root@city.example", is_superuser=True)
    return [everything, superuser]


def _assert_hidden(text: str, secrets, where: str):
    for secret in secrets:
        assert secret not in text, f"{where} shows {secret!r}"
    VIEWS_CHECKED.append(where)


def _open_every_door(client, viewer, model, model_admin, secrets):
    opts = model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    changelist = reverse(f"{base}_changelist")
    response = client.get(changelist)
    assert response.status_code == 200, changelist
    _assert_hidden(response.content.decode(), secrets, changelist)
    for term in secrets:
        # The search box repeats the term: look at the results only.
        page = client.get(changelist, {"q": term}).content.decode()
        results = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if (
            'id="result_list"' in page) else ""
        results = re.sub(r'href="[^"]*"', "", results)  # row links repeat the search
        _assert_hidden(results, secrets, f"{changelist}?q={term}")
    # The search autocomplete uses (get_search_results on get_queryset).
    request = RequestFactory().get(changelist)
    request.user = viewer
    for term in secrets:
        found, _ = model_admin.get_search_results(request, model_admin.get_queryset(request), term)
        shown = " ".join(str(row) for row in found)
        _assert_hidden(shown, secrets, f"search {opts.label} {term}")
    pks = list(model._default_manager.values_list("pk", flat=True))
    for pk in pks:
        response = client.get(reverse(f"{base}_change", args=[pk]), follow=True)
        _assert_hidden(response.content.decode(), secrets, f"{opts.label} #{pk}")
    export = [name for name, (func, *_rest) in model_admin.get_actions(request).items()
              if name == "export_csv"]
    if export and pks:
        response = client.post(changelist, {"action": "export_csv", "_selected_action": pks,
                                            "select_across": "1"})
        body = b"".join(response.streaming_content).decode() if response.streaming else (
            response.content.decode())
        _assert_hidden(body, secrets, f"{changelist} CSV")


def test_every_admin_that_can_point_at_an_application_keeps_it_sealed(sealed_world):
    VIEWS_CHECKED.clear()
    admins = sealed_admins()
    models = {model for model, _ in admins}
    assert {AuditEntry, Notification, EmailDelivery, OutboxMessage, Application,
            Question} <= models
    for viewer in _viewers():
        client = Client()
        client.force_login(viewer)
        for model, model_admin in admins:
            _open_every_door(client, viewer, model, model_admin, sealed_world["secrets"])
    print(f"\n{len(VIEWS_CHECKED)} admin views checked for sealing across {len(admins)} admins")
    assert len(VIEWS_CHECKED) > 100


def test_who_asked_a_question_is_never_shown(sealed_world, portal_staff):
    past_deadline(sealed_world["call"])
    admins = [(m, a) for m, a in sealed_admins() if m in (AuditEntry, Question)]
    portal_staff.is_superuser = True
    portal_staff.save()
    client = Client()
    client.force_login(portal_staff)
    for model, model_admin in admins:
        _open_every_door(client, portal_staff, model, model_admin,
                         sealed_world["asker_secrets"][:1])
    entry = AuditEntry.objects.get(action="procurement.question.asked")
    assert sealing.actor_hidden(entry)


def test_after_the_deadline_staff_see_the_trail(sealed_world, portal_staff):
    application = sealed_world["application"]
    officer = str(application.created_by)
    services.application_submit(application=application, actor=application.created_by)
    past_deadline(sealed_world["call"])
    portal_staff.is_superuser = True
    portal_staff.save()
    client = Client()
    client.force_login(portal_staff)
    listing = client.get("/admin/ecosystem/auditentry/", {"q": "application"}).content.decode()
    assert "procurement.application.submitted" in listing
    assert officer in listing
    receipts = client.get("/admin/notifications/notification/").content.decode()
    assert "Receipt" in receipts or "receipt" in receipts


def test_delivered_records_are_read_only(sealed_world, portal_staff):
    past_deadline(sealed_world["call"])
    portal_staff.is_superuser = True
    portal_staff.save()
    client = Client()
    client.force_login(portal_staff)
    notification = Notification.objects.filter(kind="procurement.call_amended").first()
    url = f"/admin/notifications/notification/{notification.pk}/change/"
    assert client.get(url).status_code == 200
    client.post(url, {"subject": "Changed by staff", "recipient": notification.recipient_id,
                      "kind": notification.kind, "dedupe_key": "x", "created_at_0": "2026-01-01",
                      "created_at_1": "10:00"})
    notification.refresh_from_db()
    assert notification.subject != "Changed by staff"
    for name in ("notification", "emaildelivery"):
        app = "notifications"
        assert client.get(f"/admin/{app}/{name}/add/").status_code == 403
    assert client.get(f"/admin/notifications/notification/{notification.pk}/delete/"
                      ).status_code == 403
    entry = AuditEntry.objects.first()
    assert client.get(f"/admin/ecosystem/auditentry/{entry.pk}/delete/").status_code == 403


def test_the_policy_answers_for_one_record_and_for_a_list(sealed_world, portal_staff):
    entry = AuditEntry.objects.get(action="procurement.application.submitted")
    assert not sealing.record_visible(entry, portal_staff, kind_field="action")
    officer = sealed_world["application"].created_by
    assert sealing.record_visible(entry, officer, kind_field="action")
    later = timezone.now() + timedelta(days=30)
    # Sent back by the amendment, it is not submitted: sealed for staff even after the deadline.
    assert not sealing.record_visible(entry, portal_staff, kind_field="action", now=later)
    services.application_submit(application=sealed_world["application"], actor=officer)
    assert sealing.record_visible(entry, portal_staff, kind_field="action", now=later)


def test_the_buyer_desk_trail_never_shows_a_withdrawn_application(published_call, buyer_admin,
                                                                 org_a, admin_a, org_b, admin_b):
    """After the deadline the buyer's trail lists the submitted applications' entries; an
    application withdrawn before the deadline stays unseen (nobody learns it was there)."""
    from procurement import selectors
    from tests.procurement.conftest import submitted_application

    kept = submitted_application(published_call, org_a, admin_a)
    gone = submitted_application(published_call, org_b, admin_b)
    services.application_withdraw(application=gone, actor=admin_b)
    before = selectors.call_audit_trail(call=published_call, viewer=buyer_admin)
    assert not before.filter(target_id__in=[str(kept.pk), str(gone.pk)],
                             action__startswith="procurement.application").exists()
    call = past_deadline(published_call)
    client = Client()
    client.force_login(buyer_admin)
    page = client.get(f"/calls/{call.slug}/manage/").content.decode()
    trail = page[page.index('id="audit-heading"'):]
    after = selectors.call_audit_trail(call=call, viewer=buyer_admin)
    submitted = after.get(target_id=str(kept.pk), action="procurement.application.submitted")
    assert escape(submitted.target_repr) in trail
    assert not after.filter(target_id=str(gone.pk)).exists()
    assert admin_b.email not in trail and org_b.name not in trail


def test_nobody_sees_who_follows_a_call_before_its_deadline(published_call):
    from ecosystem.notifications.models import Follow
    from ecosystem.notifications.services import follow

    watcher = UserFactory(email="keen.bidder@rival.example")
    follow(user=watcher, target=published_call)
    superuser = UserFactory(email="root@city.example", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    listing = client.get("/admin/notifications/follow/", {"q": "keen"})
    assert listing.status_code == 200 and escape(str(watcher)) not in listing.content.decode()
    pk = Follow.objects.get(user=watcher).pk
    assert client.get(f"/admin/notifications/follow/{pk}/change/").status_code == 302
    past_deadline(published_call)
    listing = client.get("/admin/notifications/follow/", {"q": "keen"}).content.decode()
    assert escape(str(watcher)) in listing
