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

from django.utils.translation import gettext_lazy as _

from ecosystem.sections import Section, SectionRegistry

ProfileSection = Section
_registry = SectionRegistry()
register_profile_section = _registry.register


def profile_sections(*, organisation, viewer) -> list[Section]:
    return _registry.build(organisation=organisation, viewer=viewer)


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


def _for_you_section(*, organisation, viewer):
    """The organisation's own recommendations: only its members see them."""
    from ecosystem.matching.sections import for_you

    return for_you(viewer=viewer, organisation=organisation)


register_profile_section("matching.for_you", _for_you_section)
