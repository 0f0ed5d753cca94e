"""Server-rendered pages. Each view: fetch through a permission QuerySet (404), then call a
service, and answer with a redirect and a message."""

import calendar as calendar_module
import csv
import math
from datetime import date, datetime, time, timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ecosystem.errors import DomainError
from ecosystem.pagination import capped_page

from . import formats, permissions, scheduling, selectors, services
from .filters import EventFilter, ProfileFilter
from .forms import (
    AvailabilityForm,
    CheckInForm,
    EventProposalForm,
    MeetingRequestForm,
    ProfileForm,
    RegistrationForm,
)
from .models import (
    CooperationProfile,
    Event,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    Registration,
    SchedulerRun,
    Unavailability,
)

PAGE_SIZE = 20
UNPLACED_REASONS = {
    scheduling.NO_COMMON_SLOT: gettext_lazy(
        "The two participants have no time slot in which both are available."),
    scheduling.OVERBOOKED: gettext_lazy(
        "A participant has more accepted meetings than slots they are available in."),
    scheduling.NO_FREE_SLOT: gettext_lazy(
        "Every slot in which both are available is taken by another of their meetings."),
    scheduling.NO_TABLE: gettext_lazy("All tables are taken in the slots in which both are free."),
}
FOLLOW_TEMPLATE = "notifications/includes/follow_button.html"


