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
from array import array
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.conf import settings

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


def conf(name: str):
    value = getattr(settings, "MATCHING", {}).get(name, DEFAULTS[name])
    if isinstance(value, dict) and isinstance(DEFAULTS[name], dict):
        return {**DEFAULTS[name], **value}
    return value


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
        self._bounds = None
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
        ``MAX_POSTINGS`` or ``MAX_SCORED`` cut), without scoring most of them, and whether
        that is proven. Returns (ranked, exact).

        A candidate's score is a sum of weighted signal values; each value comes from the
        signal's own function (``SIGNALS``), at a cost that depends on what it reads:

        - place, helix and CPV read only the candidate's city, region, country, helix and
          codes: computed once per *group* of candidates sharing them;
        - themes read only the candidate's set of themes: computed once per set (and kept per
          set of profile themes, which profiles share);
        - text is one cosine per candidate, computed only for candidates whose other values
          leave them a chance; behaviour is 1 only for the candidates of owners the profile
          engaged with, which are taken first; any other signal (offers) counts as 1.

        Groups are opened best first; a candidate whose values, text at its maximum, cannot
        reach the N-th ranked score so far (``threshold``) is skipped, the others are queued
        by their value, and the best are scored by ``_score`` -- the code and values of
        ``match`` -- until nothing queued or unopened can reach the N-th ranked score. Then
        the result is exactly that of scoring every candidate: ``rank`` only lowers scores,
        and a candidate below the N-th ranked score changes nothing. Past ``TOP_BUDGET``
        candidates no further group is opened: the result is the best found, ``exact`` False.
        """
        import heapq

        top_n = conf("TOP_N") if top_n is None else top_n
        bounds = self._bounds or self._build_bounds()
        weights, total = self.weights, self.total_weight
        slack = 1e-6  # scores are rounded to 6 decimals
        self._prepare_some(profile, [], fresh=True)
        themes_part, sets = self._theme_part(profile)
        offers = "offers" in weights and bool(profile.requests)  # else its value is 0
        other = sum(w for name, w in weights.items()
                    if name not in BOUNDED and (name != "offers" or offers)) / total
        text_weight = weights.get("text", 0.0) / total
        vector = self.profile_vector
        bits = 0
        for term in vector:
            bits |= bounds.term_bits.get(term, 0)
        mine = _prefix(vector.values())
        last = len(mine) - 1
        group_part, cpv_hit = self._group_part(profile, bounds)
        text_signal = SIGNALS["text"].score
        acc_text = self.acc_text  # after _group_part, which starts it afresh
        theme_set, cand_bits, vectors = bounds.theme_set, bounds.bits, self.vectors
        group_of = bounds.group_of

        prefixes = bounds.prefixes

        def value_of(index: int, group: int, extra: float = 0.0) -> float | None:
            """The candidate's score (``other`` signals at 1, ``extra`` added) plus ``slack``,
            or None if no topical signal (themes, text, CPV, offers) scores -- such a
            candidate never ranks -- or if its text cannot bring it to ``threshold``."""
            themes = themes_part[theme_set[index]]
            value = group_part[group] + themes + other + extra
            topical = themes > 0 or cpv_hit[group] or offers
            if text_weight:
                shared = (bits & cand_bits[index]).bit_count()
                if shared:
                    # Cauchy-Schwarz: k shared terms weigh at most the k heaviest of each.
                    theirs = prefixes[index]
                    most = 2 * math.sqrt(mine[min(shared, last)]
                                         * theirs[min(shared, len(theirs) - 1)])
                    if value + text_weight * min(1.0, most) + slack < threshold:
                        return None
                    similarity = cosine(vector, vectors[index])
                    if similarity > 0:
                        acc_text[index] = similarity
                        value += text_weight * text_signal(self, profile, index)
                        topical = True
            return value + slack if topical else None

        threshold = conf("MIN_SCORE") - slack  # nothing below it is ever stored
        heap: list[tuple[float, int]] = []
        seen: set[int] = set()
        engaged = profile.engaged_owners if "behaviour" in weights else set()
        behaviour = weights.get("behaviour", 0.0) / total
        for owner in sorted(engaged):
            for index in bounds.by_owner.get(owner, ()):
                if index not in seen:
                    seen.add(index)
                    value = value_of(index, bounds.group_of[index], behaviour)
                    if value is not None:
                        heap.append((-value, index))
        heapq.heapify(heap)
        # Candidates are opened in blocks, best first by what their group and theme set give:
        # - by theme set (best first, each with every member whose group part leaves it a
        #   chance) when groups differ little (calls: only the place differs, a little);
        # - else by cell (group, theme set) with members, best first through a heap holding
        #   each group's next cell (partners: helix and place weigh as much as themes).
        # The last "set" (None, part 0) stands for the members sharing no theme.
        best_group = max(group_part, default=0.0)
        by_cell = best_group - min(group_part, default=0.0) >= sets[0][0] / 2
        order = sorted(range(len(group_part)), key=lambda g: (-group_part[g], g))
        def first_cell(g: int, j: int) -> tuple[float, int, int]:
            """The group's first cell from the j-th set on that has members (the last "set"
            always has, or is empty and harmless): no heap work for empty cells."""
            present = bounds.cells[order[g]]
            while sets[j][1] is not None and sets[j][1] not in present:
                j += 1
            return -(group_part[order[g]] + sets[j][0]), g, j

        # Every group's first cell is queued from the start: the heap's best is then a bound
        # of every cell not opened yet.
        cells = [first_cell(g, 0) for g in range(len(order))] if by_cell else []
        heapq.heapify(cells)
        next_set = 0
        reach = text_weight + other + slack  # what text and unbounded signals add at most

        def next_best() -> float:
            if by_cell:
                return -cells[0][0] + reach if cells else -1.0
            return sets[next_set][0] + best_group + reach if next_set < len(sets) else -1.0

        def open_next() -> tuple[list[int], float]:
            """The next block's members and the least group part that leaves one a chance."""
            nonlocal next_set
            if by_cell:
                _value, g, j = heapq.heappop(cells)
                if j + 1 < len(sets):
                    heapq.heappush(cells, first_cell(g, j + 1))
                group, theme_set_id = order[g], sets[j][1]
                if theme_set_id is None:
                    return [i for i in bounds.members[group] if not themes_part[theme_set[i]]], 0.0
                return bounds.cells[group].get(theme_set_id, ()), 0.0
            part, theme_set_id = sets[next_set]
            next_set += 1
            if theme_set_id is None:
                members = [i for i in range(len(theme_set)) if not themes_part[theme_set[i]]]
            else:
                members = bounds.set_members[theme_set_id]
            return members, threshold - part - reach

        budget = conf("TOP_BUDGET")
        scored: list[Scored] = []
        evaluated = 0
        exact = True
        # The top_n best values queued or scored: once they promise a higher threshold, the
        # best queued are scored to make it real (rank decides: eligibility, diversity).
        promised: list[float] = []
        trigger = threshold

        def queue(value: float, index: int) -> None:
            heapq.heappush(heap, (-value, index))
            if len(promised) < top_n:
                heapq.heappush(promised, value)
            elif value > promised[0]:
                heapq.heapreplace(promised, value)

        def score_best() -> None:
            nonlocal threshold
            chunk = []
            while heap and len(chunk) < top_n and -heap[0][0] >= threshold:
                chunk.append(heapq.heappop(heap)[1])
            self._prepare_some(profile, chunk, fresh=False)
            scored.extend(self._score(profile, chunk))
            if len(scored) >= top_n:
                # rank() lowers the scores it is given: a trial ranking works on copies.
                trial = [replace(item) for item in scored] if dismissed else list(scored)
                ranked = rank(trial, dismissed=dismissed, top_n=top_n)
                if len(ranked) >= top_n:
                    threshold = max(threshold, ranked[-1].score - slack)

        for value, _index in heap:
            if len(promised) < top_n:
                heapq.heappush(promised, -value)
            elif -value > promised[0]:
                heapq.heapreplace(promised, -value)
        while True:
            best_left = -heap[0][0] if heap else -1.0
            block_best = next_best()
            worth_opening = block_best >= threshold and block_best > best_left
            if worth_opening and evaluated < budget:
                members, floor = open_next()
                for index in members:
                    group = group_of[index]
                    if group_part[group] < floor or index in seen:
                        continue
                    evaluated += 1
                    value = value_of(index, group)
                    if value is not None and value >= threshold:
                        queue(value, index)
                if heap and (len(scored) < top_n or (
                        len(promised) == top_n and promised[0] > trigger)):
                    trigger = promised[0] + 0.01 if len(promised) == top_n else trigger
                    score_best()
                continue
            if worth_opening:
                exact = False  # budget spent: a block that might matter stays shut
            if not heap or best_left < threshold:
                break  # nothing queued or unopened can enter the top N
            score_best()
        self._profile_id = profile.id
        return rank(scored, dismissed=dismissed, top_n=top_n), exact

    def _group_part(self, profile: Profile, bounds: "_Bounds") -> tuple[list[float], list[bool]]:
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
        for rep in bounds.group_reps:
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
        self.acc_themes, self.acc_text, self.acc_offers, self.acc_cpv = {}, {}, {}, {}
        if len(self._group_parts) >= GROUP_PARTS_KEPT:
            self._group_parts.pop(next(iter(self._group_parts)))
        self._group_parts[key] = parts, hits
        return parts, hits

    def _theme_part(self, profile: Profile) -> tuple[array, list[tuple[float, int | None]]]:
        """The weighted themes value (``SIGNALS["themes"]``) of each candidate theme set (0 if
        it shares no theme with the profile), and (value, set) of those sharing one, best
        first, then (0, None) for the others; kept for the last ``THEME_PARTS_KEPT`` sets of
        profile themes (profiles share them). Call after ``_prepare_some(profile, [],
        fresh=True)`` (the profile's theme norm)."""
        key = frozenset(profile.themes)
        found = self._theme_parts.get(key)
        if found is not None:
            values, parts, ids = found
            return values, [*zip(parts, ids, strict=True), (0.0, None)]
        bounds = self._bounds or self._build_bounds()
        values = array("d", bytes(8 * len(bounds.set_reps)))
        if "themes" in self.weights:
            weight = self.weights["themes"] / self.total_weight
            dots = defaultdict(float)
            for theme in key:
                value = self.idf.get(theme, 1.0) ** 2
                for theme_set in bounds.sets_with_theme.get(theme, ()):
                    dots[theme_set] += value
            score = SIGNALS["themes"].score
            for theme_set, dot in dots.items():
                rep = bounds.set_reps[theme_set]
                self.acc_themes[rep] = dot
                values[theme_set] = weight * score(self, profile, rep)
            self.acc_themes = {}
            ranked = sorted((-values[ts], ts) for ts in dots if values[ts] > 0)
        else:
            ranked = []
        if len(self._theme_parts) >= THEME_PARTS_KEPT:
            self._theme_parts.pop(next(iter(self._theme_parts)))  # the oldest
        # Kept as arrays (some 30 kB for 2,000 sets), handed out as a list of pairs.
        self._theme_parts[key] = (values, array("d", (-v for v, _ in ranked)),
                                  array("q", (ts for _, ts in ranked)))
        return values, [*((-v, ts) for v, ts in ranked), (0.0, None)]

    def _build_bounds(self) -> "_Bounds":
        bounds = _Bounds()
        sets: dict[frozenset, int] = {}
        groups: dict[tuple, int] = {}
        for index, candidate in enumerate(self.candidates):
            key = frozenset(candidate.themes)
            if key not in sets:
                sets[key] = len(sets)
                bounds.set_reps.append(index)
                bounds.set_members.append([])
                for theme in key:
                    bounds.sets_with_theme[theme].append(sets[key])
            bounds.theme_set.append(sets[key])
            bounds.set_members[sets[key]].append(index)
            group = (candidate.city_id, (candidate.nuts or "")[:4], candidate.country or "",
                     candidate.helix or "", tuple(sorted(candidate.cpv)))
            if group not in groups:
                groups[group] = len(groups)
                bounds.group_reps.append(index)
                bounds.members.append([])
                bounds.cells.append(defaultdict(list))
            bounds.group_of.append(groups[group])
            bounds.members[groups[group]].append(index)
            bounds.cells[groups[group]][sets[key]].append(index)
            for owner in candidate.owner_ids:
                bounds.by_owner[owner].append(index)
            bits = 0
            for term in self.vectors[index]:
                bit = bounds.term_bits.get(term)
                if bit is None:
                    bit = bounds.term_bits[term] = 1 << len(bounds.term_bits)
                bits |= bit
            bounds.bits.append(bits)
            bounds.prefixes.append(_prefix(self.vectors[index].values()))
        self._bounds = bounds
        return bounds

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
THEME_PARTS_KEPT = 2048  # per matcher: some tens of MB for 70,000 partners
GROUP_PARTS_KEPT = 2048
# Signals whose value depends only on the candidate's place, helix and CPV codes (one
# computation per group of candidates sharing them); with themes, text and behaviour, the
# signals ``Matcher.top`` bounds more tightly than by 1.
GROUPED = ("cpv", "distance", "helix")
BOUNDED = {*GROUPED, "themes", "text", "behaviour"}


