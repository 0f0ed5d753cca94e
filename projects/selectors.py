"""Reads of projects, pilots and programmes, shared by the pages and the API."""

import json
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone

from ecosystem.models import Theme
from stakeholders.models import Helix

from . import permissions
from .models import (
    PHASE_ORDER,
    Action,
    ExpectedResult,
    Feedback,
    Indicator,
    Measurement,
    Mentorship,
    Phase,
    Pilot,
    PilotIndicator,
    PilotUpdate,
    Programme,
    ProgrammeCity,
    Project,
    ProjectPartner,
    Roadmap,
    RoadmapComment,
)

HELICES = [choice for choice, _ in Helix.choices]
PARTNER_ORDER = Case(
    When(role=ProjectPartner.Role.COORDINATOR, then=0),
    When(role=ProjectPartner.Role.PARTNER, then=1),
    default=2,
)
FEATURE = (
    '{"type":"Feature","id":%d,"geometry":{"type":"Point","coordinates":[%r,%r]},'
    '"properties":{"slug":%s,"title":%s,"status":%s,"status_label":%s,"city":%s,'
    '"city_slug":%s,"project":%s,"address":%s,"themes":%s,"url":%s}}'
)


# --------------------------------------------------------------------------- helix balance


@dataclass
class HelixShare:
    helix: str
    label: str
    count: int
    percent: int
    offset: int = 0


@dataclass
class HelixBalance:
    total: int
    shares: list[HelixShare]
    missing: list[HelixShare] = field(default_factory=list)

    @property
    def present(self) -> list[HelixShare]:
        return [share for share in self.shares if share.count]

    @property
    def complete(self) -> bool:
        return not self.missing


def _count_of(queryset: QuerySet, field: str = "pk", *, distinct: bool = False):
    """A correlated subquery counting ``queryset``'s rows (0 when none), computed for the rows
    of the page only, where Count() over a join groups the whole table before the LIMIT.
    ``Func`` rather than ``Count`` so that Django adds no GROUP BY to the subquery."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = queryset.order_by().annotate(
        counted=Func(F(field), template=template, output_field=IntegerField()))
    return Coalesce(Subquery(counted.values("counted")[:1], output_field=IntegerField()), 0)


def helix_count_annotations() -> dict:
    """Annotations ``helix_<name>`` counting a project's partners per helix (distinct
    organisations), each a subquery evaluated only for the rows of the page."""
    return {
        f"helix_{helix}": _count_of(
            ProjectPartner.objects.filter(project=OuterRef("pk"), organisation__helix=helix),
            "organisation", distinct=True,
        )
        for helix in HELICES
    }


def helix_balance_from_counts(counts: dict[str, int]) -> HelixBalance:
    total = sum(counts.get(helix, 0) for helix in HELICES)
    shares, offset = [], 0
    for helix, label in Helix.choices:
        count = counts.get(helix, 0)
        percent = round(count * 100 / total) if total else 0
        shares.append(HelixShare(helix, str(label), count, percent, offset))
        offset += percent
    return HelixBalance(total, shares, [share for share in shares if not share.count])


def project_helix_balance(*, project: Project) -> HelixBalance:
    """How many partners of each helix the consortium has, their share, and which helices are
    missing. One query."""
    counts = ProjectPartner.objects.filter(project=project).aggregate(
        **{helix: Count("organisation", filter=Q(organisation__helix=helix), distinct=True)
           for helix in HELICES}
    )
    return helix_balance_from_counts(counts)


# --------------------------------------------------------------------------- projects


def project_list(*, viewer) -> QuerySet[Project]:
    """Visible projects with their themes, coordinator and helix counts (no per-row query)."""
    coordinator = ProjectPartner.objects.filter(
        project=OuterRef("pk"), role=ProjectPartner.Role.COORDINATOR
    )
    return (
        permissions.projects_visible_to(viewer)
        .annotate(
            **helix_count_annotations(),
            pilot_count=_count_of(Pilot.objects.filter(project=OuterRef("pk"))),
            coordinator_name=Subquery(coordinator.values("organisation__name")[:1]),
        )
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("acronym", "id")
    )


def projects_looking_for_partners() -> QuerySet[Project]:
    """Ongoing projects whose call for partners is open: ``Project.looks_for_partners`` as a
    QuerySet (matchmaking's hard rule and what it shows)."""
    return Project.objects.filter(status=Project.Status.ONGOING).exclude(
        partners_wanted="").filter(
        Q(partners_wanted_until__isnull=True)
        | Q(partners_wanted_until__gte=timezone.localdate()))


def partner_search_answerers(*, project: Project, viewer):
    """The viewer's organisations that may answer the project's call for partners: not
    partners already, of a helix it looks for. Empty when it is not looking."""
    from stakeholders.models import Organisation

    if not getattr(viewer, "is_authenticated", False) or not project.looks_for_partners:
        return Organisation.objects.none()
    organisations = Organisation.objects.filter(
        memberships__user=viewer).exclude(project_partnerships__project=project)
    if project.partner_helices_wanted:
        organisations = organisations.filter(helix__in=project.partner_helices_wanted)
    return organisations.order_by("name").distinct()


def project_detail(*, viewer, slug: str) -> Project:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        permissions.projects_visible_to(viewer).prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
            Prefetch(
                "partners",
                queryset=ProjectPartner.objects.select_related("organisation__city")
                .order_by(PARTNER_ORDER, "organisation__name"),
            ),
            Prefetch("results", queryset=ExpectedResult.objects.order_by("position", "id")),
        ),
        slug=slug,
    )


