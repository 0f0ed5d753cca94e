"""Reads of organisations, shared by the directory pages and the API."""

from django.db.models import Prefetch, QuerySet

from ecosystem.models import Theme

from . import permissions
from .models import Membership, Organisation


def organisation_list(*, viewer) -> QuerySet[Organisation]:
    return (
        permissions.organisations_visible_to(viewer)
        .select_related("city")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("name", "id")
    )


def organisation_public_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        organisation.memberships.filter(is_public=True, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
