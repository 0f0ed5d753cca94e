"""Every write to projects, pilots, feedback and programme data."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecosystem.audit import audit
from ecosystem.errors import DomainError, InvalidInput, InvalidTransition, NotAllowed
from ecosystem.matching import services as matching
from ecosystem.notifications.services import follow, followers_of, notify, unfollow
from ecosystem.search import index as search_index
from ecosystem.text import plain_text, unique_slug
from stakeholders.models import Membership

from . import permissions
from .models import (
    COMMENT_MAX_LENGTH,
    FEEDBACK_MAX_LENGTH,
    Action,
    ExpectedResult,
    Feedback,
    Indicator,
    Measurement,
    Pilot,
    PilotIndicator,
    PilotUpdate,
    Programme,
    Project,
    ProjectMember,
    ProjectPartner,
    Roadmap,
    RoadmapComment,
)

FEEDBACK_PER_HOUR = 5
FEEDBACK_WINDOW = timedelta(hours=1)

PROJECT_FIELDS = (
    "acronym", "title", "summary", "funding_programme", "start_date", "end_date", "budget",
    "eu_funding", "website", "partners_wanted", "partner_helices_wanted", "partners_wanted_until",
)
PILOT_FIELDS = (
    "title", "summary", "what_is_tested", "results", "status", "start_date", "end_date",
    "address", "latitude", "longitude", "project", "city",
)
ACTION_FIELDS = ("title", "description", "owner", "status", "due_date", "position")

PROJECT_TRANSITIONS = {
    Project.Status.DRAFT: {Project.Status.ONGOING},
    Project.Status.ONGOING: {Project.Status.COMPLETED, Project.Status.DRAFT},
    Project.Status.COMPLETED: {Project.Status.ONGOING},
}
PILOT_TRANSITIONS = {
    Pilot.Status.PLANNED: {Pilot.Status.RUNNING, Pilot.Status.STOPPED},
    Pilot.Status.RUNNING: {Pilot.Status.COMPLETED, Pilot.Status.STOPPED},
    Pilot.Status.STOPPED: {Pilot.Status.RUNNING},
    Pilot.Status.COMPLETED: {Pilot.Status.RUNNING},
}


class RateLimited(DomainError):
    """Too many writes in a short time (429)."""

    status_code = 429
    default_code = "rate_limited"
    default_message = gettext_lazy("Too many requests. Please try again later.")


def _point(latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    """Both or neither coordinate, in range, as decimals with 6 places."""
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    if latitude in (None, "") or longitude in (None, ""):
        raise InvalidInput(
            _("Give both latitude and longitude, or neither."),
            fields={"latitude": [_("Give both coordinates.")]},
        )
    try:
        lat = Decimal(str(latitude)).quantize(Decimal("0.000001"))
        lon = Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Coordinates must be numbers."),
                           fields={"latitude": [_("Not a number.")]}) from None
    if not lat.is_finite() or not -90 <= lat <= 90:
        raise InvalidInput(_("Latitude must be between -90 and 90."),
                           fields={"latitude": [_("Out of range.")]})
    if not lon.is_finite() or not -180 <= lon <= 180:
        raise InvalidInput(_("Longitude must be between -180 and 180."),
                           fields={"longitude": [_("Out of range.")]})
    return lat, lon


def _clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise InvalidInput(_("Invalid input."), fields=exc.message_dict) from None


def _set_fields(instance, fields: dict, allowed: tuple[str, ...]) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    changes = {}
    for name, value in fields.items():
        if getattr(instance, name) != value:
            changes[name] = str(value)
            setattr(instance, name, value)
    return changes


# --------------------------------------------------------------------------- projects


@transaction.atomic
def project_create(*, actor, coordinator, themes=(), **fields) -> Project:
    """A new project, as a draft; the coordinator is its first partner, the actor its manager."""
    if not permissions.can_create_project(actor, coordinator):
        raise NotAllowed(_("Only an administrator of the coordinating organisation can add it."))
    project = Project(status=Project.Status.DRAFT)
    _set_fields(project, fields, PROJECT_FIELDS)
    project.slug = unique_slug(Project, project.acronym or project.title)
    _clean(project)
    project.save()
    project.themes.set(themes)
    ProjectPartner.objects.create(
        project=project, organisation=coordinator, role=ProjectPartner.Role.COORDINATOR
    )
    ProjectMember.objects.create(project=project, user=actor, role=ProjectMember.Role.MANAGER)
    audit(actor=actor, action="projects.project.created", target=project)
    search_index.refresh(project)
    return project


@transaction.atomic
def project_update(*, project: Project, actor, themes=None, **fields) -> Project:
    if not permissions.can_edit_project(actor, project):
        raise NotAllowed(_("Only the project's editors can change it."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    was_looking = project.looks_for_partners
    changes = _set_fields(project, fields, PROJECT_FIELDS)
    _clean(project)
    project.save()
    if themes is not None:
        project.themes.set(themes)
        changes["themes"] = sorted(theme.slug for theme in themes)
    audit(actor=actor, action="projects.project.updated", target=project, changes=changes)
    search_index.refresh(project)
    refresh_partner_search(project, was_looking=was_looking)
    return project


def refresh_partner_search(project: Project, *, was_looking: bool) -> None:
    """A project that looks (or looked) for partners is scored again against the
    organisations it may reach: its stored recommendations follow its call for partners, its
    themes and its consortium (and go when it stops looking)."""
    if was_looking or project.looks_for_partners:
        matching.queue_target_published(kind="project", target_id=project.pk)


@transaction.atomic
def project_set_status(*, project: Project, actor, status: str) -> Project:
    """Publish a draft (ongoing), complete it, or take it back to draft. Followers are told."""
    if not permissions.can_manage_project(actor, project):
        raise NotAllowed(_("Only the project's managers can change its status."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    was_looking = project.looks_for_partners
    if status not in PROJECT_TRANSITIONS.get(project.status, set()):
        raise InvalidTransition(
            _("A project cannot go from %(old)s to %(new)s.")
            % {"old": project.get_status_display(), "new": status}
        )
    old = project.status
    project.status = status
    project.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="projects.project.status_changed", target=project,
          changes={"status": [old, status]})
    if status != Project.Status.DRAFT:
        notify(kind="projects.project_update", target=project, actor=actor,
               context={"change": project.get_status_display()},
               dedupe_key=f"project-status-{project.pk}-{status}-{timezone.now():%Y%m%d%H%M%S%f}")
    search_index.refresh(project)
    # Its results and pilots are public with it: the index stores that on their documents.
    for row in [*project.results.all(), *project.pilots.all()]:
        search_index.refresh(row)
    refresh_partner_search(project, was_looking=was_looking)
    return project


@transaction.atomic
def partner_add(*, project: Project, actor, organisation, role: str) -> ProjectPartner:
    if not permissions.can_manage_project(actor, project):
        raise NotAllowed(_("Only the project's managers can add partners."))
    Project.objects.select_for_update().get(pk=project.pk)
    partner = ProjectPartner(project=project, organisation=organisation, role=role)
    _clean(partner)
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError:
        raise InvalidInput(_("This organisation is already a partner, or the project already "
                             "has a coordinator.")) from None
    audit(actor=actor, action="projects.partner.added", target=project,
          changes={"organisation": organisation.slug, "role": role})
    refresh_partner_search(project, was_looking=False)  # a new partner is not suggested it
    return partner


@transaction.atomic
def partner_remove(*, partner: ProjectPartner, actor) -> None:
    if not permissions.can_manage_project(actor, partner.project):
        raise NotAllowed(_("Only the project's managers can remove partners."))
    if partner.role == ProjectPartner.Role.COORDINATOR:
        raise InvalidTransition(_("The coordinator cannot be removed; name another one first."))
    audit(actor=actor, action="projects.partner.removed", target=partner.project,
          changes={"organisation": partner.organisation.slug})
    partner.delete()
    refresh_partner_search(partner.project, was_looking=False)


@transaction.atomic
def project_member_add(*, project: Project, actor, user, role=ProjectMember.Role.EDITOR):
    if not permissions.can_manage_project(actor, project):
        raise NotAllowed(_("Only the project's managers can add editors."))
    member, created = ProjectMember.objects.get_or_create(
        project=project, user=user, defaults={"role": role}
    )
    if not created and member.role != role:
        member.role = role
        member.save(update_fields=["role"])
    audit(actor=actor, action="projects.member.added", target=project,
          changes={"user": user.email, "role": role})
    return member


@transaction.atomic
def project_member_remove(*, member: ProjectMember, actor) -> None:
    if not permissions.can_manage_project(actor, member.project):
        raise NotAllowed(_("Only the project's managers can remove editors."))
    audit(actor=actor, action="projects.member.removed", target=member.project,
          changes={"user": member.user.email})
    member.delete()


@transaction.atomic
def result_create(*, project: Project, actor, title: str, target, unit: str = "",
                  kind=ExpectedResult.Kind.OUTPUT, description: str = "") -> ExpectedResult:
    if not permissions.can_edit_project(actor, project):
        raise NotAllowed(_("Only the project's editors can add expected results."))
    position = project.results.count()
    result = ExpectedResult(project=project, title=title, target=target, unit=unit, kind=kind,
                            description=description, position=position, updated_by=actor)
    _clean(result)
    result.save()
    audit(actor=actor, action="projects.result.created", target=project,
          changes={"result": title, "target": str(target)})
    search_index.refresh(result)
    return result


@transaction.atomic
def result_update_progress(*, result: ExpectedResult, actor, achieved, note: str = "") -> ExpectedResult:
    """Report progress against an expected result; the project's followers are told."""
    if not permissions.can_edit_project(actor, result.project):
        raise NotAllowed(_("Only the project's editors can report progress."))
    result = ExpectedResult.objects.select_for_update().select_related("project").get(pk=result.pk)
    try:
        achieved = Decimal(str(achieved))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Progress must be a number."), fields={"achieved": [_("Not a number.")]}) from None
    old = result.achieved
    result.achieved = achieved
    result.progress_note = plain_text(note, field="note", max_length=500, required=False)
    result.updated_by = actor
    _clean(result)
    result.save()
    audit(actor=actor, action="projects.result.progress", target=result.project,
          changes={"result": result.title, "achieved": [str(old), str(achieved)]})
    if result.project.is_public and achieved != old:
        notify(kind="projects.project_update", target=result.project, actor=actor,
               context={"change": _("%(title)s: %(achieved)s of %(target)s") % {
                   "title": result.title, "achieved": f"{achieved.normalize():f}",
                   "target": f"{result.target.normalize():f}"}},
               dedupe_key=f"result-{result.pk}-{achieved}")
    search_index.refresh(result)
    return result


