"""Projects, pilots, indicators, measurements and moderated feedback (without authors)."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from ecosystem.opendata.registry import Column, Dataset, Link, register

from .models import Measurement, PilotIndicator
from .permissions import (
    feedback_visible_to,
    pilots_visible_to,
    projects_visible_to,
    roadmaps_visible_to,
)


def _scale_columns(path: str = "") -> tuple[Column, ...]:
    """An indicator's unit, baseline and target, the same columns in every dataset that has
    them (``path`` leads from the row to the indicator)."""
    return (
        Column("unit", f"{path}unit", _("Unit")),
        Column("baseline", f"{path}baseline", _("Baseline")),
        Column("target", f"{path}target", _("Target")),
    )


def _public():
    return AnonymousUser()


def register_datasets():
    register(Dataset(
        key="projects", title=_("Projects"),
        description=_("EU-funded and other innovation projects: acronym, funding programme, "
                      "dates, budget and status."),
        queryset=lambda: projects_visible_to(_public()), theme="TECH", frequency="WEEKLY",
        keywords=("EU funding", "Interreg", "innovation"),
        columns=(
            Column("id", "id", _("Number of the project on the portal")),
            Column("acronym", "acronym", _("Acronym")),
            Column("title", "title", _("Title")),
            Column("slug", "slug", _("Identifier in the project's address")),
            Column("funding_programme", "funding_programme", _("Funding programme")),
            Column("status", "status", _("ongoing or completed")),
            Column("start_date", "start_date", _("Start (ISO 8601 date)")),
            Column("end_date", "end_date", _("End (ISO 8601 date)")),
            Column("budget", "budget", _("Total budget (EUR)")),
            Column("eu_funding", "eu_funding", _("EU funding (EUR)")),
            Column("website", "website", _("Website")),
            Column("updated_at", "updated_at", _("Last change (ISO 8601)")),
        ),
    ))
    register(Dataset(
        key="pilots", title=_("Pilots"),
        description=_("Trials of solutions in cities, with their place on the map and status."),
        queryset=lambda: pilots_visible_to(_public()), theme="TECH", frequency="WEEKLY",
        keywords=("pilot", "smart city", "living lab"),
        links=(Link(_("GeoJSON of the pilots"), "/api/v1/pilots/?format=geojson",
                    "application/geo+json", "GEOJSON"),),
        columns=(
            Column("id", "id", _("Number of the pilot on the portal")),
            Column("title", "title", _("Title")),
            Column("slug", "slug", _("Identifier in the pilot's address")),
            Column("project", "project__acronym", _("Acronym of its project")),
            Column("city", "city__name", _("City")),
            Column("status", "status", _("planned, running, completed or stopped")),
            Column("start_date", "start_date", _("Start (ISO 8601 date)")),
            Column("end_date", "end_date", _("End (ISO 8601 date)")),
            Column("address", "address", _("Where the pilot runs")),
            Column("latitude", "latitude", _("Latitude (WGS 84)")),
            Column("longitude", "longitude", _("Longitude (WGS 84)")),
            Column("updated_at", "updated_at", _("Last change (ISO 8601)")),
        ),
    ))
    register(Dataset(
        key="pilot-indicators", title=_("Pilot indicators"),
        description=_("What each pilot measures: baseline, target and current value."),
        queryset=lambda: PilotIndicator.objects.filter(
            pilot__in=pilots_visible_to(_public())),
        theme="REGI", frequency="WEEKLY", keywords=("indicators", "pilot"),
        columns=(
            Column("id", "id", _("Number of the indicator")),
            Column("pilot", "pilot__slug", _("Identifier of the pilot")),
            Column("name", "name", _("Indicator")),
            *_scale_columns(),
            Column("value", "value", _("Current value")),
            Column("updated_at", "updated_at", _("Last change (ISO 8601)")),
        ),
    ))
    register(Dataset(
        key="measurements", title=_("Roadmap indicators and measurements"),
        description=_("Values measured for the indicators of cities' roadmaps in mentor-city "
                      "programmes, over time."),
        queryset=lambda: Measurement.objects.filter(
            indicator__roadmap__in=roadmaps_visible_to(_public())),
        theme="REGI", frequency="WEEKLY", modified="recorded_at",
        keywords=("indicators", "roadmap", "mentor cities"),
        columns=(
            Column("id", "id", _("Number of the measurement")),
            Column("programme", "indicator__roadmap__programme__slug",
                   _("Identifier of the programme")),
            Column("city", "indicator__roadmap__city__name", _("City")),
            Column("indicator_code", "indicator__code", _("Code of the indicator")),
            Column("indicator", "indicator__name", _("Indicator")),
            *_scale_columns("indicator__"),
            Column("date", "date", _("Date of the measurement (ISO 8601)")),
            Column("value", "value", _("Measured value")),
        ),
    ))
    register(Dataset(
        key="feedback", title=_("Citizens' feedback on pilots"),
        description=_("Comments and ideas of citizens on pilots, published after moderation, "
                      "without their authors."),
        queryset=lambda: feedback_visible_to(_public()), theme="SOCI", frequency="DAILY",
        modified="moderated_at", keywords=("citizen participation", "feedback"),
        columns=(
            Column("id", "id", _("Number of the feedback")),
            Column("pilot", "pilot__slug", _("Identifier of the pilot")),
            Column("kind", "kind", _("comment or idea")),
            Column("text", "body", _("The text as published (e-mail addresses and phone "
                                                 "numbers replaced by […])"), free_text=True),
            Column("latitude", "latitude", _("Latitude of the point on the map, if any")),
            Column("longitude", "longitude", _("Longitude of the point on the map, if any")),
            Column("created_at", "created_at", _("Submitted (ISO 8601)")),
        ),
    ))
