"""What projects gives matchmaking: who already works with whom (partners are not suggested
again; a helix an organisation has never worked with counts more), partner suggestions for a
consortium (for each helix it lacks, verified organisations ranked with reasons), and the
projects looking for partners as a kind of recommendation (hard rules: ongoing, a call for
partners open, the organisation of a helix it looks for and not a partner already)."""

from collections import defaultdict

from django.db.models import Prefetch
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecosystem.matching import registry
from ecosystem.matching.registry import Candidate, CandidateKind, Profile, url_for_slug
from ecosystem.matching.scoring import Matcher, rank
from ecosystem.matching.services import current_idf
from stakeholders.models import Helix

from .models import Pilot, Project, ProjectPartner
from .selectors import projects_looking_for_partners

MAX_CANDIDATES = 3000


def contribute(profiles: dict[int, Profile]) -> None:
    ids = list(profiles)
    projects = defaultdict(set)
    for project_id, org_id in ProjectPartner.objects.filter(
            project__in=ProjectPartner.objects.filter(organisation_id__in=ids).values("project_id")
    ).values_list("project_id", "organisation_id"):
        projects[project_id].add(org_id)
    helix_of = {}
    others = {o for orgs in projects.values() for o in orgs}
    from stakeholders.models import Organisation

    helix_of = dict(Organisation.objects.filter(pk__in=others).values_list("pk", "helix"))
    for orgs in projects.values():
        for org_id in orgs & set(ids):
            partners = orgs - {org_id}
            profiles[org_id].partners.update(partners)
            profiles[org_id].partner_helices.update(helix_of[p] for p in partners)


def consortium_profile(project: Project) -> Profile:
    partners = list(project.partners.select_related("organisation", "organisation__city"))
    helices = {p.organisation.helix for p in partners}
    lead = next((p.organisation for p in partners if p.role == ProjectPartner.Role.COORDINATOR),
                partners[0].organisation if partners else None)
    return Profile(
        id=0, name=project.acronym, themes={t.pk: t.name for t in project.themes.all()},
        text=f"{project.title}\n{project.summary}",
        country=lead.country if lead else "", nuts=lead.nuts_region if lead else "",
        city_id=lead.city_id if lead else None,
        city_name=lead.city.name if lead and lead.city else "",
        partners={p.organisation_id for p in partners},
        missing_helices=tuple(h for h in Helix.values if h not in helices),
    )


def partner_suggestions(*, project: Project, per_helix: int = 5) -> dict[str, list]:
    """{missing helix: [Scored with reasons]}, best first; empty if no helix is missing."""
    profile = consortium_profile(project)
    if not profile.missing_helices:
        return {}
    kind = registry.get_kind("partner")
    queryset = kind.queryset().filter(helix__in=profile.missing_helices).exclude(
        pk__in=profile.partners)
    if profile.themes:
        queryset = queryset.filter(themes__in=list(profile.themes))
    ids = sorted(set(queryset.values_list("pk", flat=True)))[:MAX_CANDIDATES]
    matcher = Matcher(kind, kind.load(kind.queryset().filter(pk__in=ids)), idf=current_idf())
    ranked = rank(matcher.match(profile), top_n=len(ids) or 1, per_owner=0, min_score=0.0)
    found = {helix: [] for helix in profile.missing_helices}
    for item in ranked:
        bucket = found[item.candidate.helix]
        if len(bucket) < per_helix:
            item.reasons = matcher.explain(profile, item)
            bucket.append(item)
    return found


# --- projects looking for partners ---------------------------------------------------------