# --------------------------------------------------------------------------- pilots


@transaction.atomic
def pilot_create(*, actor, city, title: str, project: Project | None = None, themes=(),
                 **fields) -> Pilot:
    if not permissions.can_create_pilot(actor, city=city, project=project):
        raise NotAllowed(_("Only the city's staff or the project's editors can add a pilot here."))
    latitude, longitude = _point(fields.pop("latitude", None), fields.pop("longitude", None))
    pilot = Pilot(city=city, project=project, title=title, latitude=latitude, longitude=longitude)
    _set_fields(pilot, fields, PILOT_FIELDS)
    pilot.slug = unique_slug(Pilot, f"{city.slug} {title}")
    _clean(pilot)
    pilot.save()
    pilot.themes.set(themes)
    audit(actor=actor, action="projects.pilot.created", target=pilot)
    search_index.refresh(pilot)
    return pilot


@transaction.atomic
def pilot_update(*, pilot: Pilot, actor, news_title: str = "", news_body: str = "",
                 themes=None, **fields) -> Pilot:
    """Change a pilot and/or post news about it. Followers are told what changed.

    ``news_title``/``news_body`` are the news (a ``PilotUpdate``); other keyword arguments
    change the pilot. A new status or new results are news by themselves.
    """
    if not permissions.can_edit_pilot(actor, pilot):
        raise NotAllowed(_("Only the pilot's editors can change it."))
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    if "project" in fields and fields["project"] is not None and fields["project"] != pilot.project:
        if not permissions.can_edit_project(actor, fields["project"]):
            raise NotAllowed(_("You can only attach a pilot to a project you edit."))
    if "city" in fields and fields["city"] != pilot.city:
        if not permissions.can_create_pilot(actor, city=fields["city"],
                                            project=fields.get("project", pilot.project)):
            raise NotAllowed(_("You can only move a pilot to a city whose pilots you run."))
    if "latitude" in fields or "longitude" in fields:
        fields["latitude"], fields["longitude"] = _point(
            fields.get("latitude", pilot.latitude), fields.get("longitude", pilot.longitude)
        )
    new_status = fields.get("status")
    if new_status and new_status != pilot.status and new_status not in PILOT_TRANSITIONS.get(
        pilot.status, set()
    ):
        raise InvalidTransition(
            _("A pilot cannot go from %(old)s to %(new)s.")
            % {"old": pilot.get_status_display(), "new": new_status}
        )
    old_status = pilot.get_status_display()
    changes = _set_fields(pilot, fields, PILOT_FIELDS)
    _clean(pilot)
    pilot.save()
    if themes is not None:
        pilot.themes.set(themes)
        changes["themes"] = sorted(theme.slug for theme in themes)
    title = plain_text(news_title, field="news_title", max_length=200, required=False)
    body = plain_text(news_body, field="news_body", max_length=COMMENT_MAX_LENGTH,
                      required=bool(title))
    news = []
    if "status" in changes:
        news.append(_("Status: %(old)s → %(new)s") % {"old": old_status,
                                                        "new": pilot.get_status_display()})
    if "results" in changes:
        news.append(_("New results were published."))
    lines = [body] if body else []
    if title:
        headline = title
        lines += news
    elif news:
        headline = news[0]
        lines += news[1:]
    else:
        headline = _("News from the pilot") if body else ""
    update = None
    if headline:
        update = PilotUpdate.objects.create(
            pilot=pilot, author=actor, title=headline, body="\n".join(lines) or headline
        )
    audit(actor=actor, action="projects.pilot.updated", target=pilot, changes=changes)
    if update is not None:
        notify(kind="projects.pilot_update", target=pilot, actor=actor,
               context={"update_title": update.title, "update_body": update.body[:1000]},
               dedupe_key=f"pilot-update-{update.pk}")
    search_index.refresh(pilot)
    return pilot


