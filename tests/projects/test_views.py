"""What the pages show: filters, helix balance, charts with text alternatives."""

import re

import pytest

from projects.models import Measurement
from stakeholders.models import OrganisationKind
from tests.factories import CityFactory, OrganisationFactory, ThemeFactory

from .factories import IndicatorFactory, PartnerFactory, PilotFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _acronyms(client, query):
    html = client.get(f"/projects/?{query}").content.decode()
    return sorted(set(re.findall(r'<h3><a href="/projects/[^"]+/">([^<]+)</a>', html)))


def test_project_filters(client):
    mobility = ThemeFactory(slug="mobility")
    trento = CityFactory(slug="trento")
    med = ProjectFactory(acronym="MED", funding_programme="interreg_med")
    med.themes.add(mobility)
    PartnerFactory(project=med, organisation=OrganisationFactory(kind=OrganisationKind.NGO))
    inno = ProjectFactory(acronym="INNO", funding_programme="interreg_ce", status="completed")
    PilotFactory(project=inno, city=trento)
    partner_city = ProjectFactory(acronym="PARTNER", funding_programme="cosme")
    PartnerFactory(project=partner_city, organisation=OrganisationFactory(city=trento))
    ProjectFactory(acronym="DRAFT", status="draft")
    assert _acronyms(client, "") == ["INNO", "MED", "PARTNER"]
    assert _acronyms(client, "theme=mobility") == ["MED"]
    assert _acronyms(client, "programme=interreg_ce") == ["INNO"]
    assert _acronyms(client, "city=trento") == ["INNO", "PARTNER"]
    assert _acronyms(client, "status=completed") == ["INNO"]
    assert _acronyms(client, "helix=civil") == ["MED"]
    assert _acronyms(client, "status=draft") == []


def test_helix_balance_is_shown_as_svg_and_text(client, world):
    html = client.get(world.project.get_absolute_url()).content.decode()
    assert '<svg class="helix-bar"' in html and "<title" in html and "<desc" in html
    assert "Industry: 1 (50%)" in html and "Academia &amp; research: 1 (50%)" in html
    assert "Missing:" in html and "Civil society" in html


def test_dashboard_draws_each_indicator_with_title_desc_and_table(client, world):
    Measurement.objects.create(indicator=world.indicator_x, date="2022-06-30", value=118)
    html = client.get(f"/programmes/{world.programme.slug}/cities/{world.city_x.slug}/").content.decode()
    assert 'role="img"' in html and "<polyline" in html
    assert re.search(r"<title id=\"chart-open-datasets-title\">Open datasets published", html)
    assert "Baseline 40 datasets, target 150 datasets" in html
    assert "Latest value 118 datasets" in html
    assert "<caption>Open datasets published (datasets) over time</caption>" in html
    assert 'aria-current="step"' in html


def test_chart_coordinates_are_not_localised(client, world, settings):
    Measurement.objects.create(indicator=world.indicator_x, date="2022-06-30", value=118)
    client.post("/i18n/setlang/", {"language": "de"})
    html = client.get(f"/programmes/{world.programme.slug}/cities/{world.city_x.slug}/").content.decode()
    points = re.search(r'<polyline class="series" points="([^"]+)"', html).group(1)
    assert re.fullmatch(r"[\d.]+,[\d.]+( [\d.]+,[\d.]+)+", points), points


def test_programme_compares_cities_on_a_chosen_indicator(client, world):
    IndicatorFactory(roadmap=world.roadmap_x, code="co2", name="CO2 per inhabitant")
    html = client.get(f"/programmes/{world.programme.slug}/?indicator=open-datasets").content.decode()
    assert "Open datasets published by city" in html and "Xanten" in html and "Ypres" in html
    assert "no measurement yet" in html  # Ypres has none, said in the chart's description
    html = client.get(f"/programmes/{world.programme.slug}/?indicator=co2").content.decode()
    table = html.split("CO2 per inhabitant by city")[1].split("</table>")[0]
    assert "Xanten" in table and "Ypres" not in table


def test_unknown_indicator_code_is_not_an_error(client, world):
    response = client.get(f"/programmes/{world.programme.slug}/?indicator=%3Cscript%3E")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</footer>")[0]
