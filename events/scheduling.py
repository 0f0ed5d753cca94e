"""B2B meeting scheduling: give every accepted meeting a slot and a table.

Pure Python, no database: ``events.services.scheduler_run`` loads the rows, calls
:func:`schedule` and writes the result, and ``bench/bench_scheduler.py`` times it.

The problem is a list edge-colouring of the "who meets whom" graph: participants are
vertices, meetings are edges, slots are colours. A meeting may take a slot only if both
participants are available then and neither has another meeting in it; a slot holds at
most ``tables`` meetings. Published meetings are fixed: they keep their slot and table.

Algorithm
0. People who cannot hold all their meetings (see the bound) must drop some: meetings
   between two such people are picked to be scheduled last, so one dropped meeting serves
   two of them. A draft of an earlier run is the starting point.
1. Greedy, most constrained first: the meeting with the fewest slots still open to it is
   placed next (a bucket queue on that number); it takes the open slot on which the tight
   other waiting meetings of its two participants depend least.
2. Repair, for each meeting left over, in growing effort: a slot free for both;
   a Kempe-chain swap (the a/b alternating path from one participant, swapped, frees slot a
   for it; only the chain's end changes which slots it uses, so only its availability is
   checked); moving the meeting that blocks a slot to another one; ejecting a blocking
   meeting and re-placing it elsewhere by the same means (undone if that fails); and an
   alternating path within one slot (a slot's meetings form a matching: add the meeting,
   drop the one blocking it, place an unplaced meeting of the person so freed, and so on).
   Passes repeat while they place something and time remains.

Upper bound (:func:`upper_bound`): meetings that provably cannot all be placed are
subtracted from the total. A meeting with no common free slot is unplaceable. For each
participant, the meetings they can hold at once are at most a maximum bipartite matching
between their meetings and the slots each could use; the shortfall ``b(v)`` must be left
unplaced at v. One unplaced meeting covers the shortfall of at most two people, so at least
``sum b(v) - floor(sum min(b(v), d'(v)) / 2)`` meetings stay unplaced, where ``d'(v)``
counts v's meetings with another short participant. Independently, a slot holds at most
``min(tables, participants free then // 2)`` meetings. The bound is the smaller figure.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

NO_COMMON_SLOT = "no_common_slot"
OVERBOOKED = "overbooked"
NO_FREE_SLOT = "no_free_slot"
NO_TABLE = "no_table"

REASONS = {
    NO_COMMON_SLOT: "The two participants have no time slot in which both are available.",
    OVERBOOKED: "A participant has more accepted meetings than slots they are available in.",
    NO_FREE_SLOT: "Every slot in which both are available is taken by another of their meetings.",
    NO_TABLE: "All tables are taken in the slots in which both are free.",
}


@dataclass
class Problem:
    """Participants are 0..n-1; ``availability[p]`` is a bitmask of the slots p can attend."""

    participants: int
    tables: list[int]                      # per slot
    meetings: list[tuple[int, int]]        # (participant, participant)
    availability: list[int]
    fixed: dict[int, tuple[int, int]] = field(default_factory=dict)  # meeting -> (slot, table)
    hint: dict[int, int] = field(default_factory=dict)  # meeting -> slot of a previous draft

    @property
    def slots(self) -> int:
        return len(self.tables)


@dataclass
class Result:
    slot: list[int]                        # per meeting, -1 when unplaced
    table: list[int]                       # per meeting (1-based), 0 when unplaced
    unplaced: dict[int, str]               # meeting -> reason code
    seconds: float = 0.0

    @property
    def placed(self) -> int:
        return sum(1 for slot in self.slot if slot >= 0)


def _bits(mask: int):
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class _State:
    def __init__(self, problem: Problem):
        self.problem = problem
        S = problem.slots
        self.S = S
        self.cap = list(problem.tables)
        self.u = [a for a, _ in problem.meetings]
        self.v = [b for _, b in problem.meetings]
        self.avail = list(problem.availability)
        self.col = [-1] * len(problem.meetings)
        self.occ = [[-1] * S for _ in range(problem.participants)]
        self.busy = [0] * problem.participants
        self.load = [0] * S
        self.fixed = [False] * len(problem.meetings)
        self.full = 0  # slots whose tables are all taken
        self.journal: list[tuple[int, int, int]] | None = None  # (1 put / 0 take, meeting, slot)
        self.incident: list[list[int]] = [[] for _ in range(problem.participants)]
        for e, (a, b) in enumerate(problem.meetings):
            self.incident[a].append(e)
            self.incident[b].append(e)

    def room(self) -> int:
        return ((1 << self.S) - 1) & ~self.full

    def put(self, e: int, s: int) -> None:
        if self.journal is not None:
            self.journal.append((1, e, s))
        a, b = self.u[e], self.v[e]
        self.col[e] = s
        self.occ[a][s] = e
        self.occ[b][s] = e
        self.busy[a] |= 1 << s
        self.busy[b] |= 1 << s
        self.load[s] += 1
        if self.load[s] >= self.cap[s]:
            self.full |= 1 << s

    def take(self, e: int) -> int:
        s = self.col[e]
        if self.journal is not None:
            self.journal.append((0, e, s))
        a, b = self.u[e], self.v[e]
        self.col[e] = -1
        self.occ[a][s] = -1
        self.occ[b][s] = -1
        self.busy[a] &= ~(1 << s)
        self.busy[b] &= ~(1 << s)
        self.load[s] -= 1
        self.full &= ~(1 << s)
        return s

    def open_slots(self, e: int) -> int:
        a, b = self.u[e], self.v[e]
        return self.avail[a] & self.avail[b] & ~self.busy[a] & ~self.busy[b] & self.room()

    # Kempe chains -------------------------------------------------------------------------

    def chain(self, start: int, a: int, b: int, avoid: int, limit: int) -> list[int] | None:
        """The a/b alternating path from ``start`` (which has an a-meeting and no b-meeting),
        or None if it cannot be swapped (fixed meeting, too long, ends at ``avoid`` or at
        someone not available in the colour they would get)."""
        path = []
        cur, c, other = start, a, b
        while True:
            e = self.occ[cur][c]
            if e < 0:
                break
            if self.fixed[e] or len(path) >= limit:
                return None
            path.append(e)
            cur = self.v[e] if self.u[e] == cur else self.u[e]
            c, other = other, c
        # ``cur`` ends the chain: it lacks colour c and will receive it.
        if cur == avoid or not (self.avail[cur] >> c) & 1:
            return None
        if len(path) % 2 == 1:
            # One more meeting in b, one fewer in a.
            if self.load[b] + 1 > self.cap[b]:
                return None
        return path

    def rollback(self, journal: list[tuple[int, int, int]]) -> None:
        self.journal = None
        for op, e, s in reversed(journal):
            if op:
                self.take(e)
            else:
                self.put(e, s)

    def swap(self, path: list[int], a: int, b: int) -> None:
        old = [self.take(e) for e in path]
        for e, s in zip(path, old, strict=True):
            self.put(e, b if s == a else a)


def upper_bound(problem: Problem) -> tuple[int, dict]:
    """An upper bound on the meetings any schedule can place, and how it was reached."""
    S = problem.slots
    n = problem.participants
    fixed_busy = [0] * n
    fixed_load = [0] * S
    for e, (s, _table) in problem.fixed.items():
        a, b = problem.meetings[e]
        fixed_busy[a] |= 1 << s
        fixed_busy[b] |= 1 << s
        fixed_load[s] += 1
    room = 0
    for s in range(S):
        if fixed_load[s] < problem.tables[s]:
            room |= 1 << s
    free = [problem.availability[p] & ~fixed_busy[p] & room for p in range(n)]
    placeable: list[int] = []
    common: dict[int, int] = {}
    no_common = 0
    for e, (a, b) in enumerate(problem.meetings):
        if e in problem.fixed:
            continue
        mask = free[a] & free[b]
        if mask:
            placeable.append(e)
            common[e] = mask
        else:
            no_common += 1
    incident, shortfall = _shortfall(problem, placeable, common)
    short_total = sum(shortfall)
    pairable = 0
    for p in range(n):
        if shortfall[p]:
            both = sum(
                1 for e in incident[p]
                if shortfall[problem.meetings[e][0]] and shortfall[problem.meetings[e][1]]
            )
            pairable += min(shortfall[p], both)
    must_leave = short_total - pairable // 2
    by_people = len(problem.fixed) + len(placeable) - must_leave
    by_tables = len(problem.fixed) + sum(
        min(problem.tables[s] - fixed_load[s], sum(1 for p in range(n) if (free[p] >> s) & 1) // 2)
        for s in range(S)
        if (room >> s) & 1
    )
    bound = min(by_people, by_tables)
    return bound, {
        "meetings": len(problem.meetings),
        "fixed": len(problem.fixed),
        "no_common_slot": no_common,
        "participant_shortfall": short_total,
        "must_leave_unplaced": must_leave,
        "bound_by_people": by_people,
        "bound_by_tables": by_tables,
        "bound": bound,
    }


def _shortfall(problem: Problem, placeable: list[int], common: dict[int, int]):
    """Per participant: their placeable meetings, and how many of them cannot get distinct
    slots (meetings minus a maximum matching of meetings to the slots each could use)."""
    n = problem.participants
    incident: list[list[int]] = [[] for _ in range(n)]
    for e in placeable:
        a, b = problem.meetings[e]
        incident[a].append(e)
        incident[b].append(e)
    shortfall = [0] * n
    for p in range(n):
        if incident[p]:
            shortfall[p] = len(incident[p]) - _max_matching([common[e] for e in incident[p]])
    return incident, shortfall


def _max_matching(masks: list[int]) -> int:
    """Maximum bipartite matching of items (each with a bitmask of allowed slots) to slots:
    first fit, then augmenting paths for the items left over."""
    owner: dict[int, int] = {}
    used = 0
    left = []
    for i in sorted(range(len(masks)), key=lambda i: masks[i].bit_count()):
        free = masks[i] & ~used
        if free:
            s = (free & -free).bit_length() - 1
            owner[s] = i
            used |= 1 << s
        else:
            left.append(i)

    def augment(i: int, seen: set[int]) -> bool:
        for s in _bits(masks[i]):
            if s in seen:
                continue
            seen.add(s)
            if s not in owner or augment(owner[s], seen):
                owner[s] = i
                return True
        return False

    return len(masks) - len(left) + sum(1 for i in left if augment(i, set()))


def schedule(problem: Problem, *, time_limit: float = 6.0, seed: int = 0,
             progress=None) -> Result:
    """Place as many meetings as possible; see the module docstring.

    ``progress(done, total)`` is called now and then (for the progress bar of a run).
    """
    started = time.monotonic()
    deadline = started + time_limit
    rng = random.Random(seed)
    st = _State(problem)
    for e, (s, _table) in problem.fixed.items():
        st.fixed[e] = True
        st.put(e, s)
    # A previous draft is the starting point, so a re-run never places fewer.
    for e, s in problem.hint.items():
        if not st.fixed[e] and 0 <= s < st.S and (st.open_slots(e) >> s) & 1:
            st.put(e, s)
    # Meetings whose participants share no slot at all are never tried.
    todo = [e for e in range(len(problem.meetings))
            if not st.fixed[e] and st.avail[st.u[e]] & st.avail[st.v[e]] & st.room()]
    # People who cannot hold all their meetings will drop some: choose those meetings so one
    # dropped meeting serves two such people where possible, and schedule them last.
    later = _drop_candidates(st, todo)
    _greedy(st, [e for e in todo if e not in later and st.col[e] < 0], rng)
    _greedy(st, [e for e in todo if e in later and st.col[e] < 0], rng)
    if progress:
        progress(1, 3)
    unplaced = [e for e in todo if st.col[e] < 0]
    passes = 0
    while unplaced and time.monotonic() < deadline:
        passes += 1
        rng.shuffle(unplaced)
        before = len(unplaced)
        for e in list(unplaced):
            if time.monotonic() >= deadline:
                break
            if st.col[e] < 0:
                _repair(st, e, rng)
        unplaced = [e for e in todo if st.col[e] < 0]
        if len(unplaced) >= before and passes > 2:
            break
    if progress:
        progress(2, 3)
    tables = _tables(st, problem)
    reasons = {e: _reason(st, e) for e in range(len(problem.meetings)) if st.col[e] < 0}
    if progress:
        progress(3, 3)
    return Result(slot=st.col, table=tables, unplaced=reasons,
                  seconds=time.monotonic() - started)


def _drop_candidates(st: _State, todo: list[int]) -> set[int]:
    common = {e: st.avail[st.u[e]] & st.avail[st.v[e]] & st.room() for e in todo}
    _incident, shortfall = _shortfall(st.problem, todo, common)
    need = list(shortfall)
    chosen: set[int] = set()
    for e in todo:  # meetings between two people who must both drop some
        a, b = st.u[e], st.v[e]
        if need[a] > 0 and need[b] > 0:
            chosen.add(e)
            need[a] -= 1
            need[b] -= 1
    for e in todo:
        for p in (st.u[e], st.v[e]):
            if need[p] > 0 and e not in chosen:
                chosen.add(e)
                need[p] -= 1
    return chosen


def _augment(st: _State, e: int, rng: random.Random, depth: int = 8) -> bool:
    """Within one slot the meetings form a matching; add ``e`` to it along an alternating
    path: e, a blocking meeting (dropped), an unplaced meeting of the freed person, ..."""
    a_p, b_p = st.u[e], st.v[e]
    slots = list(_bits(st.avail[a_p] & st.avail[b_p] & st.room()))
    rng.shuffle(slots)
    for s in slots:
        bit = 1 << s
        for x, y in ((a_p, b_p), (b_p, a_p)):
            if st.busy[x] & bit:
                continue
            path = _alternate(st, y, s, {x, y}, depth)
            if path is None:
                continue
            dropped, added = path
            for f in dropped:
                st.take(f)
            st.put(e, s)
            for g in added:
                st.put(g, s)
            return True
    return False


def _alternate(st: _State, y: int, s: int, seen: set[int], depth: int):
    """Free slot ``s`` at ``y``: returns (meetings to drop, unplaced meetings to add in s)."""
    f = st.occ[y][s]
    if f < 0:
        return [], []
    if st.fixed[f] or depth <= 0:
        return None
    w = st.v[f] if st.u[f] == y else st.u[f]
    if w in seen:
        return None
    bit = 1 << s
    for g in st.incident[w]:
        if st.col[g] >= 0:
            continue
        z = st.v[g] if st.u[g] == w else st.u[g]
        if z in seen or not (st.avail[z] & bit) or not (st.avail[w] & bit):
            continue
        rest = _alternate(st, z, s, seen | {w, z}, depth - 1)
        if rest is not None:
            return [f, *rest[0]], [g, *rest[1]]
    return None


def _greedy(st: _State, todo: list[int], rng: random.Random) -> None:
    """Most constrained first, with a bucket queue on the number of open slots."""
    S = st.S
    current: dict[int, int] = {}
    buckets: list[list[int]] = [[] for _ in range(S + 1)]
    order = list(todo)
    rng.shuffle(order)
    for e in order:
        n = st.open_slots(e).bit_count()
        current[e] = n
        buckets[n].append(e)
    u, v, avail, busy, incident = st.u, st.v, st.avail, st.busy, st.incident
    level = 0
    while True:
        while level <= S and not buckets[level]:
            level += 1
        if level > S:
            break
        e = buckets[level].pop()
        if current.get(e) != level:
            continue  # placed already, or moved to another bucket
        a, b = u[e], v[e]
        mask = avail[a] & avail[b] & ~busy[a] & ~busy[b] & st.room()
        n = mask.bit_count()
        if n != level:  # a slot filled up meanwhile: requeue at its true level
            current[e] = n
            buckets[n].append(e)
            level = min(level, n)
            continue
        del current[e]
        if not mask:
            continue
        others = []
        for f in incident[a] + incident[b]:
            if f in current:
                uf, vf = u[f], v[f]
                others.append((f, avail[uf] & avail[vf] & ~busy[uf] & ~busy[vf]))
        if mask & (mask - 1):
            # Prefer the slot the tightest other waiting meetings of a and b need least.
            pressure = [0.0] * S
            for f, open_f in others:
                n_f = current[f]
                if n_f <= 6 and open_f & mask:
                    weight = 1.0 / max(n_f, 1)
                    for s in _bits(open_f & mask):
                        pressure[s] += weight
            best, best_score = -1, None
            for s in _bits(mask):
                score = (pressure[s], st.load[s])
                if best_score is None or score < best_score:
                    best, best_score = s, score
        else:
            best = mask.bit_length() - 1
        st.put(e, best)
        bit = 1 << best
        for f, open_f in others:
            if open_f & bit and f in current:
                n_f = current[f] - 1
                current[f] = n_f
                buckets[n_f].append(f)
                if n_f < level:
                    level = n_f


def _place_kempe(st: _State, e: int, rng: random.Random, limit: int = 60) -> bool:
    a_p, b_p = st.u[e], st.v[e]
    room = st.room()
    both = st.avail[a_p] & st.avail[b_p]
    direct = both & ~st.busy[a_p] & ~st.busy[b_p] & room
    if direct:
        st.put(e, next(_bits(direct)))
        return True
    for x, y in ((a_p, b_p), (b_p, a_p)):
        # Slot ``a`` is free at x; y has a meeting there. Free it at y with an a/b chain,
        # where b is a slot y is free and available in.
        free_x = list(_bits(both & ~st.busy[x]))
        free_y = list(_bits(st.avail[y] & ~st.busy[y]))
        rng.shuffle(free_x)
        rng.shuffle(free_y)
        for a in free_x:
            for b in free_y:
                path = st.chain(y, a, b, avoid=x, limit=limit)
                if path is None:
                    continue
                st.swap(path, a, b)
                if st.load[a] < st.cap[a] and not (st.busy[x] >> a) & 1 \
                        and not (st.busy[y] >> a) & 1:
                    st.put(e, a)
                    return True
                st.swap(path, a, b)  # undo (the swap is its own inverse)
    return False


def _repair(st: _State, e: int, rng: random.Random) -> bool:
    if _place_kempe(st, e, rng) or _augment(st, e, rng):
        return True
    a_p, b_p = st.u[e], st.v[e]
    both = st.avail[a_p] & st.avail[b_p]
    # Eject one or two blocking meetings from a common slot, place e there, re-place them.
    slots = list(_bits(both))
    rng.shuffle(slots)
    for s in slots:
        blockers = {st.occ[a_p][s], st.occ[b_p][s]} - {-1}
        if any(st.fixed[f] for f in blockers):
            continue
        if not blockers and st.load[s] >= st.cap[s]:
            continue
        journal: list[tuple[int, int, int]] = []
        st.journal = journal
        for f in blockers:
            st.take(f)
        ok = st.load[s] < st.cap[s]
        if ok:
            st.put(e, s)
            for f in blockers:
                if not _place_kempe(st, f, rng, limit=30):
                    ok = False
                    break
        st.journal = None
        if ok:
            return True
        st.rollback(journal)
    return False


def _tables(st: _State, problem: Problem) -> list[int]:
    table = [0] * len(problem.meetings)
    taken: list[set[int]] = [set() for _ in range(st.S)]
    for e, (s, t) in problem.fixed.items():
        table[e] = t
        taken[s].add(t)
    next_free = [1] * st.S
    for e, s in enumerate(st.col):
        if s < 0 or st.fixed[e]:
            continue
        t = next_free[s]
        while t in taken[s]:
            t += 1
        taken[s].add(t)
        next_free[s] = t + 1
        table[e] = t
    return table


def _reason(st: _State, e: int) -> str:
    a, b = st.u[e], st.v[e]
    both = st.avail[a] & st.avail[b]
    if not both:
        return NO_COMMON_SLOT
    for p in (a, b):
        if len(st.incident[p]) > st.avail[p].bit_count():
            return OVERBOOKED
    if both & ~st.busy[a] & ~st.busy[b]:
        return NO_TABLE
    return NO_FREE_SLOT


def validate(problem: Problem, result: Result) -> list[str]:
    """Every rule a schedule must keep; an empty list means it is valid (used by tests)."""
    errors = []
    seen_person: set[tuple[int, int]] = set()
    seen_table: set[tuple[int, int]] = set()
    for e, (a, b) in enumerate(problem.meetings):
        s, t = result.slot[e], result.table[e]
        if s < 0:
            continue
        for p in (a, b):
            if not (problem.availability[p] >> s) & 1:
                errors.append(f"meeting {e}: participant {p} unavailable in slot {s}")
            if (p, s) in seen_person:
                errors.append(f"meeting {e}: participant {p} twice in slot {s}")
            seen_person.add((p, s))
        if not 1 <= t <= problem.tables[s]:
            errors.append(f"meeting {e}: table {t} outside 1..{problem.tables[s]}")
        if (s, t) in seen_table:
            errors.append(f"meeting {e}: table {t} double-booked in slot {s}")
        seen_table.add((s, t))
    for e, (s, t) in problem.fixed.items():
        if (result.slot[e], result.table[e]) != (s, t):
            errors.append(f"meeting {e}: published meeting moved")
    return errors
