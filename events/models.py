"""Events, registrations with a waiting list, and B2B matchmaking at events."""

import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.models import Theme
from ecosystem.text import TEXT_MAX_LENGTH
from ecosystem.zones import in_zone
from stakeholders.models import City, Organisation

# Paths under /events/ that an event's slug must not shadow.
RESERVED_SLUGS = {"calendar", "feed", "propose", "registrations", "meetings", "agenda"}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the door


def new_registration_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def new_agenda_token() -> str:
    return secrets.token_urlsafe(24)


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Event(models.Model):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        WORKSHOP = "workshop", _("Workshop")
        TRAINING = "training", _("Training")
        HACKATHON = "hackathon", _("Hackathon")
        STUDY_VISIT = "study_visit", _("Study visit")
        WEBINAR = "webinar", _("Webinar")
        MATCHMAKING = "matchmaking", _("B2B matchmaking session")
        INFO_DAY = "info_day", _("Info day")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")
        MOVED_ONLINE = "moved_online", _("Moved online")

    class Publication(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed, awaiting review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Not accepted")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True,
                               help_text=_("One or two sentences shown in lists."))
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    mode = models.CharField(_("attendance"), max_length=10, choices=Mode.choices,
                            default=Mode.IN_PERSON)
    language = models.CharField(_("language"), max_length=8, choices=ALL_LANGUAGES, default="en")
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.ForeignKey(City, verbose_name=_("city"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="events")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    online_url = models.URLField(_("online link"), blank=True,
                                 help_text=_("Shown only to confirmed participants."))
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE,
                                validators=[validate_timezone],
                                help_text=_("Where the event happens, e.g. Europe/Rome."))
    organisers = models.ManyToManyField(Organisation, verbose_name=_("organisers"), blank=True,
                                        related_name="organised_events")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True,
                                    related_name="events")
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="events")
    programme = models.ForeignKey("projects.Programme", verbose_name=_("programme"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="events")
    registration_required = models.BooleanField(_("registration required"), default=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Places; empty means unlimited."))
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True,
                                                  blank=True)
    matchmaking = models.BooleanField(
        _("B2B matchmaking"), default=False,
        help_text=_("Participants publish cooperation profiles and book meetings."))
    status = models.CharField(_("status"), max_length=14, choices=Status.choices,
                              default=Status.SCHEDULED, db_index=True)
    status_reason = models.TextField(
        _("public reason for the change"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    publication = models.CharField(_("publication"), max_length=10, choices=Publication.choices,
                                   default=Publication.DRAFT, db_index=True)
    review_note = models.TextField(_("review note"), max_length=TEXT_MAX_LENGTH, blank=True)
    sequence = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("iCalendar SEQUENCE: raised on every change."))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        # The lists' ordering, with and without the publication filter: a page reads 20 rows
        # of an index instead of sorting the table.
        indexes = [
            models.Index(fields=["publication", "starts_at", "id"], name="event_public_order_idx"),
            models.Index(fields=["starts_at", "id"], name="event_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")),
                                   name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_window_in_order"),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                                   name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="event_latitude_range"),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="event_longitude_range"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event-detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This address is taken by a page of the portal.")
        if self.mode in (self.Mode.ONLINE, self.Mode.HYBRID) and not self.online_url:
            errors["online_url"] = _("An online or hybrid event needs its online link.")
        if self.mode in (self.Mode.IN_PERSON, self.Mode.HYBRID) and not (
            self.venue_name or self.street_address or self.city_id
        ):
            errors["venue_name"] = _("Say where the event takes place.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both coordinates or none.")
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if (self.registration_closes_at and self.ends_at
                and self.registration_closes_at > self.ends_at):
            errors["registration_closes_at"] = _("Registration must close before the end.")
        if (self.registration_opens_at and self.registration_closes_at
                and self.registration_closes_at <= self.registration_opens_at):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if self.status != self.Status.SCHEDULED and not self.status_reason:
            errors["status_reason"] = _("Tell participants why the event changed.")
        if errors:
            raise ValidationError(errors)

    # Derived facts ------------------------------------------------------------------------

    @property
    def tzinfo(self):
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return timezone.get_default_timezone()

    @property
    def local_starts_at(self):
        return in_zone(self.starts_at, self.tzinfo)

    @property
    def local_ends_at(self):
        return in_zone(self.ends_at, self.tzinfo)

    @property
    def is_published(self) -> bool:
        return self.publication == self.Publication.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_online(self) -> bool:
        return self.mode in (self.Mode.ONLINE, self.Mode.HYBRID) or (
            self.status == self.Status.MOVED_ONLINE)

    @property
    def has_venue(self) -> bool:
        return self.mode != self.Mode.ONLINE and self.status != self.Status.MOVED_ONLINE

    def registration_closes(self):
        """When registration closes: the set time, else the start of the event."""
        return self.registration_closes_at or self.starts_at

    def registration_state(self, now=None) -> str:
        now = now or timezone.now()
        if not self.registration_required:
            return "not_required"
        if self.status in (self.Status.CANCELLED, self.Status.POSTPONED):
            return "unavailable"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_open"
        if now >= self.registration_closes():
            return "closed"
        return "open"


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")

    ACTIVE = (Status.CONFIRMED, Status.WAITING, Status.ATTENDED)
    HOLDS_PLACE = (Status.CONFIRMED, Status.ATTENDED)

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE,
                              related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"),
                             on_delete=models.CASCADE, related_name="event_registrations")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("on behalf of"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="event_registrations")
    code = models.CharField(_("code"), max_length=16, unique=True, default=new_registration_code)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    queue_number = models.PositiveIntegerField(
        _("waiting list number"), null=True, blank=True,
        help_text=_("Order on the waiting list: lower numbers are promoted first."))
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    promoted_at = models.DateTimeField(_("promoted from the waiting list"), null=True,
                                       blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "id"]
        indexes = [models.Index(fields=["event", "status", "queue_number"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], condition=~Q(status="cancelled"),
                name="registration_one_active_per_person"),
            models.CheckConstraint(
                condition=Q(status="waiting", queue_number__isnull=False) | ~Q(status="waiting"),
                name="registration_waiting_has_number"),
        ]

    def __str__(self):
        return f"{self.user} → {self.event} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("events:my-registration", kwargs={"code": self.code})

    @property
    def holds_place(self) -> bool:
        return self.status in self.HOLDS_PLACE


