"""Writes of matchmaking: computing and storing recommendations, "not interested", the
publish-time fan-out. Work is queued by task name through the outbox (never by importing
``tasks``), so it runs after the caller's transaction commits and is never lost."""

import csv
import io
import json
import logging

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.errors import InvalidInput, NotFound
from ecosystem.notifications.outbox import outbox_enqueue, outbox_enqueue_many
from ecosystem.notifications.services import notify

from . import registry, store
from .models import (
    NotInterested,
    PersonNotInterested,
    PersonRecommendation,
    Recommendation,
    StoredProfile,
)
from .scoring import PREFETCH, Dismissed, Matcher, conf, theme_idf
from .text import TextIndex

logger = logging.getLogger(__name__)

REFRESH_TASK = "matching.refresh_organisations"
REFRESH_ALL_TASK = "matching.refresh_all"
REFRESH_BATCH_TASK = "matching.refresh_batch"
TARGET_TASK = "matching.target_published"
TARGET_ROWS_TASK = "matching.target_rows"
PEOPLE_TASK = "matching.refresh_people"
ROWS_CHUNK = 2000  # organisations per follow-up job storing a published item's rows


# --- queueing (after commit, through the outbox) -------------------------------------------

def queue_organisation_refresh(*, organisation_ids) -> None:
    """A profile changed (themes, description, ...): recompute its recommendations."""
    ids = sorted({int(pk) for pk in organisation_ids})
    if ids:
        outbox_enqueue(task=REFRESH_TASK, payload={"organisation_ids": ids})


def queue_people_refresh(*, user_ids) -> None:
    """A person registered for or followed something, or said "not interested": recompute
    their own recommendations if they act for no organisation (else nothing to do)."""
    ids = sorted(registry.profile_source().people_ids(sorted({int(pk) for pk in user_ids})))
    if ids:
        outbox_enqueue(task=PEOPLE_TASK, payload={"user_ids": ids})


def queue_target_published(*, kind: str, target_id: int) -> None:
    """An item became recommendable (a call published, an event published): score it
    against the organisations it may reach and tell those above the threshold."""
    registry.get_kind(kind)
    outbox_enqueue(task=TARGET_TASK, payload={"kind": kind, "target_id": int(target_id)})


# --- computing -----------------------------------------------------------------------------

def current_idf() -> dict[int, float]:
    frequencies, total = registry.profile_source().theme_frequencies()
    return theme_idf(frequencies, total)


def build_matchers(*, kinds=None, idf=None) -> dict[str, Matcher]:
    idf = current_idf() if idf is None else idf
    matchers = {}
    for kind in kinds or registry.all_kinds():
        candidates = kind.load(kind.queryset())
        matchers[kind.key] = Matcher(kind, candidates, idf=idf)
    return matchers


def _dismissed(ids, *, model=NotInterested, key: str = "organisation_id"
               ) -> dict[tuple[int, str], Dismissed]:
    """(organisation or person, kind) -> what it said "not interested" to."""
    found: dict[tuple[int, str], Dismissed] = {}
    for row in model.objects.filter(**{f"{key}__in": ids}).values(
            key, "kind", "target_id", "owner_ids", "theme_ids"):
        entry = found.setdefault((row[key], row["kind"]), Dismissed())
        entry.target_ids.add(row["target_id"])
        entry.owner_ids.update(row["owner_ids"])
        entry.theme_ids.update(row["theme_ids"])
    return found


def _rows(profile, matcher: Matcher, ranked, content_type, now) -> list[tuple]:
    """The rows to store, as tuples of ``_COLUMNS``."""
    return [
        (profile.id, matcher.kind.key, content_type.pk, item.candidate.id,
         min(item.candidate.owner_ids) if item.candidate.owner_ids else 0, item.score,
         matcher.explain(profile, item), now)
        for item in ranked
    ]


def _content_types(matchers) -> dict[str, ContentType]:
    return {key: ContentType.objects.get_for_model(apps.get_model(m.kind.model))
            for key, m in matchers.items()}


