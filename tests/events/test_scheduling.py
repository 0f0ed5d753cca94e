"""The pure scheduler (events.scheduling): no database."""

import random

from events.scheduling import (
    NO_COMMON_SLOT,
    OVERBOOKED,
    Problem,
    schedule,
    upper_bound,
    validate,
)


def _random_problem(seed, *, people=60, meetings=300, slots=12, tables=20, max_degree=11):
    rng = random.Random(seed)
    degree = [0] * people
    pairs = set()
    while len(pairs) < meetings:
        a, b = rng.sample(range(people), 2)
        if degree[a] >= max_degree or degree[b] >= max_degree or (min(a, b), max(a, b)) in pairs:
            continue
        pairs.add((min(a, b), max(a, b)))
        degree[a] += 1
        degree[b] += 1
    full = (1 << slots) - 1
    availability = [full & ~(rng.getrandbits(slots) if rng.random() < 0.3 else 0) & full
                    for _ in range(people)]
    return Problem(participants=people, tables=[tables] * slots, meetings=sorted(pairs),
                   availability=availability)


def test_random_schedules_are_valid_and_reach_the_bound():
    for seed in range(5):
        problem = _random_problem(seed)
        result = schedule(problem, time_limit=2, seed=seed)
        assert validate(problem, result) == []
        bound, _detail = upper_bound(problem)
        assert result.placed <= bound
        assert result.placed >= 0.97 * bound
        assert len(result.unplaced) == len(problem.meetings) - result.placed


def test_nobody_is_in_two_meetings_at_once_and_no_table_is_double_booked():
    # A triangle in two slots: only two of the three meetings fit.
    problem = Problem(participants=3, tables=[5, 5], meetings=[(0, 1), (1, 2), (0, 2)],
                      availability=[0b11, 0b11, 0b11])
    result = schedule(problem, time_limit=1)
    assert validate(problem, result) == []
    assert result.placed == 2 and upper_bound(problem)[0] == 2


def test_tables_limit_the_meetings_per_slot():
    problem = Problem(participants=6, tables=[1, 1], meetings=[(0, 1), (2, 3), (4, 5)],
                      availability=[0b11] * 6)
    result = schedule(problem, time_limit=1)
    assert validate(problem, result) == []
    assert result.placed == 2
    assert upper_bound(problem)[0] == 2


def test_availability_is_respected():
    problem = Problem(participants=3, tables=[5, 5, 5], meetings=[(0, 1), (1, 2)],
                      availability=[0b001, 0b011, 0b110])
    result = schedule(problem, time_limit=1)
    assert validate(problem, result) == []
    assert result.slot == [0, 1]


def test_unplaceable_meetings_get_a_reason():
    problem = Problem(participants=4, tables=[5, 5], meetings=[(0, 1), (2, 3), (2, 0), (2, 1)],
                      availability=[0b01, 0b10, 0b01, 0b11])
    result = schedule(problem, time_limit=1)
    assert validate(problem, result) == []
    assert result.unplaced[0] == NO_COMMON_SLOT
    assert set(result.unplaced.values()) <= {NO_COMMON_SLOT, OVERBOOKED}


def test_published_meetings_stay_where_they_are():
    problem = _random_problem(7)
    first = schedule(problem, time_limit=1, seed=1)
    problem.fixed = {e: (first.slot[e], first.table[e])
                     for e in range(0, len(problem.meetings), 3) if first.slot[e] >= 0}
    second = schedule(problem, time_limit=1, seed=2)
    assert validate(problem, second) == []  # checks the fixed ones too
    for e, (slot, table) in problem.fixed.items():
        assert (second.slot[e], second.table[e]) == (slot, table)


def test_a_previous_draft_is_never_made_worse():
    problem = _random_problem(11)
    first = schedule(problem, time_limit=1, seed=1)
    problem.hint = {e: s for e, s in enumerate(first.slot) if s >= 0}
    assert schedule(problem, time_limit=1, seed=5).placed >= first.placed


def test_the_bound_counts_people_with_more_meetings_than_slots():
    # Person 0 has three meetings but two slots; the others are free.
    problem = Problem(participants=4, tables=[5, 5], meetings=[(0, 1), (0, 2), (0, 3)],
                      availability=[0b11] * 4)
    bound, detail = upper_bound(problem)
    assert bound == 2 and detail["participant_shortfall"] == 1
    assert schedule(problem, time_limit=1).placed == 2
