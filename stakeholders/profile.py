"""The "activity in the portal" part of an organisation's profile, built from every app.

Stakeholders knows nothing about events, calls or projects (dependencies point one way), so
each feature app contributes its own section. Register a builder in ``AppConfig.ready()``::

    from stakeholders.profile import ProfileSection, register_profile_section

    def _applications(*, organisation, viewer):
        rows = list(selectors.awarded_applications_of(organisation=organisation)[:5])
        if not rows:
            return None                       # nothing to show: the section is left out
        return ProfileSection(
            title=_("Contracts won"),
            template="procurement/profile_section.html",  # gets organisation, section
            context={"applications": rows},
            order=40,
        )

    register_profile_section("procurement.applications", _applications)

A builder receives the organisation and the viewer (respect what the viewer may see) and
returns a ``ProfileSection`` or ``None``. The template is included inside a titled panel with
``organisation`` and ``section`` (its data under ``section.context``). Sections appear sorted
by ``order``, then key. Keep each builder to a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ProfileSection:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    key: str = ""


SectionBuilder = Callable[..., ProfileSection | None]
_BUILDERS: dict[str, SectionBuilder] = {}


def register_profile_section(key: str, builder: SectionBuilder) -> None:
    """Add (or replace, if ``key`` is taken) one section builder."""
    _BUILDERS[key] = builder


def profile_sections(*, organisation, viewer) -> list[ProfileSection]:
    sections = []
    for key, builder in _BUILDERS.items():
        section = builder(organisation=organisation, viewer=viewer)
        if section is not None:
            sections.append(
                section if section.key else ProfileSection(**{**section.__dict__, "key": key})
            )
    return sorted(sections, key=lambda section: (section.order, section.key))


def _membership_section(*, organisation, viewer) -> ProfileSection:
    """What stakeholders itself knows: since when it is here, verification, clusters."""
    clusters = list(organisation.clusters.order_by("name").only("name", "slug"))
    return ProfileSection(
        title=_("In the portal"),
        template="stakeholders/sections/membership.html",
        context={"clusters": clusters},
        order=10,
    )


register_profile_section("stakeholders.membership", _membership_section)