def project_pilots(*, project: Project, viewer) -> QuerySet[Pilot]:
    return (
        permissions.pilots_visible_to(viewer).filter(project=project)
        .select_related("city").order_by("title")
    )


PROJECT_SUGGESTIONS = 10


def project_suggestions(*, viewer, text: str) -> list[dict]:
    """Up to ten projects the viewer may see whose acronym starts with ``text`` (then those
    whose acronym or title contains it), for the project pickers' autocomplete."""
    text = text.strip()[:100]
    if len(text) < 2:
        return []
    visible = permissions.projects_visible_to(viewer).order_by("acronym", "id")
    fields = ("slug", "acronym", "title")
    rows = list(visible.filter(acronym__istartswith=text).values(*fields)[:PROJECT_SUGGESTIONS])
    if len(rows) < PROJECT_SUGGESTIONS:
        seen = [row["slug"] for row in rows]
        rows += list(visible.filter(Q(acronym__icontains=text) | Q(title__icontains=text))
                     .exclude(slug__in=seen).values(*fields)[:PROJECT_SUGGESTIONS - len(rows)])
    return [{"value": row["slug"], "label": row["acronym"], "detail": row["title"]}
            for row in rows]


# --------------------------------------------------------------------------- pilots


def pilot_list(*, viewer) -> QuerySet[Pilot]:
    return (
        permissions.pilots_visible_to(viewer)
        .select_related("city", "project", "call")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("title", "id")
    )


def pilot_detail(*, viewer, slug: str) -> Pilot:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        pilot_list(viewer=viewer).prefetch_related(
            Prefetch("indicators", queryset=PilotIndicator.objects.order_by("position", "id")),
        ),
        slug=slug,
    )


def pilots_for_call(*, call) -> QuerySet[Pilot]:
    """The public pilots that came out of a procurement call (for the call's page)."""
    return (
        permissions.public_pilots().filter(call=call)
        .select_related("city", "project").order_by("title", "id")
    )


def pilot_call(*, pilot: Pilot, viewer):
    """The call the pilot came from, if the viewer may see it (drafts of calls stay hidden)."""
    if not pilot.call_id:
        return None
    from procurement.selectors import call_visible

    return call_visible(viewer=viewer, call_id=pilot.call_id)


def pilot_updates(*, pilot: Pilot) -> QuerySet[PilotUpdate]:
    return pilot.updates.select_related("author").order_by("-created_at", "-id")