class CooperationProfile(models.Model):
    """An offer or a request a participant publishes at a matchmaking event."""

    class Direction(models.TextChoices):
        OFFER = "offer", _("Offer")
        REQUEST = "request", _("Request")

    class Type(models.TextChoices):
        TECHNOLOGY = "technology", _("Technology")
        BUSINESS = "business", _("Business partnership")
        RESEARCH = "research", _("Research partnership")
        INVESTMENT = "investment", _("Investment")
        PILOT_SITE = "pilot_site", _("Pilot site")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="profiles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="cooperation_profiles")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    direction = models.CharField(_("offer or request"), max_length=8, choices=Direction.choices)
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True,
                                    related_name="+")
    is_active = models.BooleanField(_("shown in the marketplace"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cooperation profile")
        verbose_name_plural = _("cooperation profiles")
        ordering = ["-created_at", "id"]

    def __str__(self):
        return f"{self.get_direction_display()}: {self.title}"


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (Status.REQUESTED, Status.ACCEPTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"),
                                  on_delete=models.CASCADE, related_name="meetings_asked")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked"),
                                  on_delete=models.CASCADE, related_name="meetings_received")
    profile = models.ForeignKey(CooperationProfile, verbose_name=_("about"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="requests")
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.REQUESTED, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=F("recipient")),
                                   name="meeting_request_not_self"),
            models.UniqueConstraint(
                fields=["event", "requester", "recipient"],
                condition=Q(status__in=["requested", "accepted"]),
                name="meeting_request_one_open_per_pair"),
        ]

    def __str__(self):
        return f"{self.requester} → {self.recipient} @ {self.event}"

    def other(self, user):
        return self.recipient if user.pk == self.requester_id else self.requester


