"""What stakeholders contribute to "My portal" (see ecosystem/sections.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecosystem.sections import Section

from . import selectors


def my_organisations(*, viewer) -> Section | None:
    memberships = list(selectors.memberships_of(user=viewer)[:5])
    invitations = list(selectors.invitations_for(user=viewer)[:5])
    if not memberships and not invitations:
        return None
    return Section(
        title=_("Your organisations"), template="stakeholders/sections/my_organisations.html",
        context={"memberships": memberships, "invitations": invitations}, order=30,
        url=reverse("stakeholders:my-organisations"),
    )
