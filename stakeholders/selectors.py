"""Reads of organisations, shared by the directory pages and the API."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import F, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.errors import InvalidInput, InvalidTransition
from ecosystem.models import Theme

from . import permissions
from .models import INVITATION_VALIDITY, Invitation, Membership, Organisation


def organisation_list(*, viewer, with_themes: bool = True) -> QuerySet[Organisation]:
    queryset = (
        permissions.organisations_visible_to(viewer).select_related("city").order_by("name", "id")
    )
    if with_themes:
        queryset = queryset.prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name"))
        )
    return queryset


def organisation_api_list(*, viewer) -> QuerySet[Organisation]:
    """The directory for the API's list: the city as its slug (``city_slug``) instead of a
    joined City instance per row, themes and competences attached by ``attach_tag_slugs``,
    and without the columns the list does not show (the JSON of CPV interests is decoded per
    row otherwise)."""
    return (permissions.organisations_visible_to(viewer).annotate(city_slug=F("city__slug"))
            .defer("verified_at", "created_by", "cpv_interests", "partner_suggestions_opt_out")
            .order_by("name", "id"))


def attach_tag_slugs(organisations: list[Organisation]) -> list[Organisation]:
    """Set ``theme_slugs`` and ``competence_slugs`` on a page of organisations with two flat
    queries: the API's hot path, where building Theme/Competence objects costs more than
    the rows themselves."""
    by_id = {organisation.pk: organisation for organisation in organisations}
    for organisation in organisations:
        organisation.theme_slugs, organisation.competence_slugs = [], []
    for organisation_id, slug in (
        Organisation.themes.through.objects.filter(organisation_id__in=by_id)
        .order_by("theme__name").values_list("organisation_id", "theme__slug")
    ):
        by_id[organisation_id].theme_slugs.append(slug)
    for organisation_id, slug in (
        Organisation.competences.through.objects.filter(organisation_id__in=by_id)
        .order_by("competence__name").values_list("organisation_id", "competence__slug")
    ):
        by_id[organisation_id].competence_slugs.append(slug)
    return organisations


def organisation_public_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        organisation.memberships.filter(is_public=True, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__full_name")
    )


def organisation_admins(*, organisation: Organisation):
    return get_user_model().objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__role=Membership.Role.ADMIN,
    )


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    """Every membership, for the organisation's administrators."""
    return (
        organisation.memberships.select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def organisation_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations still waiting for an answer (expired ones included, to send them again)."""
    return (
        organisation.invitations.filter(status=Invitation.Status.PENDING)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def memberships_of(*, user) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation", "organisation__city")
        .order_by("organisation__name")
    )


def invitations_for(*, user, now=None) -> QuerySet[Invitation]:
    """Open invitations addressed to one of the person's verified e-mail addresses."""
    if not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            email__in=_verified_emails(user),
            status=Invitation.Status.PENDING,
            expires_at__gt=now or timezone.now(),
        )
        .exclude(organisation__memberships__user=user)
        .select_related("organisation")
        .order_by("-created_at")
    )


def _verified_emails(user) -> list[str]:
    from allauth.account.models import EmailAddress

    emails = {user.email.lower()}
    emails.update(
        email.lower()
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )
    return sorted(emails)


def user_owns_email(user, email: str) -> bool:
    """The person signs in with this address or has verified it (allauth checks both)."""
    return email.lower() in _verified_emails(user)


# Invitation links ------------------------------------------------------------------------------

_INVITATION_SALT = "stakeholders.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=_INVITATION_SALT).sign(str(invitation.pk))


def invitation_url(invitation: Invitation) -> str:
    return reverse("stakeholders:invitation-accept", kwargs={"token": invitation_token(invitation)})


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link points to; a tampered or too old link raises a DomainError."""
    signer = signing.TimestampSigner(salt=_INVITATION_SALT)
    try:
        pk = signer.unsign(token, max_age=INVITATION_VALIDITY)
    except signing.SignatureExpired as exc:
        raise InvalidTransition(
            _("This invitation has expired. Ask the organisation's administrator to send it again."),
            code="invitation_expired",
        ) from exc
    except signing.BadSignature as exc:
        raise InvalidInput(
            _("This invitation link is not valid. Check that you copied the whole link."),
            code="invitation_invalid",
        ) from exc
    invitation = Invitation.objects.select_related("organisation").filter(pk=pk).first()
    if invitation is None:
        raise InvalidInput(_("This invitation no longer exists."), code="invitation_invalid")
    return invitation


def check_invitation_open(invitation: Invitation, *, now=None) -> None:
    """Raise the reason why an invitation cannot be accepted any more, if there is one."""
    now = now or timezone.now()
    if invitation.status == Invitation.Status.REVOKED:
        raise InvalidTransition(
            _("This invitation was withdrawn by the organisation."), code="invitation_revoked"
        )
    if invitation.status == Invitation.Status.DECLINED:
        raise InvalidTransition(_("This invitation was declined."), code="invitation_declined")
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvalidTransition(_("This invitation has already been used."), code="invitation_used")
    if invitation.status == Invitation.Status.EXPIRED or invitation.expires_at <= now:
        raise InvalidTransition(
            _("This invitation has expired. Ask the organisation's administrator to send it again."),
            code="invitation_expired",
        )


def announcement_people(announcement):
    """The active members of organisations matching a staff announcement's filters (helix,
    kind, country, verified, any of the themes): the audience stakeholders offers the
    notifications platform (registered in ``StakeholdersConfig.ready``)."""
    organisations = Organisation.objects.all()
    if announcement.helix:
        organisations = organisations.filter(helix=announcement.helix)
    if announcement.organisation_kind:
        organisations = organisations.filter(kind=announcement.organisation_kind)
    if announcement.country:
        organisations = organisations.filter(country=announcement.country)
    if announcement.verified_only:
        organisations = organisations.filter(verified=True)
    theme_ids = list(announcement.themes.values_list("pk", flat=True))
    if theme_ids:
        organisations = organisations.filter(
            pk__in=Organisation.themes.through.objects.filter(theme_id__in=theme_ids)
            .values("organisation_id"))
    return get_user_model().objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(organisation__in=organisations).values("user_id"))


SUGGESTIONS = 10


def organisation_suggestions(*, viewer, text: str, helix: str = "") -> list[dict]:
    """Up to ``SUGGESTIONS`` organisations the viewer may see whose name starts with ``text``
    (then those that contain it), for the pickers' autocomplete."""
    text = text.strip()[:100]
    if len(text) < 2:
        return []
    visible = permissions.organisations_visible_to(viewer)
    if helix:
        visible = visible.filter(helix=helix)
    rows = list(visible.filter(name__istartswith=text).order_by("name", "id")
                .values("slug", "name", "city__name")[:SUGGESTIONS])
    if len(rows) < SUGGESTIONS:
        seen = [row["slug"] for row in rows]
        rows += list(visible.filter(name__icontains=text).exclude(slug__in=seen)
                     .order_by("name", "id").values("slug", "name", "city__name")
                     [:SUGGESTIONS - len(rows)])
    return [{"value": row["slug"], "label": row["name"], "detail": row["city__name"] or ""}
            for row in rows]
