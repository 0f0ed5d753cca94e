"""Pages built from every app's contribution: the home page, "My portal", an organisation's profile.

The page's owner knows nothing about the apps that contribute (dependencies point one way),
so each app registers a builder in its ``AppConfig.ready()``. A builder takes keyword
arguments given by the page (always ``viewer``; the profile adds ``organisation``) and returns
a ``Section`` or ``None`` (nothing to show: the section is left out). The page includes
``section.template`` with ``section`` in the context (its data under ``section.context``).
Sections are sorted by ``order``, then key. Keep each builder to a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Section:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    key: str = ""
    url: str = ""


SectionBuilder = Callable[..., Section | None]


class SectionRegistry:
    def __init__(self):
        self._builders: dict[str, SectionBuilder] = {}

    def register(self, key: str, builder: SectionBuilder) -> None:
        """Add (or replace, if ``key`` is taken) one section builder."""
        self._builders[key] = builder

    def build(self, **kwargs) -> list[Section]:
        sections = []
        for key, builder in self._builders.items():
            section = builder(**kwargs)
            if section is not None:
                sections.append(section if section.key else replace(section, key=key))
        return sorted(sections, key=lambda section: (section.order, section.key))


home_sections = SectionRegistry()
# "My portal" (/me/): what the signed-in person has going on in each app. Builders take
# ``viewer`` and return None when the person has nothing there (no evaluations: no section).
portal_sections = SectionRegistry()


@dataclass(frozen=True)
class PersonalLink:
    """A link to one of the signed-in person's own pages, in the header's "My portal" menu.

    The menu is on every page, so most links cost no query. A page that exists for some people
    only (an evaluator's desk) gives ``shown_to(user) -> bool``: keep it to one indexed
    ``EXISTS``; it is asked once per page, only when the menu is drawn.
    """

    key: str
    label: str
    url_name: str
    order: int = 100
    shown_to: Callable | None = None


class PersonalLinkRegistry:
    def __init__(self):
        self._links: dict[str, PersonalLink] = {}

    def register(self, link: PersonalLink) -> None:
        self._links[link.key] = link

    def all(self) -> list[PersonalLink]:
        return sorted(self._links.values(), key=lambda link: (link.order, link.key))

    def for_viewer(self, viewer) -> list[PersonalLink]:
        """The links of ``viewer``'s menu (the conditional ones asked now)."""
        if not getattr(viewer, "is_authenticated", False):
            return []
        return [link for link in self.all() if link.shown_to is None or link.shown_to(viewer)]


personal_links = PersonalLinkRegistry()
