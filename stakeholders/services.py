"""Every write to organisations and memberships."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ecosystem.audit import audit
from ecosystem.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from ecosystem.matching import services as matching
from ecosystem.notifications.outbox import outbox_enqueue
from ecosystem.notifications.services import notify
from ecosystem.search import index as search_index
from ecosystem.text import unique_slug

from . import permissions, selectors
from .models import INVITATION_VALIDITY, KIND_HELIX, Invitation, Membership, Organisation

# Paths under /organisations/ that an organisation's slug must never shadow.
RESERVED_SLUGS = {"new", "mine"}
# An organisation cannot be used to mail strangers in bulk.
MAX_PENDING_INVITATIONS = 50

# A change to these refreshes the organisation's recommendations.
PROFILE_FIELDS = {"themes", "kind", "helix", "country", "nuts_region", "city", "description",
                  "size", "cpv_interests"}

ORGANISATION_FIELDS = (
    "name", "kind", "helix", "country", "nuts_region", "city", "website", "description",
    "logo", "size", "employees", "cpv_interests", "partner_suggestions_opt_out",
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
    name = fields.get("name", "")
    slug = unique_slug(Organisation, name)
    if slug in RESERVED_SLUGS:
        slug = unique_slug(Organisation, f"{name} organisation")
    organisation = Organisation(**fields, slug=slug, created_by=actor)
    organisation.full_clean()
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:  # the same name registered at the same moment
        raise Conflict(_("An organisation with this name was just registered. Please try again."),
                       code="slug_taken") from exc
    organisation.themes.set(themes)
    organisation.competences.set(competences)
    Membership.objects.create(user=actor, organisation=organisation, role=Membership.Role.ADMIN)
    audit(actor=actor, action="stakeholders.organisation.created", target=organisation)
    search_index.refresh(organisation)
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
    if "kind" in fields and "helix" not in fields:
        fields["helix"] = KIND_HELIX.get(fields["kind"], organisation.helix)
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
    search_index.refresh(organisation)
    if changes.keys() & PROFILE_FIELDS or competences is not None:
        # What it is recommended depends on these: recompute after commit.
        matching.queue_organisation_refresh(organisation_ids=[organisation.pk])
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
    if verified:
        notify(
            kind="stakeholders.organisation_verified",
            target=organisation,
            recipients=selectors.organisation_admins(organisation=organisation),
            actor=actor,
            dedupe_key=f"stakeholders.organisation_verified:{organisation.pk}:{organisation.verified_at:%s}",
        )
    search_index.refresh(organisation)
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
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_public != is_public:
        membership.is_public = is_public
        membership.save(update_fields=["is_public"])
        audit(actor=actor, action="stakeholders.membership.visibility_changed",
              target=membership.organisation, changes={"is_public": is_public})
    return membership


# Invitations ---------------------------------------------------------------------------------


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput(
            _("Enter a valid e-mail address."), code="invalid_email", fields={"email": exc.messages}
        ) from exc
    return email


def membership_record_admin_edit(*, membership: Membership, actor, verb: str,
                                 fields=()) -> None:
    """Staff added, changed or deleted a membership in the admin: on the organisation's
    audit trail like every membership change (``verb``: added, changed or deleted)."""
    audit(actor=actor, action=f"stakeholders.membership.{verb}", target=membership.organisation,
          changes={"user": membership.user_id, "role": membership.role,
                   "is_public": membership.is_public, "fields": sorted(fields),
                   "through": "admin"})


INVITATION_SEND_TASK = "stakeholders.invitation_send"


def _queue_invitation_email(invitation: Invitation) -> None:
    """Through the outbox, like every e-mail: written in the caller's transaction, published
    after commit, retried with backoff while the mail server or the broker is away."""
    outbox_enqueue(task=INVITATION_SEND_TASK, payload={"invitation_id": invitation.pk})


def invitation_email_send(*, invitation_id: int) -> bool:
    """E-mail the invitation link, if the invitation is still open when this runs."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open(timezone.now()):
        return False
    # The recipient's language: their account's when they have one; otherwise the inviter's
    # is the best guess (a colleague of the same organisation).
    invitee = get_user_model().objects.filter(email__iexact=invitation.email).first()
    language = (
        getattr(invitee, "language", None) or getattr(invitation.invited_by, "language", None)
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "inviter": invitation.invited_by,
            "url": settings.SITE_URL + selectors.invitation_url(invitation),
            "site_name": settings.SITE_NAME,
        }
        subject = render_to_string("stakeholders/email/invitation_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("stakeholders/email/invitation.txt", context),
            to=[invitation.email],
        )
        message.attach_alternative(
            render_to_string("stakeholders/email/invitation.html", context), "text/html"
        )
        message.send()
    return True


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, actor, email: str, role: str = Membership.Role.MEMBER,
    now: datetime | None = None,
) -> Invitation:
    """An admin invites a colleague by e-mail; the e-mail carries a signed, expiring link."""
    if not permissions.can_manage_members(actor, organisation):
        raise NotAllowed(_("Only the organisation's administrators can invite people."))
    now = now or timezone.now()
    email = _normalise_email(email)
    if role not in Membership.Role.values:
        raise InvalidInput(_("Choose a valid role."), code="invalid_role", fields={"role": [_("Choose a valid role.")]})
    # Lock the organisation so two admins inviting the same address at once get one invitation.
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise Conflict(_("%(email)s is already a member of this organisation.") % {"email": email},
                       code="already_member")
    open_count = organisation.invitations.filter(
        status=Invitation.Status.PENDING, expires_at__gt=now
    ).count()
    if open_count >= MAX_PENDING_INVITATIONS:
        raise Conflict(
            _("%(count)s invitations are still waiting for an answer. Withdraw some before "
              "inviting more people.") % {"count": open_count},
            code="too_many_invitations",
        )
    pending = (
        Invitation.objects.select_for_update()
        .filter(organisation=organisation, email__iexact=email, status=Invitation.Status.PENDING)
        .first()
    )
    if pending is not None:
        if pending.expires_at > now:
            raise Conflict(
                _("%(email)s already has a pending invitation. Send it again from the list instead.")
                % {"email": email},
                code="invitation_pending",
            )
        pending.status = Invitation.Status.EXPIRED
        pending.save(update_fields=["status"])
    invitation = Invitation(
        organisation=organisation, email=email, role=role, invited_by=actor,
        created_at=now, expires_at=now + INVITATION_VALIDITY,
    )
    invitation.full_clean()
    invitation.save()
    audit(actor=actor, action="stakeholders.invitation.created", target=organisation,
          changes={"email": email, "role": role})
    _queue_invitation_email(invitation)
    return invitation


