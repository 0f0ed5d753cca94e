"""The nightly refresh at scale: ``Matcher.top`` ranks what scoring every candidate ranks
(without scoring most of them), and the nightly job is batch jobs sharing one run."""

import random
from dataclasses import replace

import pytest

from ecosystem.matching import scoring, services
from ecosystem.matching.models import Recommendation
from ecosystem.matching.registry import Candidate, CandidateKind, Profile
from ecosystem.matching.scoring import Dismissed, Matcher, rank
from ecosystem.notifications.models import OutboxMessage
from stakeholders.models import Organisation

WORDS = ("sensors parking mobility energy solar charging bikes buses traffic air quality "
         "water flood waste lighting heating data platform citizens schools health").split()
HELICES = ("industry", "academia", "public", "civil")
CITIES = [(1, "HR03", "HR"), (2, "HR03", "HR"), (3, "HR04", "HR"), (4, "AT22", "AT"),
          (5, "", "IT"), (None, "", "")]
CPV = ("48000000-8", "48810000-9", "72212000-4", "72000000-5", "34144900-7")


def _candidates(rng, kind, n):
    found = []
    for index in range(n):
        city, nuts, country = rng.choice(CITIES)
        found.append(Candidate(
            kind=kind, id=index + 1, title=f"item {index}", owner_ids=(rng.randint(1, 25),),
            themes={t: f"Theme {t}" for t in rng.sample(range(1, 9), rng.randint(0, 3))},
            cpv=tuple(rng.sample(CPV, rng.randint(0, 2))), city_id=city, nuts=nuts,
            country=country, city_name=f"City {city}", helix=rng.choice(HELICES),
            text=" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 12))),
            offers=[" ".join(rng.choice(WORDS) for _ in range(4))] if rng.random() < 0.3
            else []))
    return found


def _profile(rng, pk):
    city, nuts, country = rng.choice(CITIES)
    return Profile(
        id=pk, helix=rng.choice(HELICES), kind="sme", country=country, nuts=nuts, city_id=city,
        themes={t: f"Theme {t}" for t in rng.sample(range(1, 9), rng.randint(0, 3))},
        cpv=set(rng.sample(CPV, rng.randint(0, 1))),
        text=" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 10))),
        requests=[" ".join(rng.choice(WORDS) for _ in range(3))] if rng.random() < 0.5 else [],
        engaged_owners=set(rng.sample(range(1, 26), rng.randint(0, 2))),
        partner_helices=set(rng.sample(HELICES, rng.randint(0, 2))),
        missing_helices=tuple(rng.sample(HELICES, 1)) if rng.random() < 0.2 else (),
    )


