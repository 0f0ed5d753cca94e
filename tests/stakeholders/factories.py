"""Factories of the stakeholders tests (people, organisations and cities are in tests/factories)."""

import factory

from stakeholders.models import Competence, Invitation
from tests.factories import OrganisationFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")


class CompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competence
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Competence {n}")
    slug = factory.Sequence(lambda n: f"competence-{n}")