def _lock_invitation(invitation: Invitation, actor) -> Invitation:
    if not permissions.can_manage_members(actor, invitation.organisation):
        raise NotAllowed(_("Only the organisation's administrators can manage invitations."))
    return Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor, now: datetime | None = None) -> Invitation:
    """Send a pending invitation again; its link is valid for another full period."""
    now = now or timezone.now()
    invitation = _lock_invitation(invitation, actor)
    if invitation.status != Invitation.Status.PENDING:
        raise InvalidTransition(_("Only a pending invitation can be sent again."),
                                code="invitation_not_pending")
    invitation.expires_at = now + INVITATION_VALIDITY
    invitation.save(update_fields=["expires_at"])
    audit(actor=actor, action="stakeholders.invitation.resent", target=invitation.organisation,
          changes={"email": invitation.email})
    _queue_invitation_email(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    invitation = _lock_invitation(invitation, actor)
    if invitation.status != Invitation.Status.PENDING:
        raise InvalidTransition(_("Only a pending invitation can be withdrawn."),
                                code="invitation_not_pending")
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status"])
    audit(actor=actor, action="stakeholders.invitation.revoked", target=invitation.organisation,
          changes={"email": invitation.email})
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, actor, now: datetime | None = None) -> Membership:
    """The signed-in person the invitation was sent to joins the organisation."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed(_("Sign in to accept the invitation."), code="not_authenticated")
    now = now or timezone.now()
    found = selectors.invitation_from_token(token)
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").get(pk=found.pk)
    )
    existing = Membership.objects.filter(user=actor, organisation=invitation.organisation).first()
    if invitation.status == Invitation.Status.ACCEPTED and existing is not None:
        return existing
    selectors.check_invitation_open(invitation, now=now)
    if not selectors.user_owns_email(actor, invitation.email):
        raise NotAllowed(
            _("This invitation was sent to another e-mail address. Sign in with the address "
              "the invitation was sent to."),
            code="wrong_email",
        )
    if existing is None:
        existing = Membership(user=actor, organisation=invitation.organisation, role=invitation.role)
        existing.full_clean()
        existing.save()
    invitation.status, invitation.accepted_at = Invitation.Status.ACCEPTED, now
    invitation.save(update_fields=["status", "accepted_at"])
    audit(actor=actor, action="stakeholders.invitation.accepted", target=invitation.organisation,
          changes={"email": invitation.email, "role": existing.role})
    notify(
        kind="stakeholders.member_joined",
        target=invitation.organisation,
        recipients=selectors.organisation_admins(organisation=invitation.organisation),
        actor=actor,
        context={"person": str(actor)},
        dedupe_key=f"stakeholders.member_joined:{invitation.pk}",
    )
    return existing


@transaction.atomic
def invitation_decline(*, token: str, actor, now: datetime | None = None) -> Invitation:
    """The invited person says no; the administrators may invite them again later."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed(_("Sign in to answer the invitation."), code="not_authenticated")
    found = selectors.invitation_from_token(token)
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").get(pk=found.pk)
    )
    selectors.check_invitation_open(invitation, now=now)
    if not selectors.user_owns_email(actor, invitation.email):
        raise NotAllowed(_("This invitation was sent to another e-mail address."), code="wrong_email")
    invitation.status = Invitation.Status.DECLINED
    invitation.save(update_fields=["status"])
    audit(actor=actor, action="stakeholders.invitation.declined", target=invitation.organisation,
          changes={"email": invitation.email})
    return invitation


def organisation_news_notify(*, organisation: Organisation, actor, kind: str, title: str,
                             url: str, key: str) -> None:
    """Tell the followers of ``organisation`` that it published something (a call, an event).
    ``kind`` names what it is ("call", "event"); ``key`` identifies the news, so telling twice
    (a re-publish) reaches nobody twice. Called inside the publishing transaction."""
    notify(
        kind="stakeholders.organisation_news",
        target=organisation,
        actor=actor,
        context={"what": kind, "title": title, "url": url},
        dedupe_key=f"stakeholders.organisation_news:{key}",
    )