@transaction.atomic
def pilot_indicator_update(*, indicator: PilotIndicator, actor, value) -> PilotIndicator:
    if not permissions.can_edit_pilot(actor, indicator.pilot):
        raise NotAllowed(_("Only the pilot's editors can change its indicators."))
    indicator = PilotIndicator.objects.select_for_update().get(pk=indicator.pk)
    try:
        indicator.value = None if value in (None, "") else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("The value must be a number."), fields={"value": [_("Not a number.")]}) from None
    _clean(indicator)
    indicator.save()
    audit(actor=actor, action="projects.pilot_indicator.updated", target=indicator.pilot,
          changes={indicator.name: str(indicator.value)})
    return indicator


def target_follow(*, user, target) -> None:
    """Follow a project or pilot the user can see (notifications on its updates)."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Sign in to follow."))
    follow(user=user, target=target)


def target_unfollow(*, user, target) -> None:
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Sign in first."))
    unfollow(user=user, target=target)


# --------------------------------------------------------------------------- feedback


@transaction.atomic
def feedback_submit(*, pilot: Pilot, author, body: str, kind: str = Feedback.Kind.COMMENT,
                    latitude=None, longitude=None, now=None) -> Feedback:
    """A citizen's comment or idea; waits for moderation. At most FEEDBACK_PER_HOUR an hour."""
    if not permissions.can_give_feedback(author):
        raise NotAllowed(_("Sign in to give feedback."))
    if pilot.status == Pilot.Status.STOPPED:
        raise InvalidTransition(_("This pilot has stopped and takes no more feedback."))
    if kind not in Feedback.Kind.values:
        raise InvalidInput(_("Choose a comment or an idea."), fields={"kind": [_("Invalid choice.")]})
    body = plain_text(body, field="body", max_length=FEEDBACK_MAX_LENGTH)
    latitude, longitude = _point(latitude, longitude)
    now = now or timezone.now()
    # One person's submissions are serialised on their row, so the count cannot be raced.
    get_user_model().objects.select_for_update().filter(pk=author.pk).first()
    recent = Feedback.objects.filter(author=author, created_at__gt=now - FEEDBACK_WINDOW).count()
    if recent >= FEEDBACK_PER_HOUR:
        raise RateLimited(
            _("You have sent %(count)d messages in the last hour. Please wait a little before "
              "sending more.") % {"count": recent}
        )
    feedback = Feedback(pilot=pilot, author=author, kind=kind, body=body, latitude=latitude,
                        longitude=longitude, created_at=now)
    _clean(feedback)
    feedback.save()
    audit(actor=author, action="projects.feedback.submitted", target=feedback)
    # One reminder a day per pilot and moderator, however much feedback arrives.
    notify(kind="projects.feedback_waiting", target=pilot, actor=author,
           recipients=permissions.pilot_moderators(pilot),
           context={"url": reverse("projects:moderation")},
           dedupe_key=f"feedback-waiting-{pilot.pk}-{now:%Y-%m-%d}")
    return feedback


