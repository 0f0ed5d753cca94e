"""The engine: weighted, explainable signals over profiles and candidates.

A ``Matcher`` is built once per kind from its candidates (inverted lists of themes, words and
CPV prefixes, so an organisation is compared only with candidates it shares something
topical with). ``Matcher.match(profile)`` applies the hard rules (own items, ``eligible``)
and returns every surviving candidate with its score and the value of each signal;
``explain`` turns the signals that contributed into reason codes with their data. A reason is
emitted only by the signal that scored, from the same data, so reasons agree with the score.

Score = sum(weight * value) / sum(weights of the kind's signals), each value in [0, 1].
Weights live in ``settings.MATCHING["WEIGHTS"]`` per kind.
"""

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from .registry import Candidate, CandidateKind, Profile
from .text import TextIndex, cosine, shared_terms

DEFAULTS = {
    "WEIGHTS": {
        "call": {"themes": 3.0, "cpv": 2.0, "text": 3.0, "distance": 0.5, "behaviour": 1.0},
        "event": {"themes": 3.0, "text": 2.0, "distance": 2.0, "behaviour": 1.0},
        "partner": {"themes": 3.0, "text": 2.0, "helix": 2.0, "distance": 1.0},
        "offer": {"themes": 2.0, "offers": 3.0, "text": 1.0, "distance": 1.0},
        "person": {"offers": 3.0, "themes": 2.0, "text": 1.0, "helix": 1.0},
        "project": {"themes": 3.0, "text": 2.0, "seeks": 2.0, "distance": 1.0},
    },
    "DISTANCE": {"city": 1.0, "region": 0.7, "country": 0.4, "europe": 0.1},
    "TOP_N": 20,  # stored rows per organisation and kind
    "PER_OWNER": 2,  # at most this many items of one buyer / organiser in the top N
    "MIN_SCORE": 0.06,  # below it nothing is stored (tuned on bench/matching_eval)
    "NOTIFY_SCORE": 0.3,  # above it members hear of a newly published call or event
    "MAX_REASONS": 4,
    "DISMISS_OWNER_PENALTY": 0.5,  # "not interested": the same buyer / organiser counts less
    "DISMISS_THEME_PENALTY": 0.3,  # ... and so do items sharing its themes (times the share)
    "BATCH_SIZE": 500,
    # Bounded work per organisation whatever the number of candidates: a theme or word shared
    # by more candidates keeps only its MAX_POSTINGS most specific ones, and at most
    # MAX_SCORED candidates (best topical overlap first) get every signal computed.
    "MAX_POSTINGS": 2000,
    "MAX_SCORED": 400,
    # The nightly refresh (``Matcher.top``) is exact until it has computed this many text
    # cosines for one organisation and kind; past it, the best found (said, and counted).
    "TOP_BUDGET": 600,
}


@cache
def conf(name: str):
    """A matchmaking setting (``settings.MATCHING`` over ``DEFAULTS``), read once: the
    nightly refresh asks for them some 250 times per organisation. Forgotten when the setting
    changes (``override_settings``, tests)."""
    value = getattr(settings, "MATCHING", {}).get(name, DEFAULTS[name])
    if isinstance(value, dict) and isinstance(DEFAULTS[name], dict):
        return {**DEFAULTS[name], **value}
    return value


@receiver(setting_changed)
def _forget_conf(*, setting, **kwargs):
    if setting == "MATCHING":
        conf.cache_clear()


def weights_for(kind: CandidateKind) -> dict[str, float]:
    configured = conf("WEIGHTS").get(kind.key, {})
    return {name: float(configured.get(name, 1.0)) for name in kind.signals}


def theme_idf(frequencies: dict[int, int], total: int) -> dict[int, float]:
    """Rarity of a theme across organisations: rare themes say more than "digital"."""
    return {theme: math.log(1 + (total + 1) / (count + 1)) for theme, count in frequencies.items()}


@dataclass(frozen=True)
class Signal:
    name: str
    score: Callable[["Matcher", Profile, int], float]
    reason: Callable[["Matcher", Profile, int], dict | None] = lambda m, p, i: None


SIGNALS: dict[str, Signal] = {}


def register_signal(signal: Signal) -> Signal:
    SIGNALS[signal.name] = signal
    return signal


@dataclass
class Scored:
    candidate: Candidate
    score: float
    values: dict[str, float] = field(default_factory=dict)
    reasons: list[dict] = field(default_factory=list)
    index: int = -1


