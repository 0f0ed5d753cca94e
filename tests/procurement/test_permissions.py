"""The permission matrix: every procurement route (web and API) for every role, before and after
the submission deadline. Nobody sees or changes what is not theirs; sealed stays sealed."""

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from procurement import services
from procurement.models import Application, Call, ConflictDeclaration, Question
from stakeholders.models import Membership
from tests.factories import MembershipFactory, StaffFactory, UserFactory

from .conftest import answers_for, past_deadline
from .factories import BuyerFactory, CallFactory, pdf_upload

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "applicant_a", "applicant_b", "evaluator", "evaluator_conflict",
         "buyer_staff", "other_city", "portal_staff"]
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
BUYER = {"buyer_staff", "portal_staff"}


def build_world(*, unsealed: bool) -> dict:
    buyer = BuyerFactory(name="City of Rijeka", slug="city-of-rijeka")
    w = {
        "buyer_staff": MembershipFactory(organisation=buyer, role=Membership.Role.ADMIN).user,
        "other_city": MembershipFactory(organisation=BuyerFactory(name="Karlsruhe"),
                                        role=Membership.Role.ADMIN).user,
        "portal_staff": StaffFactory(),
        "citizen": UserFactory(),
        "evaluator": UserFactory(),
        "evaluator_conflict": UserFactory(),
    }
    org_a = MembershipFactory(role=Membership.Role.ADMIN).organisation
    org_b = MembershipFactory(role=Membership.Role.ADMIN).organisation
    w["applicant_a"] = org_a.memberships.get().user
    w["applicant_b"] = org_b.memberships.get().user
    call = services.call_publish(call=CallFactory(buyer=buyer), actor=w["buyer_staff"])
    w["draft"] = CallFactory(buyer=buyer)
    services.evaluator_assign(call=call, actor=w["buyer_staff"], evaluator=w["evaluator"],
                              is_chair=True)
    services.evaluator_assign(call=call, actor=w["buyer_staff"],
                              evaluator=w["evaluator_conflict"])
    applications = {}
    for key, org in (("a", org_a), ("b", org_b)):
        user = w[f"applicant_{key}"]
        application = services.application_create(call=call, organisation=org, actor=user)
        services.application_update(application=application, actor=user,
                                    answers=answers_for(call))
        w[f"doc_{key}"] = services.application_document_add(application=application, actor=user,
                                                            upload=pdf_upload())
        applications[key] = services.application_submit(application=application, actor=user)
    w["app_a"], w["app_b"] = applications["a"], applications["b"]
    w["question"] = services.question_ask(call=call, actor=w["applicant_b"], organisation=org_b,
                                          text="Which frequency?")
    if unsealed:
        call = past_deadline(call)
        services.conflict_declare(application=w["app_a"], actor=w["evaluator"], has_conflict=False)
        services.conflict_declare(application=w["app_b"], actor=w["evaluator"], has_conflict=False)
        services.conflict_declare(application=w["app_a"], actor=w["evaluator_conflict"],
                                  has_conflict=True)
        services.conflict_declare(application=w["app_b"], actor=w["evaluator_conflict"],
                                  has_conflict=False)
        w["sheet_a"] = services.scoresheet_save(
            application=w["app_a"], actor=w["evaluator"],
            scores={c.pk: ("5", "ok") for c in call.criteria.all()})
    w["call"] = call
    w["call_doc"] = None
    return w


def fmt(url: str, w: dict) -> str:
    return url.format(
        slug=w["call"].slug, call=w["call"].pk, draft=w["draft"].slug, draft_id=w["draft"].pk,
        a=w["app_a"].pk, b=w["app_b"].pk, doc_a=w["doc_a"].pk, question=w["question"].pk,
        sheet=w.get("sheet_a").pk if w.get("sheet_a") else 0,
    )


def client_for(role: str, w: dict, api: bool):
    client = APIClient() if api else Client()
    if role != "anonymous":
        client.force_login(w[role])
    return client


