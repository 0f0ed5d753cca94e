"""What can be recommended, and to whom: the registry that feature apps fill.

The engine knows no feature app. Each app registers, in its ``AppConfig.ready()``:

- stakeholders, the **profile source**: how to read organisations as ``Profile`` rows
  (helix, kind, themes, competences, CPV interests, place, description), which of them a
  candidate may reach (``audience``: hard rules as QuerySet filters) and who their members are;
- any app, **profile contributors**: what organisations did there (applications, registrations,
  cooperation offers and requests, project partners), added to profiles in bulk;
- any app, **candidate kinds** (``CandidateKind``): how to read the items that pass the hard
  rules (``queryset``), how to turn them into ``Candidate`` rows (``load``), the per-organisation
  hard rule (``eligible``) and which signals score them.

Hard rules are filters (a candidate that fails one is never scored), never weights.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass
class Profile:
    """Everything the engine knows about one organisation (or a consortium seen as one)."""

    id: int
    name: str = ""
    helix: str = ""
    kind: str = ""
    size: str = ""
    country: str = ""
    nuts: str = ""
    city_id: int | None = None
    city_name: str = ""
    themes: dict[int, str] = field(default_factory=dict)
    competences: set[str] = field(default_factory=set)
    cpv: set[str] = field(default_factory=set)
    text: str = ""
    offers: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    # What it did: ids of organisations whose calls/events it took part in, the helices of
    # the partners it already works with, the organisations it already works with.
    engaged_owners: set[int] = field(default_factory=set)
    partner_helices: set[str] = field(default_factory=set)
    partners: set[int] = field(default_factory=set)
    # For a consortium: the helices it lacks ("Your consortium has no ... partner yet").
    missing_helices: tuple[str, ...] = ()
    verified: bool = False
    partner_opt_out: bool = False
    # Text vectors already made against a kind's index (a stored profile): kind -> vector.
    vectors: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class Candidate:
    """One item that may be recommended, read once per refresh."""

    kind: str
    id: int
    title: str
    url: str = ""
    owner_ids: tuple[int, ...] = ()  # buyer, organisers, the organisation itself
    owner_name: str = ""
    themes: dict[int, str] = field(default_factory=dict)
    cpv: tuple[str, ...] = ()
    country: str = ""
    nuts: str = ""
    city_id: int | None = None
    city_name: str = ""
    text: str = ""
    helix: str = ""
    offers: list[str] = field(default_factory=list)
    # The helices the item looks for (a project's call for partners): the "seeks" signal.
    seeks: tuple[str, ...] = ()
    newest: float = 0.0  # a timestamp: the "newest first" baseline and ties
    rules: dict = field(default_factory=dict)  # what ``eligible`` needs (SMEs only, ...)


@dataclass(frozen=True)
class CandidateKind:
    key: str  # "call", "event", "partner", "offer", "project"
    label: str
    model: str  # "procurement.call": the stored target's content type
    queryset: Callable[[], object]  # the items passing the hard rules, as a QuerySet
    load: Callable[[object], list[Candidate]]  # QuerySet -> candidates, in a few queries
    # (live ids, viewer) -> {id: {"title", "url", "detail"}} for display, re-applying the hard
    # rules and what the viewer may open (one query): a row whose item closed is never shown.
    present: Callable[[list[int], object], dict[int, dict]]
    signals: tuple[str, ...]
    eligible: Callable[[Candidate, Profile], bool] = lambda candidate, profile: True
    # The organisations a candidate may reach, as filters the profile source understands
    # (``themes``, ``countries``, ``helices``, ``smes_only``): prefilters the targeted refresh.
    audience: Callable[[Candidate], dict] = lambda candidate: {}
    notification_kind: str = ""  # sent at publish time to members of matching organisations
    order: int = 100
    # QuerySet -> the candidates' texts, as ``load`` writes them into ``Candidate.text``, in
    # one query and without building candidates: the corpus of the text index when one item
    # is scored against every organisation (publish time). Default: ``load`` everything.
    texts: Callable[[object], Iterable[str]] | None = None
    # Also recommended to people who act for no organisation (citizens), from what they
    # registered for and follow (``register_person_contributor``).
    for_people: bool = False

    def read_texts(self, queryset) -> list[str]:
        """The texts of these items: through ``texts`` if registered, else ``load``."""
        if self.texts is not None:
            return list(self.texts(queryset))
        return [candidate.text for candidate in self.load(queryset)]


@dataclass(frozen=True)
class ProfileSource:
    all_ids: Callable[[], Iterable[int]]
    load: Callable[[list[int]], dict[int, Profile]]
    audience_ids: Callable[[dict], Iterable[int]]
    members: Callable[[list[int]], dict[int, list[int]]]  # organisation id -> user ids
    theme_frequencies: Callable[[], tuple[dict[int, int], int]]  # theme id -> orgs, total
    viewer_organisations: Callable[[object], list[int]]  # the organisations a person acts for
    # organisation ids -> a QuerySet of their active members (one query, for the fan-out)
    member_users: Callable[[list[int]], object] | None = None
    # Of these user ids (None: of everyone), the people who act for no organisation (active,
    # no membership): they get recommendations of their own, of the kinds ``for_people``.
    people_ids: Callable[[list[int] | None], Iterable[int]] = lambda ids: ()


_KINDS: dict[str, CandidateKind] = {}
_CONTRIBUTORS: dict[str, Callable[[dict[int, Profile]], None]] = {}
_PERSON_CONTRIBUTORS: dict[str, Callable[[dict[int, Profile]], None]] = {}
_LABELS: dict[str, dict] = {}
_source: list[ProfileSource] = []


def register(kind: CandidateKind) -> CandidateKind:
    _KINDS[kind.key] = kind
    return kind


def get_kind(key: str) -> CandidateKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"Unknown recommendation kind {key!r}: register it first.") from None


def all_kinds() -> list[CandidateKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.key))


def kind_for_model(label: str) -> CandidateKind | None:
    return next((k for k in _KINDS.values() if k.model == label), None)


def register_profile_source(source: ProfileSource) -> ProfileSource:
    _source[:] = [source]
    return source


def profile_source() -> ProfileSource:
    if not _source:
        raise LookupError("No profile source registered (stakeholders registers it).")
    return _source[0]


def register_profile_contributor(key: str, contribute: Callable[[dict[int, Profile]], None]):
    """``contribute(profiles)`` adds what the app knows to a batch of profiles, in bulk."""
    _CONTRIBUTORS[key] = contribute
    return contribute


def load_profiles(ids: list[int]) -> dict[int, Profile]:
    profiles = profile_source().load(list(ids))
    for key in sorted(_CONTRIBUTORS):
        _CONTRIBUTORS[key](profiles)
    return profiles


def register_person_contributor(key: str, contribute: Callable[[dict[int, Profile]], None]):
    """``contribute(profiles)`` adds what a person did in the app (registrations, follows) to
    a batch of person profiles keyed by user id, in bulk: the themes, organisers and texts of
    what they chose."""
    _PERSON_CONTRIBUTORS[key] = contribute
    return contribute


def load_people(user_ids: list[int]) -> dict[int, Profile]:
    """People as profiles (``Profile.id`` is the user's id): a citizen has no helix, kind or
    place of their own; what they registered for and follow gives themes and texts."""
    profiles = {int(pk): Profile(id=int(pk)) for pk in user_ids}
    for key in sorted(_PERSON_CONTRIBUTORS):
        _PERSON_CONTRIBUTORS[key](profiles)
    return profiles


def add_interests(profiles: dict[int, Profile], pairs, items: dict[int, Candidate | Profile],
                  *, engaged: bool = False) -> None:
    """Add what people chose to their profiles: for each (user id, item id) of ``pairs``,
    the item's themes and text, and with ``engaged`` (they took part: a registration) its
    owners too (the ``behaviour`` signal). ``items``: the items read, by id."""
    for user_id, item_id in pairs:
        profile, item = profiles.get(user_id), items.get(item_id)
        if profile is None or item is None:
            continue
        profile.themes.update(item.themes)
        if item.text:
            profile.text = f"{profile.text}\n{item.text}" if profile.text else item.text
        if engaged:
            profile.engaged_owners.update(getattr(item, "owner_ids", ()))


def people_kinds() -> list[CandidateKind]:
    return [kind for kind in all_kinds() if kind.for_people]


def register_labels(name: str, labels: dict) -> None:
    """Code -> translatable label (countries, helices) for rendering reasons."""
    _LABELS[name] = dict(labels)


_SLUG = "0slug0"


def url_for_slug(name: str, slug: str) -> str:
    """``reverse(name, kwargs={"slug": slug})`` for many rows: the URL is resolved once (per
    language prefix) and the slug put in its place, as reversing each row costs more than
    reading it."""
    from django.urls import get_script_prefix, get_urlconf, reverse
    from django.utils.translation import get_language

    key = (name, get_language(), get_script_prefix(), get_urlconf())
    pattern = _URLS.get(key)
    if pattern is None:
        pattern = _URLS[key] = reverse(name, kwargs={"slug": _SLUG})
    return pattern.replace(_SLUG, slug)


_URLS: dict[tuple, str] = {}


def label(name: str, code: str) -> str:
    return str(_LABELS.get(name, {}).get(code, code))