@transaction.atomic
def feedback_publish(*, feedback: Feedback, actor) -> Feedback:
    if not permissions.can_moderate_feedback(actor, feedback):
        raise NotAllowed(_("Only moderators of this pilot can publish feedback."))
    feedback = Feedback.objects.select_for_update().select_related("pilot").get(pk=feedback.pk)
    if feedback.status != Feedback.Status.PENDING:
        raise InvalidTransition(_("Only feedback waiting for moderation can be published."))
    feedback.status = Feedback.Status.PUBLISHED
    feedback.moderated_by, feedback.moderated_at = actor, timezone.now()
    feedback.save(update_fields=["status", "moderated_by", "moderated_at"])
    audit(actor=actor, action="projects.feedback.published", target=feedback)
    search_index.refresh(feedback)
    notify(kind="projects.feedback_published", target=feedback.pilot, recipients=[feedback.author],
           actor=actor, context={"feedback_id": feedback.pk},
           dedupe_key=f"feedback-{feedback.pk}-published")
    return feedback


@transaction.atomic
def feedback_reject(*, feedback: Feedback, actor, reason: str) -> Feedback:
    """Reject pending feedback, or take published feedback down; the author is told why."""
    if not permissions.can_moderate_feedback(actor, feedback):
        raise NotAllowed(_("Only moderators of this pilot can reject feedback."))
    reason = plain_text(reason, field="reason", max_length=500)
    feedback = Feedback.objects.select_for_update().select_related("pilot").get(pk=feedback.pk)
    if feedback.status == Feedback.Status.REJECTED:
        raise InvalidTransition(_("This feedback has already been rejected."))
    feedback.status = Feedback.Status.REJECTED
    feedback.rejection_reason = reason
    feedback.moderated_by, feedback.moderated_at = actor, timezone.now()
    feedback.save(update_fields=["status", "rejection_reason", "moderated_by", "moderated_at"])
    audit(actor=actor, action="projects.feedback.rejected", target=feedback,
          changes={"reason": reason})
    search_index.refresh(feedback)  # taken down: it leaves the search
    notify(kind="projects.feedback_rejected", target=feedback.pilot, recipients=[feedback.author],
           actor=actor, context={"reason": reason, "feedback_id": feedback.pk},
           dedupe_key=f"feedback-{feedback.pk}-rejected")
    return feedback


