"""Who may see and change projects, pilots and programme data.

Each rule answers both "may this user do X to this object" and "which objects may this user do
X to" (a QuerySet), so lists, details and writes never disagree. The roles:

* **Portal staff** (``user.is_staff``): everything.
* **Project editors** of a project: people with a ``ProjectMember`` row on it (manager or
  editor), and the administrators of its coordinator and (full) partner organisations.
  Associated partners are named on the project but do not edit it. Project editors change the
  project, its expected results and progress, and the project's pilots; they see its drafts.
* **Project managers**: ``ProjectMember`` managers and coordinator administrators; they also
  add and remove partners and members.
* **City staff** of a city: the members (any role) of the city's public authority
  organisation (``City.authority``). They edit the pilots in their city, moderate their
  feedback, and update their own city's roadmap, actions, indicators and measurements.
* **Mentors**: the contact people of a ``Mentorship``; they comment on the roadmaps of the
  cities that mentorship pairs them with, and nothing else.
* Everybody else reads what is public: projects and programmes that are not drafts, pilots of
  public projects (or of no project), published feedback.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from stakeholders.models import City, Membership

from .models import (
    Action,
    ExpectedResult,
    Feedback,
    Indicator,
    Mentorship,
    Pilot,
    Programme,
    Project,
    ProjectMember,
    ProjectPartner,
    Roadmap,
)

EDITING_PARTNER_ROLES = [ProjectPartner.Role.COORDINATOR, ProjectPartner.Role.PARTNER]


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _staff(user) -> bool:
    return _authenticated(user) and user.is_staff


# --------------------------------------------------------------------------- cities


def cities_staffed_by(user) -> QuerySet[City]:
    """Cities whose public authority organisation the user belongs to."""
    if not _authenticated(user):
        return City.objects.none()
    return City.objects.filter(authority__memberships__user=user)


# --------------------------------------------------------------------------- projects


def projects_editable_by(user) -> QuerySet[Project]:
    if not _authenticated(user):
        return Project.objects.none()
    if user.is_staff:
        return Project.objects.all()
    as_member = ProjectMember.objects.filter(user=user).values("project_id")
    as_partner_admin = ProjectPartner.objects.filter(
        role__in=EDITING_PARTNER_ROLES,
        organisation__memberships__user=user,
        organisation__memberships__role=Membership.Role.ADMIN,
    ).values("project_id")
    return Project.objects.filter(Q(pk__in=as_member) | Q(pk__in=as_partner_admin))


def projects_managed_by(user) -> QuerySet[Project]:
    if not _authenticated(user):
        return Project.objects.none()
    if user.is_staff:
        return Project.objects.all()
    as_manager = ProjectMember.objects.filter(
        user=user, role=ProjectMember.Role.MANAGER
    ).values("project_id")
    as_coordinator = ProjectPartner.objects.filter(
        role=ProjectPartner.Role.COORDINATOR,
        organisation__memberships__user=user,
        organisation__memberships__role=Membership.Role.ADMIN,
    ).values("project_id")
    return Project.objects.filter(Q(pk__in=as_manager) | Q(pk__in=as_coordinator))


def projects_visible_to(user) -> QuerySet[Project]:
    if _staff(user):
        return Project.objects.all()
    public = ~Q(status=Project.Status.DRAFT)
    if not _authenticated(user):
        return Project.objects.filter(public)
    return Project.objects.filter(public | Q(pk__in=projects_editable_by(user).values("pk")))


def can_edit_project(user, project: Project) -> bool:
    return projects_editable_by(user).filter(pk=project.pk).exists()


def can_manage_project(user, project: Project) -> bool:
    return projects_managed_by(user).filter(pk=project.pk).exists()


def can_create_project(user, coordinator=None) -> bool:
    """Staff, or an administrator of the organisation that will coordinate it."""
    if _staff(user):
        return True
    if not _authenticated(user) or coordinator is None:
        return False
    return Membership.objects.filter(
        user=user, organisation=coordinator, role=Membership.Role.ADMIN
    ).exists()


# --------------------------------------------------------------------------- pilots


def pilots_editable_by(user) -> QuerySet[Pilot]:
    if not _authenticated(user):
        return Pilot.objects.none()
    if user.is_staff:
        return Pilot.objects.all()
    return Pilot.objects.filter(
        Q(project__in=projects_editable_by(user).values("pk"))
        | Q(city__in=cities_staffed_by(user).values("pk"))
    )


def pilots_visible_to(user) -> QuerySet[Pilot]:
    if _staff(user):
        return Pilot.objects.all()
    public = Q(project__isnull=True) | ~Q(project__status=Project.Status.DRAFT)
    if not _authenticated(user):
        return Pilot.objects.filter(public)
    return Pilot.objects.filter(public | Q(pk__in=pilots_editable_by(user).values("pk")))


def public_pilots() -> QuerySet[Pilot]:
    return pilots_visible_to(None)


def can_edit_pilot(user, pilot: Pilot) -> bool:
    return pilots_editable_by(user).filter(pk=pilot.pk).exists()


def can_create_pilot(user, *, city: City, project: Project | None = None) -> bool:
    if _staff(user):
        return True
    if project is not None and can_edit_project(user, project):
        return True
    return cities_staffed_by(user).filter(pk=city.pk).exists()


def can_give_feedback(user) -> bool:
    return _authenticated(user)


# --------------------------------------------------------------------------- feedback


def feedback_moderatable_by(user) -> QuerySet[Feedback]:
    """Portal staff moderate all feedback; a pilot's editors moderate that pilot's feedback."""
    if not _authenticated(user):
        return Feedback.objects.none()
    if user.is_staff:
        return Feedback.objects.all()
    return Feedback.objects.filter(pilot__in=pilots_editable_by(user).values("pk"))


def pilot_moderators(pilot: Pilot):
    """The people who look after a pilot's feedback, apart from portal staff: its project's
    editors and the staff of its city."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    city_staff = Membership.objects.filter(organisation__governed_city=pilot.city_id)
    query = Q(pk__in=city_staff.values("user_id"))
    if pilot.project_id:
        query |= Q(pk__in=ProjectMember.objects.filter(project=pilot.project_id).values("user_id"))
        query |= Q(pk__in=Membership.objects.filter(
            role=Membership.Role.ADMIN,
            organisation__project_partnerships__project=pilot.project_id,
            organisation__project_partnerships__role__in=EDITING_PARTNER_ROLES,
        ).values("user_id"))
    return User.objects.filter(query, is_active=True)