def _follow_include() -> str | None:
    try:
        get_template(FOLLOW_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return FOLLOW_TEMPLATE


def _safe_url(obj) -> str:
    """The page of a linked project or programme, if that app serves one."""
    if obj is None:
        return ""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


def _error(request, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


# Lists, calendar, detail -------------------------------------------------------------------


def event_list(request):
    filterset = EventFilter(request.GET, queryset=selectors.event_list(viewer=request.user))
    page = capped_page(filterset.qs, PAGE_SIZE, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "events/event_list.html", {
        "filter": filterset, "page": page, "query": query.urlencode(),
        "can_propose": permissions.can_propose_event(request.user),
    })


def _month(value: str | None) -> date:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1) if 1900 <= year <= 2200 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


def event_calendar(request):
    first = _month(request.GET.get("month"))
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start = datetime.combine(weeks[0][0], time.min, tzinfo=timezone.get_current_timezone())
    end = datetime.combine(weeks[-1][-1] + timedelta(days=1), time.min,
                           tzinfo=timezone.get_current_timezone())
    events = list(selectors.event_list(viewer=request.user).filter(
        starts_at__lt=end + timedelta(days=1), ends_at__gte=start - timedelta(days=1)))
    by_day: dict[date, list[Event]] = {}
    for event in events:
        day, last = event.local_starts_at.date(), event.local_ends_at.date()
        while day <= last:
            by_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    rows = [[{"date": day, "in_month": day.month == first.month,
              "today": day == timezone.localdate(), "events": by_day.get(day, [])}
             for day in week] for week in weeks]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    weekday_names = [(date_format(day, "l"), date_format(day, "D")) for day in weeks[0]]
    return render(request, "events/event_calendar.html", {
        "month": first, "weeks": rows, "weekdays": weekday_names,
        "previous": previous.strftime("%Y-%m"), "next": following.strftime("%Y-%m"),
        "events_in_month": sum(1 for e in events if e.local_starts_at.month == first.month
                               or e.local_ends_at.month == first.month),
    })


def static_map(latitude, longitude, *, zoom: int = 15) -> dict | None:
    """A 3x3 tile map centred on a point from settings.MAP_TILE_URL ({z}/{x}/{y}); the pin
    is placed by CSS classes on a 16x16 grid of the middle tile (no inline style)."""
    template = settings.MAP_TILE_URL
    if not template or latitude is None or longitude is None:
        return None
    lat, lon = float(latitude), float(longitude)
    n = 2 ** zoom
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    tx, ty = int(x), int(y)
    rows = [[template.replace("{z}", str(zoom)).replace("{x}", str((tx + dx) % n))
             .replace("{y}", str(ty + dy)).replace("{s}", "a")
             for dx in (-1, 0, 1)] for dy in (-1, 0, 1)]
    return {"rows": rows, "pin_x": min(int((x - tx) * 16), 15),
            "pin_y": min(int((y - ty) * 16), 15)}


def event_detail(request, slug):
    event = get_object_or_404(
        selectors.event_list(viewer=request.user).select_related("project", "programme"),
        slug=slug)
    registration = (selectors.registration_of(user=request.user, event=event)
                    if request.user.is_authenticated else None)
    places_left = selectors.places_left(event)
    state = event.registration_state()
    context = {
        "event": event,
        "registration": registration,
        "waiting_position": selectors.waiting_position(registration) if registration else None,
        "places_left": places_left,
        "registration_state": state,
        "registration_form": (RegistrationForm(user=request.user)
                              if request.user.is_authenticated else None),
        "jsonld": (formats.jsonld_script_body(formats.event_jsonld(event,
                                                                   places_left=places_left))
                   if event.is_published else None),
        "map": static_map(event.latitude, event.longitude) if event.has_venue else None,
        "can_manage": permissions.can_manage_event(request.user, event),
        "can_schedule": permissions.events_schedulable_by(request.user).filter(
            pk=event.pk).exists(),
        "follow_include": _follow_include() if event.is_published else None,
        "project_url": _safe_url(event.project),
        "programme_url": _safe_url(event.programme),
    }
    return render(request, "events/event_detail.html", context)


# Open formats ------------------------------------------------------------------------------


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def event_ics(request, slug):
    event = get_object_or_404(permissions.events_visible_to(request.user), slug=slug)
    return _ics_response(formats.event_calendar([event], name=event.title), f"{event.slug}.ics")


@require_GET
def feed_ics(request):
    filterset = EventFilter(request.GET, queryset=selectors.event_public_list())
    events = filterset.qs.prefetch_related("organisers")[:500]
    return _ics_response(formats.event_calendar(events, name=settings.SITE_NAME), "events.ics")


@require_GET
def agenda_feed(request, token):
    user = selectors.agenda_token_user(token)
    if user is None:
        raise Http404
    body = formats.agenda_calendar(
        user=user,
        registrations=selectors.agenda_registrations(user=user).prefetch_related("event__organisers"),
        meetings=selectors.agenda_meetings(user=user),
    )
    response = _ics_response(body, "agenda.ics")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


# Registration ------------------------------------------------------------------------------


@login_required
@require_POST
def event_register(request, slug):
    event = get_object_or_404(permissions.events_visible_to(request.user), slug=slug)
    form = RegistrationForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose one of your organisations or yourself."))
        return redirect(event)
    try:
        registration = services.registration_create(
            event=event, user=request.user, organisation=form.cleaned_data["organisation"])
    except DomainError as exc:
        _error(request, exc)
        return redirect(event)
    if registration.holds_place:
        messages.success(request, _("You are registered. Your code and QR code are below."))
    else:
        messages.success(request, _("The event is full: you are on the waiting list."))
    return redirect(registration)


@login_required
def my_registrations(request):
    registrations = selectors.my_registrations(user=request.user)
    now = timezone.now()
    return render(request, "events/my_registrations.html", {
        "upcoming": [r for r in registrations if r.event.ends_at >= now],
        "past": [r for r in registrations if r.event.ends_at < now],
    })


@login_required
def my_registration(request, code):
    registration = get_object_or_404(
        permissions.registrations_of(request.user).select_related("event", "event__city",
                                                                  "organisation"),
        code=code)
    # A door code only for a place that check-in accepts: a confirmed one.
    qr_svg = ""
    if registration.status == Registration.Status.CONFIRMED:
        qr_svg = segno.make(registration.code, error="m").svg_inline(
            scale=6, border=2, title=_("QR code of your registration code"),
            svgclass="qr-code", lineclass=None, omitsize=True)
    return render(request, "events/my_registration.html", {
        "registration": registration,
        "event": registration.event,
        "waiting_position": selectors.waiting_position(registration),
        "qr_svg": qr_svg,
        "show_online_link": registration.holds_place and registration.event.is_online,
    })


@login_required
@require_POST
def registration_cancel(request, code):
    registration = get_object_or_404(permissions.registrations_of(request.user), code=code)
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except DomainError as exc:
        _error(request, exc)
        return redirect(registration)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(registration.event)


# Proposals ---------------------------------------------------------------------------------


@login_required
def event_propose(request):
    if not permissions.can_propose_event(request.user):
        raise PermissionDenied
    form = EventProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisers, themes = data.pop("organisers"), data.pop("themes")
        try:
            event = services.event_propose(actor=request.user, organisers=organisers,
                                           themes=themes, **data)
        except DomainError as exc:
            _error(request, exc)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Thank you: portal staff will review and publish your "
                                        "event."))
            return redirect(event)
    return render(request, "events/event_propose.html", {"form": form})


# Check-in and attendance -------------------------------------------------------------------


def _managed_event(request, slug) -> Event:
    if not request.user.is_authenticated:
        raise PermissionDenied
    return get_object_or_404(permissions.events_managed_by(request.user), slug=slug)