# (method, url, allowed roles before the deadline, allowed roles after it)
WEB_READS = [
    ("/calls/", EVERYONE, EVERYONE),
    ("/calls/{slug}/", EVERYONE, EVERYONE),
    ("/calls/{draft}/", BUYER, BUYER),
    ("/calls/new/", BUYER | {"other_city"}, BUYER | {"other_city"}),  # for their own city
    ("/calls/{slug}/manage/", BUYER, BUYER),
    ("/calls/{slug}/edit/", BUYER, BUYER),
    ("/calls/{slug}/applications/{a}/", set(), BUYER),
    ("/calls/{draft}/edit/", BUYER, BUYER),
    ("/applications/", SIGNED_IN, SIGNED_IN),
    ("/applications/{a}/", {"applicant_a"}, {"applicant_a"}),
    ("/application-documents/{doc_a}/", {"applicant_a"},
     {"applicant_a", "evaluator", "buyer_staff", "portal_staff"}),
    ("/evaluation/", SIGNED_IN, SIGNED_IN),
    ("/evaluation/calls/{slug}/", {"evaluator", "evaluator_conflict"},
     {"evaluator", "evaluator_conflict"}),
    ("/evaluation/applications/{a}/", set(), {"evaluator"}),
    ("/evaluation/applications/{b}/", set(), {"evaluator", "evaluator_conflict"}),
]
API_READS = [
    ("/api/v1/calls/", EVERYONE, EVERYONE),
    ("/api/v1/calls/{call}/", EVERYONE, EVERYONE),
    ("/api/v1/calls/{draft_id}/", BUYER, BUYER),
    ("/api/v1/calls/{call}/ocds/", EVERYONE, EVERYONE),
    ("/api/v1/calls/{draft_id}/ocds/", BUYER, BUYER),
    ("/api/v1/calls/{call}/questions/", EVERYONE, EVERYONE),
    ("/api/v1/ocds/releases/", EVERYONE, EVERYONE),
    ("/api/v1/ocds/releases/stream/", EVERYONE, EVERYONE),
    ("/api/v1/applications/", SIGNED_IN, SIGNED_IN),
    ("/api/v1/applications/{a}/", {"applicant_a"}, {"applicant_a"}),
    ("/api/v1/applications/{a}/documents/", {"applicant_a"}, {"applicant_a"}),
    ("/api/v1/applications/{a}/documents/{doc_a}/", {"applicant_a"}, {"applicant_a"}),
    ("/api/v1/scoresheets/", SIGNED_IN, SIGNED_IN),
    ("/api/v1/scoresheets/{sheet}/", set(), {"evaluator"}),
]


def _denied(response, role, api):
    if role == "anonymous":
        return response.status_code in ((401, 403, 404) if api else (302, 404))
    return response.status_code == 404


@pytest.mark.parametrize("unsealed", [False, True], ids=["before-deadline", "after-deadline"])
@pytest.mark.parametrize("role", ROLES)
def test_reads(role, unsealed):
    w = build_world(unsealed=unsealed)
    for api, routes in ((False, WEB_READS), (True, API_READS)):
        client = client_for(role, w, api)
        for url, before, after in routes:
            allowed = after if unsealed else before
            response = client.get(fmt(url, w))
            if role in allowed:
                # 200, or a redirect inside the call's pages (e.g. editing a closed call)
                assert response.status_code == 200 or (
                    response.status_code == 302 and "login" not in response["Location"]
                ), (url, role, response.status_code)
            else:
                assert _denied(response, role, api), (url, role, response.status_code)


@pytest.mark.parametrize("unsealed", [False, True], ids=["before-deadline", "after-deadline"])
@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_ones_own(role, unsealed):
    w = build_world(unsealed=unsealed)
    if role == "anonymous":
        return
    client = client_for(role, w, api=True)
    ids = {row["id"] for row in client.get("/api/v1/applications/").json()["results"]}
    expected = {"applicant_a": {w["app_a"].pk}, "applicant_b": {w["app_b"].pk}}.get(role, set())
    assert ids == expected
    sheets = {row["id"] for row in client.get("/api/v1/scoresheets/").json()["results"]}
    assert sheets == ({w["sheet_a"].pk} if unsealed and role == "evaluator" else set())
    page = client_for(role, w, api=False).get("/applications/").content.decode()
    other = {"applicant_a": w["app_b"], "applicant_b": w["app_a"]}.get(role)
    if other is not None:
        assert other.organisation.name not in page
    calls = {row["id"] for row in client.get("/api/v1/calls/").json()["results"]}
    assert (w["draft"].pk in calls) == (role in BUYER)


