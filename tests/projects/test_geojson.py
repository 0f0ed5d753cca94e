"""The pilots' GeoJSON: a valid FeatureCollection, [lon, lat] order, filters, drafts hidden."""

import json
from decimal import Decimal

import pytest

from tests.factories import CityFactory, ThemeFactory

from .factories import PilotFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _valid_feature_collection(data):
    assert data["type"] == "FeatureCollection"
    assert isinstance(data["features"], list)
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert isinstance(feature["properties"], dict)


@pytest.mark.parametrize("url", ["/api/v1/pilots/geojson/", "/api/v1/pilots/?format=geojson"])
def test_geojson_is_a_feature_collection_in_lon_lat_order(client, url):
    karlsruhe = PilotFactory(title="eBikes", latitude=Decimal("49.009280"),
                             longitude=Decimal("8.403950"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    _valid_feature_collection(data)
    feature = data["features"][0]
    assert feature["geometry"]["coordinates"] == [8.40395, 49.00928]  # [lon, lat]
    assert feature["properties"]["url"] == karlsruhe.get_absolute_url()
    assert feature["properties"]["title"] == "eBikes"


def test_pilot_without_point_uses_its_city_and_without_either_is_left_out(client):
    city = CityFactory(latitude=Decimal("46.07"), longitude=Decimal("11.12"))
    PilotFactory(city=city, latitude=None, longitude=None, slug="at-city")
    PilotFactory(city=CityFactory(), latitude=None, longitude=None, slug="nowhere")
    features = client.get("/api/v1/pilots/geojson/").json()["features"]
    assert [(f["properties"]["slug"], f["geometry"]["coordinates"]) for f in features] == [
        ("at-city", [11.12, 46.07])]


def test_filters_apply_to_the_geojson(client):
    theme = ThemeFactory(slug="mobility")
    city = CityFactory(slug="trento")
    PilotFactory(city=city, status="running", slug="a").themes.add(theme)
    PilotFactory(city=city, status="completed", slug="b")
    PilotFactory(status="running", slug="c")

    def slugs(query):
        response = client.get(f"/api/v1/pilots/geojson/?{query}")
        return sorted(f["properties"]["slug"] for f in response.json()["features"])

    assert slugs("city=trento") == ["a", "b"]
    assert slugs("status=running") == ["a", "c"]
    assert slugs("theme=mobility") == ["a"]
    assert slugs("theme=mobility&status=completed") == []


def test_bad_filter_value_is_a_400_in_the_error_format(client):
    response = client.get("/api/v1/pilots/geojson/?status=exploded")
    assert response.status_code == 400
    assert set(response.json()) == {"message", "code", "fields"}


def test_drafts_hidden_and_text_escaped_by_json(client):
    PilotFactory(project=ProjectFactory(status="draft"), slug="secret")
    PilotFactory(title='</script><script>alert(1)</script>', slug="xss")
    data = json.loads(client.get("/api/v1/pilots/geojson/").content)
    assert [f["properties"]["slug"] for f in data["features"]] == ["xss"]
    assert data["features"][0]["properties"]["title"] == '</script><script>alert(1)</script>'


def test_map_page_lists_the_same_pilots_without_javascript(client, settings):
    settings.MAP_TILE_URL = ""
    PilotFactory(title="Smart parking sensors", slug="parking")
    html = client.get("/pilots/map/?status=running").content.decode()
    assert "Smart parking sensors" in html
    assert 'data-geojson-url="/api/v1/pilots/geojson/?status=running"' in html
    assert "<script>" not in html.replace('<script src=', "")
    assert "unpkg" not in html and "cdn" not in html.lower()
    assert 'data-tile-url=""' in html