def _cpv_digits(code: str) -> str:
    return code.split("-")[0]


def cpv_level(a: str, b: str) -> int:
    """Shared leading digits of two CPV codes, ignoring the zeros that pad a broad code."""
    a, b = _cpv_digits(a), _cpv_digits(b)
    significant = min(len(a.rstrip("0")), len(b.rstrip("0")))
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return min(shared, max(significant, 2))


CPV_VALUE = {2: 0.4, 3: 0.6, 4: 0.8}


def _shared_cpv_level(profile: Profile, candidate: Candidate) -> int:
    """The best ``cpv_level`` of a profile's and a candidate's codes, 0 below a division."""
    if not (profile.cpv and candidate.cpv):
        return 0
    level = max(cpv_level(a, b) for a in profile.cpv for b in candidate.cpv)
    return level if level >= 2 else 0


class Matcher:
    def __init__(self, kind: CandidateKind, candidates: list[Candidate], *,
                 idf: dict[int, float], text_index: TextIndex | None = None):
        self.kind = kind
        self.candidates = candidates
        self.idf = idf
        self.weights = weights_for(kind)
        self.total_weight = sum(self.weights.values()) or 1.0
        self.distance = conf("DISTANCE")
        self.text_index = text_index or TextIndex(c.text for c in candidates)
        self.vectors = [self.text_index.vector(c.text) for c in candidates]
        self.offer_vectors = [[self.text_index.vector(o) for o in c.offers] for c in candidates]
        self.theme_norms = [math.sqrt(sum(self.idf.get(t, 1.0) ** 2 for t in c.themes)) or 1.0
                            for c in candidates]
        self._postings_built = False
        self._merged: dict[int, dict[str, float]] = {}
        self._columns = None
        self._similarities: dict[int, tuple] = {}  # see ``prefetch``
        self._theme_parts: dict[frozenset, tuple] = {}
        self._group_parts: dict[tuple, tuple] = {}
        self.max_scored = conf("MAX_SCORED")
        self._profile_id = None

    def _merged_offers(self, index: int) -> dict[str, float]:
        merged = self._merged.get(index)
        if merged is None:
            merged = {}
            for vector in self.offer_vectors[index]:
                for term, weight in vector.items():
                    merged[term] = max(weight, merged.get(term, 0.0))
            self._merged[index] = merged
        return merged

    def _build_postings(self) -> None:
        """Inverted lists of the exhaustive path (``match``), built on its first use only:
        the nightly refresh (``top``) never needs them."""
        self.theme_postings = defaultdict(list)
        self.term_postings = defaultdict(list)
        self.offer_postings = defaultdict(list)
        self.cpv_postings = defaultdict(set)
        for index, candidate in enumerate(self.candidates):
            for theme in candidate.themes:
                self.theme_postings[theme].append(index)
            for term, weight in self.vectors[index].items():
                self.term_postings[term].append((index, weight))
            merged = {}
            for vector in self.offer_vectors[index]:
                for term, weight in vector.items():
                    merged[term] = max(weight, merged.get(term, 0.0))
            for term, weight in merged.items():
                self.offer_postings[term].append((index, weight))
            for code in candidate.cpv:
                self.cpv_postings[_cpv_digits(code)[:2]].add(index)
        cap = conf("MAX_POSTINGS")
        for theme, indexes in self.theme_postings.items():
            if len(indexes) > cap:
                self.theme_postings[theme] = sorted(
                    indexes, key=lambda i: (self.theme_norms[i], i))[:cap]
        for postings in (self.term_postings, self.offer_postings):
            for term, entries in postings.items():
                if len(entries) > cap:
                    postings[term] = sorted(entries, key=lambda e: (-e[1], e[0]))[:cap]
        self._postings_built = True

    # --- per profile ------------------------------------------------------------------------

    def profile_text_vector(self, profile: Profile) -> dict[str, float]:
        """The profile's text vector: the stored one for this kind if it carries one."""
        stored = profile.vectors.get(self.kind.key)
        if stored is not None:
            return stored
        prefetched = self._similarities.get(profile.id)
        if prefetched is not None and prefetched[2] is profile:
            return prefetched[0]  # made by ``prefetch`` against this index
        return self.text_index.vector(profile_text(profile))

    def _prepare(self, profile: Profile) -> set[int]:
        if not self._postings_built:
            self._build_postings()
        self._profile_id = profile.id
        self.acc_themes = defaultdict(float)
        self.acc_text = defaultdict(float)
        self.acc_offers = defaultdict(float)
        self.acc_cpv = {}
        weights = [self.idf.get(t, 1.0) for t in profile.themes]
        self.profile_theme_norm = math.sqrt(sum(w * w for w in weights)) or 1.0
        for theme in profile.themes:
            weight = self.idf.get(theme, 1.0) ** 2
            for index in self.theme_postings.get(theme, ()):
                self.acc_themes[index] += weight
        if "text" in self.weights:
            self.profile_vector = self.profile_text_vector(profile)
            for term, weight in self.profile_vector.items():
                for index, other in self.term_postings.get(term, ()):
                    self.acc_text[index] += weight * other
        if "offers" in self.weights and profile.requests:
            self.request_vector = self.text_index.vector("\n".join(profile.requests))
            for term, weight in self.request_vector.items():
                for index, other in self.offer_postings.get(term, ()):
                    self.acc_offers[index] += weight * other
        else:
            self.request_vector = {}
        if "cpv" in self.weights:
            for code in profile.cpv:
                for index in self.cpv_postings.get(_cpv_digits(code)[:2], ()):
                    level = max(cpv_level(code, other) for other in self.candidates[index].cpv)
                    self.acc_cpv[index] = max(level, self.acc_cpv.get(index, 0))
        return set(self.acc_themes) | set(self.acc_text) | set(self.acc_offers) | set(self.acc_cpv)

    def _prepare_one(self, profile: Profile, index: int) -> set[int]:
        """The accumulators of ``_prepare`` for one candidate only (the publish-time path)."""
        return self._prepare_some(profile, [index], fresh=True)

    def _prepare_some(self, profile: Profile, indexes, *, fresh: bool) -> set[int]:
        """The accumulators of ``_prepare`` for these candidates only, computed pair by pair
        (the same values as the inverted lists give); ``fresh`` starts a new profile, else
        they are added to those of earlier calls for the same profile."""
        if fresh:
            self._profile_id = None
            weights = [self.idf.get(t, 1.0) for t in profile.themes]
            self.profile_theme_norm = math.sqrt(sum(w * w for w in weights)) or 1.0
            self.acc_themes, self.acc_text, self.acc_offers, self.acc_cpv = {}, {}, {}, {}
            self.profile_vector = (self.profile_text_vector(profile) if "text" in self.weights
                                   else {})
            self.request_vector = (self.text_index.vector("\n".join(profile.requests))
                                   if "offers" in self.weights and profile.requests else {})
        found = set()
        for index in indexes:
            candidate = self.candidates[index]
            shared = profile.themes.keys() & candidate.themes.keys()
            if shared:
                self.acc_themes[index] = sum(self.idf.get(t, 1.0) ** 2 for t in shared)
                found.add(index)
            if self.profile_vector:
                value = cosine(self.profile_vector, self.vectors[index])
                if value > 0:
                    self.acc_text[index] = value
                    found.add(index)
            if self.request_vector and candidate.offers:
                # As the inverted lists of ``match``: each term at its weight in the offer
                # that weighs it most.
                merged = self._merged_offers(index)
                value = sum(weight * merged[term] for term, weight in self.request_vector.items()
                            if term in merged)
                if value > 0:
                    self.acc_offers[index] = value
                    found.add(index)
            level = _shared_cpv_level(profile, candidate) if "cpv" in self.weights else 0
            if level:
                self.acc_cpv[index] = level
                found.add(index)
        return found

    def match_one(self, profile: Profile, index: int) -> list[Scored]:
        results = self._score(profile, self._prepare_one(profile, index))
        self._profile_id = profile.id
        return results

    def match(self, profile: Profile) -> list[Scored]:
        found = self._prepare(profile)
        if len(found) > self.max_scored:
            norm = self.profile_theme_norm
            overlap = {i: self.acc_themes.get(i, 0.0) / (norm * self.theme_norms[i])
                       + self.acc_text.get(i, 0.0) + self.acc_offers.get(i, 0.0)
                       + self.acc_cpv.get(i, 0) / 8 for i in found}
            found = set(sorted(found, key=lambda i: (-overlap[i], i))[: self.max_scored])
        return self._score(profile, found)

    # --- the nightly refresh: the top N without scoring every candidate --------------------

    def top(self, profile: Profile, *, dismissed: "Dismissed | None" = None,
            top_n: int | None = None) -> tuple[list["Scored"], bool]:
        """``rank(match(profile), dismissed=...)`` as if every candidate were scored (no
        ``MAX_POSTINGS`` or ``MAX_SCORED`` cut), without explaining most of them, and whether
        that is proven. Returns (ranked, exact).

        Every candidate's score is first bounded from above at once, in arrays
        (``_upper_bounds``). The candidates are then scored by ``_score`` -- the code and
        values of ``match`` -- best bound first, in blocks, until the N-th ranked score is
        above every bound left. The result is then exactly that of scoring every candidate:
        ``rank`` only lowers scores, and a candidate below the N-th ranked score changes
        nothing. Past ``TOP_BUDGET`` scored candidates the result is the best found, ``exact``
        False (with the built-in signals the bounds are the scores, so that takes a profile
        whose best candidates are nearly all dismissed or of a few owners).
        """
        top_n = conf("TOP_N") if top_n is None else top_n
        self._prepare_some(profile, [], fresh=True)
        bound = self._upper_bounds(profile)
        threshold = conf("MIN_SCORE") - SLACK  # nothing below it is ever stored
        budget = conf("TOP_BUDGET")
        scored: list[Scored] = []
        tried = 0
        block = 2 * top_n
        exact = True
        # The first block is the best of every candidate; the next ones, four times larger
        # each, come from those whose bound still reaches the N-th ranked score.
        chosen = (np.argpartition(-bound, block - 1)[:block] if bound.size > block
                  else np.arange(bound.size))
        left = None
        while chosen.size and exact:
            # Best bound first, then the lowest index: the same data, the same work.
            chosen = chosen[np.lexsort((chosen, -bound[chosen]))]
            for start in range(0, chosen.size, top_n):
                chunk = [int(i) for i in chosen[start:start + top_n] if bound[i] >= threshold]
                if not chunk:
                    break
                if tried >= budget:
                    exact = False  # a candidate that might enter stays unscored
                    break
                tried += len(chunk)
                self._prepare_some(profile, chunk, fresh=False)
                scored.extend(self._score(profile, chunk))
                if len(scored) >= top_n:
                    # rank() lowers the scores it is given: a trial ranking works on copies.
                    trial = [replace(item) for item in scored] if dismissed else list(scored)
                    ranked = rank(trial, dismissed=dismissed, top_n=top_n)
                    if len(ranked) >= top_n:
                        threshold = max(threshold, ranked[-1].score - SLACK)
            if left is None:
                open_ = bound >= threshold
                open_[chosen] = False
                left = np.flatnonzero(open_)
            else:
                left = left[bound[left] >= threshold]
            block *= 4
            if left.size > block:
                split = np.argpartition(-bound[left], block - 1)
                chosen, left = left[split[:block]], left[split[block:]]
            else:
                chosen, left = left, left[:0]
        self._profile_id = profile.id
        return rank(scored, dismissed=dismissed, top_n=top_n), exact

    def _upper_bounds(self, profile: Profile) -> np.ndarray:
        """Every candidate's score, or more, as one array (-1 where no topical signal
        scores: such a candidate never ranks). Call after ``_prepare_some(profile, [],
        fresh=True)`` (the profile's vectors and theme norm).

        - Place, helix and CPV read only the candidate's city, region, country, helix and
          codes: their value is computed once per *group* of candidates sharing them, by the
          signals' own functions (``_group_part``).
        - Themes read only the candidate's set of themes: once per *set* (``_theme_part``).
        - Text and offers are dot products of unit vectors, computed for every candidate at
          once from inverted lists of arrays, then saturated as their signals do.
        - Behaviour is 1 for the candidates of owners the profile engaged with.
        - Any other signal (seeks) counts at its weight: a bound, not its value.
        Each value is the signal's (up to rounding, which ``SLACK`` covers)."""
        columns = self._columns or self._build_columns()
        weights, total = self.weights, self.total_weight
        size = len(self.candidates)
        group_part, cpv_hit = self._group_part(profile, columns)
        themes = self._theme_part(profile, columns)[columns.theme_set]
        bound = group_part[columns.group_of] + themes
        topical = (themes > 0) | cpv_hit[columns.group_of]
        made_for, prefetched, _ = self._similarities.pop(profile.id, (None, None, None))
        if made_for is not self.profile_vector:
            prefetched = None  # computed for another vector of the profile
        for name, vector in (("text", self.profile_vector), ("offers", self.request_vector)):
            if name in weights and vector:
                if name == "offers":
                    similarity = _dots(vector, columns.offer_terms, size)
                elif prefetched is not None:
                    similarity = prefetched
                else:
                    similarity = self._text_similarities([vector])[0]
                bound += weights[name] / total * np.minimum(1.0, TEXT_GAIN * similarity)
                topical |= similarity > 0
        engaged = profile.engaged_owners if "behaviour" in weights else ()
        owned = {i for owner in engaged for i in columns.by_owner.get(owner, ())}
        if owned:
            bound[np.fromiter(owned, dtype=np.int64)] += weights["behaviour"] / total
        bound += sum(w for name, w in weights.items() if name not in BOUNDED) / total + SLACK
        bound[~topical] = -1.0
        return bound

    def prefetch(self, profiles) -> None:
        """Compute the text similarity of these profiles with every candidate at once, for
        the ``top`` calls that follow (each reads and drops its own): the frequent terms' part
        is one matrix product for all of them, some times faster than profile by profile.
        Hold at most ``PREFETCH`` profiles at a time (a row of floats per candidate each)."""
        if "text" not in self.weights:
            return
        profiles = list(profiles)
        self._similarities = {}
        vectors = [self.profile_text_vector(profile) for profile in profiles]
        rows = self._text_similarities(vectors)
        self._similarities = {profile.id: (vector, row, profile) for profile, vector, row
                              in zip(profiles, vectors, rows, strict=True)}

    def _text_similarities(self, vectors: list[dict[str, float]]) -> np.ndarray:
        """Cosines of each vector with every candidate's text (unit vectors: dot products),
        one row per vector."""
        columns = self._columns or self._build_columns()
        size = len(self.candidates)
        found = np.zeros((len(vectors), size))
        if columns.dense_terms:
            mine = np.zeros((len(vectors), len(columns.dense_terms)))
            for row, vector in enumerate(vectors):
                for term, weight in vector.items():
                    at = columns.dense_terms.get(term)
                    if at is not None:
                        mine[row, at] = weight
            found = mine @ columns.dense
        for row, vector in enumerate(vectors):
            if any(term in columns.terms for term in vector):
                found[row] += _dots(vector, columns.terms, size)
        return found

    def _group_part(self, profile: Profile, columns: "_Columns") -> tuple[np.ndarray, np.ndarray]:
        """Per group of candidates: the weighted values of the place, helix and CPV signals
        (those of one member, computed by the signals' functions, stand for all) and whether
        CPV scored; kept per profile place, helix, partners' helices and CPV codes, all that
        those signals read of a profile."""
        key = (profile.city_id, (profile.nuts or "")[:4], profile.nuts or "", profile.country,
               profile.helix, frozenset(profile.partner_helices), tuple(profile.missing_helices),
               frozenset(profile.cpv))
        found = self._group_parts.get(key)
        if found is not None:
            return found
        weights, total = self.weights, self.total_weight
        parts, hits = [], []
        for rep in columns.group_reps:
            candidate = self.candidates[rep]
            hit = False
            level = _shared_cpv_level(profile, candidate) if "cpv" in weights else 0
            if level:
                self.acc_cpv[rep] = level  # as _score reads it
                hit = True
            value = sum(weights[name] * SIGNALS[name].score(self, profile, rep)
                        for name in GROUPED if name in weights)
            parts.append(value / total)
            hits.append(hit)
        self.acc_cpv = {}
        if len(self._group_parts) >= GROUP_PARTS_KEPT:
            self._group_parts.pop(next(iter(self._group_parts)))  # the oldest
        found = self._group_parts[key] = np.array(parts), np.array(hits, dtype=bool)
        return found

    def _theme_part(self, profile: Profile, columns: "_Columns") -> np.ndarray:
        """The weighted themes value (``SIGNALS["themes"]``) of each candidate theme set (0 if
        it shares no theme with the profile), kept for the last ``THEME_PARTS_KEPT`` sets of
        profile themes (profiles share them)."""
        key = frozenset(profile.themes)
        values = self._theme_parts.get(key)
        if values is not None:
            return values
        values = np.zeros(len(columns.set_reps))
        if "themes" in self.weights:
            weight = self.weights["themes"] / self.total_weight
            dots = defaultdict(float)
            for theme in key:
                value = self.idf.get(theme, 1.0) ** 2
                for theme_set in columns.sets_with_theme.get(theme, ()):
                    dots[theme_set] += value
            score = SIGNALS["themes"].score
            for theme_set, dot in dots.items():
                rep = columns.set_reps[theme_set]
                self.acc_themes[rep] = dot
                values[theme_set] = weight * score(self, profile, rep)
            self.acc_themes = {}
        if len(self._theme_parts) >= THEME_PARTS_KEPT:
            self._theme_parts.pop(next(iter(self._theme_parts)))  # the oldest
        self._theme_parts[key] = values
        return values

    def _build_columns(self) -> "_Columns":
        columns = _Columns()
        sets: dict[frozenset, int] = {}
        groups: dict[tuple, int] = {}
        theme_set, group_of = [], []
        terms, offer_terms = defaultdict(list), defaultdict(list)
        for index, candidate in enumerate(self.candidates):
            key = frozenset(candidate.themes)
            if key not in sets:
                sets[key] = len(sets)
                columns.set_reps.append(index)
                for theme in key:
                    columns.sets_with_theme[theme].append(sets[key])
            theme_set.append(sets[key])
            group = (candidate.city_id, (candidate.nuts or "")[:4], candidate.country or "",
                     candidate.helix or "", tuple(sorted(candidate.cpv)))
            if group not in groups:
                groups[group] = len(groups)
                columns.group_reps.append(index)
            group_of.append(groups[group])
            for owner in candidate.owner_ids:
                columns.by_owner[owner].append(index)
            for term, weight in self.vectors[index].items():
                terms[term].append((index, weight))
            if candidate.offers:
                for term, weight in self._merged_offers(index).items():
                    offer_terms[term].append((index, weight))
        columns.theme_set = np.array(theme_set, dtype=np.int64)
        columns.group_of = np.array(group_of, dtype=np.int64)
        size = len(self.candidates)
        # A term in at least a quarter of the candidates is a dense row (no larger than its
        # inverted list), so that a chunk of profiles meets all of them in one matrix product.
        frequent = sorted(t for t, entries in terms.items()
                          if 4 * len(entries) >= size >= DENSE_FROM)
        columns.dense = np.zeros((len(frequent), size))
        for row, term in enumerate(frequent):
            columns.dense_terms[term] = row
            for index, weight in terms.pop(term):
                columns.dense[row, index] = weight
        for found, lists in ((columns.terms, terms), (columns.offer_terms, offer_terms)):
            for term, entries in lists.items():
                found[term] = (np.array([i for i, _ in entries], dtype=np.int64),
                               np.array([w for _, w in entries]))
        self._merged = {}
        self._columns = columns
        return columns

    def _score(self, profile: Profile, found: set[int]) -> list[Scored]:
        results = []
        for index in sorted(found):
            candidate = self.candidates[index]
            if profile.id in candidate.owner_ids or not self.kind.eligible(candidate, profile):
                continue
            values = {}
            total = 0.0
            for name, weight in self.weights.items():
                value = SIGNALS[name].score(self, profile, index)
                if value > 0:
                    values[name] = value
                    total += weight * value
            if not (values.keys() & TOPICAL):
                continue
            results.append(Scored(candidate, round(total / self.total_weight, 6), values, index=index))
        return results

    def explain(self, profile: Profile, scored: Scored) -> list[dict]:
        """Reason codes of the signals that contributed most, with their data."""
        if self._profile_id != profile.id:
            self._prepare(profile)
        index = scored.index
        ranked = sorted(scored.values.items(),
                        key=lambda item: (-self.weights[item[0]] * item[1], item[0]))
        reasons = []
        for name, _value in ranked:
            reason = SIGNALS[name].reason(self, profile, index)
            if reason:
                reasons.append({**reason, "signal": name})
            if len(reasons) >= conf("MAX_REASONS"):
                break
        return reasons


