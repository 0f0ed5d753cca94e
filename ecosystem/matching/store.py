"""Stored profiles and the publish-time fan-out in SQL.

Scoring one newly published call against every organisation used to rebuild each profile
(themes, competences, description, applications, registrations, offers) and its text vector
in Python: minutes at 100,000 organisations. Each refresh now also stores what scoring needs
(``StoredProfile``: theme ids, the text vector against each kind's index, CPV prefixes, the
buyers and organisers it engaged with, its place). On PostgreSQL the fan-out then computes
every organisation's score in one query, from those rows and the one candidate, after the
kind's hard rules (its ``audience`` QuerySet); only the rows worth storing are explained in
Python, by the same ``Matcher`` as the nightly refresh, so their score and reasons are
exactly the engine's.

The SQL score is the engine's formula with the signals ``SQL_SIGNALS`` can compute; a kind
with another signal (helix, offers) keeps the Python path. A stored text vector was made
against the text index of its last refresh: when the open calls change, the vector drifts a
little until the nightly refresh recomputes it (the candidate's own vector is always current).
"""

import json
import time

from django.db import connection, transaction
from django.utils import timezone

from . import registry
from .models import Recommendation, StoredProfile
from .registry import Profile
from .scoring import CPV_VALUE, Matcher, _cpv_digits, conf
from .text import TextIndex

SQL_SIGNALS = frozenset({"themes", "cpv", "text", "distance", "behaviour"})


def cpv_keys(codes) -> list[str]:
    """The prefixes of CPV codes that a match may share, as "length:digits".

    ``cpv_level(a, b)`` is the longest shared prefix, but never longer than the shorter
    code's significant digits (zeros pad a broad code), and a division (2) always counts:
    a prefix of length L >= 3 counts only if both codes have L significant digits. Two
    codes' level is therefore the longest L whose key both lists hold."""
    keys = set()
    for code in codes or ():
        digits = _cpv_digits(code)
        if len(digits) < 2:
            continue
        keys.add(f"2:{digits[:2]}")
        for length in range(3, len(digits.rstrip("0")) + 1):
            keys.add(f"{length}:{digits[:length]}")
    return sorted(keys)


def kind_uses_sql(kind) -> bool:
    return connection.vendor == "postgresql" and set(kind.signals) <= SQL_SIGNALS


def sql_kinds():
    """The kinds whose fan-out can run in SQL (their signals are all in ``SQL_SIGNALS``)."""
    return [kind for kind in registry.all_kinds() if set(kind.signals) <= SQL_SIGNALS]


def text_indexes(matchers: dict[str, Matcher] | None = None) -> dict[str, TextIndex]:
    """The text index of each SQL kind: the matcher's if built, else the live one kept in
    the process (``live_text_index``)."""
    found = {}
    for kind in sql_kinds():
        if "text" not in kind.signals:
            continue
        if matchers and kind.key in matchers:
            found[kind.key] = matchers[kind.key].text_index
        else:
            found[kind.key] = live_text_index(kind)
    return found


def warm_text_indexes() -> float:
    """Learn every SQL kind's live text index now (a worker starting), so that the first
    call published after does not wait for it. Returns the seconds it took."""
    started = time.perf_counter()
    text_indexes()
    return time.perf_counter() - started


_TEXT_INDEXES: dict[str, tuple[dict, TextIndex]] = {}


def live_text_index(candidate_kind) -> TextIndex:
    """The text index of every live item of the kind (the nightly refresh's corpus), kept
    in the process while the live items are the same ones, each as last changed
    (``updated_at``): one query of ids and times says so. When items only joined (a call
    published), their texts are added to a copy of the kept index, which is what learning
    the whole corpus again gives (``TextIndex.add`` is additive) without reading it."""
    queryset = candidate_kind.queryset().order_by()
    model = queryset.model
    if any(f.name == "updated_at" for f in model._meta.get_fields()):
        state = dict(queryset.values_list("pk", "updated_at"))
    else:
        state = dict.fromkeys(queryset.values_list("pk", flat=True))
    cached = _TEXT_INDEXES.get(candidate_kind.key)
    if cached and cached[0] == state:
        return cached[1]

    if cached and all(pk in state and state[pk] == at for pk, at in cached[0].items()):
        index = cached[1].copy()
        joined = queryset.filter(pk__in=sorted(state.keys() - cached[0].keys()))
        for text in candidate_kind.read_texts(joined):
            index.add(text)
    else:
        index = TextIndex(candidate_kind.read_texts(queryset))
    _TEXT_INDEXES[candidate_kind.key] = (state, index)
    return index