# --------------------------------------------------------------------------- programmes


def _roadmap_progress_notify(*, roadmap: Roadmap, actor, context: dict, key: str) -> None:
    """Tell the followers of the city's dashboard, then those of its programme, about
    progress; the shared dedupe key keeps anyone following both from hearing it twice. Only
    for a programme the public can see (a draft's followers may lose sight of it)."""
    programme = roadmap.programme
    if programme.status == Programme.Status.DRAFT:
        return
    context = {"city": roadmap.city.name, "programme": programme.name, **context}
    dedupe_key = f"roadmap-{roadmap.pk}-{key}"
    notify(kind="projects.roadmap_update", target=roadmap, actor=actor, context=context,
           dedupe_key=dedupe_key)
    notify(kind="projects.roadmap_update", target=roadmap, recipients=followers_of(programme),
           actor=actor, context=context, dedupe_key=dedupe_key)


@transaction.atomic
def roadmap_update(*, roadmap: Roadmap, actor, vision: str | None = None,
                   stage: str | None = None) -> Roadmap:
    if not permissions.can_edit_roadmap(actor, roadmap):
        raise NotAllowed(_("Only the city's own staff can change its roadmap."))
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    changes = {}
    if vision is not None:
        roadmap.vision = plain_text(vision, field="vision", max_length=COMMENT_MAX_LENGTH,
                                    required=False)
        changes["vision"] = True
        roadmap.save()
    if stage is not None:
        entry = roadmap.programme.cohort.select_for_update().filter(city=roadmap.city).first()
        if entry is None:
            raise InvalidInput(_("This city is not in the programme's cohort."))
        old_stage = entry.stage
        entry.stage = stage
        _clean(entry)
        entry.save(update_fields=["stage"])
        changes["stage"] = stage
        if stage and stage != old_stage:
            _roadmap_progress_notify(roadmap=roadmap, actor=actor,
                                     context={"change": "stage", "stage": stage},
                                     key=f"stage-{stage}")
    audit(actor=actor, action="projects.roadmap.updated", target=roadmap, changes=changes)
    return roadmap


