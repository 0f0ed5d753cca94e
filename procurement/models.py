"""Public procurement of innovation: calls, clarifications, applications, evaluation, award,
contract and the OCDS releases published for every change.

Rules that depend on time, state or other rows live in ``services.py``; this module holds the
data, the one-row invariants and the read-only helpers (effective status by the server clock).
"""

import os
import re
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from ecosystem.models import Theme
from ecosystem.text import TEXT_MAX_LENGTH
from stakeholders.models import Country, Helix, Organisation

CPV_RE = re.compile(r"^\d{8}-\d$")
NUTS_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")

# A few CPV codes used by innovation calls, for labels; any well-formed code is accepted.
CPV_LABELS = {
    "30200000-1": _("Computer equipment and supplies"),
    "31682000-0": _("Electricity supplies"),
    "32000000-3": _("Radio, television, communication and telecommunication equipment"),
    "34144900-7": _("Electric vehicles"),
    "34430000-0": _("Bicycles"),
    "34993000-4": _("Road lights"),
    "34996000-5": _("Control, safety or signalling road equipment"),
    "38000000-5": _("Laboratory, optical and precision equipment"),
    "38221000-0": _("Geographic information systems (GIS or equivalent)"),
    "42961000-1": _("Command and control system"),
    "45310000-3": _("Electrical installation work"),
    "48000000-8": _("Software package and information systems"),
    "48810000-9": _("Information systems"),
    "51100000-3": _("Installation services of electrical and mechanical equipment"),
    "63712400-7": _("Parking services"),
    "72000000-5": _("IT services: consulting, software development, Internet and support"),
    "72212000-4": _("Programming services of application software"),
    "72222300-0": _("Information technology services"),
    "72300000-8": _("Data services"),
    "72320000-4": _("Database services"),
    "73000000-2": _("Research and development services and related consultancy services"),
    "73100000-3": _("Research and experimental development services"),
    "73110000-6": _("Research services"),
    "79415200-8": _("Design consultancy services"),
    "90700000-4": _("Environmental services"),
}


def cpv_label(code: str) -> str:
    return str(CPV_LABELS.get(code, code))


# The CPV's published check digits do not follow the algorithm of its own regulation (the
# Publications Office confirmed the 2008 revision's error), so a check digit cannot be computed:
# it is checked against the codes this portal knows, and accepted as written for the others.
CPV_CHECK_DIGITS = {code[:8]: code[9] for code in CPV_LABELS}


def normalise_cpv(code: str) -> str:
    """``34993000 4`` or ``34993000`` (a known code without its check digit) -> ``34993000-4``."""
    code = "".join(code.split())
    if re.fullmatch(r"\d{8}", code) and code in CPV_CHECK_DIGITS:
        return f"{code}-{CPV_CHECK_DIGITS[code]}"
    if re.fullmatch(r"\d{9}", code):
        return f"{code[:8]}-{code[8]}"
    return code


def validate_cpv_codes(value) -> None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Give CPV codes as a list of texts."), code="invalid")
    bad = [code for code in value if not CPV_RE.match(code)]
    if bad:
        raise ValidationError(
            _("Not CPV codes (eight digits, a hyphen and the check digit, e.g. 34993000-4): "
              "%(codes)s"),
            params={"codes": ", ".join(bad)},
            code="invalid_cpv",
        )
    for code in value:
        expected = CPV_CHECK_DIGITS.get(code[:8])
        if expected is not None and code[9] != expected:
            raise ValidationError(
                _("The check digit of %(code)s is wrong: the CPV code for “%(label)s” is "
                  "%(right)s."),
                params={"code": code, "label": cpv_label(f"{code[:8]}-{expected}"),
                        "right": f"{code[:8]}-{expected}"},
                code="invalid_cpv_check_digit",
            )
    if len(set(value)) != len(value):
        raise ValidationError(_("A CPV code is listed twice."), code="duplicate_cpv")


def validate_nuts(value: str) -> None:
    if value and not NUTS_RE.match(value):
        raise ValidationError(_("Not a NUTS code (e.g. HR031 or DE122)."), code="invalid_nuts")


def validate_helices(value) -> None:
    allowed = set(Helix.values)
    if not isinstance(value, list) or not set(value) <= allowed:
        raise ValidationError(_("Unknown helix in the list."), code="invalid_helix")


def validate_countries(value) -> None:
    allowed = set(Country.values)
    if not isinstance(value, list) or not set(value) <= allowed:
        raise ValidationError(_("Unknown country in the list."), code="invalid_country")