def _state(w) -> tuple:
    app_a = Application.objects.get(pk=w["app_a"].pk)
    return (app_a.status, app_a.documents.count(), Question.objects.get(pk=w["question"].pk).answer,
            Call.objects.get(pk=w["call"].pk).status, Call.objects.get(pk=w["draft"].pk).status,
            w["call"].evaluators.count(), ConflictDeclaration.objects.count())


# (method, url, data, allowed before the deadline, allowed after it); web and API writes
WRITES = [
    (False, "/applications/{a}/withdraw/", {}, {"applicant_a"}, set()),
    (False, "/applications/{a}/documents/", "upload", set(), set()),  # submitted: nobody
    (False, "/application-documents/{doc_a}/delete/", {}, set(), set()),
    (False, "/questions/{question}/answer/", {"answer": "EU868"}, BUYER, set()),
    (False, "/calls/{draft}/publish/", {}, BUYER, BUYER),
    (False, "/calls/{slug}/end/", {"outcome": "cancelled", "reason": "No budget"}, BUYER, BUYER),
    (False, "/calls/{slug}/evaluators/", {"email": "new-expert@example.org"}, BUYER, BUYER),
    (False, "/evaluation/applications/{b}/declare/", {"has_conflict": "no"}, set(), set()),
    (True, "/api/v1/applications/{a}/withdraw/", {}, {"applicant_a"}, set()),
    (True, "/api/v1/applications/{a}/", {"answers": {}}, set(), set()),
    (True, "/api/v1/calls/{call}/questions/", {"organisation": "x", "text": "?"}, set(), set()),
    (True, "/api/v1/conflict-declarations/", {"application": "{b}", "has_conflict": False},
     set(), set()),
]


@pytest.mark.parametrize("unsealed", [False, True], ids=["before-deadline", "after-deadline"])
@pytest.mark.parametrize("role", ROLES)
def test_writes(role, unsealed):
    """Nobody but the rightful role changes anything; after the deadline applications freeze.
    Each route runs in a savepoint that is rolled back, so every route sees the same world."""
    UserFactory(email="new-expert@example.org")
    w = build_world(unsealed=unsealed)
    for api, url, data, before, after in WRITES:
        allowed = role in (after if unsealed else before)
        with transaction.atomic():
            state = _state(w)
            client = client_for(role, w, api)
            if data == "upload":
                data = {"file": pdf_upload()}
            elif isinstance(data, dict):
                data = {k: (fmt(v, w) if isinstance(v, str) and "{" in v else v)
                        for k, v in data.items()}
            path = fmt(url, w)
            if api and url.endswith("{a}/"):
                response = client.patch(path, data, format="json")
            elif api:
                response = client.post(path, data, format="json")
            else:
                response = client.post(path, data)
            changed = _state(w) != state
            transaction.set_rollback(True)
        assert changed == allowed, (url, role, response.status_code)
        if not allowed:
            assert response.status_code in (302, 400, 401, 403, 404, 409), (url, role)


def test_the_public_sees_every_state_but_a_draft():
    """``calls_visible_to`` says "not a draft" (so the list reads its order index); that is
    exactly ``Call.PUBLIC_STATES``, for calls in every state."""
    from procurement.permissions import calls_visible_to

    assert set(Call.PUBLIC_STATES) == set(Call.Status.values) - {Call.Status.DRAFT}
    buyer = BuyerFactory()
    for value in Call.Status.values:
        CallFactory(buyer=buyer, status=value, slug=f"call-{value}",
                    cancellation_reason="No budget." if value == Call.Status.CANCELLED else "")
    for viewer in (None, UserFactory()):
        visible = set(calls_visible_to(viewer).values_list("status", flat=True))
        assert visible == set(Call.PUBLIC_STATES)