TOPICAL = {"themes", "text", "cpv", "offers"}
SLACK = 1e-6  # scores are rounded to 6 decimals
PREFETCH = 50  # profiles whose text similarities ``Matcher.prefetch`` computes at once
DENSE_FROM = 1000  # candidates from which frequent terms are dense rows (``_build_columns``)
TEXT_GAIN = 2  # cosines of short texts rarely pass 0.5: text and offers values are 2 x cosine
THEME_PARTS_KEPT = 2048  # per matcher: some tens of MB for 70,000 partners (2,000 sets)
GROUP_PARTS_KEPT = 2048
# Signals whose value depends only on the candidate's place, helix and CPV codes (one
# computation per group of candidates sharing them); with themes, text, offers and behaviour,
# the signals whose value ``Matcher.top`` computes for every candidate at once (any other
# counts at its weight).
GROUPED = ("cpv", "distance", "helix")
BOUNDED = {*GROUPED, "themes", "text", "offers", "behaviour"}


@dataclass
class _Columns:
    """What ``Matcher.top`` reads once per matcher (see ``_upper_bounds``): each candidate's
    theme set and group, a candidate standing for each, candidates by owner, and the text and
    merged offer vectors as inverted lists of (candidates, weights) arrays."""

    theme_set: np.ndarray = None  # candidate -> id of its theme set
    set_reps: list[int] = field(default_factory=list)  # theme set -> a candidate having it
    sets_with_theme: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    group_of: np.ndarray = None  # candidate -> its group
    group_reps: list[int] = field(default_factory=list)
    by_owner: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    terms: dict[str, tuple] = field(default_factory=dict)  # the terms not in ``dense``
    dense_terms: dict[str, int] = field(default_factory=dict)  # term -> its row in ``dense``
    dense: np.ndarray = None  # frequent terms x candidates: their weights
    offer_terms: dict[str, tuple] = field(default_factory=dict)


