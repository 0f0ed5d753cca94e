from datetime import timedelta

import pytest
from django.utils import timezone

from procurement import services
from procurement.models import Application, Call
from stakeholders.models import Membership, OrganisationKind
from tests.browser.conftest import axe, browser, page, shot  # noqa: F401 (fixtures)
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory

from .factories import BuyerFactory, CallFactory


@pytest.fixture
def buyer(db):
    return BuyerFactory(name="City of Rijeka", slug="city-of-rijeka")


@pytest.fixture
def buyer_admin(buyer):
    return MembershipFactory(organisation=buyer, role=Membership.Role.ADMIN,
                             user=UserFactory(email="officer@rijeka.example")).user


@pytest.fixture
def buyer_member(buyer):
    return MembershipFactory(organisation=buyer, user=UserFactory(email="clerk@rijeka.example")).user


@pytest.fixture
def other_city_admin(db):
    other = BuyerFactory(name="City of Karlsruhe", slug="city-of-karlsruhe", country="DE")
    return MembershipFactory(organisation=other, role=Membership.Role.ADMIN,
                             user=UserFactory(email="officer@karlsruhe.example")).user


@pytest.fixture
def evaluator(db):
    return UserFactory(email="expert@example.org")


@pytest.fixture
def evaluator2(db):
    return UserFactory(email="expert2@example.org")


@pytest.fixture
def large_org(db):
    return OrganisationFactory(name="Mega Corp", slug="mega-corp", kind=OrganisationKind.LARGE)


@pytest.fixture
def draft_call(buyer):
    return CallFactory(buyer=buyer)


@pytest.fixture
def published_call(draft_call, buyer_admin):
    return services.call_publish(call=draft_call, actor=buyer_admin)


def answers_for(call: Call) -> dict:
    return {str(c.pk): f"We address {c.name.lower()} with a tested solution."
            for c in call.criteria.all()}


def submitted_application(call, organisation, user) -> Application:
    application = services.application_create(call=call, organisation=organisation, actor=user)
    services.application_update(application=application, actor=user, answers=answers_for(call))
    return services.application_submit(application=application, actor=user)


def past_deadline(call: Call) -> Call:
    """Move the deadlines into the past without beat running (status stays 'published')."""
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(
        clarification_deadline=now - timedelta(days=2), submission_deadline=now - timedelta(seconds=1))
    call.refresh_from_db()
    return call


@pytest.fixture
def evaluation_call(published_call, org_a, admin_a, org_b, admin_b, buyer_admin, evaluator,
                    evaluator2):
    """Two submitted applications (A, B), past the deadline, two evaluators (one chair)."""
    services.evaluator_assign(call=published_call, actor=buyer_admin, evaluator=evaluator,
                              is_chair=True)
    services.evaluator_assign(call=published_call, actor=buyer_admin, evaluator=evaluator2)
    submitted_application(published_call, org_a, admin_a)
    submitted_application(published_call, org_b, admin_b)
    return past_deadline(published_call)


@pytest.fixture
def portal_staff(db):
    return StaffFactory(email="portal@city.example")
