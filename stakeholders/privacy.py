"""What the stakeholders app stores about people (the privacy registry), what must happen
before an account is erased, and how long invitations are kept."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from ecosystem.privacy import registry
from ecosystem.privacy.registry import DELETE, KEEP, PersonalData, RetentionRule

from .models import City, Competence, Invitation, Membership, Organisation


def _emails_of(user) -> list[str]:
    from allauth.account.models import EmailAddress

    emails = {user.email.lower()}
    emails.update(e.lower() for e in EmailAddress.objects.filter(user=user)
                  .values_list("email", flat=True))
    return sorted(emails)


def _invitations_to(user):
    return Invitation.objects.filter(email__in=_emails_of(user)).order_by("pk")


def sole_admin_blocker(user) -> list[tuple[str, str]]:
    """The last administrator of an organisation hands the role over before leaving."""
    memberships = (
        Membership.objects.filter(user=user, role=Membership.Role.ADMIN)
        .annotate(admins=Count("organisation__memberships",
                               filter=Q(organisation__memberships__role=Membership.Role.ADMIN)))
        .filter(admins=1).select_related("organisation")
    )
    return [(
        _g("You are the only administrator of %(organisation)s: make a colleague "
           "administrator on its members page first.") % {"organisation": m.organisation.name},
        reverse("stakeholders:organisation-members", kwargs={"slug": m.organisation.slug}),
    ) for m in memberships]


def register():
    registry.register_not_personal(
        [Competence, City], _("Names of competences and cities, not of people."))
    registry.register(PersonalData(
        model=Organisation, fields=("created_by",), erase=KEEP,
        export_fields=("id", "name", "slug", "created_at"),
        purpose=_("Organisations you registered on the portal."),
        seen_by=_("Everyone (organisation profiles are public; who registered one is not)."),
        kept=_("The organisation stays: it is a legal person, not you; it no longer records "
               "who registered it."),
        kept_for=_("Until the organisation is deleted."),
    ))
    registry.register(PersonalData(
        model=Membership, fields=("user",),
        export_fields=("id", "organisation_id", "organisation__name", "role", "is_public",
                       "created_at"),
        purpose=_("The organisations you belong to and your role in them."),
        seen_by=_("Colleagues in the organisation; the public only if you choose to be shown "
                  "on its profile."),
        erase=DELETE,
        retention=_("Until you leave the organisation or erase your account."),
    ))
    registry.register(PersonalData(
        model=Invitation, fields=("email", "invited_by"), rows=_invitations_to,
        export_fields=("id", "organisation__name", "email", "role", "status", "created_at",
                       "expires_at", "accepted_at"),
        purpose=_("Invitations to join an organisation sent to your e-mail address."),
        seen_by=_("The organisation's administrators."),
        erase=DELETE,
        retention=_("Deleted after the invitation period once they expired."),
    ))
    registry.erase_blocker(sole_admin_blocker)
    registry.register_retention(RetentionRule(
        key="expired_invitations", label=_("Expired invitations"), default_days=30,
        expired=lambda cutoff: Invitation.objects.exclude(
            status=Invitation.Status.ACCEPTED).filter(expires_at__lt=cutoff),
        description=_("Invitations not accepted, counted from their expiry."),
    ))
