"""What projects contribute to pages of other apps (see ecosystem/sections.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecosystem.sections import Section

from . import selectors
from .models import Pilot


def running_pilots(*, viewer) -> Section | None:
    pilots = list(selectors.pilot_list(viewer=viewer).filter(status=Pilot.Status.RUNNING)[:3])
    if not pilots:
        return None
    return Section(
        title=_("Pilots running now"), template="projects/sections/running_pilots.html",
        context={"pilots": pilots}, order=30, url=reverse("projects:pilot-map"),
    )