def recommendations_refresh(*, organisation_ids, matchers=None, stats=None) -> int:
    """Recompute and store the top N of each kind for these organisations (one batch).

    Each organisation's top N is that of scoring every candidate (``Matcher.top``); ``stats``
    (a dict, if given) counts per kind the organisations for which that is proven
    (``exact``) and those for which it is the best found within ``TOP_BUDGET``."""
    ids = sorted({int(pk) for pk in organisation_ids})
    matchers = matchers if matchers is not None else build_matchers()
    profiles = registry.load_profiles(ids)
    rows = _ranked_rows(profiles, matchers, _dismissed(ids), stats)
    indexes = store.text_indexes(matchers)
    with transaction.atomic():
        Recommendation.objects.filter(organisation_id__in=ids, kind__in=list(matchers)).delete()
        _insert(rows)
        store.store_profiles(profiles, indexes)
    return len(rows)


def _ranked_rows(profiles, matchers, dismissed, stats=None) -> list[tuple]:
    """Each profile's top N of each kind, as rows (tuples of ``_COLUMNS``, the profile's id
    first), in chunks of ``PREFETCH`` profiles."""
    content_types = _content_types(matchers)
    now = timezone.now()
    rows = []
    ordered = [profiles[pk] for pk in sorted(profiles)]
    for start in range(0, len(ordered), PREFETCH):
        chunk = ordered[start:start + PREFETCH]
        for matcher in matchers.values():
            matcher.prefetch(chunk)
        for profile in chunk:
            for key, matcher in matchers.items():
                ranked, exact = matcher.top(profile, dismissed=dismissed.get((profile.id, key)))
                if stats is not None:
                    counts = stats.setdefault(key, {"exact": 0, "best_found": 0})
                    counts["exact" if exact else "best_found"] += 1
                rows.extend(_rows(profile, matcher, ranked, content_types[key], now))
    return rows


def people_refresh(*, user_ids, matchers=None) -> int:
    """Recompute and store the recommendations of these people, of the kinds registered
    ``for_people``, if they act for no organisation; those who act for one lose theirs (their
    organisations' rows are what they see). Returns the rows stored."""
    ids = sorted({int(pk) for pk in user_ids})
    people = sorted(set(registry.profile_source().people_ids(ids)))
    keys = {kind.key for kind in registry.people_kinds()}
    if matchers is None:
        matchers = build_matchers(kinds=registry.people_kinds()) if people and keys else {}
    matchers = {key: m for key, m in matchers.items() if key in keys}
    rows = _ranked_rows(registry.load_people(people), matchers,
                        _dismissed(people, model=PersonNotInterested, key="person_id"))
    with transaction.atomic():
        PersonRecommendation.objects.filter(person_id__in=ids).delete()
        PersonRecommendation.objects.bulk_create([
            PersonRecommendation(person_id=row[0], **dict(zip(_COLUMNS[1:], row[1:], strict=True)))
            for row in rows], batch_size=1000)
    return len(rows)


_COLUMNS = ("organisation_id", "kind", "target_type_id", "target_id", "owner_id", "score",
            "reasons", "computed_at")


def _insert(rows: list[tuple]) -> None:
    """Insert new rows (tuples of ``_COLUMNS``): on PostgreSQL with COPY (some 30,000 rows
    per batch: a fraction of the time ``bulk_create`` takes to build and send its INSERTs),
    else ``bulk_create``."""
    if connection.vendor != "postgresql" or not hasattr(connection.cursor(), "copy_expert"):
        Recommendation.objects.bulk_create(
            [Recommendation(**dict(zip(_COLUMNS, row, strict=True))) for row in rows],
            batch_size=1000)
        return
    buffer = io.StringIO()
    out = csv.writer(buffer)
    for org, kind, content_type, target, owner, score, reasons, computed in rows:
        out.writerow((org, kind, content_type, target, owner, repr(score), json.dumps(reasons),
                      computed.isoformat()))
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {Recommendation._meta.db_table} ({', '.join(_COLUMNS)}) "
                           "FROM STDIN WITH (FORMAT csv)", buffer)


