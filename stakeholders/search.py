"""What the directory contributes to the portal's search (registered in ``apps.py``)."""

from django.utils.translation import gettext_lazy as _

from ecosystem.search.registry import (
    Document,
    SearchableKind,
    register,
    register_facet_labels,
    translations,
)

from . import permissions
from .filters import OrganisationFilter
from .models import Country, Helix, Organisation


def organisation_document(organisation: Organisation) -> Document:
    city = organisation.city
    return Document(
        title=organisation.name,
        body=" ".join(filter(None, [organisation.description, organisation.nuts_region,
                                    city.name if city else ""])),
        url=organisation.get_absolute_url(),
        theme_ids=tuple(theme.pk for theme in organisation.themes.all()),
        city=city.name if city else "",
        country=organisation.country,
        helix=organisation.helix,
        published_at=organisation.created_at,
        translations=translations(organisation, title="name", body=("description",)),
    )


def register_search() -> None:
    register_facet_labels("country", Country.choices)
    register_facet_labels("helix", Helix.choices)
    register(SearchableKind(
        key="stakeholders.organisation", label=_("Organisation"), model=Organisation, order=50,
        document=organisation_document,
        visible_to=permissions.organisations_visible_to,
        indexed=lambda: Organisation.objects.select_related("city").prefetch_related("themes"),
        list_url_name="stakeholders:organisation-list",
        list_filter=lambda viewer, params: OrganisationFilter(
            params, queryset=permissions.organisations_visible_to(viewer)).qs,
    ))