@dataclass
class _Bounds:
    """What ``Matcher.top`` computes once per matcher (see there)."""

    theme_set: list[int] = field(default_factory=list)  # candidate -> id of its theme set
    set_reps: list[int] = field(default_factory=list)  # theme set -> a candidate having it
    set_members: list[list[int]] = field(default_factory=list)
    sets_with_theme: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    group_of: list[int] = field(default_factory=list)  # candidate -> its group
    group_reps: list[int] = field(default_factory=list)
    members: list[list[int]] = field(default_factory=list)
    cells: list[dict[int, list[int]]] = field(default_factory=list)  # group -> set -> members
    by_owner: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    term_bits: dict[str, int] = field(default_factory=dict)
    bits: list[int] = field(default_factory=list)  # candidate -> its terms as bits
    prefixes: list[tuple[float, ...]] = field(default_factory=list)  # see ``_prefix``


def _prefix(weights) -> tuple[float, ...]:
    """(0, w1², w1² + w2², ...), heaviest first: of a unit vector, k terms weigh at most
    ``prefix[k]`` (squared), so two vectors sharing k terms have a cosine of at most
    sqrt(mine[k] * theirs[k]) (Cauchy-Schwarz)."""
    found, total = [0.0], 0.0
    for weight in sorted((w * w for w in weights), reverse=True):
        total += weight
        found.append(total)
    return tuple(found)


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
    return min(1.0, m.acc_text.get(i, 0.0) * 2)  # cosines of short texts rarely pass 0.5


def _text_reason(m: Matcher, p: Profile, i: int):
    words = shared_terms(m.profile_vector, m.vectors[i], m.text_index)
    return {"code": "text", "params": {"terms": words}} if words else None


def _offers_score(m: Matcher, p: Profile, i: int) -> float:
    return min(1.0, m.acc_offers.get(i, 0.0) * 2)


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