def store_profiles(profiles: dict[int, Profile], indexes: dict[str, TextIndex]) -> None:
    """Write (or rewrite) the stored profiles of a batch, with a text vector per kind."""
    from .scoring import profile_text

    now = timezone.now()
    rows = []
    for profile in profiles.values():
        text = profile_text(profile)
        vectors = {key: index.vector(text) for key, index in sorted(indexes.items())}
        rows.append(StoredProfile(
            organisation_id=profile.id, theme_ids=sorted(profile.themes), vectors=vectors,
            cpv=sorted(profile.cpv), cpv_keys=cpv_keys(profile.cpv),
            engaged_owners=sorted(profile.engaged_owners), helix=profile.helix or "",
            kind=profile.kind or "", size=profile.size or "", country=profile.country or "",
            nuts=(profile.nuts or "")[:10], city_id=profile.city_id, computed_at=now,
        ))
    StoredProfile.objects.bulk_create(
        rows, batch_size=1000, update_conflicts=True, unique_fields=["organisation"],
        update_fields=["theme_ids", "vectors", "cpv", "cpv_keys", "engaged_owners", "helix",
                       "kind", "size", "country",
                       "nuts", "city_id", "computed_at"])


def ensure_stored(audience_queryset, *, kind_key: str, needs_vector: bool, indexes) -> int:
    """Store the profiles in the audience never stored (new organisations), or stored
    without a text vector for this kind, in batches; ``indexes()`` gives the text indexes,
    called only if there is something to store. Returns how many were stored."""
    stored = StoredProfile.objects.all()
    if needs_vector:
        stored = stored.filter(vectors__has_key=kind_key)
    if stored.count() >= audience_queryset.model._default_manager.count():
        return 0  # every organisation is stored (the usual case after the nightly refresh)
    missing = sorted(audience_queryset.exclude(pk__in=stored.values("organisation_id")))
    if missing:
        found = indexes()
        batch = conf("BATCH_SIZE")
        for start in range(0, len(missing), batch):
            store_profiles(registry.load_profiles(missing[start:start + batch]), found)
    return len(missing)


def load_stored(organisation_ids, kind_key: str) -> dict[int, Profile]:
    """Stored profiles as ``Profile`` objects (theme names read once)."""
    from ecosystem.models import Theme

    rows = list(StoredProfile.objects.filter(organisation_id__in=list(organisation_ids)))
    names = dict(Theme.objects.filter(pk__in={t for r in rows for t in r.theme_ids})
                 .values_list("pk", "name"))
    return stored_as_profiles(rows, names, kind_key)


def stored_as_profiles(rows, theme_names: dict[int, str], kind_key: str) -> dict[int, Profile]:
    """Stored rows -> ``Profile`` objects carrying their stored text vector for ``kind_key``."""
    profiles = {}
    for row in rows:
        profile = Profile(
            id=row.organisation_id, helix=row.helix, kind=row.kind, size=row.size,
            country=row.country, nuts=row.nuts, city_id=row.city_id,
            themes={t: theme_names.get(t, "") for t in row.theme_ids},
            cpv=set(row.cpv), engaged_owners=set(row.engaged_owners),
            vectors={kind_key: row.vectors.get(kind_key, {})},
        )
        profiles[profile.id] = profile
    return profiles


def _signal_sql(matcher: Matcher, index: int) -> list[tuple[str, str, list]]:
    """(signal, SQL value over the stored profile ``p``, parameters) for each signal of the
    kind: the same values as the ``Matcher`` signals of ``scoring.py``."""
    candidate = matcher.candidates[index]
    weights = matcher.weights
    found = []
    if "themes" in weights:
        # Σ idf² of shared themes / (profile norm × candidate norm), at most 1.
        idf = json.dumps({str(t): w for t, w in matcher.idf.items()})
        themes = sorted(candidate.themes)
        if themes:
            shared = " + ".join("CASE WHEN p.theme_ids @> %s::jsonb THEN %s ELSE 0 END"
                                for _ in themes)
            shared_params = []
            for theme in themes:
                shared_params += [json.dumps([theme]), matcher.idf.get(theme, 1.0) ** 2]
            found.append(("themes", (
                f"COALESCE(LEAST(1.0, ({shared}) / NULLIF((SELECT sqrt(sum(power(COALESCE("
                "(%s::jsonb ->> e)::float8, 1), 2))) FROM jsonb_array_elements_text("
                "p.theme_ids) e) * %s, 0)), 0)"),
                [*shared_params, idf, matcher.theme_norms[index]]))
    if "text" in weights:
        terms = sorted(matcher.vectors[index].items())
        if terms:
            dot = " + ".join("COALESCE((v.vector ->> %s)::float8, 0) * %s" for _ in terms)
            params = []
            for term, weight in terms:
                params += [term, weight]
            found.append(("text", f"LEAST(1.0, 2 * ({dot}))", params))
    if "cpv" in weights:
        keys = sorted(cpv_keys(candidate.cpv), key=lambda k: (-int(k.split(":")[0]), k))
        if keys:
            cases = " ".join(f"WHEN p.cpv_keys @> %s::jsonb THEN {_cpv_value(k)}" for k in keys)
            found.append(("cpv", f"(CASE {cases} ELSE 0 END)", [json.dumps([k]) for k in keys]))
    if "distance" in weights:
        distance = conf("DISTANCE")
        nuts = candidate.nuts or ""
        found.append(("distance", (
            "CASE WHEN p.city_id IS NOT NULL AND p.city_id = %s THEN %s"
            " WHEN length(p.nuts) >= 4 AND left(p.nuts, 4) = %s THEN %s"
            " WHEN p.country <> '' AND p.country = %s THEN %s"
            " WHEN p.country <> '' AND %s <> '' THEN %s ELSE 0 END"),
            [candidate.city_id, distance.get("city", 0.0),
             nuts[:4] if len(nuts) >= 4 else "", distance.get("region", 0.0),
             candidate.country or "", distance.get("country", 0.0), candidate.country or "",
             distance.get("europe", 0.0)]))
    if "behaviour" in weights and candidate.owner_ids:
        owners = " OR ".join("p.engaged_owners @> %s::jsonb" for _ in candidate.owner_ids)
        found.append(("behaviour", f"(CASE WHEN {owners} THEN 1 ELSE 0 END)",
                      [json.dumps([o]) for o in candidate.owner_ids]))
    return found


