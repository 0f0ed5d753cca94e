"""Projects and their partners and results, pilots in cities with citizen feedback, and
mentor-city programmes with roadmaps, actions, indicators and measurements."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.models import Theme
from ecosystem.text import TEXT_MAX_LENGTH

FEEDBACK_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 5000


class FundingProgramme(models.TextChoices):
    INTERREG_CE = "interreg_ce", _("Interreg Central Europe")
    INTERREG_MED = "interreg_med", _("Interreg MED")
    COSME = "cosme", _("COSME")
    HORIZON_EUROPE = "horizon_europe", _("Horizon Europe")
    NATIONAL = "national", _("National programme")
    CITY = "city", _("City programme")
    OTHER = "other", _("Other")


def _dates_in_order(prefix: str):
    return models.CheckConstraint(
        condition=Q(start_date__isnull=True) | Q(end_date__isnull=True)
        | Q(end_date__gte=F("start_date")),
        name=f"{prefix}_dates_in_order",
    )


def _point_constraints(prefix: str):
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            name=f"{prefix}_latitude_range",
        ),
        models.CheckConstraint(
            condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_longitude_range",
        ),
        models.CheckConstraint(
            condition=Q(latitude__isnull=True, longitude__isnull=True)
            | Q(latitude__isnull=False, longitude__isnull=False),
            name=f"{prefix}_point_complete",
        ),
    ]


# --------------------------------------------------------------------------- projects


class Project(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    acronym = models.CharField(_("acronym"), max_length=40)
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), max_length=TEXT_MAX_LENGTH, blank=True)
    funding_programme = models.CharField(
        _("funding programme"), max_length=20, choices=FundingProgramme.choices, db_index=True
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    budget = models.DecimalField(
        _("total budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    eu_funding = models.DecimalField(
        _("EU funding (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    website = models.URLField(_("website"), blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="projects"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # A call for partners: who the consortium looks for, of which helices, until when. An
    # empty text means it is not looking; an ongoing project that looks is recommended to the
    # organisations it fits (projects/matching.py).
    partners_wanted = models.TextField(
        _("partners we look for"), max_length=2000, blank=True,
        help_text=_("Who would complete the consortium and what they would bring, for example "
                    "a civil-society partner to recruit test users. Leave it empty when you "
                    "are not looking."))
    partner_helices_wanted = models.JSONField(
        _("helices we look for"), default=list, blank=True,
        help_text=_("Only organisations of these helices are suggested the project; none "
                    "chosen: any helix."))
    partners_wanted_until = models.DateField(
        _("looking for partners until"), null=True, blank=True,
        help_text=_("After this day the project is no longer suggested; empty: until you "
                    "clear the text."))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["acronym", "id"]
        indexes = [models.Index(fields=["acronym", "id"], name="project_list_order_idx")]
        constraints = [
            _dates_in_order("project"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(eu_funding__isnull=True)
                | Q(eu_funding__lte=F("budget")),
                name="project_funding_within_budget",
            ),
        ]

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return reverse("projects:project-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def looks_for_partners(self) -> bool:
        """Ongoing, a text saying whom it looks for, and the closing day not passed: for one
        project in hand; ``selectors.projects_looking_for_partners`` is the same rule as a
        QuerySet."""
        return bool(self.status == self.Status.ONGOING and self.partners_wanted and (
            self.partners_wanted_until is None
            or self.partners_wanted_until >= timezone.localdate()))

    def clean(self):
        super().clean()
        from stakeholders.models import Helix

        wanted = self.partner_helices_wanted
        if not isinstance(wanted, list) or any(value not in Helix.values for value in wanted):
            raise ValidationError({"partner_helices_wanted": _(
                "Choose the helices from the list.")})
        self.partner_helices_wanted = sorted(set(wanted))


class ProjectPartner(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        PARTNER = "partner", _("Partner")
        ASSOCIATED = "associated", _("Associated partner")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "stakeholders.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="project_partnerships",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.PARTNER)

    class Meta:
        verbose_name = _("project partner")
        verbose_name_plural = _("project partners")
        ordering = ["project", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="partner_once"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(role="coordinator"),
                name="project_one_coordinator",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()}, {self.project})"


class ProjectMember(models.Model):
    """A person who maintains a project on the portal. Managers also add and remove members."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        EDITOR = "editor", _("Editor")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        ordering = ["project", "role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="project_member_once"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.project} ({self.get_role_display()})"


