""""For you" on the signed-in home page and on an organisation's page (for its members)."""

from django.utils.translation import gettext_lazy as _

from ecosystem.sections import Section

from .selectors import recommendations_for


def for_you(*, viewer, organisation=None, limit: int = 6) -> Section | None:
    if not getattr(viewer, "is_authenticated", False):
        return None
    items = recommendations_for(
        viewer=viewer, limit=limit,
        organisation_ids=[organisation.pk] if organisation is not None else None,
    )
    if not items:
        return None
    return Section(title=_("For you"), template="matching/sections/for_you.html",
                   context={"items": items}, order=5)
