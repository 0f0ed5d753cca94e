"""The quadruple helix: organisations, the people in them, clusters and cities."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.models import Theme

from .validators import validate_cpv_list, validate_logo


class Helix(models.TextChoices):
    INDUSTRY = "industry", _("Industry")
    ACADEMIA = "academia", _("Academia & research")
    PUBLIC = "public", _("Public authority")
    CIVIL = "civil", _("Civil society")


class Country(models.TextChoices):
    AT = "AT", _("Austria")
    BE = "BE", _("Belgium")
    BG = "BG", _("Bulgaria")
    HR = "HR", _("Croatia")
    CY = "CY", _("Cyprus")
    CZ = "CZ", _("Czechia")
    DK = "DK", _("Denmark")
    EE = "EE", _("Estonia")
    FI = "FI", _("Finland")
    FR = "FR", _("France")
    DE = "DE", _("Germany")
    GR = "GR", _("Greece")
    HU = "HU", _("Hungary")
    IE = "IE", _("Ireland")
    IT = "IT", _("Italy")
    LV = "LV", _("Latvia")
    LT = "LT", _("Lithuania")
    LU = "LU", _("Luxembourg")
    MT = "MT", _("Malta")
    NL = "NL", _("Netherlands")
    PL = "PL", _("Poland")
    PT = "PT", _("Portugal")
    RO = "RO", _("Romania")
    SK = "SK", _("Slovakia")
    SI = "SI", _("Slovenia")
    ES = "ES", _("Spain")
    SE = "SE", _("Sweden")
    AL = "AL", _("Albania")
    BA = "BA", _("Bosnia and Herzegovina")
    ME = "ME", _("Montenegro")
    MK = "MK", _("North Macedonia")
    RS = "RS", _("Serbia")
    NO = "NO", _("Norway")
    CH = "CH", _("Switzerland")
    GB = "GB", _("United Kingdom")


class OrganisationKind(models.TextChoices):
    SME = "sme", _("SME")
    STARTUP = "startup", _("Start-up")
    LARGE = "large", _("Large enterprise")
    CLUSTER = "cluster", _("Cluster")
    UNIVERSITY = "university", _("University")
    RTO = "rto", _("Research and technology organisation")
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")
    AGENCY = "agency", _("Public agency")
    NGO = "ngo", _("NGO")
    CITIZENS = "citizens", _("Citizens' group")

    @classmethod
    def helix_of(cls, kind: str) -> str:
        return KIND_HELIX[kind]


KIND_HELIX = {
    OrganisationKind.SME: Helix.INDUSTRY,
    OrganisationKind.STARTUP: Helix.INDUSTRY,
    OrganisationKind.LARGE: Helix.INDUSTRY,
    OrganisationKind.CLUSTER: Helix.INDUSTRY,
    OrganisationKind.UNIVERSITY: Helix.ACADEMIA,
    OrganisationKind.RTO: Helix.ACADEMIA,
    OrganisationKind.MUNICIPALITY: Helix.PUBLIC,
    OrganisationKind.REGION: Helix.PUBLIC,
    OrganisationKind.AGENCY: Helix.PUBLIC,
    OrganisationKind.NGO: Helix.CIVIL,
    OrganisationKind.CITIZENS: Helix.CIVIL,
}


class Size(models.TextChoices):
    MICRO = "micro", _("Micro (fewer than 10 people)")
    SMALL = "small", _("Small (10–49)")
    MEDIUM = "medium", _("Medium (50–249)")
    LARGE = "large", _("Large (250 or more)")


class Competence(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["name"]

    def __str__(self):
        return self.name


class City(models.Model):
    """A city taking part in the ecosystem; its public authority is an organisation."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    nuts_region = models.CharField(_("NUTS region"), max_length=5, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    is_mentor = models.BooleanField(_("mentor city"), default=False)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    authority = models.OneToOneField(
        "Organisation",
        verbose_name=_("public authority"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="governed_city",
    )

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="city_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="city_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    helix = models.CharField(_("helix"), max_length=10, choices=Helix.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, db_index=True)
    nuts_region = models.CharField(
        _("NUTS region"), max_length=5, blank=True, help_text=_("e.g. HR033 or DE122")
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    logo = models.ImageField(
        _("logo"), upload_to="logos/", blank=True, validators=[validate_logo]
    )
    size = models.CharField(_("size"), max_length=8, choices=Size.choices, blank=True)
    employees = models.PositiveIntegerField(
        _("employees"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    competences = models.ManyToManyField(
        Competence, verbose_name=_("competences"), blank=True, related_name="organisations"
    )
    cluster_members = models.ManyToManyField(
        "self",
        verbose_name=_("cluster members"),
        symmetrical=False,
        blank=True,
        related_name="clusters",
        help_text=_("Only for clusters: the organisations that are members of it."),
    )
    cpv_interests = models.JSONField(
        _("CPV interests"), default=list, blank=True, validators=[validate_cpv_list],
        help_text=_("Common Procurement Vocabulary codes of what you supply, e.g. 48000000-8."),
    )
    partner_suggestions_opt_out = models.BooleanField(
        _("do not suggest us as a partner"), default=False,
        help_text=_("Leave us out of the partners the portal suggests to others."),
    )
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Set by portal staff after checking.")
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["kind"]),
            models.Index(fields=["verified", "name"]),
            # The directory's order: without it every page sorts the whole table.
            models.Index(fields=["name", "id"], name="organisation_directory_order"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stakeholders:organisation-detail", kwargs={"slug": self.slug})

    @property
    def is_cluster(self) -> bool:
        return self.kind == OrganisationKind.CLUSTER


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    is_public = models.BooleanField(
        _("shown on the public profile"),
        default=False,
        help_text=_("Show my name and job title on the organisation's public page."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_once"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


INVITATION_VALIDITY = timedelta(days=7)


def invitation_default_expiry():
    return timezone.now() + INVITATION_VALIDITY


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation; the link carries a signed token."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=8, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), default=invitation_default_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_email",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    def is_open(self, now=None) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > (now or timezone.now())
