"""What projects gives matchmaking: who already works with whom (partners are not suggested
again; a helix an organisation has never worked with counts more), and partner suggestions
for a consortium: for each helix it lacks, verified organisations ranked with reasons."""

from collections import defaultdict

from ecosystem.matching import registry
from ecosystem.matching.registry import Profile
from ecosystem.matching.scoring import Matcher, rank
from ecosystem.matching.services import current_idf
from stakeholders.models import Helix

from .models import Project, ProjectPartner

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