def _dots(vector: dict[str, float], postings: dict[str, tuple], size: int) -> np.ndarray:
    """The dot product of a vector with every candidate's, from inverted lists."""
    found = [(postings[t], w) for t, w in vector.items() if t in postings]
    if not found:
        return np.zeros(size)
    return np.bincount(np.concatenate([indexes for (indexes, _), _ in found]),
                       weights=np.concatenate([weights * w for (_, weights), w in found]),
                       minlength=size)


def profile_text(profile: Profile) -> str:
    return "\n".join([profile.text, " ".join(sorted(profile.competences)), *profile.offers])


# --- the built-in signals ------------------------------------------------------------------

def _themes_score(m: Matcher, p: Profile, i: int) -> float:
    dot = m.acc_themes.get(i, 0.0)
    return min(1.0, dot / (m.profile_theme_norm * m.theme_norms[i])) if dot else 0.0


def _themes_reason(m: Matcher, p: Profile, i: int):
    shared = set(p.themes) & set(m.candidates[i].themes)
    if not shared:
        return None
    names = [p.themes[t] for t in sorted(shared, key=lambda t: (-m.idf.get(t, 1.0), p.themes[t]))]
    return {"code": "themes", "params": {"themes": names[:3]}}


def _cpv_score(m: Matcher, p: Profile, i: int) -> float:
    level = m.acc_cpv.get(i, 0)
    return CPV_VALUE.get(level, 1.0 if level >= 5 else 0.0)