def _cpv_value(key: str) -> float:
    level = int(key.split(":")[0])
    return CPV_VALUE.get(level, 1.0 if level >= 5 else 0.0)


def sql_target_scores(*, matcher: Matcher, index: int, audience_queryset,
                      min_score: float) -> list[tuple[int, float]]:
    """(organisation id, score) of every organisation in the audience scoring at least
    ``min_score`` with at least one topical signal, best first, in one query over the
    stored profiles (PostgreSQL)."""
    signals = _signal_sql(matcher, index)
    if not signals:
        return []
    columns = ", ".join(f"{sql} AS {name}" for name, sql, _ in signals)
    params = [value for _, _, values in signals for value in values]
    names = [name for name, _, _ in signals]
    score = " + ".join(f"{matcher.weights[n]!r} * s.{n}" for n in names)
    topical = " OR ".join(f"s.{n} > 0" for n in names if n in ("themes", "text", "cpv"))
    audience_sql, audience_params = audience_queryset.order_by().query.sql_with_params()
    # MATERIALIZED: each signal is computed once per row, not again in the WHERE clause.
    # The kind's vector is taken out of the stored jsonb once per row (OFFSET 0 keeps the
    # planner from inlining it again into every term's lookup, each decompressing the row).
    sql = (f"WITH s AS MATERIALIZED (SELECT p.organisation_id, {columns}"
           f" FROM {StoredProfile._meta.db_table} p"
           f" CROSS JOIN LATERAL (SELECT p.vectors -> %s AS vector OFFSET 0) v"
           f" WHERE p.organisation_id IN ({audience_sql})),"
           f" t AS MATERIALIZED (SELECT s.organisation_id, ({score}) / {matcher.total_weight!r}"
           f" AS score FROM s WHERE {topical or 'FALSE'})"
           f" SELECT organisation_id, score FROM t WHERE score >= %s"
           f" ORDER BY score DESC, organisation_id")
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner prices the jsonb lookups high and would compile the query (JIT):
        # 20-25 ms of compiling for a query that runs 0.3 s.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, [*params, matcher.kind.key, *audience_params, min_score])
        return [(org, round(value, 6)) for org, value in cursor.fetchall()]


def entering_top_n(kind_key: str, scores: list[tuple[int, float]], top_n: int,
                   target_id: int) -> set[int]:
    """The organisations for which the item's score enters their stored top N of the kind
    (the rows the nightly refresh would store; the item's own rows do not count), read in
    one query."""
    if not scores:
        return set()
    if connection.vendor == "postgresql":
        sql = (f"SELECT s.org FROM unnest(%s::bigint[], %s::float8[]) AS s(org, score) "
               f"WHERE s.score > COALESCE((SELECT r.score FROM "
               f"{Recommendation._meta.db_table} r WHERE r.organisation_id = s.org AND "
               f"r.kind = %s AND r.target_id <> %s ORDER BY r.score DESC OFFSET %s LIMIT 1), -1)")
        with connection.cursor() as cursor:
            cursor.execute(sql, [[o for o, _ in scores], [s for _, s in scores], kind_key,
                                 target_id, top_n - 1])
            return {org for (org,) in cursor.fetchall()}
    stored: dict[int, list[float]] = {}
    for org, score in Recommendation.objects.filter(
            kind=kind_key, organisation_id__in=[o for o, _ in scores]).exclude(
            target_id=target_id).values_list(
            "organisation_id", "score"):
        stored.setdefault(org, []).append(score)
    entering = set()
    for org, score in scores:
        mine = sorted(stored.get(org, []), reverse=True)
        if len(mine) < top_n or score > mine[top_n - 1]:
            entering.add(org)
    return entering