@transaction.atomic
def action_create(*, roadmap: Roadmap, actor, title: str, themes=(), **fields) -> Action:
    if not permissions.can_edit_roadmap(actor, roadmap):
        raise NotAllowed(_("Only the city's own staff can add actions."))
    action = Action(roadmap=roadmap, title=title)
    _set_fields(action, fields, ACTION_FIELDS)
    _clean(action)
    action.save()
    action.themes.set(themes)
    audit(actor=actor, action="projects.action.created", target=roadmap, changes={"action": title})
    return action


@transaction.atomic
def action_update(*, action: Action, actor, themes=None, **fields) -> Action:
    if not permissions.actions_editable_by(actor).filter(pk=action.pk).exists():
        raise NotAllowed(_("Only the city's own staff can change its actions."))
    action = Action.objects.select_for_update().get(pk=action.pk)
    old_status = action.status
    changes = _set_fields(action, fields, ACTION_FIELDS)
    _clean(action)
    action.save()
    if themes is not None:
        action.themes.set(themes)
    if action.status != old_status:
        _roadmap_progress_notify(
            roadmap=action.roadmap, actor=actor,
            context={"change": "action", "action": action.title, "status": action.status},
            key=f"action-{action.pk}-{action.status}-{timezone.now().timestamp()}")
    audit(actor=actor, action="projects.action.updated", target=action.roadmap,
          changes={"action": action.title, **changes})
    return action


@transaction.atomic
def indicator_create(*, roadmap: Roadmap, actor, code: str, name: str, baseline, target,
                     unit: str = "", direction=Indicator.Direction.INCREASE,
                     baseline_date=None, target_date=None) -> Indicator:
    if not permissions.can_edit_roadmap(actor, roadmap):
        raise NotAllowed(_("Only the city's own staff can add indicators."))
    indicator = Indicator(roadmap=roadmap, code=code, name=name, baseline=baseline, target=target,
                          unit=unit, direction=direction, baseline_date=baseline_date,
                          target_date=target_date, position=roadmap.indicators.count())
    _clean(indicator)
    indicator.save()
    audit(actor=actor, action="projects.indicator.created", target=roadmap,
          changes={"indicator": code})
    return indicator


@transaction.atomic
def measurement_record(*, indicator: Indicator, actor, date: date, value, note: str = "",
                       today: date | None = None) -> Measurement:
    """Record (or correct) the value measured on a date. Not for future dates."""
    if not permissions.indicators_editable_by(actor).filter(pk=indicator.pk).exists():
        raise NotAllowed(_("Only the city's own staff can record measurements."))
    today = today or timezone.localdate()
    if date > today:
        raise InvalidInput(_("A measurement cannot be in the future."),
                           fields={"date": [_("Choose today or an earlier date.")]})
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("The value must be a number."), fields={"value": [_("Not a number.")]}) from None
    Indicator.objects.select_for_update().get(pk=indicator.pk)
    measurement = Measurement.objects.filter(indicator=indicator, date=date).first()
    old = None
    if measurement is None:
        measurement = Measurement(indicator=indicator, date=date)
    else:
        old = str(measurement.value)
    measurement.value = value
    measurement.note = plain_text(note, field="note", max_length=300, required=False)
    measurement.recorded_by, measurement.recorded_at = actor, timezone.now()
    _clean(measurement)
    measurement.save()
    audit(actor=actor, action="projects.measurement.recorded", target=indicator.roadmap,
          changes={"indicator": indicator.code, "date": date.isoformat(),
                   "value": [old, str(value)]})
    if old != str(value):
        _roadmap_progress_notify(
            roadmap=indicator.roadmap, actor=actor,
            context={"change": "measurement", "indicator": indicator.name,
                     "unit": indicator.unit, "value": float(value),
                     "date": date.isoformat()},
            key=f"measurement-{indicator.pk}-{date.isoformat()}-{value}")
    return measurement