def _cpv_reason(m: Matcher, p: Profile, i: int):
    level = m.acc_cpv.get(i, 0)
    if level < 2:
        return None
    best = max(((cpv_level(mine, theirs), theirs) for mine in sorted(p.cpv)
                for theirs in m.candidates[i].cpv), key=lambda item: (item[0], item[1]))
    return {"code": "cpv", "params": {"code": best[1]}}


def _text_score(m: Matcher, p: Profile, i: int) -> float:
    return min(1.0, m.acc_text.get(i, 0.0) * TEXT_GAIN)


def _text_reason(m: Matcher, p: Profile, i: int):
    words = shared_terms(m.profile_vector, m.vectors[i], m.text_index)
    return {"code": "text", "params": {"terms": words}} if words else None


def _offers_score(m: Matcher, p: Profile, i: int) -> float:
    return min(1.0, m.acc_offers.get(i, 0.0) * TEXT_GAIN)


def _offers_reason(m: Matcher, p: Profile, i: int):
    candidate = m.candidates[i]
    if not m.request_vector or not candidate.offers:
        return None
    best = max(range(len(candidate.offers)),
               key=lambda n: (cosine(m.request_vector, m.offer_vectors[i][n]), -n))
    if cosine(m.request_vector, m.offer_vectors[i][best]) <= 0:
        return None
    title = candidate.offers[best].split("\n", 1)[0].strip()
    return {"code": "offers", "params": {"offer": title[:120]}}