def load_projects(queryset) -> list[Candidate]:
    """A project's call for partners as a candidate: its place is where it pilots (its
    first pilot's city) or its coordinator's; the helices it seeks are those it names, or
    else those its consortium lacks."""
    projects = queryset.prefetch_related(
        Prefetch("themes", to_attr="theme_list"),
        Prefetch("partners", queryset=ProjectPartner.objects.select_related(
            "organisation", "organisation__city").order_by("pk"), to_attr="partner_list"),
        Prefetch("pilots", queryset=Pilot.objects.select_related("city").order_by("pk"),
                 to_attr="pilot_list"),
    )
    out = []
    for project in projects.order_by("pk"):
        organisations = [p.organisation for p in project.partner_list]
        lead = next((p.organisation for p in project.partner_list
                     if p.role == ProjectPartner.Role.COORDINATOR),
                    organisations[0] if organisations else None)
        city = project.pilot_list[0].city if project.pilot_list else (lead.city if lead else None)
        helices = {o.helix for o in organisations}
        seeks = tuple(project.partner_helices_wanted) or tuple(
            h for h in Helix.values if h not in helices)
        pilots = "\n".join(f"{p.title}\n{p.what_is_tested}" for p in project.pilot_list)
        out.append(Candidate(
            kind="project", id=project.pk, title=f"{project.acronym}: {project.title}",
            url=project.get_absolute_url(),
            owner_ids=tuple(sorted(o.pk for o in organisations)),
            owner_name=lead.name if lead else "",
            themes={t.pk: t.name for t in project.theme_list},
            country=city.country if city else (lead.country if lead else ""),
            nuts=city.nuts_region if city else (lead.nuts_region if lead else ""),
            city_id=city.pk if city else None, city_name=city.name if city else "",
            text=f"{project.title}\n{project.summary}\n{project.partners_wanted}\n{pilots}",
            seeks=seeks, newest=project.updated_at.timestamp(),
            rules={"helices": list(project.partner_helices_wanted)},
        ))
    return out


def project_eligible(candidate: Candidate, profile: Profile) -> bool:
    """Hard rule: a project that names the helices it looks for reaches only those."""
    helices = candidate.rules.get("helices")
    return not helices or profile.helix in helices


def project_audience(candidate: Candidate) -> dict:
    return {"helices": candidate.rules.get("helices") or None,
            "themes": list(candidate.themes) or None, "exclude": list(candidate.owner_ids)}


def present_projects(ids, viewer=None) -> dict[int, dict]:
    rows = projects_looking_for_partners().filter(pk__in=ids).only(
        "pk", "acronym", "title", "slug", "partners_wanted_until")
    return {
        project.pk: {
            "title": f"{project.acronym}: {project.title}",
            "url": url_for_slug("projects:project-detail", project.slug),
            "detail": (_("Looking for partners until %(day)s")
                       % {"day": formats.date_format(project.partners_wanted_until,
                                                     "DATE_FORMAT")})
            if project.partners_wanted_until else _("Looking for partners"),
        }
        for project in rows
    }


PROJECT_KIND = CandidateKind(
    key="project", label=gettext_lazy("Project looking for partners"), model="projects.project",
    queryset=projects_looking_for_partners, load=load_projects, present=present_projects,
    signals=("themes", "text", "seeks", "distance"), eligible=project_eligible,
    audience=project_audience, order=35,
)


def contribute_people(profiles: dict[int, Profile]) -> None:
    """The projects and pilots people follow: their themes and texts."""
    from ecosystem.notifications.services import followed

    pairs = followed(user_ids=profiles, model=Project)
    registry.add_interests(profiles, pairs, {c.id: c for c in load_projects(
        Project.objects.filter(pk__in={pk for _user, pk in pairs}))})
    pairs = followed(user_ids=profiles, model=Pilot)
    pilots = Pilot.objects.filter(pk__in={pk for _user, pk in pairs}).prefetch_related(
        Prefetch("themes", to_attr="theme_list"))
    registry.add_interests(profiles, pairs, {
        pilot.pk: Candidate(kind="pilot", id=pilot.pk, title=pilot.title,
                            themes={t.pk: t.name for t in pilot.theme_list},
                            text=f"{pilot.title}\n{pilot.summary}\n{pilot.what_is_tested}")
        for pilot in pilots})


def register():
    registry.register(PROJECT_KIND)
    registry.register_profile_contributor("projects", contribute)
    registry.register_person_contributor("projects", contribute_people)