@transaction.atomic
def roadmap_comment_post(*, roadmap: Roadmap, actor, body: str) -> RoadmapComment:
    """A mentor's advice (or the city's answer); the city's staff and the mentors are told."""
    if not permissions.can_comment_roadmap(actor, roadmap):
        raise NotAllowed(_("Only the city's mentors and staff can comment on its roadmap."))
    body = plain_text(body, field="body", max_length=COMMENT_MAX_LENGTH)
    comment = RoadmapComment.objects.create(roadmap=roadmap, author=actor, body=body)
    audit(actor=actor, action="projects.roadmap.commented", target=roadmap)
    User = get_user_model()
    recipients = User.objects.filter(is_active=True).filter(
        pk__in=list(
            Membership.objects.filter(organisation__governed_city=roadmap.city)
            .values_list("user_id", flat=True)
        ) + list(
            roadmap.programme.mentorships.filter(participants=roadmap.city)
            .values_list("contacts", flat=True)
        )
    )
    notify(kind="projects.roadmap_comment", target=roadmap, recipients=recipients, actor=actor,
           context={"excerpt": body[:500]}, dedupe_key=f"roadmap-comment-{comment.pk}")
    return comment


# --------------------------------------------------------------------------- partner search

@transaction.atomic
@transaction.atomic
def project_partner_interest(*, project: Project, organisation, actor, message: str = "") -> int:
    """An organisation answers a project's call for partners: the project's team (its
    managers and editors) is told through the portal, with the organisation, the sender's
    name and the message, never an e-mail address. Once per project and organisation.
    Returns how many people were told."""
    if not Membership.objects.filter(organisation=organisation, user=actor,
                                     user__is_active=True).exists():
        raise NotAllowed(_("Only a member of the organisation can answer for it."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project.looks_for_partners:
        raise InvalidTransition(_("This project is not looking for partners now."))
    if project.partners.filter(organisation=organisation).exists():
        raise InvalidTransition(_("This organisation is already a partner."))
    if project.partner_helices_wanted and organisation.helix not in project.partner_helices_wanted:
        raise InvalidInput(_("This project looks for partners of another helix."),
                           code="not_sought")
    team = get_user_model().objects.filter(project_memberships__project=project, is_active=True)
    return _partner_message(kind="partner_interest", action="interest", project=project,
                            organisation=organisation, actor=actor, recipients=team,
                            message=message)


def _partner_message(*, kind, action, project, organisation, actor, recipients, message) -> int:
    """One portal message between a project and an organisation (no e-mail address shown),
    once per project and organisation, audited. Returns how many people were told."""
    message = plain_text(message, field="message", max_length=1000, required=False)
    created = notify(
        kind=f"projects.{kind}", target=project, recipients=recipients, actor=actor,
        context={"project": project.acronym or project.title, "sender": actor.get_full_name(),
                 "organisation": organisation.name, "message": message},
        dedupe_key=f"projects.{kind}.{project.pk}.{organisation.pk}",
    )
    audit(actor=actor, action=f"projects.partner.{action}", target=project,
          changes={"organisation": organisation.slug})
    return len(created)


def project_partner_contact(*, project: Project, organisation, actor, message: str = "") -> int:
    """Tell a suggested partner's administrators that this consortium would like to talk,
    through the portal: they get a notification with the project and the sender's name,
    never anyone's e-mail address. Once per project and organisation. Returns how many
    people were told."""
    from ecosystem.matching import registry as matching

    if not permissions.can_edit_project(actor, project):
        raise NotAllowed(_("Only the project's team can contact partners for it."))
    if not matching.get_kind("partner").queryset().filter(pk=organisation.pk).exists():
        raise InvalidInput(_("This organisation does not take partner requests."),
                           code="not_contactable")
    if project.partners.filter(organisation=organisation).exists():
        raise InvalidTransition(_("This organisation is already a partner."))
    admins = get_user_model().objects.filter(
        memberships__organisation=organisation, memberships__role=Membership.Role.ADMIN,
        is_active=True)
    return _partner_message(kind="partner_contact", action="contacted", project=project,
                            organisation=organisation, actor=actor, recipients=admins,
                            message=message)