def _place(p: Profile, c: Candidate) -> str:
    if p.city_id and c.city_id == p.city_id:
        return "city"
    if p.nuts and c.nuts and len(p.nuts) >= 4 and p.nuts[:4] == c.nuts[:4]:
        return "region"
    if p.country and c.country == p.country:
        return "country"
    if p.country and c.country:
        return "europe"
    return ""


def _distance_score(m: Matcher, p: Profile, i: int) -> float:
    place = _place(p, m.candidates[i])
    return m.distance.get(place, 0.0) if place else 0.0


def _distance_reason(m: Matcher, p: Profile, i: int):
    c = m.candidates[i]
    place = _place(p, c)
    if place == "city":
        return {"code": "city", "params": {"city": c.city_name}}
    if place == "region":
        return {"code": "region", "params": {"nuts": c.nuts[:4]}}
    if place == "country":
        return {"code": "country", "params": {"country": c.country}}
    return None


def _behaviour_score(m: Matcher, p: Profile, i: int) -> float:
    return 1.0 if p.engaged_owners & set(m.candidates[i].owner_ids) else 0.0


def _behaviour_reason(m: Matcher, p: Profile, i: int):
    c = m.candidates[i]
    if not (p.engaged_owners & set(c.owner_ids)):
        return None
    return {"code": "behaviour", "params": {"owner": c.owner_name}}


