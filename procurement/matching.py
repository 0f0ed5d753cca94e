"""What procurement gives matchmaking: open calls as candidates (hard rules: published,
deadline ahead, the organisation eligible by helix, country and size, never the buyer) and
what organisations did (the buyers they applied to, the CPV codes of those calls)."""

from collections import defaultdict

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.matching.registry import Candidate, CandidateKind, Profile, url_for_slug
from ecosystem.templatetags.when import moment

from .models import Application, Call

SME_KINDS = ("sme", "startup")


def open_calls():
    return Call.objects.filter(status=Call.Status.PUBLISHED,
                               submission_deadline__gt=timezone.now())


def load_calls(queryset) -> list[Candidate]:
    calls = queryset.select_related("buyer", "buyer__city").prefetch_related(
        Prefetch("themes", to_attr="theme_list"))
    return [
        Candidate(
            kind="call", id=call.pk, title=call.title, url=call.get_absolute_url(),
            owner_ids=(call.buyer_id,), owner_name=call.buyer.name,
            themes={t.pk: t.name for t in call.theme_list}, cpv=tuple(call.cpv_codes or ()),
            country=call.buyer.country, nuts=call.nuts_region or call.buyer.nuts_region,
            city_id=call.buyer.city_id, city_name=call.buyer.city.name if call.buyer.city else "",
            text=f"{call.title}\n{call.challenge}\n{call.eligibility_notes}",
            newest=(call.publication_date or call.created_at).timestamp(),
            rules={"smes_only": call.smes_only, "helices": list(call.allowed_helices or []),
                   "countries": list(call.allowed_countries or [])},
        )
        for call in calls.order_by("pk")
    ]


def call_texts(queryset):
    """The texts of ``load_calls``, in one query (the publish-time text index)."""
    return [f"{title}\n{challenge}\n{notes}" for title, challenge, notes in
            queryset.order_by("pk").values_list("title", "challenge", "eligibility_notes")]


def call_eligible(candidate: Candidate, profile: Profile) -> bool:
    rules = candidate.rules
    if rules.get("smes_only") and not (profile.kind in SME_KINDS and profile.size != "large"):
        return False
    if rules.get("helices") and profile.helix not in rules["helices"]:
        return False
    return not (rules.get("countries") and profile.country not in rules["countries"])


def call_audience(candidate: Candidate) -> dict:
    return {"countries": candidate.rules.get("countries"), "helices": candidate.rules.get("helices"),
            "smes_only": candidate.rules.get("smes_only"), "exclude": list(candidate.owner_ids),
            "themes": list(candidate.themes),
            "cpv_divisions": sorted({code[:2] for code in candidate.cpv})}


def present_calls(ids, viewer=None) -> dict[int, dict]:
    return {
        call.pk: {"title": call.title,
                  "url": url_for_slug("procurement:call-detail", call.slug),
                  "detail": f"{call.buyer.name} · {moment(timezone.localtime(call.submission_deadline))}"}
        for call in open_calls().filter(pk__in=ids).select_related("buyer").only(
            "pk", "title", "slug", "submission_deadline", "buyer__name")
    }


def contribute(profiles: dict[int, Profile]) -> None:
    """The buyers an organisation applied to, and the CPV codes of those calls."""
    rows = Application.objects.filter(
        organisation_id__in=list(profiles), status=Application.Status.SUBMITTED
    ).values_list("organisation_id", "call__buyer_id", "call__cpv_codes")
    seen = defaultdict(set)
    for org_id, buyer_id, codes in rows:
        profile = profiles[org_id]
        profile.engaged_owners.add(buyer_id)
        seen[org_id].update(codes or [])
    for org_id, codes in seen.items():
        profiles[org_id].cpv.update(codes)


CALL_KIND = CandidateKind(
    key="call", label=_("Call"), model="procurement.call", queryset=open_calls,
    load=load_calls, present=present_calls,
    signals=("themes", "cpv", "text", "distance", "behaviour"), eligible=call_eligible,
    audience=call_audience, notification_kind="matching.call_match", order=10,
    texts=call_texts,
)


def register():
    from ecosystem.matching import registry

    registry.register(CALL_KIND)
    registry.register_profile_contributor("procurement", contribute)