class ExpectedResult(models.Model):
    """A promised output or result ("5 solutions developed and tested") and its progress."""

    class Kind(models.TextChoices):
        OUTPUT = "output", _("Output")
        RESULT = "result", _("Result")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.OUTPUT)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True, help_text=_("e.g. solutions, SMEs trained"))
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    achieved = models.DecimalField(
        _("achieved"), max_digits=12, decimal_places=2, default=0,
        validators=[MinValueValidator(Decimal("0"))],
    )
    progress_note = models.CharField(_("progress note"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")
        ordering = ["project", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0), name="result_target_positive"),
            models.CheckConstraint(condition=Q(achieved__gte=0), name="result_achieved_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        if not self.target:
            return 100 if self.achieved else 0
        return min(100, int(self.achieved * 100 / self.target))


# --------------------------------------------------------------------------- pilots


class Pilot(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        STOPPED = "stopped", _("Stopped")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="pilots",
    )
    city = models.ForeignKey(
        "stakeholders.City", verbose_name=_("city"), on_delete=models.PROTECT, related_name="pilots"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(_("summary"), max_length=TEXT_MAX_LENGTH, blank=True)
    what_is_tested = models.TextField(_("what is tested"), max_length=TEXT_MAX_LENGTH, blank=True)
    results = models.TextField(_("results so far"), max_length=TEXT_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="pilots"
    )
    call = models.ForeignKey(
        "procurement.Call", verbose_name=_("procurement call"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="pilots",
        help_text=_("The awarded call for innovation procurement this pilot comes from."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        ordering = ["title", "id"]
        # The list is ordered by the title in the reader's language (django-modeltranslation
        # orders by title_<language>): one index per language.
        indexes = [models.Index(fields=[f"title_{code}", "id"], name=f"pilot_order_{code}_idx")
                   for code, _name in settings.LANGUAGES]
        constraints = [_dates_in_order("pilot"), *_point_constraints("pilot")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:pilot-detail", kwargs={"slug": self.slug})


class PilotIndicator(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=3, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=3, null=True, blank=True)
    value = models.DecimalField(_("current value"), max_digits=14, decimal_places=3, null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pilot indicator")
        verbose_name_plural = _("pilot indicators")
        ordering = ["pilot", "position", "id"]

    def __str__(self):
        return self.name


class PilotUpdate(models.Model):
    """News from a pilot, posted by its editors; followers are notified."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="updates")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), max_length=COMMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        verbose_name = _("pilot update")
        verbose_name_plural = _("pilot updates")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class Feedback(models.Model):
    """A citizen's comment or idea on a pilot, optionally at a point on the map. Plain text."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        IDEA = "idea", _("Idea")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pilot_feedback"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField(
        _("text"), max_length=FEEDBACK_MAX_LENGTH,
        validators=[MaxLengthValidator(FEEDBACK_MAX_LENGTH)]
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "created_at"])]
        constraints = [
            *_point_constraints("feedback"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="feedback_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.pilot}"


# --------------------------------------------------------------------------- programmes


class PhaseKind(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment of needs")
    VISION = "vision", _("Vision and roadmap")
    IMPLEMENTATION = "implementation", _("Implementation")
    MEASUREMENT = "measurement", _("Measurement")


PHASE_ORDER = [PhaseKind.ASSESSMENT, PhaseKind.VISION, PhaseKind.IMPLEMENTATION,
               PhaseKind.MEASUREMENT]


class Programme(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    summary = models.TextField(_("summary"), max_length=TEXT_MAX_LENGTH, blank=True)
    funding_programme = models.CharField(
        _("funding programme"), max_length=20, choices=FundingProgramme.choices
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="programmes"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_date", "name", "id"]
        constraints = [_dates_in_order("programme")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:programme-detail", kwargs={"slug": self.slug})


class ProgrammeCity(models.Model):
    """A city in a programme's cohort, as participant or as mentor."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participating city")
        MENTOR = "mentor", _("Mentor city")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohort")
    city = models.ForeignKey(
        "stakeholders.City", verbose_name=_("city"), on_delete=models.PROTECT,
        related_name="programme_participations",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.PARTICIPANT)
    stage = models.CharField(
        _("current stage"), max_length=16, choices=PhaseKind.choices, blank=True,
        help_text=_("Where the city stands in the cycle; empty means the programme's current phase."),
    )
    joined_on = models.DateField(_("joined"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme city")
        verbose_name_plural = _("programme cities")
        ordering = ["programme", "role", "city__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "city"], name="programme_city_once"),
        ]

    def __str__(self):
        return f"{self.city} ({self.get_role_display()}, {self.programme})"


class Phase(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=16, choices=PhaseKind.choices)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["programme", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="phase_once"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="phase_dates_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.programme})"


class Mentorship(models.Model):
    """A mentor city paired with participating cities; the contacts are the mentor's people."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="mentorships")
    mentor_city = models.ForeignKey(
        "stakeholders.City", verbose_name=_("mentor city"), on_delete=models.PROTECT,
        related_name="mentorships_given",
    )
    participants = models.ManyToManyField(
        "stakeholders.City", verbose_name=_("mentored cities"), related_name="mentorships_received"
    )
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("contact people"), blank=True,
        related_name="mentorships",
        help_text=_("People of the mentor city who advise the mentored cities and may comment."),
    )
    note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["programme", "mentor_city__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "mentor_city"], name="mentorship_once"),
        ]

    def __str__(self):
        return f"{self.mentor_city} mentors ({self.programme})"


class Roadmap(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roadmaps")
    city = models.ForeignKey(
        "stakeholders.City", verbose_name=_("city"), on_delete=models.PROTECT,
        related_name="roadmaps",
    )
    vision = models.TextField(_("vision"), max_length=TEXT_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        ordering = ["programme", "city__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "city"], name="roadmap_once"),
        ]

    def __str__(self):
        return f"{self.city} — {self.programme}"

    def get_absolute_url(self):
        return reverse(
            "projects:city-dashboard",
            kwargs={"slug": self.programme.slug, "city_slug": self.city.slug},
        )


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    owner = models.CharField(
        _("owner"), max_length=200, blank=True, help_text=_("The department or person responsible.")
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["roadmap", "position", "due_date", "id"]

    def __str__(self):
        return self.title


class Indicator(models.Model):
    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(
        _("code"), max_length=60,
        help_text=_("Cities using the same code can be compared on the programme page."),
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=3)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=3)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.INCREASE
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["roadmap", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "code"], name="indicator_code_once"),
        ]

    def __str__(self):
        return self.name


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="measurement_once_per_date"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.date})"


class RoadmapComment(models.Model):
    """Advice from a mentor (or a reply from the city) on a roadmap. Plain text."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(
        _("comment"), max_length=COMMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)]
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        verbose_name = _("roadmap comment")
        verbose_name_plural = _("roadmap comments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.author} on {self.roadmap}"