class MeetingSession(models.Model):
    """A block of B2B meeting slots of equal length at an event, with a number of tables."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_sessions")
    name = models.CharField(_("name"), max_length=120)
    starts_at = models.DateTimeField(_("first slot starts"))
    slot_minutes = models.PositiveIntegerField(
        _("slot length (minutes)"), default=20, validators=[MinValueValidator(5),
                                                            MaxValueValidator(240)])
    break_minutes = models.PositiveIntegerField(_("break between slots (minutes)"), default=5,
                                                validators=[MaxValueValidator(120)])
    slot_count = models.PositiveIntegerField(_("slots"), default=8,
                                             validators=[MinValueValidator(1),
                                                         MaxValueValidator(96)])
    tables = models.PositiveIntegerField(_("tables"), default=20,
                                         validators=[MinValueValidator(1),
                                                     MaxValueValidator(5000)])

    class Meta:
        verbose_name = _("meeting session")
        verbose_name_plural = _("meeting sessions")
        ordering = ["starts_at", "id"]

    def __str__(self):
        return f"{self.event}: {self.name}"

    def slot_times(self):
        step = timedelta(minutes=self.slot_minutes + self.break_minutes)
        length = timedelta(minutes=self.slot_minutes)
        for number in range(self.slot_count):
            start = self.starts_at + step * number
            yield number + 1, start, start + length


class MeetingSlot(models.Model):
    session = models.ForeignKey(MeetingSession, on_delete=models.CASCADE, related_name="slots")
    number = models.PositiveIntegerField(_("number"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="slot_number_once"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="slot_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.session.name} #{self.number}"


class Unavailability(models.Model):
    """A participant cannot meet anyone in this slot."""

    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE,
                             related_name="unavailabilities")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="meeting_unavailabilities")

    class Meta:
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        constraints = [models.UniqueConstraint(fields=["slot", "user"],
                                               name="unavailability_once")]

    def __str__(self):
        return f"{self.user} @ {self.slot}"


class Meeting(models.Model):
    """Where and when an accepted meeting request takes place (set by the scheduler)."""

    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE,
                                   related_name="meeting")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    slot = models.ForeignKey(MeetingSlot, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="meetings")
    table = models.PositiveIntegerField(_("table"), null=True, blank=True)
    published = models.BooleanField(_("published to participants"), default=False)
    unplaced_reason = models.CharField(_("why it is not placed"), max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["slot__starts_at", "table", "id"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "table"], condition=Q(slot__isnull=False),
                                    name="meeting_table_once_per_slot"),
            models.CheckConstraint(condition=Q(slot__isnull=True) | Q(table__gte=1),
                                   name="meeting_placed_has_table"),
        ]

    def __str__(self):
        return f"{self.request} — {self.slot or '-'} / {self.table or '-'}"


class SchedulerRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="scheduler_runs")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0,
                                                validators=[MaxValueValidator(100)])
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    meetings = models.PositiveIntegerField(_("accepted meetings"), default=0)
    placed = models.PositiveIntegerField(_("placed"), default=0)
    bound = models.PositiveIntegerField(_("upper bound"), default=0)
    unplaced = models.JSONField(_("unplaced meetings"), default=list, blank=True)
    message = models.TextField(_("message"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event"], condition=Q(status__in=["queued", "running"]),
                                    name="scheduler_one_active_run_per_event"),
        ]

    def __str__(self):
        return f"{self.event} {self.created_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class AgendaToken(models.Model):
    """The secret in a person's personal agenda feed URL; regenerating revokes the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="agenda_token")
    token = models.CharField(max_length=64, unique=True, default=new_agenda_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agenda feed token")
        verbose_name_plural = _("agenda feed tokens")

    def __str__(self):
        return f"{self.user}"
