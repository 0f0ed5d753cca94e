"""The shortcuts taken for speed give exactly what the slow paths gave."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from ecosystem.matching import registry, services, store
from ecosystem.matching.models import Recommendation
from ecosystem.matching.reasons import render
from ecosystem.matching.registry import url_for_slug
from ecosystem.matching.scoring import Matcher
from ecosystem.matching.selectors import recommendations_for


def test_url_for_slug_is_reverse_in_every_language(world):
    for language in ("en", "hr", "de"):
        with translation.override(language):
            for slug in ("parking-sensors", "a-b-c", "x1"):
                assert url_for_slug("procurement:call-detail", slug) == reverse(
                    "procurement:call-detail", kwargs={"slug": slug})


def test_the_one_query_corpus_is_the_text_of_the_loaded_candidates(world):
    for key in ("call", "event"):
        kind = registry.get_kind(key)
        assert kind.texts is not None
        assert list(kind.texts(kind.queryset())) == [c.text for c in kind.load(kind.queryset())]


def test_publish_time_scores_equal_the_nightly_scores(world):
    w = world
    services.recommendations_refresh_all()
    nightly = {row.organisation_id: row.score for row in
               Recommendation.objects.filter(kind="call", target_id=w.call.pk)}
    kind = registry.get_kind("call")
    full = Matcher(kind, kind.load(kind.queryset()), idf=services.current_idf())
    index = next(i for i, c in enumerate(full.candidates) if c.id == w.call.pk)
    published = {org: score for org, score, _ in
                 services.target_score(kind="call", target_id=w.call.pk)}
    assert nightly and published
    profiles = registry.load_profiles(list(published))
    for org, score in published.items():
        [scored] = full.match_one(profiles[org], index)
        assert score == scored.score
    for org, score in nightly.items():
        assert published[org] == score


def test_reasons_are_rendered_once_and_agree_with_render(world):
    w = world
    services.recommendations_refresh_all()
    with translation.override("hr"):
        shown = recommendations_for(viewer=w.member, limit=20)
        assert shown
        for item in shown:
            assert [r["text"] for r in item.reasons] == [render(r) for r in item.reasons]
            assert item.reason_texts == [render(r) for r in item.reasons if render(r)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL fan-out is PostgreSQL's")
def test_sql_fanout_scores_every_organisation_as_the_engine_does(world):
    w = world
    services.recommendations_refresh_all()  # stores the profiles
    for key, target in (("call", w.call), ("call", w.sme_call), ("event", w.event)):
        kind = registry.get_kind(key)
        assert store.kind_uses_sql(kind)
        python = {org: score for org, score, _ in
                  services.target_score(kind=key, target_id=target.pk)}
        sql = dict(services._target_sql(kind, target.pk))
        assert python, key
        assert sql.keys() == python.keys()
        for org, score in python.items():
            assert sql[org] == pytest.approx(score, abs=1e-6), (key, org)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL fan-out is PostgreSQL's")
def test_follow_up_rows_carry_the_engine_reasons_and_respect_top_n(world, settings):
    w = world
    services.recommendations_refresh_all()
    before = {(r.organisation_id, r.target_id): (r.score, r.reasons) for r in
              Recommendation.objects.filter(kind="call", target_id=w.call.pk)}
    assert before
    Recommendation.objects.filter(kind="call", target_id=w.call.pk).delete()
    orgs = sorted({org for org, _ in before})
    services.target_rows(kind="call", target_id=w.call.pk, organisation_ids=orgs)
    after = {(r.organisation_id, r.target_id): (r.score, r.reasons) for r in
             Recommendation.objects.filter(kind="call", target_id=w.call.pk)}
    assert after.keys() == before.keys()
    for key, (score, reasons) in before.items():
        assert after[key][0] == pytest.approx(score, abs=1e-6)
        assert after[key][1] == reasons
    # An organisation whose stored top N is full of better calls gets no row.
    settings.MATCHING = {"TOP_N": 1}
    services.target_rows(kind="call", target_id=w.sme_call.pk, organisation_ids=orgs)
    for org in orgs:
        rows = list(Recommendation.objects.filter(organisation_id=org, kind="call")
                    .order_by("-score"))
        if any(r.target_id == w.sme_call.pk for r in rows):
            others = [r.score for r in rows if r.target_id != w.sme_call.pk]
            mine = next(r.score for r in rows if r.target_id == w.sme_call.pk)
            assert not others or mine > max(others)


def _same_index(a, b) -> bool:
    return (a.df, a.count, a.length, a.surface) == (b.df, b.count, b.length, b.surface)


def test_the_publish_time_text_index_follows_the_live_calls(world, monkeypatch):
    """Kept while the open calls are the same; a call published is added to a copy (only its
    text read); a call changed or withdrawn rebuilds it. Each is the index of the live texts."""
    import dataclasses

    from procurement.models import Call

    kind = registry.get_kind("call")
    monkeypatch.setattr(store, "_TEXT_INDEXES", {})
    first = store.live_text_index(kind)
    assert _same_index(first, store.TextIndex(kind.texts(kind.queryset())))
    assert store.live_text_index(kind) is first  # nothing changed: the same index

    read = []
    texts = kind.texts
    kind = dataclasses.replace(kind, texts=lambda queryset: read.append(queryset.count()) or
                               texts(queryset))
    Call.objects.filter(pk=world.draft.pk).update(
        status=Call.Status.PUBLISHED, publication_date=world.call.publication_date)
    added = store.live_text_index(kind)
    assert read == [1]  # only the new call's text
    assert added is not first
    assert _same_index(added, store.TextIndex(texts(kind.queryset())))
    assert first.count == added.count - 1  # the kept index was copied, not changed

    world.call.challenge = "Noise sensors for night-time traffic."
    world.call.save()
    rebuilt = store.live_text_index(kind)
    assert read[-1] == kind.queryset().count()  # a changed call: every text read again
    assert _same_index(rebuilt, store.TextIndex(texts(kind.queryset())))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL fan-out is PostgreSQL's")
def test_a_warmed_worker_publishes_without_reading_the_corpus(world, monkeypatch):
    """After the worker-start warm-up, publishing reads only the texts of calls that joined
    since, also when profiles must be stored first (the kept index serves both)."""
    from ecosystem.matching.models import StoredProfile
    from procurement.models import Call

    monkeypatch.setattr(store, "_TEXT_INDEXES", {})
    assert store.warm_text_indexes() >= 0
    assert set(store._TEXT_INDEXES) == {"call", "event"}
    read = []
    original = registry.CandidateKind.read_texts
    monkeypatch.setattr(registry.CandidateKind, "read_texts",
                        lambda self, queryset: read.append((self.key, queryset.count()))
                        or original(self, queryset))
    StoredProfile.objects.all().delete()  # the fan-out stores the profiles it needs
    assert services.target_published(kind="call", target_id=world.call.pk) > 0
    assert StoredProfile.objects.exists()
    assert read == []
    Call.objects.filter(pk=world.draft.pk).update(
        status=Call.Status.PUBLISHED, publication_date=world.call.publication_date)
    services.target_published(kind="call", target_id=world.draft.pk)
    assert read == [("call", 1)]  # only the call just published


def test_the_worker_start_warm_up_never_stops_a_worker(monkeypatch, caplog):
    from ecosystem.matching import tasks

    closed = []
    monkeypatch.setattr(tasks, "connections", type("C", (), {
        "close_all": staticmethod(lambda: closed.append(True))}))

    def fail():
        raise RuntimeError("no database yet")

    monkeypatch.setattr(store, "warm_text_indexes", fail)
    tasks.warm_text_indexes(sender=None)
    assert closed == [True]
    assert "not learned at start" in caplog.text
    monkeypatch.setattr(store, "warm_text_indexes", lambda: 0.25)
    with caplog.at_level("INFO", logger="ecosystem.matching.tasks"):
        tasks.warm_text_indexes(sender=None)
    assert closed == [True, True]
    assert "learned in 0.25 s" in caplog.text