def recommendations_refresh_all(*, batch_size: int | None = None, progress=None) -> int:
    """Every organisation, in batches, in this process (the candidates are read once): the
    nightly job without a broker, and tests. With workers, ``recommendations_queue_all``."""
    _run, batches = nightly_batches(batch_size=batch_size)
    matchers = build_matchers()
    rows = done = 0
    everyone = sum(len(ids) for ids in batches)
    for ids in batches:
        rows += recommendations_refresh(organisation_ids=ids, matchers=matchers)
        done += len(ids)
        if progress:
            progress(done, everyone)
    for ids in people_batches(batch_size=batch_size):
        rows += people_refresh(user_ids=ids, matchers=matchers)
    return rows


def recommendations_queue_all(*, batch_size: int | None = None) -> int:
    """The nightly job with workers: one ``REFRESH_BATCH_TASK`` job per ``BATCH_SIZE``
    organisations, queued through the outbox (after commit, never lost), run in parallel by
    as many worker processes as there are. The jobs of one run share its ``run`` key, so a
    worker process reads the candidates once per run (``_run_matchers``), not once per job.
    Returns how many jobs were queued."""
    run, batches = nightly_batches(batch_size=batch_size)
    queued = outbox_enqueue_many(task=REFRESH_BATCH_TASK, payloads=[
        {"organisation_ids": ids, "run": run} for ids in batches])
    return queued + outbox_enqueue_many(task=PEOPLE_TASK, payloads=[
        {"user_ids": ids, "run": run} for ids in people_batches(batch_size=batch_size)])


def people_batches(*, batch_size: int | None = None) -> list[list[int]]:
    """The people who act for no organisation, in batches of the nightly run."""
    batch_size = batch_size or conf("BATCH_SIZE")
    ids = sorted(registry.profile_source().people_ids(None))
    return [ids[start:start + batch_size] for start in range(0, len(ids), batch_size)]


def nightly_batches(*, batch_size: int | None = None) -> tuple[str, list[list[int]]]:
    """A nightly run's key and its batches of organisation ids. On PostgreSQL the tables the
    run rewrites are analysed first: with statistics from before they filled (autovacuum off
    or behind), the planner deleted a batch's rows by scanning the whole table, 1 s per batch
    at 100,000 organisations instead of 20 ms on the organisation's index."""
    batch_size = batch_size or conf("BATCH_SIZE")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Recommendation._meta.db_table}, "
                           f"{StoredProfile._meta.db_table}")
    ids = sorted(registry.profile_source().all_ids())
    return timezone.now().isoformat(), [ids[start:start + batch_size]
                                        for start in range(0, len(ids), batch_size)]


_RUN: dict[str, object] = {}  # the matchers of the last run this process worked for


def _run_matchers(run: str) -> dict[str, Matcher]:
    """The matchers of a nightly run, built by the first of its jobs in this process. Only
    one run is kept, so a worker holds one set of candidates at most."""
    if _RUN.get("run") != run:
        _RUN.clear()
        _RUN.update(run=run, matchers=build_matchers())
    return _RUN["matchers"]


def people_refresh_batch(*, user_ids, run: str | None = None) -> int:
    """A job refreshing people: one batch of a nightly run (``run``), or a person's change."""
    return people_refresh(user_ids=user_ids, matchers=_run_matchers(run) if run else None)


def recommendations_refresh_batch(*, organisation_ids, run: str, stats=None) -> int:
    """One job of a nightly run (``recommendations_queue_all``): safe to run twice."""
    return recommendations_refresh(organisation_ids=organisation_ids,
                                   matchers=_run_matchers(run), stats=stats)


