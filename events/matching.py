"""What events gives matchmaking: upcoming public events, the cooperation offers of
matchmaking events (shown only to the event's participants), and what organisations did
(the organisers of events they registered for, their offers and requests)."""

from collections import defaultdict

from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.matching.registry import Candidate, CandidateKind, Profile, url_for_slug

from .models import CooperationProfile, Event, Registration


def upcoming_events():
    """Hard rules: published, not cancelled, not started yet."""
    return Event.objects.filter(publication=Event.Publication.PUBLISHED,
                                starts_at__gt=timezone.now()).exclude(
        status=Event.Status.CANCELLED)


def load_events(queryset) -> list[Candidate]:
    events = queryset.select_related("city").prefetch_related(
        Prefetch("themes", to_attr="theme_list"), Prefetch("organisers", to_attr="organiser_list"))
    out = []
    for event in events.order_by("pk"):
        organisers = sorted(event.organiser_list, key=lambda o: o.pk)
        online = event.mode == Event.Mode.ONLINE or event.status == Event.Status.MOVED_ONLINE
        out.append(Candidate(
            kind="event", id=event.pk, title=event.title, url=event.get_absolute_url(),
            owner_ids=tuple(o.pk for o in organisers),
            owner_name=organisers[0].name if organisers else "",
            themes={t.pk: t.name for t in event.theme_list},
            country="" if online or not event.city else event.city.country,
            nuts="" if online or not event.city else event.city.nuts_region,
            city_id=None if online else event.city_id,
            city_name="" if online or not event.city else event.city.name,
            text=f"{event.title}\n{event.summary}\n{event.description}",
            newest=(event.published_at or event.created_at).timestamp(),
        ))
    return out


def event_texts(queryset):
    """The texts of ``load_events``, in one query (the publish-time text index)."""
    return [f"{title}\n{summary}\n{description}" for title, summary, description in
            queryset.order_by("pk").values_list("title", "summary", "description")]


def present_events(ids, viewer=None) -> dict[int, dict]:
    return {
        event.pk: {"title": event.title,
                   "url": url_for_slug("events:event-detail", event.slug),
                   "detail": formats.date_format(event.local_starts_at, "DATE_FORMAT")}
        for event in upcoming_events().filter(pk__in=ids).only(
            "pk", "title", "slug", "starts_at", "time_zone")
    }


def event_audience(candidate: Candidate) -> dict:
    return {"themes": list(candidate.themes), "exclude": list(candidate.owner_ids)}


# --- cooperation offers --------------------------------------------------------------------

def open_offers():
    return CooperationProfile.objects.filter(
        direction=CooperationProfile.Direction.OFFER, is_active=True,
        event__matchmaking=True, event__publication=Event.Publication.PUBLISHED,
        event__ends_at__gt=timezone.now(),
    ).exclude(event__status=Event.Status.CANCELLED)


def load_offers(queryset) -> list[Candidate]:
    rows = queryset.select_related("organisation", "organisation__city", "event").prefetch_related(
        Prefetch("themes", to_attr="theme_list"))
    out = []
    for offer in rows.order_by("pk"):
        org = offer.organisation
        out.append(Candidate(
            kind="offer", id=offer.pk, title=offer.title,
            owner_ids=(org.pk,) if org else (), owner_name=org.name if org else "",
            themes={t.pk: t.name for t in offer.theme_list},
            country=org.country if org else "", nuts=org.nuts_region if org else "",
            city_id=org.city_id if org else None,
            city_name=org.city.name if org and org.city else "",
            text=f"{offer.title}\n{offer.description}",
            offers=[f"{offer.title}\n{offer.description}"],
            newest=offer.created_at.timestamp(),
        ))
    return out


def present_offers(ids, viewer=None) -> dict[int, dict]:
    """Only offers of events the viewer takes part in: the marketplace is theirs alone."""
    if not getattr(viewer, "is_authenticated", False):
        return {}
    attending = Registration.objects.filter(
        user=viewer, status__in=Registration.HOLDS_PLACE).values("event_id")
    return {
        offer.pk: {"title": offer.title,
                   "url": url_for_slug("events:marketplace", offer.event.slug),
                   "detail": offer.event.title}
        for offer in open_offers().filter(pk__in=ids, event_id__in=attending)
        .select_related("event").only("pk", "title", "event__slug", "event__title")
    }


def contribute(profiles: dict[int, Profile]) -> None:
    ids = list(profiles)
    for org_id, organiser_id in Registration.objects.filter(
            organisation_id__in=ids, status__in=Registration.HOLDS_PLACE
    ).values_list("organisation_id", "event__organisers"):
        if organiser_id:
            profiles[org_id].engaged_owners.add(organiser_id)
    texts = defaultdict(lambda: ([], []))
    for org_id, direction, title, description in CooperationProfile.objects.filter(
            organisation_id__in=ids, is_active=True
    ).order_by("pk").values_list("organisation_id", "direction", "title", "description"):
        offers, requests = texts[org_id]
        target = offers if direction == CooperationProfile.Direction.OFFER else requests
        target.append(f"{title}\n{description}")
    for org_id, (offers, requests) in texts.items():
        profiles[org_id].offers.extend(offers)
        profiles[org_id].requests.extend(requests)