def new_ocid() -> str:
    """The Open Contracting ID: the registered prefix (``ocds-`` + 6 characters) and a UUID."""
    return f"{settings.OCDS_PREFIX}-{uuid.uuid4()}"


class Currency(models.TextChoices):
    """ISO 4217 currencies of the countries taking part."""

    EUR = "EUR", _("Euro")
    BAM = "BAM", _("Convertible mark")
    BGN = "BGN", _("Bulgarian lev")
    CHF = "CHF", _("Swiss franc")
    CZK = "CZK", _("Czech koruna")
    DKK = "DKK", _("Danish krone")
    GBP = "GBP", _("Pound sterling")
    HUF = "HUF", _("Hungarian forint")
    MKD = "MKD", _("Macedonian denar")
    NOK = "NOK", _("Norwegian krone")
    PLN = "PLN", _("Polish złoty")
    RON = "RON", _("Romanian leu")
    RSD = "RSD", _("Serbian dinar")
    SEK = "SEK", _("Swedish krona")
    ALL = "ALL", _("Albanian lek")


@deconstructible(path="procurement.models.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Application and call documents: under PRIVATE_MEDIA_ROOT (read at each use, so tests may
    change it), never under MEDIA_URL; served only by permission-checked views."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()


class Call(models.Model):
    class Procedure(models.TextChoices):
        OPEN_INNOVATION = "open_innovation", _("Open innovation procurement")
        PRE_COMMERCIAL = "pre_commercial", _("Pre-commercial procurement")
        INNOVATION_PARTNERSHIP = "innovation_partnership", _("Innovation partnership")
        CHALLENGE_PRIZE = "challenge_prize", _("Challenge prize")
        SMALL_VALUE = "small_value", _("Small-value procurement")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Open for applications")
        EVALUATION = "evaluation", _("Under evaluation")
        AWARDED = "awarded", _("Awarded (standstill)")
        COMPLETED = "completed", _("Completed (contract signed)")
        CANCELLED = "cancelled", _("Cancelled")
        UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")

    OPEN_STATES = (Status.DRAFT, Status.PUBLISHED, Status.EVALUATION)
    PUBLIC_STATES = (Status.PUBLISHED, Status.EVALUATION, Status.AWARDED, Status.COMPLETED,
                     Status.CANCELLED, Status.UNSUCCESSFUL)
    # The fields that describe what is asked: amending them invalidates submitted applications.
    SUBSTANTIVE_FIELDS = ("challenge", "procedure", "cpv_codes", "smes_only", "allowed_helices",
                          "allowed_countries", "submission_deadline")

    buyer = models.ForeignKey(
        Organisation, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="calls"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    challenge = models.TextField(
        _("challenge"), max_length=TEXT_MAX_LENGTH, help_text=_("What the buyer needs solved.")
    )
    procedure = models.CharField(_("procedure"), max_length=32, choices=Procedure.choices)
    cpv_codes = models.JSONField(
        _("CPV codes"), default=list, blank=True, validators=[validate_cpv_codes],
        help_text=_("Common Procurement Vocabulary codes, e.g. 48000000-8."),
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    nuts_region = models.CharField(
        _("NUTS region of performance"), max_length=5, blank=True, validators=[validate_nuts]
    )
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    smes_only = models.BooleanField(_("SMEs only"), default=False)
    allowed_helices = models.JSONField(
        _("allowed helices"), default=list, blank=True, validators=[validate_helices],
        help_text=_("Empty: every helix may apply."),
    )
    allowed_countries = models.JSONField(
        _("allowed countries"), default=list, blank=True, validators=[validate_countries],
        help_text=_("Empty: organisations from every country may apply."),
    )
    eligibility_notes = models.TextField(
        _("other eligibility conditions"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    publication_date = models.DateTimeField(_("publication"), null=True, blank=True)
    clarification_deadline = models.DateTimeField(_("clarification deadline"), null=True, blank=True)
    submission_deadline = models.DateTimeField(_("submission deadline"), null=True, blank=True)
    evaluation_end = models.DateField(_("end of evaluation (planned)"), null=True, blank=True)
    award_date = models.DateField(_("award (planned)"), null=True, blank=True)
    standstill_days = models.PositiveSmallIntegerField(
        _("standstill days"), default=10, validators=[MaxValueValidator(60)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    cancellation_reason = models.TextField(
        _("reason for cancellation"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    ocid = models.CharField(_("OCID"), max_length=80, unique=True, editable=False,
                            default=new_ocid)
    release_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    closed_at = models.DateTimeField(_("submissions closed"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("awarded"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    ended_at = models.DateTimeField(_("cancelled or unsuccessful"), null=True, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["submission_deadline", "id"]
        indexes = [
            models.Index(fields=["status", "submission_deadline"]),
            # /calls/ and /api/v1/calls/ list the newest first: read in index order (on
            # PostgreSQL the API's NULLS LAST has its own index, migration 0006).
            models.Index(fields=["publication_date", "id"], name="call_list_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(clarification_deadline__isnull=True)
                | models.Q(submission_deadline__isnull=True)
                | models.Q(clarification_deadline__lt=models.F("submission_deadline")),
                name="call_clarification_before_submission",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | ~models.Q(cancellation_reason=""),
                name="call_cancelled_has_reason",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("procurement:call-detail", kwargs={"slug": self.slug})

    def clean(self):
        if (self.clarification_deadline and self.submission_deadline
                and self.clarification_deadline >= self.submission_deadline):
            raise ValidationError({"clarification_deadline": _(
                "The clarification deadline must come before the submission deadline.")})

    # Time: the server clock decides, whether or not beat has moved the status yet.
    def effective_status(self, now=None) -> str:
        now = now or timezone.now()
        if (self.status == self.Status.PUBLISHED and self.submission_deadline
                and now >= self.submission_deadline):
            return self.Status.EVALUATION
        return self.status

    def get_effective_status_display(self) -> str:
        return str(self.Status(self.effective_status()).label)

    def is_open_for_applications(self, now=None) -> bool:
        return self.effective_status(now) == self.Status.PUBLISHED

    def is_open_for_questions(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.is_open_for_applications(now) and self.clarification_deadline is not None
                and now < self.clarification_deadline)

    def submissions_closed(self, now=None) -> bool:
        """Past the submission deadline (or never opened): applications may be unsealed."""
        now = now or timezone.now()
        return bool(self.submission_deadline and now >= self.submission_deadline
                    and self.status != self.Status.DRAFT)

    @property
    def standstill_ends_at(self):
        if self.awarded_at is None:
            return None
        return self.awarded_at + timezone.timedelta(days=self.standstill_days)

    @property
    def cpv_labelled(self) -> list[tuple[str, str]]:
        return [(code, cpv_label(code)) for code in self.cpv_codes]


class Lot(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["call", "number"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="lot_number_once")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("award criterion")
        verbose_name_plural = _("award criteria")
        ordering = ["call", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"
            ),
            models.UniqueConstraint(fields=["call", "name"], name="criterion_name_once"),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight}%)"


class CallDocument(models.Model):
    class Kind(models.TextChoices):
        NOTICE = "tenderNotice", _("Call notice")
        BIDDING = "biddingDocuments", _("Application documents")
        SPECIFICATIONS = "technicalSpecifications", _("Technical specifications")
        CRITERIA = "evaluationCriteria", _("Evaluation criteria")
        CONTRACT_DRAFT = "contractDraft", _("Draft contract")
        CLARIFICATIONS = "clarifications", _("Clarifications")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.BIDDING)
    file = models.FileField(_("file"), storage=private_storage, upload_to="calls/%Y/%m/")
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("call document")
        verbose_name_plural = _("call documents")
        ordering = ["call", "uploaded_at", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("procurement:call-document", kwargs={"slug": self.call.slug, "pk": self.pk})


class Amendment(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="amendments")
    rationale = models.TextField(_("what changed and why"), max_length=TEXT_MAX_LENGTH)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)
    invalidates_submissions = models.BooleanField(_("applicants must confirm again"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["call", "created_at", "id"]

    def __str__(self):
        return f"{self.call} – {self.created_at:%Y-%m-%d}"


class Question(models.Model):
    """A clarification question. The asker is never shown publicly, nor to the buyer."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("asked by")
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("question"), max_length=4000)
    answer = models.TextField(_("answer"), max_length=TEXT_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("clarification question")
        verbose_name_plural = _("clarification questions")
        ordering = ["call", "asked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | ~models.Q(answer=""),
                name="question_answered_has_answer",
            )
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        NEEDS_CONFIRMATION = "needs_confirmation", _("Needs confirmation after an amendment")

    class Outcome(models.TextChoices):
        PENDING = "", _("Pending")
        SUCCESSFUL = "successful", _("Successful")
        UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")

    EDITABLE_STATES = (Status.DRAFT, Status.WITHDRAWN, Status.NEEDS_CONFIRMATION)

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="procurement_applications"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    answers = models.JSONField(
        _("answers per criterion"), default=dict, blank=True,
        help_text=_("Keyed by criterion id."),
    )
    lots = models.ManyToManyField(Lot, verbose_name=_("lots"), blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    receipt_sha256 = models.CharField(_("receipt (SHA-256)"), max_length=64, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING, blank=True
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"], name="application_one_per_organisation"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="submitted")
                | (models.Q(submitted_at__isnull=False) & ~models.Q(receipt_sha256="")),
                name="application_submitted_has_receipt",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.call}"

    def get_absolute_url(self):
        return reverse("procurement:application-detail", kwargs={"pk": self.pk})


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(storage=private_storage, upload_to="applications/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("procurement:application-document", kwargs={"pk": self.pk})


class EvaluatorAssignment(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="evaluators")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluator_assignments"
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evaluator assignment")
        verbose_name_plural = _("evaluator assignments")
        ordering = ["call", "-is_chair", "evaluator__email"]
        constraints = [
            models.UniqueConstraint(fields=["call", "evaluator"], name="evaluator_once_per_call"),
            models.UniqueConstraint(
                fields=["call"], condition=models.Q(is_chair=True), name="one_chair_per_call"
            ),
        ]

    def __str__(self):
        return f"{self.evaluator} @ {self.call}"


class ConflictDeclaration(models.Model):
    """Made once, before the evaluator sees the application; final."""

    assignment = models.ForeignKey(
        EvaluatorAssignment, on_delete=models.CASCADE, related_name="declarations"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    has_conflict = models.BooleanField(_("conflict of interest"))
    note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("conflict-of-interest declaration")
        verbose_name_plural = _("conflict-of-interest declarations")
        ordering = ["assignment", "application"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "application"], name="declaration_once"
            )
        ]

    def __str__(self):
        return f"{self.assignment.evaluator_id}/{self.application_id}: {self.has_conflict}"


class Scoresheet(models.Model):
    assignment = models.ForeignKey(
        EvaluatorAssignment, on_delete=models.PROTECT, related_name="scoresheets"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="scoresheets"
    )
    comment = models.TextField(_("overall comment"), max_length=TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted (locked)"), null=True, blank=True)

    class Meta:
        verbose_name = _("scoresheet")
        verbose_name_plural = _("scoresheets")
        ordering = ["application", "assignment"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "application"], name="scoresheet_once")
        ]

    def __str__(self):
        return f"{self.assignment.evaluator} · {self.application}"

    @property
    def is_locked(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    MAX = 10

    scoresheet = models.ForeignKey(Scoresheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(
        _("score (0–10)"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal(MAX))],
    )
    justification = models.TextField(_("justification"), max_length=TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["scoresheet", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["scoresheet", "criterion"], name="score_once"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0, value__lte=10), name="score_range"
            ),
            models.CheckConstraint(condition=~models.Q(justification=""),
                                   name="score_justified"),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"


class AwardDecision(models.Model):
    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="award_decision")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("decided by"),
    )
    winners = models.ManyToManyField(Application, verbose_name=_("successful applications"),
                                     related_name="+")
    reasons = models.TextField(_("reasons"), max_length=TEXT_MAX_LENGTH)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")

    def __str__(self):
        return f"{self.call} – {self.decided_at:%Y-%m-%d}"


class Contract(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="contracts")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("supplier"))
    title = models.CharField(_("title"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0"))])
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    signed_at = models.DateTimeField(_("signed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["call", "signed_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="contract_dates_in_order"),
            models.UniqueConstraint(fields=["call", "application"], name="contract_once_per_winner"),
        ]

    def __str__(self):
        return self.title


class Release(models.Model):
    """One OCDS release, stored as published: releases are never rewritten."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="releases")
    ocid = models.CharField(max_length=80, db_index=True)
    release_id = models.CharField(max_length=120, unique=True)
    tag = models.JSONField(default=list)
    date = models.DateTimeField(db_index=True)
    data = models.JSONField()

    class Meta:
        verbose_name = _("OCDS release")
        verbose_name_plural = _("OCDS releases")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["date", "id"])]

    def __str__(self):
        return self.release_id
