"""What people type finds what they mean: accents, typos, stems, titles first, facets."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ecosystem.search import selectors, text
from ecosystem.search.registry import translations
from tests.events.factories import EventFactory
from tests.factories import CityFactory, OrganisationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def titles(query, **filters):
    return [hit.title for hit in selectors.search(viewer=AnonymousUser(), query=query,
                                                  filters=filters).hits]


def test_an_exact_title_comes_first_and_a_title_match_beats_a_body_match(indexed):
    indexed(
        OrganisationFactory(name="Urban data office",
                            description="Mobility lab work: mobility data, mobility lab pilots."),
        OrganisationFactory(name="Mobility Lab Rijeka", description="Shared bikes."),
        OrganisationFactory(name="Mobility Lab", description="Cargo bikes for the old town."),
        OrganisationFactory(name="Kvarner Sensors", description="We love solar parking."),
        OrganisationFactory(name="Solar Cooperative Istria", description="Rooftops."),
    )
    assert titles("mobility lab") == ["Mobility Lab", "Mobility Lab Rijeka", "Urban data office"]
    assert titles("solar") == ["Solar Cooperative Istria", "Kvarner Sensors"]


def test_accents_and_case_do_not_matter(indexed):
    city = CityFactory(name="Čakovec", country="HR")
    indexed(OrganisationFactory(name="Razvojna agencija Čakovec", city=city),
            OrganisationFactory(name="Đakovo Energy Cooperative"),
            OrganisationFactory(name="Zagreb Mobility"))
    assert titles("cakovec") == ["Razvojna agencija Čakovec"]
    assert titles("ČAKOVEC") == ["Razvojna agencija Čakovec"]
    assert titles("dakovo") == ["Đakovo Energy Cooperative"]


def test_a_typo_is_forgiven_and_said_so(indexed):
    indexed(OrganisationFactory(name="Green Mobility Freiburg", description="E-scooter sharing"),
            OrganisationFactory(name="Kvarner Energy Lab"))
    result = selectors.search(viewer=AnonymousUser(), query="mobilty")
    assert [hit.title for hit in result.hits] == ["Green Mobility Freiburg"]
    assert result.corrections == {"mobilty": ["mobility"]}
    assert titles("kvarnr enrgy") == ["Kvarner Energy Lab"]
    assert titles("xqzvbn") == []


@pytest.mark.parametrize(("text_in_index", "query"), [
    ("Sensors that count free parking spaces", "sensor"),           # English
    ("Citizens tested charging stations", "citizen charge station"),
    ("Die Bürger testen neue Ladestationen", "Ladestation"),       # German
    ("Energieversorgung der Stadtwerke", "stadtwerk"),
    ("Sperimentazione delle biciclette elettriche", "bicicletta elettrica"),  # Italian
    ("Le città intelligenti del Trentino", "citta intelligente"),
])
def test_words_are_stemmed_in_english_german_and_italian(indexed, text_in_index, query):
    indexed(OrganisationFactory(name="Pilot partner", description=text_in_index),
            OrganisationFactory(name="Somebody else", description="Nothing in common."))
    assert titles(query) == ["Pilot partner"]


def test_translated_fields_are_read_when_the_model_has_them(settings):
    class Translated:
        title, title_hr, title_de, title_it = "Smart parking", "Pametno parkiranje", "", ""
        summary_de = "Intelligentes Parken in der Altstadt"

    assert translations(Translated(), title="title", body=("summary",)) == {
        "hr": ("Pametno parkiranje", ""), "de": ("", "Intelligentes Parken in der Altstadt")}
    assert translations(object(), title="title", body=("summary",)) == {}


def test_facets_count_what_matches_and_narrow_the_list(indexed):
    energy = ThemeFactory(name="Energy", slug="energy")
    rijeka = CityFactory(name="Rijeka", country="HR")
    karlsruhe = CityFactory(name="Karlsruhe", country="DE")
    for name in ("Energy Lab Rijeka", "Rijeka Energy Agency"):
        organisation = OrganisationFactory(name=name, city=rijeka, country="HR")
        organisation.themes.add(energy)
        indexed(organisation)
    indexed(OrganisationFactory(name="Energy Cooperative Karlsruhe", city=karlsruhe, country="DE",
                                kind="ngo", helix="civil"))
    indexed(EventFactory(title="Energy week", city=rijeka))
    indexed(OrganisationFactory(name="Mobility only", city=rijeka))

    result = selectors.search(viewer=AnonymousUser(), query="energy")
    counts = {name: {f.value: f.count for f in values} for name, values in result.facets.items()}
    assert result.total == 4
    assert counts["kind"] == {"stakeholders.organisation": 3, "events.event": 1}
    assert counts["country"] == {"HR": 3, "DE": 1}
    assert counts["city"] == {"Rijeka": 3, "Karlsruhe": 1}
    assert counts["theme"] == {"energy": 2}
    assert counts["helix"] == {"industry": 2, "civil": 1}

    narrowed = selectors.search(viewer=AnonymousUser(), query="energy", filters={"country": "HR"})
    counts = {name: {f.value: f.count for f in values} for name, values in narrowed.facets.items()}
    assert narrowed.total == len(narrowed.hits) == 3
    assert counts["kind"] == {"stakeholders.organisation": 2, "events.event": 1}
    assert counts["country"] == {"HR": 3, "DE": 1}  # the other countries stay choosable
    assert [f.selected for f in narrowed.facets["country"]] == [True, False]
    themed = selectors.search(viewer=AnonymousUser(), query="energy", filters={"theme": "energy"})
    assert sorted(hit.title for hit in themed.hits) == ["Energy Lab Rijeka", "Rijeka Energy Agency"]


def test_highlighting_escapes_first_then_marks(indexed):
    indexed(OrganisationFactory(name="<script>alert(1)</script> Energy & Co",
                                description="Energie für <b>alle</b>"))
    hit = selectors.search(viewer=AnonymousUser(), query="energy").hits[0]
    assert str(hit.title_html) == ("&lt;script&gt;alert(1)&lt;/script&gt; <mark>Energy</mark> "
                                   "&amp; Co")
    assert str(hit.snippet_html) == "<mark>Energie</mark> für &lt;b&gt;alle&lt;/b&gt;"


def test_suggestions_complete_the_word_being_typed(indexed):
    indexed(OrganisationFactory(name="Kvarner Energy Lab"), OrganisationFactory(name="Kvadrat"),
            OrganisationFactory(name="Energy Kvarner Bay", description="x"))
    assert sorted(hit.title for hit in selectors.suggest(viewer=AnonymousUser(), query="kvar")) == [
        "Energy Kvarner Bay", "Kvarner Energy Lab"]
    assert [hit.title for hit in selectors.suggest(viewer=AnonymousUser(), query="kvarner en")] == [
        "Kvarner Energy Lab", "Energy Kvarner Bay"]
    assert selectors.suggest(viewer=AnonymousUser(), query="") == []


def test_query_words_are_capped_and_stripped_of_syntax():
    assert text.query_words('"energy" OR mobility* NEAR(a b) -x') == [
        "energy", "or", "mobility", "near", "a", "b", "x"]
    assert len(text.query_words(" ".join(f"w{n}" for n in range(50)))) == text.MAX_QUERY_WORDS


def test_beyond_the_bound_the_total_says_more_than_and_an_exact_title_still_comes_first(
        indexed, monkeypatch, client):
    monkeypatch.setattr(selectors, "MAX_MATCHES", 3)
    rijeka = CityFactory(name="Rijeka", country="HR")
    for number in range(5):
        indexed(OrganisationFactory(name=f"Solar cooperative {number}", city=rijeka, country="HR"))
    indexed(EventFactory(title="Solar week", city=rijeka), EventFactory(title="Solar night"))
    exact = indexed(OrganisationFactory(name="Solar"))

    result = selectors.search(viewer=AnonymousUser(), query="solar")
    assert result.capped and result.total == 3 and len(result.hits) == 3
    assert result.hits[0].object_id == exact.pk
    assert sum(f.count for f in result.facets["kind"]) == 3   # counted among the three read
    page = client.get("/search/", {"q": "solar"}).content.decode()
    assert "More than 3 results" in page and "Counted among the first 3 results." in page

    # A filter reads its own matches: both events, although they were not among the three.
    events = selectors.search(viewer=AnonymousUser(), query="solar",
                              filters={"kind": "events.event"})
    assert not events.capped and events.total == 2
    assert sorted(hit.title for hit in events.hits) == ["Solar night", "Solar week"]


def test_under_the_bound_nothing_says_more_than(indexed, client, api):
    indexed(OrganisationFactory(name="Solar cooperative"), OrganisationFactory(name="Solar lab"))
    result = selectors.search(viewer=AnonymousUser(), query="solar")
    assert not result.capped and result.total == 2
    assert "More than" not in client.get("/search/", {"q": "solar"}).content.decode()
    body = api.get("/api/v1/search/", {"q": "solar"}).json()
    assert body["count"] == 2 and body["count_capped"] is False


def test_suggestions_keep_an_exact_title_beyond_the_candidates_read(indexed, monkeypatch):
    monkeypatch.setattr(selectors, "SUGGESTION_CANDIDATES", 2)
    for number in range(4):
        indexed(OrganisationFactory(name=f"Hydro plant {number}"))
    indexed(OrganisationFactory(name="Hydro"))
    titles = [hit.title for hit in selectors.suggest(viewer=AnonymousUser(), query="hydro")]
    assert titles[0] == "Hydro" and len(titles) == 3