def contribute_people(profiles: dict[int, Profile]) -> None:
    """What people chose at events: those they registered for (their themes, texts and
    organisers) and those they follow (themes and texts)."""
    from ecosystem.matching.registry import add_interests
    from ecosystem.notifications.services import followed

    registered = list(Registration.objects.filter(
        user_id__in=list(profiles), status__in=Registration.ACTIVE).order_by("pk")
        .values_list("user_id", "event_id"))
    follows = followed(user_ids=profiles, model=Event)
    events = {c.id: c for c in load_events(Event.objects.filter(
        pk__in={pk for _user, pk in [*registered, *follows]}))}
    add_interests(profiles, registered, events, engaged=True)
    taken = set(registered)
    add_interests(profiles, [pair for pair in follows if pair not in taken], events)


EVENT_KIND = CandidateKind(
    key="event", label=_("Event"), model="events.event", queryset=upcoming_events,
    load=load_events, present=present_events, signals=("themes", "text", "distance", "behaviour"),
    audience=event_audience, notification_kind="matching.event_match", order=20,
    texts=event_texts, for_people=True,
)

OFFER_KIND = CandidateKind(
    key="offer", label=_("Cooperation offer"), model="events.cooperationprofile",
    queryset=open_offers, load=load_offers, present=present_offers,
    signals=("themes", "offers", "text", "distance"), order=40,
)


def register():
    from ecosystem.matching import registry

    registry.register(EVENT_KIND)
    registry.register(OFFER_KIND)
    registry.register_profile_contributor("events", contribute)
    registry.register_person_contributor("events", contribute_people)


# --- people to meet at a matchmaking event -------------------------------------------------

def _person_eligible(candidate: Candidate, profile: Profile) -> bool:
    return True


PERSON_KIND = CandidateKind(
    key="person", label=_("Person to meet"), model="ecosystem.user",
    queryset=lambda: Registration.objects.none(), load=lambda queryset: [],
    present=lambda ids, viewer=None: {}, signals=("offers", "themes", "text", "helix"),
    eligible=_person_eligible,
)


def people_to_meet(*, event: Event, user, limit: int = 10) -> list:
    """Participants whose offers answer the person's requests and whose themes match, best
    first, with reasons (``Scored`` rows; ``candidate.id`` is the other person's user id).
    Only for a participant: the caller checks that the person holds a place."""
    from ecosystem.matching import registry
    from ecosystem.matching.scoring import Matcher, rank
    from ecosystem.matching.services import current_idf

    registrations = list(Registration.objects.filter(
        event=event, status__in=Registration.HOLDS_PLACE).select_related("user"))
    profiles = defaultdict(list)
    for profile in event.profiles.filter(is_active=True).prefetch_related(
            Prefetch("themes", to_attr="theme_list")).order_by("pk"):
        profiles[profile.user_id].append(profile)
    org_ids = sorted({r.organisation_id for r in registrations if r.organisation_id})
    orgs = registry.load_profiles(org_ids) if org_ids else {}
    mine = next((r for r in registrations if r.user_id == user.pk), None)
    base = orgs.get(mine.organisation_id) if mine and mine.organisation_id else None
    me = Profile(id=-user.pk, helix=base.helix if base else "",
                 themes=dict(base.themes) if base else {}, text=base.text if base else "")
    for own in profiles.get(user.pk, []):
        me.themes.update({t.pk: t.name for t in own.theme_list})
        target = me.offers if own.direction == CooperationProfile.Direction.OFFER else me.requests
        target.append(f"{own.title}\n{own.description}")
    busy = set()
    for requester, recipient in event.meeting_requests.filter(
            status__in=["requested", "accepted"]).values_list("requester_id", "recipient_id"):
        if user.pk in (requester, recipient):
            busy.update((requester, recipient))
    candidates = []
    for registration in registrations:
        other = registration.user
        if other.pk == user.pk or other.pk in busy or not profiles.get(other.pk):
            continue
        org = orgs.get(registration.organisation_id)
        own = profiles[other.pk]
        themes = {t.pk: t.name for p in own for t in p.theme_list}
        candidates.append(Candidate(
            kind="person", id=other.pk, title=other.get_full_name() if "@" not in
            other.get_full_name() else _("A participant"),
            owner_ids=(-other.pk,), owner_name=org.name if org else "", themes=themes,
            helix=org.helix if org else "",
            text="\n".join(f"{p.title}\n{p.description}" for p in own),
            offers=[f"{p.title}\n{p.description}" for p in own
                    if p.direction == CooperationProfile.Direction.OFFER],
            rules={"profile_id": own[0].pk, "organisation": org.name if org else ""},
        ))
    matcher = Matcher(PERSON_KIND, candidates, idf=current_idf())
    ranked = rank(matcher.match(me), top_n=limit, per_owner=0, min_score=0.01)
    for item in ranked:
        item.reasons = matcher.explain(me, item)
    return ranked