def pilot_published_feedback(*, pilot: Pilot) -> QuerySet[Feedback]:
    return (
        pilot.feedback.filter(status=Feedback.Status.PUBLISHED)
        .select_related("author").order_by("-created_at", "-id")
    )


def feedback_of_author(*, pilot: Pilot, author) -> QuerySet[Feedback]:
    if not getattr(author, "is_authenticated", False):
        return Feedback.objects.none()
    return pilot.feedback.filter(author=author).exclude(status=Feedback.Status.PUBLISHED)


def moderation_queue(*, viewer, status: str = Feedback.Status.PENDING) -> QuerySet[Feedback]:
    return (
        permissions.feedback_moderatable_by(viewer).filter(status=status)
        .select_related("pilot__city", "author").order_by("created_at", "id")
    )


def pilot_geojson(*, pilots: QuerySet[Pilot]) -> str:
    """A GeoJSON FeatureCollection of ``pilots`` as a string, coordinates [lon, lat].

    Built from two ``values_list()`` queries, with each feature written as a string by the C
    string encoder of ``json`` (no model instances, serializers or per-row dicts), so ten
    thousand pilots stay well under a second.
    Pilots without their own point are placed at their city's centre; pilots with neither are
    left out.
    """
    rows = list(
        pilots.order_by()
        .annotate(lat=Cast(Coalesce("latitude", "city__latitude"), FloatField()),
                  lon=Cast(Coalesce("longitude", "city__longitude"), FloatField()))
        .filter(lat__isnull=False, lon__isnull=False)
        .values_list("pk", "slug", "title", "status", "city__name", "city__slug",
                     "project__acronym", "address", "lat", "lon")
    )
    themes: dict[int, list[str]] = {}
    if rows:
        links = Pilot.themes.through.objects.filter(
            pilot_id__in=pilots.order_by().values("pk")
        ).values_list("pilot_id", "theme__slug")
        for pilot_id, theme in links:
            themes.setdefault(pilot_id, []).append(theme)
    text = json.encoder.encode_basestring  # the C encoder: quotes and escapes one string
    theme_json = {pk: "[" + ",".join(map(text, slugs)) + "]" for pk, slugs in themes.items()}
    prefix = reverse("projects:pilot-detail", kwargs={"slug": "x"})[:-2]
    labels = {value: text(str(label)) for value, label in Pilot.Status.choices}
    # Each feature is written as a string: no dict per row, no generic encoder walk.
    features = [
        FEATURE % (
            pk, round(lon, 6), round(lat, 6), text(slug), text(title), text(status),
            labels.get(status) or text(status), text(city), text(city_slug),
            text(project) if project else "null", text(address), theme_json.get(pk, "[]"),
            text(f"{prefix}{slug}/"),
        )
        for pk, slug, title, status, city, city_slug, project, address, lat, lon in rows
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


# --------------------------------------------------------------------------- programmes


def programme_list(*, viewer) -> QuerySet[Programme]:
    return (
        permissions.programmes_visible_to(viewer)
        .annotate(
            participant_count=Count("cohort", filter=Q(cohort__role=ProgrammeCity.Role.PARTICIPANT),
                                    distinct=True),
            mentor_count=Count("cohort", filter=Q(cohort__role=ProgrammeCity.Role.MENTOR),
                               distinct=True),
        )
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("-start_date", "name", "id")
    )


def programme_detail(*, viewer, slug: str) -> Programme:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        permissions.programmes_visible_to(viewer).prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("start_date", "id")),
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
        ),
        slug=slug,
    )


def programme_cohort(*, programme: Programme) -> QuerySet[ProgrammeCity]:
    return programme.cohort.select_related("city").order_by("role", "city__name")


def programme_mentorships(*, programme: Programme) -> QuerySet[Mentorship]:
    from stakeholders.models import City

    return programme.mentorships.select_related("mentor_city").prefetch_related(
        Prefetch("participants", queryset=City.objects.order_by("name")),
        "contacts",
    ).order_by("mentor_city__name")