def _helix_score(m: Matcher, p: Profile, i: int) -> float:
    helix = m.candidates[i].helix
    if not helix:
        return 0.0
    if p.missing_helices:
        return 1.0 if helix in p.missing_helices else 0.0
    if helix == p.helix:
        return 0.0
    return 1.0 if helix not in p.partner_helices else 0.5


def _helix_reason(m: Matcher, p: Profile, i: int):
    helix = m.candidates[i].helix
    if p.missing_helices:
        return {"code": "helix_missing", "params": {"helix": helix}} if (
            helix in p.missing_helices) else None
    if not helix or helix == p.helix:
        return None
    code = "helix_new" if helix not in p.partner_helices else "helix_other"
    return {"code": code, "params": {"helix": helix}}


def _seeks_score(m: Matcher, p: Profile, i: int) -> float:
    return 1.0 if p.helix and p.helix in m.candidates[i].seeks else 0.0


def _seeks_reason(m: Matcher, p: Profile, i: int):
    if not (p.helix and p.helix in m.candidates[i].seeks):
        return None
    return {"code": "seeks_helix", "params": {"helix": p.helix}}


for _signal in (
    Signal("themes", _themes_score, _themes_reason),
    Signal("cpv", _cpv_score, _cpv_reason),
    Signal("text", _text_score, _text_reason),
    Signal("offers", _offers_score, _offers_reason),
    Signal("distance", _distance_score, _distance_reason),
    Signal("behaviour", _behaviour_score, _behaviour_reason),
    Signal("helix", _helix_score, _helix_reason),
    Signal("seeks", _seeks_score, _seeks_reason),
):
    register_signal(_signal)


