"""What must hold: hard rules for any viewer, reasons agree with the score, "not interested"
per organisation, diversity and a stable order."""

import pytest
from django.contrib.contenttypes.models import ContentType

from ecosystem.matching import registry, services
from ecosystem.matching.models import NotInterested, Recommendation
from ecosystem.matching.scoring import Candidate, Scored, cpv_level, rank
from ecosystem.matching.selectors import recommendations_for
from ecosystem.matching.text import fold, terms
from procurement.models import Call
from stakeholders.models import Organisation


def rows_of(org, kind=None):
    queryset = Recommendation.objects.filter(organisation=org)
    if kind:
        queryset = queryset.filter(kind=kind)
    return list(queryset.order_by("-score", "target_id"))


@pytest.fixture
def refreshed(world):
    services.recommendations_refresh_all()
    return world


def test_no_stored_row_breaks_a_hard_rule_for_any_organisation(refreshed):
    w = refreshed
    open_calls = {w.call.pk, w.sme_call.pk}
    for org in Organisation.objects.all():
        for row in rows_of(org):
            if row.kind == "call":
                assert row.target_id in open_calls, (org, row.target_id)
                call = Call.objects.get(pk=row.target_id)
                assert call.buyer_id != org.pk
                if call.smes_only:
                    assert org.kind in ("sme", "startup") and org.size != "large"
            elif row.kind == "event":
                assert row.target_id == w.event.pk
            elif row.kind == "partner":
                partner = Organisation.objects.get(pk=row.target_id)
                assert partner.verified and not partner.partner_suggestions_opt_out
                assert partner.pk != org.pk


def test_closed_draft_past_and_ineligible_items_are_never_recommended(refreshed):
    w = refreshed
    stored = set(Recommendation.objects.values_list("kind", "target_id"))
    for call in (w.closed, w.draft, w.past):
        assert ("call", call.pk) not in stored
    assert ("event", w.draft_event.pk) not in stored
    assert ("partner", w.unverified.pk) not in stored
    assert ("partner", w.opted_out.pk) not in stored
    # The large utility shares the SME call's themes but the call is for SMEs only.
    assert not Recommendation.objects.filter(organisation=w.large, target_id=w.sme_call.pk,
                                             kind="call").exists()
    assert Recommendation.objects.filter(organisation=w.sme, target_id=w.sme_call.pk,
                                         kind="call").exists()


def test_an_item_that_closes_after_computing_is_not_shown_to_anyone(refreshed):
    w = refreshed
    assert any(i.target_id == w.call.pk for i in recommendations_for(viewer=w.member))
    Call.objects.filter(pk=w.call.pk).update(status=Call.Status.CANCELLED,
                                             cancellation_reason="Budget withdrawn.")
    for viewer in (w.member, w.large_member, w.ngo_member):
        assert all(not (i.kind == "call" and i.target_id == w.call.pk)
                   for i in recommendations_for(viewer=viewer, limit=50))


def test_reasons_agree_with_the_signals_that_scored(refreshed):
    w = refreshed
    rows = list(Recommendation.objects.all())
    assert rows
    kinds = {k.key: k for k in registry.all_kinds()}
    for row in rows:
        kind = kinds[row.kind]
        candidate = kind.load(kind.queryset().filter(pk=row.target_id))[0]
        org = Organisation.objects.get(pk=row.organisation_id)
        org_themes = set(org.themes.values_list("name", flat=True))
        assert row.reasons, row
        for reason in row.reasons:
            if reason["code"] == "themes":
                named = set(reason["params"]["themes"])
                assert named <= org_themes & set(candidate.themes.values())
            elif reason["code"] == "city":
                assert org.city_id == candidate.city_id
                assert reason["params"]["city"] == org.city.name
            elif reason["code"] == "cpv":
                assert reason["params"]["code"] in candidate.cpv
            elif reason["code"] == "text":
                assert reason["params"]["terms"]
    # And the other way: an item that shares no theme never gives a themes reason.
    clinic_rows = Recommendation.objects.filter(organisation=w.health_only)
    for row in clinic_rows:
        assert all(r["code"] != "themes" for r in row.reasons)