def current_phase(phases, *, today: date | None = None) -> str:
    """The phase (kind) running on ``today``; before the first, the first; after the last, the
    last."""
    today = today or timezone.localdate()
    phases = sorted(phases, key=lambda phase: phase.start_date)
    if not phases:
        return ""
    for phase in phases:
        if phase.start_date <= today <= phase.end_date:
            return phase.kind
    if today < phases[0].start_date:
        return phases[0].kind
    past = [phase for phase in phases if phase.end_date < today]
    return past[-1].kind if past else phases[0].kind


@dataclass
class CycleStep:
    kind: str
    label: str
    phase: Phase | None
    state: str  # "done", "current", "upcoming"


def city_cycle(*, programme: Programme, entry: ProgrammeCity | None, today=None) -> list[CycleStep]:
    phases = {phase.kind: phase for phase in programme.phases.all()}
    stage = (entry.stage if entry else "") or current_phase(phases.values(), today=today)
    steps, seen_current = [], False
    from .models import PhaseKind

    for kind in PHASE_ORDER:
        if kind == stage:
            state, seen_current = "current", True
        else:
            state = "upcoming" if seen_current or not stage else "done"
        steps.append(CycleStep(kind, str(PhaseKind(kind).label), phases.get(kind), state))
    return steps


def roadmap_for(*, viewer, programme: Programme, city_slug: str) -> Roadmap:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        permissions.roadmaps_visible_to(viewer)
        .select_related("city", "programme")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.prefetch_related(
                    Prefetch("themes", queryset=Theme.objects.order_by("name"))
                ).order_by("position", "due_date", "id"),
            ),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch("measurements", queryset=Measurement.objects.order_by("date"))
                ).order_by("position", "code"),
            ),
            Prefetch(
                "comments",
                queryset=RoadmapComment.objects.select_related("author").order_by("created_at", "id"),
            ),
        ),
        programme=programme,
        city__slug=city_slug,
    )


def roadmap_list(*, viewer, programme: Programme) -> QuerySet[Roadmap]:
    return (
        permissions.roadmaps_visible_to(viewer).filter(programme=programme)
        .select_related("city")
        .annotate(
            action_count=Count("actions", distinct=True),
            done_count=Count("actions", filter=Q(actions__status=Action.Status.DONE), distinct=True),
            indicator_count=Count("indicators", distinct=True),
        )
        .order_by("city__name")
    )


def indicator_choices(*, programme: Programme) -> list[tuple[str, str]]:
    """The indicator codes used by the programme's cities, with a name, for the comparison."""
    rows = (
        Indicator.objects.filter(roadmap__programme=programme)
        .values("code").annotate(cities=Count("roadmap", distinct=True))
        .order_by("-cities", "code")
    )
    names = dict(
        Indicator.objects.filter(roadmap__programme=programme)
        .order_by("code", "roadmap__city__name").values_list("code", "name")
    )
    return [(row["code"], names.get(row["code"], row["code"])) for row in rows]


def indicator_comparison(*, viewer, programme: Programme, code: str) -> QuerySet[Indicator]:
    """Each city's indicator with this code, with its latest measured value (one query)."""
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-date", "-id")
    return (
        Indicator.objects.filter(
            roadmap__programme=programme, code=code,
            roadmap__in=permissions.roadmaps_visible_to(viewer).values("pk"),
        )
        .select_related("roadmap__city")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_date=Subquery(latest.values("date")[:1]),
            city_name=F("roadmap__city__name"),
        )
        .order_by("roadmap__city__name")
    )


def indicator_progress(indicator, value) -> int | None:
    """Percent of the way from baseline to target (0-100, capped), in the good direction."""
    if value is None:
        return None
    span = indicator.target - indicator.baseline
    if not span:
        return 100
    return max(0, min(100, int((value - indicator.baseline) * 100 / span)))
