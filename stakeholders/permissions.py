"""Who may do what with organisations. Each rule answers for one object and as a QuerySet,
so lists and details never disagree."""

from django.db.models import QuerySet

from .models import Membership, Organisation


def _is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """The directory is public: every organisation, verified or not (shown as unverified)."""
    return Organisation.objects.all()


def organisations_administered_by(user) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if user.is_staff:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.ADMIN
    )


def organisations_of_member(user) -> QuerySet[Organisation]:
    """Organisations the user belongs to, in any role (staff get no extra ones here)."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def can_change_organisation(user, organisation: Organisation) -> bool:
    if _is_staff(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user=user, organisation=organisation, role=Membership.Role.ADMIN
    ).exists()


def can_manage_members(user, organisation: Organisation) -> bool:
    return can_change_organisation(user, organisation)


def can_verify_organisation(user, organisation: Organisation | None = None) -> bool:
    return _is_staff(user)


def can_create_organisation(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_member(user, organisation: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()