def target_score(*, kind: str, target_id: int, preview: bool = False
                 ) -> list[tuple[int, float, list[dict]]]:
    """Score one item against the organisations it may reach: (organisation id, score,
    reasons), best first. Empty if the item no longer passes the hard rules, unless
    ``preview`` (a draft call: whom will it reach once published?)."""
    candidate_kind = registry.get_kind(kind)
    queryset = candidate_kind.queryset()
    if preview:
        target = apps.get_model(candidate_kind.model)._default_manager.filter(pk=target_id)
    else:
        target = queryset.filter(pk=target_id)
    if not target.exists():
        return []
    idf = current_idf()
    # The text index learns from every live candidate's text (one query, nothing built), the
    # matcher holds the one item: the same index and values as the nightly refresh.
    candidates = candidate_kind.load(target)
    corpus = candidate_kind.read_texts(queryset.exclude(pk=target_id))
    text_index = TextIndex([*corpus, *(c.text for c in candidates)])
    matcher = Matcher(candidate_kind, candidates, idf=idf, text_index=text_index)
    index = len(candidates) - 1
    candidate = matcher.candidates[index]
    source = registry.profile_source()
    audience = sorted(source.audience_ids(candidate_kind.audience(candidate)))
    results = []
    batch = conf("BATCH_SIZE") * 4
    for start in range(0, len(audience), batch):
        profiles = registry.load_profiles(audience[start:start + batch])
        for profile_id in sorted(profiles):
            profile = profiles[profile_id]
            for scored in matcher.match_one(profile, index):
                if scored.score >= conf("MIN_SCORE"):
                    results.append((profile.id, scored.score, matcher.explain(profile, scored)))
    results.sort(key=lambda item: (-item[1], item[0]))
    return results


def target_reach(*, kind: str, target_id: int, live: bool) -> list[tuple[int, float, list]]:
    """Whom an item reaches: the stored rows once it is live (constant queries), a preview
    computed now before it is (a draft)."""
    if not live:
        return target_score(kind=kind, target_id=target_id, preview=True)
    return [(row["organisation_id"], row["score"], row["reasons"]) for row in
            Recommendation.objects.filter(kind=kind, target_id=target_id)
            .order_by("-score", "organisation_id")
            .values("organisation_id", "score", "reasons")]


def target_invite(*, kind: str, target_id: int, actor) -> int:
    """Invite the members of every organisation the live item reaches (those told at publish
    time are not told again). Returns how many people were notified."""
    candidate_kind = registry.get_kind(kind)
    target = candidate_kind.queryset().filter(pk=target_id).first()
    if target is None or not candidate_kind.notification_kind:
        return 0
    org_ids = [org for org, _score, _reasons in target_reach(kind=kind, target_id=target_id,
                                                              live=True)]
    members = registry.profile_source().members(org_ids)
    user_ids = sorted({uid for org in org_ids for uid in members.get(org, [])})
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
    return len(notify(kind=candidate_kind.notification_kind, target=target, recipients=users,
                      context={"title": str(target)}, actor=actor,
                      dedupe_key=f"matching.{kind}.{target_id}"))


def _target_matcher(candidate_kind, target_id: int):
    """A matcher holding the one live item, with the text index of every live item, or
    None if the item no longer passes the hard rules."""
    queryset = candidate_kind.queryset()
    candidates = candidate_kind.load(queryset.filter(pk=target_id))
    if not candidates:
        return None
    return Matcher(candidate_kind, candidates, idf=current_idf(),
                   text_index=store.live_text_index(candidate_kind))


def _target_sql(candidate_kind, target_id: int):
    """The fan-out on PostgreSQL: hard rules and scores in one query over the stored
    profiles. Returns every (organisation, score) above ``MIN_SCORE``, best first."""
    matcher = _target_matcher(candidate_kind, target_id)
    if matcher is None:
        return []
    audience = registry.profile_source().audience_ids(
        candidate_kind.audience(matcher.candidates[0]))
    needs_vector = "text" in matcher.weights
    store.ensure_stored(audience, kind_key=candidate_kind.key, needs_vector=needs_vector,
                        indexes=store.text_indexes)
    return store.sql_target_scores(matcher=matcher, index=0, audience_queryset=audience,
                                   min_score=conf("MIN_SCORE"))


