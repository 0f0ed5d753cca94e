"""Every write to organisations and memberships."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.audit import audit
from ecosystem.errors import InvalidTransition, NotAllowed
from ecosystem.text import unique_slug

from . import permissions
from .models import KIND_HELIX, Membership, Organisation

ORGANISATION_FIELDS = (
    "name", "kind", "helix", "country", "nuts_region", "city", "website", "description",
    "logo", "size", "employees",
)


@transaction.atomic
def organisation_create(*, actor, themes=(), competences=(), **fields) -> Organisation:
    """Create an organisation; the actor becomes its first admin. Staff verify it later."""
    if not permissions.can_create_organisation(actor):
        raise NotAllowed(_("Sign in to register an organisation."))
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    fields.setdefault("helix", KIND_HELIX.get(fields.get("kind"), ""))
    organisation = Organisation(
        **fields, slug=unique_slug(Organisation, fields.get("name", "")), created_by=actor
    )
    organisation.full_clean()
    organisation.save()
    organisation.themes.set(themes)
    organisation.competences.set(competences)
    Membership.objects.create(user=actor, organisation=organisation, role=Membership.Role.ADMIN)
    audit(actor=actor, action="stakeholders.organisation.created", target=organisation)
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor, themes=None, competences=None, **fields
) -> Organisation:
    if not permissions.can_change_organisation(actor, organisation):
        raise NotAllowed(_("Only the organisation's administrators can change it."))
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changes = {}
    for name, value in fields.items():
        if getattr(organisation, name) != value:
            changes[name] = str(value)
            setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    if themes is not None:
        organisation.themes.set(themes)
        changes["themes"] = sorted(theme.slug for theme in themes)
    if competences is not None:
        organisation.competences.set(competences)
    audit(actor=actor, action="stakeholders.organisation.updated", target=organisation,
          changes=changes)
    return organisation


@transaction.atomic
def organisation_verify(*, organisation: Organisation, actor, verified: bool = True) -> Organisation:
    if not permissions.can_verify_organisation(actor, organisation):
        raise NotAllowed(_("Only portal staff verify organisations."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verified == verified:
        return organisation
    organisation.verified = verified
    organisation.verified_at = timezone.now() if verified else None
    organisation.save(update_fields=["verified", "verified_at", "updated_at"])
    audit(
        actor=actor,
        action="stakeholders.organisation.verified" if verified else "stakeholders.organisation.unverified",
        target=organisation,
    )
    return organisation


def _lock_admins(organisation: Organisation) -> list[Membership]:
    return list(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=Membership.Role.ADMIN)
        .order_by("pk")
    )


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    """An admin removes a member, or a member leaves. The last admin can never go."""
    organisation = membership.organisation
    leaving_self = membership.user_id == getattr(actor, "pk", None)
    if not leaving_self and not permissions.can_manage_members(actor, organisation):
        raise NotAllowed(_("Only the organisation's administrators can remove members."))
    admins = _lock_admins(organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Membership.Role.ADMIN and len(admins) <= 1:
        raise InvalidTransition(
            _("The last administrator cannot leave: hand the admin role to a colleague first."),
            code="last_admin",
        )
    audit(
        actor=actor,
        action="stakeholders.membership.left" if leaving_self else "stakeholders.membership.removed",
        target=organisation,
        changes={"user": membership.user.email},
    )
    membership.delete()


@transaction.atomic
def membership_set_role(*, membership: Membership, actor, role: str) -> Membership:
    """Make a member an admin, or an admin a member (never the last admin)."""
    organisation = membership.organisation
    if not permissions.can_manage_members(actor, organisation):
        raise NotAllowed(_("Only the organisation's administrators can change roles."))
    admins = _lock_admins(organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role == membership.role:
        return membership
    if membership.role == Membership.Role.ADMIN and len(admins) <= 1:
        raise InvalidTransition(
            _("The organisation needs at least one administrator."), code="last_admin"
        )
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    audit(actor=actor, action="stakeholders.membership.role_changed", target=organisation,
          changes={"user": membership.user.email, "role": role})
    return membership


@transaction.atomic
def admin_handover(*, organisation: Organisation, actor, to: Membership) -> Membership:
    """The acting admin hands the admin role to a colleague and becomes a member."""
    if to.organisation_id != organisation.pk:
        raise NotAllowed(_("That person is not a member of this organisation."))
    mine = Membership.objects.filter(
        organisation=organisation, user=actor, role=Membership.Role.ADMIN
    ).first()
    if mine is None:
        raise NotAllowed(_("Only an administrator can hand over the admin role."))
    membership_set_role(membership=to, actor=actor, role=Membership.Role.ADMIN)
    return membership_set_role(membership=mine, actor=actor, role=Membership.Role.MEMBER)


@transaction.atomic
def membership_set_visibility(*, membership: Membership, actor, is_public: bool) -> Membership:
    if membership.user_id != getattr(actor, "pk", None):
        raise NotAllowed(_("Only the person themself decides whether they are shown."))
    membership.is_public = is_public
    membership.save(update_fields=["is_public"])
    return membership
