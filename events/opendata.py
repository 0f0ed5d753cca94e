"""The events dataset of the open-data catalogue (published events, no participants)."""

from django.utils.translation import gettext_lazy as _

from ecosystem.opendata.registry import Column, Dataset, Link, register

from .permissions import events_public


def register_datasets():
    register(Dataset(
        key="events", title=_("Events"),
        description=_("Published conferences, workshops, trainings, hackathons, study visits, "
                      "webinars and B2B matchmaking events: when, where and how to take part. "
                      "Participants are not included."),
        queryset=events_public, theme="EDUC", frequency="DAILY",
        keywords=("events", "matchmaking", "innovation"),
        links=(Link(_("iCalendar feed of upcoming events"), "/events/feed.ics",
                    "text/calendar"),),
        columns=(
            Column("id", "id", _("Number of the event on the portal")),
            Column("title", "title", _("Title")),
            Column("slug", "slug", _("Identifier in the event's address /events/<slug>/")),
            Column("kind", "kind", _("Kind (conference, workshop, matchmaking, ...)")),
            Column("mode", "mode", _("in_person, online or hybrid")),
            Column("language", "language", _("Language code")),
            Column("summary", "summary", _("Short summary")),
            Column("starts_at", "starts_at", _("Start (ISO 8601, UTC)")),
            Column("ends_at", "ends_at", _("End (ISO 8601, UTC)")),
            Column("time_zone", "time_zone", _("Local time zone of the event")),
            Column("status", "status", _("scheduled, postponed, moved online or cancelled")),
            Column("venue_name", "venue_name", _("Venue")),
            Column("street_address", "street_address", _("Street address of the venue")),
            Column("postal_code", "postal_code", _("Postal code")),
            Column("city", "city__name", _("City")),
            Column("latitude", "latitude", _("Latitude (WGS 84)")),
            Column("longitude", "longitude", _("Longitude (WGS 84)")),
            Column("online_url", "online_url", _("Address of the online event")),
            Column("registration_required", "registration_required",
                   _("true when people register on the portal")),
            Column("capacity", "capacity", _("Places, if limited")),
            Column("matchmaking", "matchmaking", _("true for events with B2B meetings")),
            Column("updated_at", "updated_at", _("Last change (ISO 8601)")),
        ),
    ))
