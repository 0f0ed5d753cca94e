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
from dataclasses import dataclass, field

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
        self.theme_postings = defaultdict(list)
        self.term_postings = defaultdict(list)
        self.offer_postings = defaultdict(list)
        self.cpv_postings = defaultdict(set)
        self.theme_norms = []
        for index, candidate in enumerate(candidates):
            for theme in candidate.themes:
                self.theme_postings[theme].append(index)
            self.theme_norms.append(
                math.sqrt(sum(self.idf.get(t, 1.0) ** 2 for t in candidate.themes)) or 1.0)
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
        self.max_scored = conf("MAX_SCORED")
        self._profile_id = None

    # --- per profile ------------------------------------------------------------------------

    def profile_text_vector(self, profile: Profile) -> dict[str, float]:
        """The profile's text vector: the stored one for this kind if it carries one."""
        stored = profile.vectors.get(self.kind.key)
        if stored is not None:
            return stored
        return self.text_index.vector(profile_text(profile))

    def _prepare(self, profile: Profile) -> set[int]:
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
        self._profile_id = None
        candidate = self.candidates[index]
        weights = [self.idf.get(t, 1.0) for t in profile.themes]
        self.profile_theme_norm = math.sqrt(sum(w * w for w in weights)) or 1.0
        shared = set(profile.themes) & set(candidate.themes)
        self.acc_themes = {index: sum(self.idf.get(t, 1.0) ** 2 for t in shared)} if shared else {}
        self.acc_text, self.acc_offers, self.acc_cpv = {}, {}, {}
        self.request_vector = {}
        if "text" in self.weights:
            self.profile_vector = self.profile_text_vector(profile)
            value = cosine(self.profile_vector, self.vectors[index])
            if value > 0:
                self.acc_text[index] = value
        if "offers" in self.weights and profile.requests and candidate.offers:
            self.request_vector = self.text_index.vector("\n".join(profile.requests))
            value = max(cosine(self.request_vector, v) for v in self.offer_vectors[index])
            if value > 0:
                self.acc_offers[index] = value
        if "cpv" in self.weights and profile.cpv and candidate.cpv:
            level = max(cpv_level(a, b) for a in profile.cpv for b in candidate.cpv)
            if level >= 2:
                self.acc_cpv[index] = level
        return set(self.acc_themes) | set(self.acc_text) | set(self.acc_offers) | set(self.acc_cpv)

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