@pytest.mark.parametrize("signals", [
    ("themes", "cpv", "text", "distance", "behaviour"),  # calls
    ("themes", "text", "distance", "behaviour"),  # events
    ("themes", "text", "helix", "distance"),  # partners
    ("themes", "offers", "text", "distance"),  # offers: a signal bounded by 1 only
])
@pytest.mark.parametrize("dense_from", [0, 10 ** 9])  # frequent terms as dense rows, or not
def test_top_ranks_what_scoring_every_candidate_ranks(signals, dense_from, settings, monkeypatch):
    monkeypatch.setattr(scoring, "DENSE_FROM", dense_from)
    settings.MATCHING = {"MAX_POSTINGS": 10 ** 9, "MAX_SCORED": 10 ** 9, "TOP_N": 8,
                         "PER_OWNER": 2, "TOP_BUDGET": 10 ** 9}
    rng = random.Random(len(signals) * 31 + len(signals[1]))
    kind = CandidateKind(key="bench", label="bench", model="x.y", queryset=lambda: None,
                         load=lambda queryset: [], present=lambda ids, viewer=None: {},
                         signals=signals,
                         eligible=lambda candidate, profile: candidate.id % 17 != 0)
    candidates = _candidates(rng, "bench", 400)
    idf = {t: 1.0 + t / 4 for t in range(1, 9)}
    matcher = Matcher(kind, candidates, idf=idf)
    everything = Matcher(kind, candidates, idf=idf)
    compared = 0
    profiles = [_profile(rng, pk) for pk in range(1000, 1080)]
    for profile in profiles:
        pk = profile.id
        if pk % 5 == 0:
            # The nightly refresh computes text similarities for a chunk of profiles at once.
            matcher.prefetch(profiles[pk - 1000:pk - 1000 + 5])
        dismissed = None
        if pk % 3 == 0:
            dismissed = Dismissed(target_ids={rng.randint(1, 400)}, owner_ids={rng.randint(1, 25)},
                                  theme_ids={rng.randint(1, 8)})
        found, exact = matcher.top(profile, dismissed=dismissed)
        expected = rank(everything.match(profile), dismissed=dismissed)
        assert exact
        assert [(i.candidate.id, i.score) for i in found] == [
            (i.candidate.id, i.score) for i in expected]
        # The reasons come from the same accumulators: equal to the exhaustive path's.
        assert [matcher.explain(profile, i) for i in found] == [
            everything.explain(profile, i) for i in expected]
        compared += len(expected)
    assert compared > 200  # the profiles do get recommendations
    assert bool(matcher._columns.dense_terms) == (dense_from == 0)


def test_top_says_when_its_budget_cut_the_search(settings):
    # One item per owner and three owners: the top 8 never fills, so every candidate would
    # have to be scored, and the budget allows 5.
    settings.MATCHING = {"TOP_BUDGET": 5, "TOP_N": 8, "PER_OWNER": 1, "MAX_POSTINGS": 10 ** 9,
                         "MAX_SCORED": 10 ** 9}
    rng = random.Random(5)
    kind = CandidateKind(key="bench", label="bench", model="x.y", queryset=lambda: None,
                         load=lambda queryset: [], present=lambda ids, viewer=None: {},
                         signals=("themes", "text", "distance"))
    candidates = [replace(c, owner_ids=(c.id % 3 + 1,)) for c in _candidates(rng, "bench", 300)]
    matcher = Matcher(kind, candidates, idf={})
    profile = Profile(id=999, themes={1: "Theme 1", 2: "Theme 2"}, text="parking sensors data",
                      country="HR", nuts="HR03", city_id=1)
    found, exact = matcher.top(profile)
    assert not exact
    every = {i.candidate.id: i.score for i in Matcher(kind, candidates, idf={}).match(profile)}
    assert found and all(every[i.candidate.id] == i.score for i in found)  # real scores


def test_the_nightly_job_is_batch_jobs_that_share_the_candidates_of_their_run(
        world, monkeypatch):
    services.recommendations_refresh_all()
    expected = sorted(Recommendation.objects.values_list(
        "organisation_id", "kind", "target_id", "score", "reasons"))
    assert expected
    Recommendation.objects.all().delete()
    OutboxMessage.objects.all().delete()
    queued = services.recommendations_queue_all(batch_size=2)
    jobs = list(OutboxMessage.objects.filter(task=services.REFRESH_BATCH_TASK).order_by("pk"))
    assert queued == len(jobs) == -(-Organisation.objects.count() // 2)
    assert sorted(pk for job in jobs for pk in job.payload["organisation_ids"]) == sorted(
        Organisation.objects.values_list("pk", flat=True))
    assert len({job.payload["run"] for job in jobs}) == 1
    built = []
    real = services.build_matchers
    monkeypatch.setattr(services, "build_matchers", lambda **kw: built.append(1) or real(**kw))
    for job in jobs:
        services.recommendations_refresh_batch(**job.payload)
        services.recommendations_refresh_batch(**job.payload)  # safe to run twice
    assert len(built) == 1  # one reading of the candidates for the whole run
    assert sorted(Recommendation.objects.values_list(
        "organisation_id", "kind", "target_id", "score", "reasons")) == expected