@login_required
def checkin(request, slug):
    event = _managed_event(request, slug)
    form = CheckInForm(request.POST or None)
    last = None
    if request.method == "POST" and form.is_valid():
        try:
            last = services.registration_check_in(event=event, code=form.cleaned_data["code"],
                                                  actor=request.user)
        except DomainError as exc:
            _error(request, exc)
        else:
            name = last.user.get_full_name()
            if last.organisation:
                name = f"{name} ({last.organisation})"
            messages.success(request, _("Checked in: %(name)s") % {"name": name})
        return redirect("events:checkin", slug=event.slug)
    return render(request, "events/checkin.html", {
        "event": event, "form": form, "counts": selectors.attendance_counts(event=event),
        "recent": event.registrations.filter(status=Registration.Status.ATTENDED)
        .select_related("user").order_by("-checked_in_at")[:10],
    })


@login_required
@require_GET
def checkin_count(request, slug):
    event = _managed_event(request, slug)
    response = JsonResponse(selectors.attendance_counts(event=event))
    response["Cache-Control"] = "no-store"
    return response


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def attendance_rows(event: Event):
    writer = csv.writer(_Echo())
    yield writer.writerow([_("Name"), _("E-mail"), _("Organisation"), _("Status"), _("Code"),
                           _("Registered"), _("Checked in")])
    for registration in selectors.attendance(event=event).iterator(chunk_size=1000):
        yield writer.writerow([_csv_cell(v) for v in (
            registration.user.get_full_name(), registration.user.email,
            registration.organisation or "", registration.get_status_display(),
            registration.code, registration.created_at.isoformat(timespec="minutes"),
            registration.checked_in_at.isoformat(timespec="minutes")
            if registration.checked_in_at else "",
        )])


