"""What stakeholders gives matchmaking (see ecosystem/matching/registry.py): organisations as
profiles (the engine never imports this app) and verified organisations as partners."""

from collections import defaultdict

from django.db import connection
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from ecosystem.matching.registry import (
    Candidate,
    CandidateKind,
    Profile,
    ProfileSource,
    url_for_slug,
)

from .models import Country, Membership, Organisation, OrganisationKind, Size

SME_KINDS = (OrganisationKind.SME, OrganisationKind.STARTUP)


PROFILE_FIELDS = ("id", "name", "helix", "kind", "size", "country", "nuts_region",
                  "description", "cpv_interests", "verified", "partner_suggestions_opt_out",
                  "city_id", "city__name", "city__nuts_region")


def _themes_and_competences(ids):
    """Names are read once per batch, not joined into every link row."""
    from ecosystem.models import Theme

    themes, competences = defaultdict(dict), defaultdict(set)
    through = Organisation.themes.through
    links = list(through.objects.filter(organisation_id__in=ids).values_list(
        "organisation_id", "theme_id"))
    names = dict(Theme.objects.filter(pk__in={t for _, t in links}).values_list("pk", "name"))
    for org_id, theme_id in links:
        themes[org_id][theme_id] = names[theme_id]
    through = Organisation.competences.through
    links = list(through.objects.filter(organisation_id__in=ids).values_list(
        "organisation_id", "competence_id"))
    names = dict(Organisation.competences.field.related_model.objects.filter(
        pk__in={c for _, c in links}).values_list("pk", "name"))
    for org_id, competence_id in links:
        competences[org_id].add(names[competence_id])
    return themes, competences


def load_profiles(ids: list[int]) -> dict[int, Profile]:
    """Organisations as profiles, in three queries (rows as tuples: no model instances)."""
    rows = list(Organisation.objects.filter(pk__in=ids).values_list(*PROFILE_FIELDS))
    themes, competences = _themes_and_competences([row[0] for row in rows])
    profiles = {}
    for (pk, name, helix, kind, size, country, nuts, description, cpv, verified, opt_out,
         city_id, city_name, city_nuts) in rows:
        profiles[pk] = Profile(
            id=pk, name=name, helix=helix, kind=kind, size=size, country=country,
            nuts=nuts or city_nuts or "", city_id=city_id, city_name=city_name or "",
            themes=themes.get(pk, {}), competences=competences.get(pk, set()),
            cpv=set(cpv or []), text=f"{name}\n{description}", verified=verified,
            partner_opt_out=opt_out,
        )
    return profiles


def audience_ids(filters: dict):
    """The organisations a candidate may reach: its hard rules as a QuerySet."""
    queryset = Organisation.objects.all()
    if filters.get("countries"):
        queryset = queryset.filter(country__in=filters["countries"])
    if filters.get("helices"):
        queryset = queryset.filter(helix__in=filters["helices"])
    if filters.get("smes_only"):
        queryset = queryset.filter(kind__in=SME_KINDS).exclude(size=Size.LARGE)
    if filters.get("exclude"):
        queryset = queryset.exclude(pk__in=filters["exclude"])
    if filters.get("themes") is not None:
        # A subquery, not a join: no row per theme to make distinct again (a third of the
        # publish-time fan-out at 100,000 organisations).
        topical = Q(pk__in=Organisation.themes.through.objects.filter(
            theme_id__in=filters["themes"]).values("organisation_id"))
        if filters.get("cpv_divisions"):
            for division in filters["cpv_divisions"]:
                topical |= Q(cpv_interests__icontains=f'"{division}')
        queryset = queryset.filter(topical)
    return queryset.values_list("pk", flat=True)


def members(organisation_ids) -> dict[int, list[int]]:
    found = defaultdict(list)
    ids = list(organisation_ids)
    for start in range(0, len(ids), 1000):
        for org_id, user_id in Membership.objects.filter(
                organisation_id__in=ids[start:start + 1000], user__is_active=True
        ).values_list("organisation_id", "user_id"):
            found[org_id].append(user_id)
    return found


