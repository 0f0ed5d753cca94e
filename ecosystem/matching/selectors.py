"""Reading stored recommendations: a fixed number of queries whatever the number of rows
(one for the viewer's organisations, one for the rows (their organisations', or their own
if they act for none), one per kind shown to re-apply the
hard rules and read titles, and a second one per kind only when an item picked is no longer
live). Reasons are rendered here, in the reader's language."""

from dataclasses import dataclass, field

from django.db.models import IntegerField, Value

from . import registry
from .models import PersonRecommendation, Recommendation
from .reasons import render
from .scoring import conf


@dataclass
class Shown:
    id: int
    kind: str
    kind_label: str
    target_id: int
    title: str
    url: str
    detail: str
    score: float
    organisation_id: int | None  # None: recommended to the person (who acts for none)
    reasons: list[dict] = field(default_factory=list)
    reason_texts: list[str] = field(default_factory=list)


def viewer_organisation_ids(viewer) -> list[int]:
    if not getattr(viewer, "is_authenticated", False):
        return []
    return list(registry.profile_source().viewer_organisations(viewer))


def recommendations_for(*, viewer, kinds=None, organisation_ids=None, limit: int = 10,
                        per_owner: int | None = None) -> list[Shown]:
    """The best stored recommendations for the organisations the viewer acts for (or the
    given ones, which must be among them), each item once, live items only, at most
    ``per_owner`` of one buyer or organiser."""
    mine = viewer_organisation_ids(viewer)
    org_ids = mine if organisation_ids is None else [o for o in organisation_ids if o in mine]
    if not mine and organisation_ids is None and getattr(viewer, "is_authenticated", False):
        # A person who acts for no organisation (a citizen): their own rows.
        keys = [k.key for k in registry.people_kinds() if not kinds or k.key in kinds]
        stored = PersonRecommendation.objects.filter(person=viewer, kind__in=keys).annotate(
            organisation_id=Value(None, output_field=IntegerField()))
    elif org_ids:
        keys = [k.key for k in registry.all_kinds()] if not kinds else list(kinds)
        stored = Recommendation.objects.filter(organisation_id__in=org_ids, kind__in=keys)
    else:
        return []
    rows = list(
        stored.order_by("-score", "kind", "target_id", "organisation_id")
        .values("id", "kind", "target_id", "score", "reasons", "owner_id", "organisation_id")
        [: limit * 4 * len(keys)]
    )
    per_owner = conf("PER_OWNER") if per_owner is None else per_owner
    # The kinds present (re-apply the hard rules, read titles) only the items that will be
    # shown: the first ``limit`` the ranking picks; only if some of those are no longer live
    # are all the others presented too (a second round), so at most two queries per kind.
    asked: dict[str, set[int]] = {}
    live: dict[str, dict[int, dict]] = {}

    def present(pairs) -> None:
        wanted: dict[str, set[int]] = {}
        for kind, target_id in pairs:
            if target_id not in asked.setdefault(kind, set()):
                wanted.setdefault(kind, set()).add(target_id)
        for kind in sorted(wanted):
            asked[kind] |= wanted[kind]
            live.setdefault(kind, {}).update(
                registry.get_kind(kind).present(sorted(wanted[kind]), viewer))

    def pick() -> list[tuple[dict, dict | None]]:
        picked, seen, owners = [], set(), {}
        for row in rows:
            key = (row["kind"], row["target_id"])
            info = live.get(row["kind"], {}).get(row["target_id"])
            if key in seen or (info is None and row["target_id"] in asked.get(row["kind"], ())):
                continue  # shown already, or no longer live
            owner = (row["kind"], row["owner_id"])
            if row["owner_id"] and per_owner and owners.get(owner, 0) >= per_owner:
                continue
            owners[owner] = owners.get(owner, 0) + 1
            seen.add(key)
            picked.append((row, info))
            if len(picked) >= limit:
                break
        return picked

    present((row["kind"], row["target_id"]) for row, _info in pick())
    picked = pick()
    if any(info is None for _row, info in picked):
        present((row["kind"], row["target_id"]) for row in rows)
        picked = pick()
    labels = {key: str(registry.get_kind(key).label) for key in asked}
    shown, rendered = [], {}
    for row, info in picked:
        # Each reason is rendered once (many rows share "In Rijeka, your city") and kept
        # on the reason as "text", so the API does not translate it a second time.
        for reason in row["reasons"] or []:
            memo = repr(sorted(reason.items()))
            if memo not in rendered:
                rendered[memo] = render(reason)
            reason["text"] = rendered[memo]
        shown.append(Shown(
            id=row["id"], kind=row["kind"], kind_label=labels[row["kind"]],
            target_id=row["target_id"], title=info["title"], url=info.get("url", ""),
            detail=info.get("detail", ""), score=row["score"],
            organisation_id=row["organisation_id"], reasons=row["reasons"],
            reason_texts=[r["text"] for r in row["reasons"] or [] if r["text"]],
        ))
    return shown
