"""The pages in headless Chromium: the map draws the pilots from the GeoJSON with the vendored
Leaflet (nothing from another host), a click on the pilot's map fills in the feedback point,
and axe-core finds no WCAG 2.1 A/AA violation."""

from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.test import Client

from projects.models import Feedback, Measurement, PilotIndicator
from tests.browser.conftest import DESKTOP, PHONE, describe
from tests.factories import CityFactory, OrganisationFactory, ThemeFactory, UserFactory

from .factories import (
    ActionFactory,
    FeedbackFactory,
    IndicatorFactory,
    PartnerFactory,
    PhaseFactory,
    PilotFactory,
    ProgrammeCityFactory,
    ProgrammeFactory,
    ProjectFactory,
    ResultFactory,
    RoadmapFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pilots(db):
    mobility = ThemeFactory(name="Mobility", slug="mobility")
    karlsruhe = CityFactory(name="Karlsruhe", slug="karlsruhe", latitude=Decimal("49.0069"),
                            longitude=Decimal("8.4037"))
    trento = CityFactory(name="Trento", slug="trento", latitude=Decimal("46.0748"),
                         longitude=Decimal("11.1217"))
    project = ProjectFactory(acronym="URBAN INNO", slug="urban-inno", summary="Pilots with citizens.")
    for kind in ["cluster", "municipality", "university"]:
        PartnerFactory(project=project, organisation=OrganisationFactory(kind=kind))
    ResultFactory(project=project, achieved=2)
    ebikes = PilotFactory(project=project, city=karlsruhe, title="eBikes & Energy",
                          slug="karlsruhe-ebikes", summary="Citizens suggest charging stations.")
    ebikes.themes.add(mobility)
    PilotFactory(project=project, city=trento, title="Code sprint", slug="trento-code-sprint",
                 latitude=Decimal("46.0699"), longitude=Decimal("11.1211"), status="completed")
    PilotFactory(city=karlsruhe, title="Cargo bikes", slug="karlsruhe-cargo", status="planned",
                 latitude=Decimal("49.0120"), longitude=Decimal("8.4200"))
    FeedbackFactory(pilot=ebikes, status="published", body="A station at Kronenplatz.",
                    latitude=Decimal("49.0085"), longitude=Decimal("8.4108"))
    return ebikes


@pytest.fixture
def programme(db):
    programme = ProgrammeFactory(name="Intelligent Cities Challenge", slug="icc")
    PhaseFactory(programme=programme)
    city = CityFactory(name="Maribor", slug="maribor")
    ProgrammeCityFactory(programme=programme, city=city)
    roadmap = RoadmapFactory(programme=programme, city=city)
    ActionFactory(roadmap=roadmap, title="Open-data portal", status="done")
    indicator = IndicatorFactory(roadmap=roadmap)
    for day, value in [("2021-06-30", 55), ("2021-12-31", 80), ("2022-06-30", 118)]:
        Measurement.objects.create(indicator=indicator, date=day, value=value)
    return programme


def _sign_in(page, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": page.base}])


def test_map_draws_every_pilot_from_local_assets_only(page, shot, pilots, settings):
    settings.MAP_TILE_URL = ""
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page.base + "/pilots/map/")
    page.wait_for_selector("#pilot-map[data-ready='1']")
    assert page.locator(".pilot-marker").count() == 3
    # The offline basemap: Natural Earth country outlines drawn under the markers.
    page.wait_for_selector(".leaflet-basemap-pane path", state="attached")
    assert page.locator(".leaflet-basemap-pane path").count() > 50
    assert page.locator("#map-legend").is_visible()
    assert page.locator(".map-city-label", has_text="Trento").count() == 1
    outside = [url for url in requests if not url.startswith(page.base) and not url.startswith("data:")]
    assert outside == []
    assert any(url.endswith("/api/v1/pilots/geojson/") for url in requests)
    shot(page, "projects-pilot-map")


def test_map_filters_reach_the_geojson(page, pilots):
    page.goto(page.base + "/pilots/map/?status=planned")
    page.wait_for_selector("#pilot-map[data-ready='1']")
    assert page.locator(".pilot-marker").count() == 1
    assert page.locator(".pilot-list > li").count() == 1


def test_pilots_at_one_place_stay_apart_and_open_by_keyboard(page, shot, pilots, settings):
    settings.MAP_TILE_URL = ""
    for title, slug in [("Smart bins", "karlsruhe-bins"), ("Air sensors", "karlsruhe-air")]:
        PilotFactory(city=pilots.city, title=title, slug=slug, status="running",
                     latitude=Decimal("49.0069"), longitude=Decimal("8.4037"))
    page.goto(page.base + "/pilots/map/")
    page.wait_for_selector("#pilot-map[data-ready='1']")
    markers = page.locator(".pilot-marker")
    assert markers.count() == 5
    assert page.get_attribute("#pilot-map", "data-spread-groups") == "1"
    boxes = [markers.nth(index).bounding_box() for index in range(5)]
    centres = {(round(box["x"] + box["width"] / 2), round(box["y"] + box["height"] / 2))
               for box in boxes}
    assert len(centres) == 5  # none hides another
    bins = page.locator(".pilot-marker[title='Smart bins']")
    bins.focus()
    assert bins.get_attribute("role") == "button"
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content a", state="visible")
    assert page.locator(".leaflet-popup-content a").inner_text() == "Smart bins"
    assert page.locator(".pilot-list > li").count() == 5  # the list next to the map stays
    shot(page, "projects-pilot-map-spread")


def test_pilot_indicators_fit_a_360_px_phone(page, shot, pilots):
    for position, (name, unit, baseline, value, target) in enumerate([
        ("Charging sessions per month", "sessions", "1200", "8200", "9500"),
        ("Share of residents who find a charger within 300 m", "%", "40", "95.5", "98"),
        ("Complaints about blocked pavements", "", "30", None, "5"),
    ]):
        PilotIndicator.objects.create(pilot=pilots, name=name, unit=unit, baseline=baseline,
                                      value=value, target=target, position=position)
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(page.base + f"/pilots/{pilots.slug}/", wait_until="networkidle")
    section = page.locator("section[aria-labelledby=indicators-heading]")
    assert "95.5" in section.inner_text() and "95.500" not in section.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    table = section.locator("table").bounding_box()
    assert table["x"] >= 0 and table["x"] + table["width"] <= 360
    path = shot(page, "projects-pilot-indicators-360")
    section.screenshot(path=str(path.with_name("projects-pilot-indicators-360-section.png")))


def test_without_javascript_the_list_still_works(browser, live_server, pilots):
    context = browser.new_context(java_script_enabled=False)
    page_ = context.new_page()
    page_.goto(live_server.url + "/pilots/map/")
    assert page_.locator(".pilot-list > li").count() == 3
    assert not page_.locator("#pilot-map").is_visible()
    context.close()


def test_click_on_the_map_puts_the_idea_there(page, shot, pilots):
    citizen = UserFactory(email="petra@example.org")
    _sign_in(page, citizen)
    page.goto(page.base + f"/pilots/{pilots.slug}/")
    page.wait_for_selector("#pilot-map path.leaflet-interactive")
    box = page.locator("#pilot-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.3)
    latitude = page.input_value("#id_latitude")
    longitude = page.input_value("#id_longitude")
    assert latitude and longitude
    page.check("input[name=kind][value=idea]")
    page.fill("#id_body", "A charging station here, please.")
    page.click("text=Send for moderation")
    page.wait_for_selector(".message-success")
    feedback = Feedback.objects.get(author=citizen)
    assert feedback.status == "pending"
    assert abs(float(feedback.latitude) - float(latitude)) < 1e-5
    assert float(feedback.latitude) > 49.0 - 0.1 and float(feedback.longitude) > 8.3
    shot(page, "projects-pilot-feedback-sent")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name, path", [
    ("projects", "/projects/"),
    ("project", "/projects/urban-inno/"),
    ("map", "/pilots/map/"),
    ("pilot", "/pilots/karlsruhe-ebikes/"),
    ("programmes", "/programmes/"),
    ("programme", "/programmes/icc/?indicator=open-datasets"),
    ("dashboard", "/programmes/icc/cities/maribor/"),
])
def test_no_wcag_21_aa_violations(page, axe, shot, pilots, programme, viewport, name, path):
    page.set_viewport_size(viewport)
    response = page.goto(page.base + path)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    shot(page, f"projects-axe-{name}-{viewport['width']}")
    violations = axe(page)
    assert not violations, describe(violations)
