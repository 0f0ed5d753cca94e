"""A pilot's indicators: an SVG bar chart with a data table, numbers written the way each
language writes them (never "95.500" for 95.5), and the basemap the map draws."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from projects.models import PilotIndicator

from .factories import PilotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot(db):
    pilot = PilotFactory(title="Smart street lights", slug="smart-lights")
    PilotIndicator.objects.create(pilot=pilot, name="Lights working", unit="%",
                                  baseline=Decimal("80"), value=Decimal("95.5"),
                                  target=Decimal("99"), position=0)
    PilotIndicator.objects.create(pilot=pilot, name="Energy used", unit="MWh",
                                  baseline=Decimal("12.4"), value=Decimal("8.2"),
                                  target=Decimal("6"), position=1)
    PilotIndicator.objects.create(pilot=pilot, name="Complaints", unit="",
                                  baseline=Decimal("1500"), value=None, target=None, position=2)
    return pilot


def _page(client, pilot, language):
    return client.get(pilot.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize("language, decimal", [("en", "95.5"), ("de", "95,5"), ("hr", "95,5"),
                                               ("it", "95,5")])
def test_numbers_are_written_for_the_language(client, pilot, language, decimal):
    html = _page(client, pilot, language)
    table = html[html.index('<table class="table-stack">'):]
    table = table[:table.index("</table>")]
    assert f">{decimal}</td>" in table
    assert ">8" + decimal[2] + "2</td>" in table  # 8.2 / 8,2
    # Grouping follows USE_THOUSAND_SEPARATOR (off): 1500 is never "1.500" nor "1,500".
    assert ">1500</td>" in table
    assert "95.500" not in html and "8.200" not in html and "95,500" not in html


def test_chart_has_a_text_alternative_and_the_progress(client, pilot):
    html = _page(client, pilot, "en")
    assert '<svg class="chart chart-narrow"' in html
    assert 'aria-labelledby="pilot-indicators-title pilot-indicators-desc"' in html
    # (95.5 - 80) / (99 - 80) = 81 %; (8.2 - 12.4) / (6 - 12.4) = 65 % (lower is better).
    assert "Lights working: 81 %; Energy used: 65 %; Complaints: no data" in html
    assert ">81 %</td>" in html and ">65 %</td>" in html
    assert html.count('class="bar-value"') == 3


def test_svg_coordinates_are_not_localised(client, pilot):
    html = _page(client, pilot, "de")
    svg = html[html.index('<svg class="chart chart-narrow"'):html.index("</svg>")]
    widths = [float(w) for w in re.findall(r'class="bar-value"[^>]*width="([^"]+)"', svg)]
    assert widths == [pytest.approx(234.9), pytest.approx(188.5), 0.0]


def test_a_pilot_without_indicators_has_no_chart(client):
    pilot = PilotFactory(slug="plain")
    assert "chart-narrow" not in client.get(pilot.get_absolute_url()).content.decode()


def test_map_pages_point_to_the_offline_basemap(client, pilot, settings):
    settings.MAP_TILE_URL = ""
    for url in ["/pilots/map/", pilot.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert 'data-basemap-url="/static/projects/vendor/world-atlas/countries-50m.json"' in html
        assert "/static/projects/vendor/topojson-client/topojson-client.min.js" in html
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    html = client.get("/pilots/map/").content.decode()
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert "topojson-client.min.js" not in html  # street tiles instead of the outlines


def test_the_vendored_basemap_is_natural_earth_countries():
    root = Path(settings.BASE_DIR) / "static" / "projects" / "vendor"
    topology = json.loads((root / "world-atlas" / "countries-50m.json").read_text())
    names = {geometry["properties"]["name"] for geometry in
             topology["objects"]["countries"]["geometries"]}
    assert {"Croatia", "Germany", "Italy", "Portugal", "Slovenia"} <= names
    assert "ISC" in (root / "world-atlas" / "LICENSE").read_text() or \
        "Permission to use" in (root / "world-atlas" / "LICENSE").read_text()
    assert (root / "topojson-client" / "topojson-client.min.js").stat().st_size > 5000
