"""Races on PostgreSQL: the row locks in the services keep the invariants."""

import threading

import pytest
from django.db import connection

from ecosystem.errors import DomainError
from stakeholders import services
from stakeholders.models import Invitation, Membership
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite locks the whole database: races need PostgreSQL"),
]


def _race(*calls):
    """Run the calls at the same moment in threads; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results[index] = call()
        except DomainError as exc:
            results[index] = exc
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_admins_leaving_at_once_leave_one_behind():
    organisation = OrganisationFactory()
    first = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    second = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    results = _race(
        lambda: services.membership_remove(membership=first, actor=first.user),
        lambda: services.membership_remove(membership=second, actor=second.user),
    )
    errors = [result for result in results if isinstance(result, DomainError)]
    assert len(errors) == 1 and errors[0].code == "last_admin"
    assert organisation.memberships.filter(role=Membership.Role.ADMIN).count() == 1


def test_two_admins_demoting_each_other_at_once_keep_an_admin():
    organisation = OrganisationFactory()
    first = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    second = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    _race(
        lambda: services.membership_set_role(membership=second, actor=first.user, role="member"),
        lambda: services.membership_set_role(membership=first, actor=second.user, role="member"),
    )
    assert organisation.memberships.filter(role=Membership.Role.ADMIN).count() >= 1


def test_the_same_address_invited_twice_at_once_gets_one_invitation():
    organisation = OrganisationFactory()
    admins = [MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user for _ in range(2)]
    results = _race(*[
        (lambda admin=admin: services.invitation_create(
            organisation=organisation, actor=admin, email="colleague@example.org"))
        for admin in admins
    ])
    assert sum(isinstance(result, Invitation) for result in results) == 1
    assert Invitation.objects.filter(email="colleague@example.org").count() == 1


def test_accepting_the_same_link_twice_at_once_makes_one_membership():
    from stakeholders import selectors

    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    invitation = services.invitation_create(organisation=organisation, actor=admin, email="colleague@example.org")
    person = UserFactory(email="colleague@example.org")
    token = selectors.invitation_token(invitation)
    results = _race(
        lambda: services.invitation_accept(token=token, actor=person),
        lambda: services.invitation_accept(token=token, actor=person),
    )
    assert all(isinstance(result, Membership) for result in results), results
    assert Membership.objects.filter(user=person, organisation=organisation).count() == 1