def test_reason_sentences_read_as_in_the_issue(refreshed):
    w = refreshed
    items = {(i.kind, i.target_id): i for i in recommendations_for(viewer=w.member, limit=20)}
    call = items[("call", w.call.pk)]
    assert "Shares Energy and Mobility with you" in call.reason_texts
    assert "In Rijeka, your city" in call.reason_texts
    partner = items[("partner", w.ngo.pk)]
    assert any("civil-society" in text for text in partner.reason_texts)


def test_not_interested_hides_for_that_organisation_only(refreshed):
    w = refreshed
    # Both the SME and the NGO get the parking call.
    assert Recommendation.objects.filter(organisation=w.ngo, target_id=w.call.pk).exists()
    services.not_interested(organisation_id=w.sme.pk, user=w.member, kind="call",
                            target_id=w.call.pk)
    assert all(i.target_id != w.call.pk or i.kind != "call"
               for i in recommendations_for(viewer=w.member, limit=50))
    assert any(i.kind == "call" and i.target_id == w.call.pk
               for i in recommendations_for(viewer=w.ngo_member, limit=50))
    services.recommendations_refresh_all()  # and it stays hidden after the nightly job
    assert not Recommendation.objects.filter(organisation=w.sme, kind="call",
                                             target_id=w.call.pk).exists()
    assert Recommendation.objects.filter(organisation=w.ngo, kind="call",
                                         target_id=w.call.pk).exists()


def test_not_interested_lowers_items_of_the_same_buyer(refreshed):
    w = refreshed
    before = Recommendation.objects.get(organisation=w.sme, kind="call", target_id=w.sme_call.pk)
    services.not_interested(organisation_id=w.sme.pk, user=w.member, kind="call",
                            target_id=w.call.pk)
    services.recommendations_refresh(organisation_ids=[w.sme.pk])
    after = Recommendation.objects.filter(organisation=w.sme, kind="call",
                                          target_id=w.sme_call.pk).first()
    assert after is None or after.score < before.score
    assert NotInterested.objects.filter(organisation=w.sme).count() == 1


def test_same_data_gives_the_same_rows_in_the_same_order(refreshed):
    first = [(r.organisation_id, r.kind, r.target_id, r.score, r.reasons)
             for r in Recommendation.objects.order_by("organisation", "kind", "-score", "target_id")]
    services.recommendations_refresh_all()
    second = [(r.organisation_id, r.kind, r.target_id, r.score, r.reasons)
              for r in Recommendation.objects.order_by("organisation", "kind", "-score", "target_id")]
    assert first == second


def test_at_most_k_items_of_one_buyer_in_the_top_n():
    items = [Scored(Candidate(kind="call", id=n, title=str(n), owner_ids=(1 if n < 8 else 2,)),
                    score=1 - n / 100) for n in range(10)]
    chosen = rank(items, top_n=5, per_owner=2, min_score=0)
    owners = [c.candidate.owner_ids[0] for c in chosen]
    assert owners.count(1) == 2 and owners.count(2) == 2
    assert [c.candidate.id for c in chosen] == [0, 1, 8, 9]


def test_cpv_prefixes_and_accent_folding():
    assert cpv_level("48000000-8", "48810000-9") == 2
    assert cpv_level("72212000-4", "72212100-0") == 5
    assert cpv_level("30200000-1", "48000000-8") == 0
    assert fold("Čakovec Straße Đakovo") == "cakovec strasse dakovo"
    assert terms("Pametni gradovi, pametni grad") == terms("pametni GRADOVI pametni grad")


def test_stored_rows_point_at_the_registered_content_types(refreshed):
    call_type = ContentType.objects.get_for_model(Call)
    assert set(Recommendation.objects.filter(kind="call").values_list(
        "target_type", flat=True)) == {call_type.pk}