def target_rows(*, kind: str, target_id: int, organisation_ids) -> int:
    """Store a published item's rows, with reasons, for those of these organisations whose
    stored top N it enters (a follow-up job of the fan-out): the same ``Matcher`` and values
    as the nightly refresh, from the stored profiles. Safe to run twice; stores nothing if
    the item was withdrawn since."""
    candidate_kind = registry.get_kind(kind)
    ids = sorted({int(pk) for pk in organisation_ids})
    matcher = _target_matcher(candidate_kind, target_id)
    rows = []
    if matcher is not None:
        dismissed = set(NotInterested.objects.filter(
            kind=kind, target_id=target_id, organisation_id__in=ids)
            .values_list("organisation_id", flat=True))
        profiles = store.load_stored(ids, kind)
        candidate = matcher.candidates[0]
        content_type = ContentType.objects.get_for_model(apps.get_model(candidate_kind.model))
        now = timezone.now()
        scored_rows = {}
        for org in sorted(set(profiles) - dismissed):
            for scored in matcher.match_one(profiles[org], 0):
                if scored.score >= conf("MIN_SCORE"):
                    scored_rows[org] = scored
        entering = store.entering_top_n(
            kind, [(org, item.score) for org, item in scored_rows.items()], conf("TOP_N"),
            target_id)
        for org in sorted(entering):
            profile, scored = profiles[org], scored_rows[org]
            matcher.match_one(profile, 0)  # the accumulators ``explain`` reads
            rows.append(Recommendation(
                organisation_id=org, kind=kind, target_type=content_type,
                target_id=target_id, score=scored.score,
                reasons=matcher.explain(profile, scored),
                owner_id=min(candidate.owner_ids) if candidate.owner_ids else 0,
                computed_at=now))
    with transaction.atomic():
        Recommendation.objects.filter(kind=kind, target_id=target_id,
                                      organisation_id__in=ids).delete()
        Recommendation.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def target_published(*, kind: str, target_id: int, notify_members: bool = True) -> int:
    """Store the new item's rows for the organisations whose top N it enters (what the
    nightly refresh would store; on the SQL path through follow-up jobs) and tell the members of every organisation above
    ``NOTIFY_SCORE`` (once per person and item: safe to run twice; nobody is told if the
    item was withdrawn before the job ran). Returns the organisations matched.

    On PostgreSQL a kind whose signals SQL can compute is scored in one query over the
    stored profiles (``store.py``); otherwise profile by profile in Python."""
    candidate_kind = registry.get_kind(kind)
    follow_up = store.kind_uses_sql(candidate_kind)
    if follow_up:
        # Rows and reasons are written by follow-up jobs of ROWS_CHUNK organisations each
        # (in parallel on the workers); members are told here, from the scores.
        scores = _target_sql(candidate_kind, target_id)
        rows = []
    else:
        matched = target_score(kind=kind, target_id=target_id)
        scores = [(org, score) for org, score, _reasons in matched]
        entering = store.entering_top_n(kind, scores, conf("TOP_N"), target_id)
        rows = [row for row in matched if row[0] in entering]
    model = apps.get_model(candidate_kind.model)
    content_type = ContentType.objects.get_for_model(model)
    dismissed = set(NotInterested.objects.filter(kind=kind, target_id=target_id)
                    .values_list("organisation_id", flat=True))
    scores = [m for m in scores if m[0] not in dismissed]
    rows = [m for m in rows if m[0] not in dismissed]
    owner = 0
    if rows:
        candidate = candidate_kind.load(candidate_kind.queryset().filter(pk=target_id))
        owner = min(candidate[0].owner_ids) if candidate and candidate[0].owner_ids else 0
    now = timezone.now()
    with transaction.atomic():
        target = model._default_manager.filter(pk=target_id).first()
        stored = Recommendation.objects.filter(kind=kind, target_id=target_id)
        if follow_up:
            # Rows of organisations it no longer reaches go now; the follow-up jobs
            # replace the others.
            keep = {org for org, _score in scores} - dismissed
            gone = [pk for pk, org in stored.values_list("pk", "organisation_id")
                    if org not in keep]
            Recommendation.objects.filter(pk__in=gone).delete()
        else:
            stored.delete()
        Recommendation.objects.bulk_create([
            Recommendation(organisation_id=org, kind=kind, target_type=content_type,
                           target_id=target_id, score=score, reasons=reasons, owner_id=owner,
                           computed_at=now)
            for org, score, reasons in rows
        ], batch_size=2000)
        if follow_up:
            chosen = sorted(keep)
            outbox_enqueue_many(task=TARGET_ROWS_TASK, payloads=[
                {"kind": kind, "target_id": int(target_id),
                 "organisation_ids": chosen[start:start + ROWS_CHUNK]}
                for start in range(0, len(chosen), ROWS_CHUNK)])
        if notify_members and candidate_kind.notification_kind and target is not None:
            threshold = conf("NOTIFY_SCORE")
            org_ids = [org for org, score in scores if score >= threshold]
            source = registry.profile_source()
            if source.member_users is not None:
                users = source.member_users(org_ids) if org_ids else []
            else:
                members = source.members(org_ids)
                user_ids = sorted({uid for org in org_ids for uid in members.get(org, [])})
                users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
            if org_ids:
                notify(kind=candidate_kind.notification_kind, target=target, recipients=users,
                       context={"title": str(target)},
                       dedupe_key=f"matching.{kind}.{target_id}")
    return len(scores)