def member_users(organisation_ids):
    """The active members of these organisations, each once, in one query."""
    from django.contrib.auth import get_user_model

    ids = sorted({int(pk) for pk in organisation_ids})
    if connection.vendor == "postgresql":
        # Thousands of organisations at publish time: one array parameter, not one each.
        ids = RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return get_user_model().objects.filter(
        is_active=True, pk__in=Membership.objects.filter(
            organisation_id__in=ids).values("user_id"))


def theme_frequencies():
    through = Organisation.themes.through
    counts = dict(through.objects.values("theme_id").annotate(n=Count("organisation_id"))
                  .values_list("theme_id", "n"))
    return counts, Organisation.objects.count()


def viewer_organisations(viewer) -> list[int]:
    return list(Membership.objects.filter(user=viewer).order_by("created_at", "organisation_id")
                .values_list("organisation_id", flat=True))


def people_ids(user_ids=None):
    """Active people who act for no organisation (no membership), of these ids or all."""
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.filter(is_active=True).exclude(
        pk__in=Membership.objects.values("user_id"))
    if user_ids is not None:
        people = people.filter(pk__in=list(user_ids))
    return people.order_by("pk").values_list("pk", flat=True)


def contribute_people(profiles: dict[int, Profile]) -> None:
    """The organisations people follow: their themes and descriptions."""
    from ecosystem.matching.registry import add_interests
    from ecosystem.notifications.services import followed

    pairs = followed(user_ids=profiles, model=Organisation)
    add_interests(profiles, pairs, load_profiles(sorted({pk for _user, pk in pairs})))


SOURCE = ProfileSource(
    all_ids=lambda: Organisation.objects.values_list("pk", flat=True),
    load=load_profiles,
    audience_ids=audience_ids,
    members=members,
    theme_frequencies=theme_frequencies,
    viewer_organisations=viewer_organisations,
    member_users=member_users,
    people_ids=people_ids,
)


# --- organisations as partners ------------------------------------------------------------

def partners_queryset():
    """Hard rules: verified by staff, not opted out of partner suggestions."""
    return Organisation.objects.filter(verified=True, partner_suggestions_opt_out=False)


def load_partners(queryset) -> list[Candidate]:
    ids = list(queryset.values_list("pk", flat=True))
    profiles = {}
    from ecosystem.matching.registry import load_profiles as load_with_contributions

    for start in range(0, len(ids), 2000):
        profiles.update(load_with_contributions(ids[start:start + 2000]))
    return [
        Candidate(
            kind="partner", id=p.id, title=p.name, owner_ids=(p.id,), owner_name=p.name,
            themes=p.themes, country=p.country, nuts=p.nuts, city_id=p.city_id,
            city_name=p.city_name, helix=p.helix,
            text="\n".join([p.text, " ".join(sorted(p.competences))]),
        )
        for p in (profiles[pk] for pk in sorted(profiles))
    ]


def present_partners(ids, viewer=None) -> dict[int, dict]:
    return {
        row["pk"]: {"title": row["name"], "url": url_for_slug("stakeholders:organisation-detail",
                                                           row["slug"]),
                    "detail": str(dict(OrganisationKind.choices).get(row["kind"], ""))}
        for row in partners_queryset().filter(pk__in=ids).values("pk", "name", "slug", "kind")
    }


def partner_eligible(candidate: Candidate, profile: Profile) -> bool:
    return candidate.id not in profile.partners


PARTNER_KIND = CandidateKind(
    key="partner", label=_("Partner"), model="stakeholders.organisation",
    queryset=partners_queryset, load=load_partners, present=present_partners,
    # No "offers" signal: cooperation offers are seen by event participants only.
    signals=("themes", "text", "helix", "distance"), eligible=partner_eligible,
    order=30,
)


def register():
    from ecosystem.matching import registry

    registry.register_profile_source(SOURCE)
    registry.register(PARTNER_KIND)
    registry.register_person_contributor("stakeholders", contribute_people)
    registry.register_labels("country", dict(Country.choices))