def can_moderate_any_feedback(user) -> bool:
    if _staff(user):
        return True
    return pilots_editable_by(user).exists()


def can_moderate_feedback(user, feedback: Feedback) -> bool:
    return feedback_moderatable_by(user).filter(pk=feedback.pk).exists()


def feedback_visible_to(user) -> QuerySet[Feedback]:
    """Published feedback for everybody; authors also see their own, moderators their queue."""
    published = Q(status=Feedback.Status.PUBLISHED)
    if not _authenticated(user):
        return Feedback.objects.filter(published)
    if user.is_staff:
        return Feedback.objects.all()
    return Feedback.objects.filter(
        published | Q(author=user) | Q(pk__in=feedback_moderatable_by(user).values("pk"))
    )


# --------------------------------------------------------------------------- programmes


def programmes_visible_to(user) -> QuerySet[Programme]:
    if _staff(user):
        return Programme.objects.all()
    public = ~Q(status=Programme.Status.DRAFT)
    if not _authenticated(user):
        return Programme.objects.filter(public)
    in_cohort = Programme.objects.filter(
        cohort__city__in=cities_staffed_by(user).values("pk")
    ).values("pk")
    return Programme.objects.filter(public | Q(pk__in=in_cohort))


def roadmaps_visible_to(user) -> QuerySet[Roadmap]:
    return Roadmap.objects.filter(programme__in=programmes_visible_to(user).values("pk"))


def roadmaps_editable_by(user) -> QuerySet[Roadmap]:
    """City staff change their own city's roadmap, and no other city's."""
    if not _authenticated(user):
        return Roadmap.objects.none()
    if user.is_staff:
        return Roadmap.objects.all()
    return Roadmap.objects.filter(city__in=cities_staffed_by(user).values("pk"))


def roadmaps_mentored_by(user) -> QuerySet[Roadmap]:
    if not _authenticated(user):
        return Roadmap.objects.none()
    pairing = Mentorship.objects.filter(
        programme=OuterRef("programme"), participants=OuterRef("city"), contacts=user
    )
    return Roadmap.objects.filter(Exists(pairing))


def roadmaps_commentable_by(user) -> QuerySet[Roadmap]:
    """Mentors of the city, the city's own staff (to answer) and portal staff."""
    if not _authenticated(user):
        return Roadmap.objects.none()
    if user.is_staff:
        return Roadmap.objects.all()
    return Roadmap.objects.filter(
        Q(pk__in=roadmaps_editable_by(user).values("pk"))
        | Q(pk__in=roadmaps_mentored_by(user).values("pk"))
    )


def can_edit_roadmap(user, roadmap: Roadmap) -> bool:
    return roadmaps_editable_by(user).filter(pk=roadmap.pk).exists()


def can_comment_roadmap(user, roadmap: Roadmap) -> bool:
    return roadmaps_commentable_by(user).filter(pk=roadmap.pk).exists()


def actions_editable_by(user) -> QuerySet[Action]:
    return Action.objects.filter(roadmap__in=roadmaps_editable_by(user).values("pk"))


def indicators_editable_by(user) -> QuerySet[Indicator]:
    return Indicator.objects.filter(roadmap__in=roadmaps_editable_by(user).values("pk"))


def results_visible_to(user) -> QuerySet[ExpectedResult]:
    """A project's expected results and their progress: public with the project."""
    return ExpectedResult.objects.filter(project__in=projects_visible_to(user).values("pk"))