# --- "not interested" ----------------------------------------------------------------------

def _dismissal(kind: str, target_id: int, *, people: bool = False) -> dict:
    """The kind checked, and the item's owners and themes (items like it count less)."""
    try:
        candidate_kind = registry.get_kind(kind)
    except LookupError:
        candidate_kind = None
    if candidate_kind is None or (people and not candidate_kind.for_people):
        raise InvalidInput(_("Unknown kind of recommendation."),
                           fields={"kind": [_("Unknown kind.")]})
    candidates = candidate_kind.load(candidate_kind.queryset().filter(pk=target_id))
    return {"owner_ids": list(candidates[0].owner_ids) if candidates else [],
            "theme_ids": sorted(candidates[0].themes) if candidates else []}


def dismiss(*, viewer, kind: str, target_id: int, organisation_id: int | None = None):
    """"Not interested" as the viewer means it: for the organisation named (one of theirs),
    by default their first; for themselves if they act for none. An organisation not theirs,
    or a kind never suggested to a person, is not found."""
    mine = registry.profile_source().viewer_organisations(viewer)
    organisation_id = organisation_id or (mine[0] if mine else None)
    if organisation_id is None:
        if kind not in {k.key for k in registry.people_kinds()}:
            raise NotFound()  # nothing of this kind is ever suggested to a person
        return person_not_interested(user=viewer, kind=kind, target_id=target_id)
    if organisation_id not in mine:
        raise NotFound()
    return not_interested(organisation_id=organisation_id, user=viewer, kind=kind,
                          target_id=target_id)


@transaction.atomic
def person_not_interested(*, user, kind: str, target_id: int) -> PersonNotInterested:
    """Hide the item for this person (who acts for no organisation) and lower similar ones."""
    answer, _created = PersonNotInterested.objects.get_or_create(
        person=user, kind=kind, target_id=target_id,
        defaults=_dismissal(kind, target_id, people=True))
    PersonRecommendation.objects.filter(person=user, kind=kind, target_id=target_id).delete()
    queue_people_refresh(user_ids=[user.pk])
    return answer


@transaction.atomic
def not_interested(*, organisation_id: int, user, kind: str, target_id: int) -> NotInterested:
    """Hide the item for this organisation (only) and lower similar ones from now on."""
    dismissal = _dismissal(kind, target_id)
    owner_ids, theme_ids = dismissal["owner_ids"], dismissal["theme_ids"]
    answer, _created = NotInterested.objects.get_or_create(
        organisation_id=organisation_id, kind=kind, target_id=target_id,
        defaults={"user": user, "owner_ids": owner_ids, "theme_ids": theme_ids},
    )
    Recommendation.objects.filter(organisation_id=organisation_id, kind=kind,
                                  target_id=target_id).delete()
    queue_organisation_refresh(organisation_ids=[organisation_id])
    return answer
