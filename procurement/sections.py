"""What procurement contributes to pages of other apps (see ecosystem/sections.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.sections import Section

from . import selectors
from .models import Call


def open_calls(*, viewer) -> Section | None:
    calls = list(
        selectors.call_list(viewer=viewer)
        .filter(status=Call.Status.PUBLISHED, submission_deadline__gt=timezone.now())
        .order_by("submission_deadline", "id")[:3]
    )
    if not calls:
        return None
    return Section(
        title=_("Calls open for applications"), template="procurement/sections/open_calls.html",
        context={"calls": calls}, order=20, url=reverse("procurement:call-list"),
    )
