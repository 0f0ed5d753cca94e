"""What the projects app stores about people (the privacy registry)."""

from django.utils.translation import gettext_lazy as _

from ecosystem.privacy import registry
from ecosystem.privacy.registry import DELETE, KEEP, PersonalData

from .models import (
    ExpectedResult,
    Feedback,
    Indicator,
    Measurement,
    Pilot,
    PilotIndicator,
    PilotUpdate,
    Programme,
    ProjectMember,
    RoadmapComment,
)

PROJECT_RECORD = _("Progress reports of EU-funded projects are evidence for the funder and "
                   "the public (audit of EU funds); the report stays, without your name.")


def register():
    registry.register_not_personal(
        [Pilot], _("A pilot's address is the place where it runs, not a person's address."))
    registry.register_not_personal(
        [PilotIndicator, Programme, Indicator],
        _("Names of indicators and programmes, not of people."))
    registry.register(PersonalData(
        model=ProjectMember, fields=("user",),
        export_fields=("id", "project_id", "project__acronym", "role", "created_at"),
        purpose=_("The projects you edit or contribute to."),
        seen_by=_("The project's editors and portal staff."), erase=DELETE,
    ))
    registry.register(PersonalData(
        model=ExpectedResult, fields=("updated_by",), erase=KEEP,
        export_fields=("id", "project_id", "title", "updated_at"),
        purpose=_("Project results whose progress you reported."),
        seen_by=_("Everyone (the result; not who reported it)."),
        kept=PROJECT_RECORD, kept_for=_("As long as the project is shown."),
    ))
    registry.register(PersonalData(
        model=PilotUpdate, fields=("author",), erase=KEEP,
        export_fields=("id", "pilot_id", "title", "created_at"),
        purpose=_("News you posted about a pilot."),
        seen_by=_("Everyone (the news; not its author)."),
        kept=PROJECT_RECORD, kept_for=_("As long as the pilot is shown."),
    ))
    registry.register(PersonalData(
        model=Feedback, fields=("author", "body", "latitude", "longitude", "moderated_by"),
        person=("author",), erase=DELETE, scrub=("body", "rejection_reason"),
        export_fields=("id", "pilot_id", "pilot__title", "kind", "body", "latitude",
                       "longitude", "status", "rejection_reason", "created_at"),
        purpose=_("Your comments and ideas on pilots, and where on the map you placed them."),
        seen_by=_("Moderators; once published, everyone (never with your name)."),
        retention=_("Until you erase your account; published feedback is open data without "
                    "its author."),
    ))
    registry.register(PersonalData(
        model=Measurement, fields=("recorded_by",), erase=KEEP,
        export_fields=("id", "indicator_id", "date", "value", "recorded_at"),
        purpose=_("Indicator values you recorded for a city's roadmap."),
        seen_by=_("Everyone (the value; not who recorded it)."),
        kept=_("Measurements are the programme's evidence of results; they stay without "
               "your name."),
        kept_for=_("As long as the programme is shown."),
    ))
    registry.register(PersonalData(
        model=RoadmapComment, fields=("author", "body"), person=("author",), erase=DELETE,
        scrub=("body",),
        export_fields=("id", "roadmap_id", "body", "created_at"),
        purpose=_("Your comments on cities' roadmaps."),
        seen_by=_("The programme's participants and staff."),
    ))