@login_required
@require_GET
def attendance_csv(request, slug):
    event = _managed_event(request, slug)
    response = StreamingHttpResponse(attendance_rows(event), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{event.slug}.csv"'
    return response


# B2B matchmaking ---------------------------------------------------------------------------


def _matchmaking_event(request, slug) -> tuple[Event, Registration | None]:
    event = get_object_or_404(permissions.events_visible_to(request.user), slug=slug,
                              matchmaking=True)
    registration = selectors.registration_of(user=request.user, event=event)
    if not (registration and registration.holds_place) and not permissions.can_manage_event(
            request.user, event):
        raise PermissionDenied
    return event, registration


@login_required
def marketplace(request, slug):
    event, registration = _matchmaking_event(request, slug)
    filterset = ProfileFilter(request.GET, queryset=selectors.profile_list(event=event))
    page = capped_page(filterset.qs, PAGE_SIZE, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    open_with = set()
    for requester, recipient in selectors.meeting_requests_of(user=request.user, event=event) \
            .filter(status__in=MeetingRequest.OPEN).values_list("requester_id", "recipient_id"):
        open_with.update((requester, recipient))
    return render(request, "events/marketplace.html", {
        "event": event, "filter": filterset, "page": page, "query": query.urlencode(),
        "is_participant": bool(registration and registration.holds_place),
        "open_with": open_with,
        "my_profiles": event.profiles.filter(user=request.user),
    })


@login_required
def profile_edit(request, slug, pk=None):
    event, registration = _matchmaking_event(request, slug)
    profile = None
    if pk is not None:
        profile = get_object_or_404(CooperationProfile, pk=pk, event=event, user=request.user)
    form = ProfileForm(request.POST or None, instance=profile, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        themes = data.pop("themes")
        try:
            services.profile_save(event=event, user=request.user, profile=profile,
                                  themes=themes, **data)
        except DomainError as exc:
            _error(request, exc)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your cooperation profile is saved."))
            return redirect("events:marketplace", slug=event.slug)
    return render(request, "events/profile_form.html", {"event": event, "form": form,
                                                        "profile": profile})


@login_required
def meeting_request_new(request, slug, profile_pk):
    event, registration = _matchmaking_event(request, slug)
    profile = get_object_or_404(selectors.profile_list(event=event), pk=profile_pk)
    form = MeetingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_request_create(event=event, requester=request.user,
                                            recipient=profile.user, profile=profile,
                                            message=form.cleaned_data["message"])
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Your meeting request is sent."))
            return redirect("events:my-meetings")
    return render(request, "events/meeting_request_form.html",
                  {"event": event, "profile": profile, "form": form})


@login_required
def people_to_meet(request, slug):
    """The participants the portal suggests this person meets, with reasons; each with a
    one-click meeting request that goes through the usual request (and the scheduler)."""
    from ecosystem.matching.reasons import render_all

    from .matching import people_to_meet as suggest

    event, registration = _matchmaking_event(request, slug)
    people = []
    if registration and registration.holds_place:
        for item in suggest(event=event, user=request.user):
            texts = render_all(item.reasons)
            people.append({"name": item.candidate.title,
                           "organisation": item.candidate.rules.get("organisation", ""),
                           "profile_id": item.candidate.rules["profile_id"],
                           "reasons": texts,
                           "message": _("The portal suggests we meet: %(why)s.") % {
                               "why": "; ".join(texts) or event.title}})
    return render(request, "events/people_to_meet.html", {"event": event, "people": people})


@login_required
def my_meetings(request):
    requests = list(selectors.meeting_requests_of(user=request.user))
    return render(request, "events/my_meetings.html", {
        "incoming": [r for r in requests if r.recipient_id == request.user.pk
                     and r.status == MeetingRequest.Status.REQUESTED],
        "outgoing": [r for r in requests if r.requester_id == request.user.pk
                     and r.status == MeetingRequest.Status.REQUESTED],
        "accepted": [r for r in requests if r.status == MeetingRequest.Status.ACCEPTED],
        "closed": [r for r in requests if r.status not in MeetingRequest.OPEN],
    })


@login_required
@require_POST
def meeting_request_action(request, pk, action):
    meeting_request = get_object_or_404(permissions.meeting_requests_of(request.user), pk=pk)
    service = {"accept": services.meeting_request_accept,
               "decline": services.meeting_request_decline,
               "cancel": services.meeting_request_cancel}.get(action)
    if service is None:
        raise Http404
    try:
        service(request=meeting_request, actor=request.user)
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, {"accept": _("Meeting accepted."),
                                   "decline": _("Meeting declined."),
                                   "cancel": _("Meeting cancelled.")}[action])
    return redirect("events:my-meetings")


@login_required
def availability(request, slug):
    event, registration = _matchmaking_event(request, slug)
    current = MeetingSlot.objects.filter(unavailabilities__user=request.user,
                                         session__event=event)
    form = AvailabilityForm(request.POST or None, event=event,
                            initial={"unavailable": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.unavailability_set(
                event=event, user=request.user,
                slot_ids=[slot.pk for slot in form.cleaned_data["unavailable"]])
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Your availability is saved."))
            return redirect("events:marketplace", slug=event.slug)
    return render(request, "events/availability.html", {"event": event, "form": form})


@login_required
def agenda(request):
    token = services.agenda_token_get(user=request.user)
    return render(request, "events/agenda.html", {
        "registrations": [r for r in selectors.agenda_registrations(user=request.user)
                          if r.event.ends_at >= timezone.now()],
        "meetings": selectors.agenda_meetings(user=request.user),
        "feed_url": settings.SITE_URL + reverse("events:agenda-feed",
                                                kwargs={"token": token.token}),
    })


@login_required
@require_POST
def agenda_token_regenerate(request):
    services.agenda_token_get(user=request.user, regenerate=True)
    messages.success(request, _("Your agenda feed has a new address; the old one no longer "
                                "works."))
    return redirect("events:agenda")


# The scheduler (staff) ---------------------------------------------------------------------


def _schedulable_event(request, slug) -> Event:
    if not request.user.is_authenticated:
        raise PermissionDenied
    return get_object_or_404(permissions.events_schedulable_by(request.user), slug=slug)


@login_required
def scheduler(request, slug):
    event = _schedulable_event(request, slug)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                count = services.schedule_publish(event=event, actor=request.user)
                messages.success(request, _("%(count)s meetings published.") % {"count": count})
            else:
                services.scheduler_start(event=event, actor=request.user)
                messages.success(request, _("The scheduler has started."))
        except DomainError as exc:
            _error(request, exc)
        return redirect("events:scheduler", slug=event.slug)
    runs = list(event.scheduler_runs.select_related("started_by")[:5])
    latest = runs[0] if runs else None
    meetings = Meeting.objects.filter(event=event, request__status=MeetingRequest.Status.ACCEPTED)
    people = {u.pk: u for u in get_user_model().objects.filter(
        pk__in={p for row in (latest.unplaced if latest else []) for p in
                (row["requester"], row["recipient"])})}
    unplaced = [{"requester": people.get(row["requester"]),
                 "recipient": people.get(row["recipient"]),
                 "reason": UNPLACED_REASONS.get(row["reason"], row["reason"])}
                for row in (latest.unplaced if latest else [])]
    return render(request, "events/scheduler.html", {
        "event": event, "runs": runs, "latest": latest, "unplaced": unplaced[:200],
        "unplaced_total": len(unplaced),
        "sessions": event.meeting_sessions.all(),
        "counts": {
            "accepted": meetings.count(),
            "placed": meetings.filter(slot__isnull=False).count(),
            "published": meetings.filter(published=True).count(),
            "unavailabilities": Unavailability.objects.filter(slot__session__event=event).count(),
        },
        "running": bool(latest and latest.status in (SchedulerRun.Status.QUEUED,
                                                     SchedulerRun.Status.RUNNING)),
    })


@login_required
@require_GET
def scheduler_status(request, slug):
    event = _schedulable_event(request, slug)
    run = event.scheduler_runs.first()
    data = {"status": None}
    if run:
        data = {"status": run.status, "progress": run.progress, "placed": run.placed,
                "bound": run.bound, "meetings": run.meetings, "message": run.message}
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response