# --- ranking: not interested, diversity, stable order --------------------------------------

@dataclass
class Dismissed:
    target_ids: set[int] = field(default_factory=set)
    owner_ids: set[int] = field(default_factory=set)
    theme_ids: set[int] = field(default_factory=set)


def rank(scored: list[Scored], *, dismissed: Dismissed | None = None, top_n: int | None = None,
         per_owner: int | None = None, min_score: float | None = None) -> list[Scored]:
    """Hide dismissed items, lower similar ones, keep at most ``per_owner`` items of one
    buyer/organiser, order by score then id (the same data always gives the same order)."""
    top_n = conf("TOP_N") if top_n is None else top_n
    per_owner = conf("PER_OWNER") if per_owner is None else per_owner
    min_score = conf("MIN_SCORE") if min_score is None else min_score
    dismissed = dismissed or Dismissed()
    owner_penalty = conf("DISMISS_OWNER_PENALTY")
    theme_penalty = conf("DISMISS_THEME_PENALTY")
    adjusted = []
    for item in scored:
        candidate = item.candidate
        if candidate.id in dismissed.target_ids:
            continue
        score = item.score
        if dismissed.owner_ids & set(candidate.owner_ids):
            score *= 1 - owner_penalty
        if dismissed.theme_ids and candidate.themes:
            share = len(dismissed.theme_ids & set(candidate.themes)) / len(candidate.themes)
            score *= 1 - theme_penalty * share
        if score >= min_score:
            item.score = round(score, 6)
            adjusted.append(item)
    adjusted.sort(key=lambda item: (-item.score, item.candidate.id))
    chosen, per = [], defaultdict(int)
    for item in adjusted:
        owner = min(item.candidate.owner_ids) if item.candidate.owner_ids else None
        if owner is not None and per_owner and per[owner] >= per_owner:
            continue
        per[owner] += 1
        chosen.append(item)
        if len(chosen) >= top_n:
            break
    return chosen
