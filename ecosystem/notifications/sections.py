"""What notifications contribute to "My portal" (see ecosystem/sections.py)."""

from django.utils.translation import gettext_lazy as _

from ecosystem.sections import Section

from .selectors import followed_by


def followed(*, viewer) -> Section | None:
    targets = followed_by(viewer)
    if not targets:
        return None
    return Section(title=_("What you follow"), template="notifications/sections/followed.html",
                   context={"targets": [(target, target._meta.verbose_name) for target in targets]}, order=40)
