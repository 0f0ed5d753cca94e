"""The organisations dataset of the open-data catalogue (no people, no memberships)."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from ecosystem.opendata.registry import Column, Dataset, register

from .permissions import organisations_visible_to


def register_datasets():
    register(Dataset(
        key="organisations", title=_("Organisations"),
        description=_("Companies, research organisations, public authorities and civil society "
                      "organisations of the innovation ecosystem, with their helix, kind, "
                      "country and region. Who works there is not included."),
        queryset=lambda: organisations_visible_to(AnonymousUser()),
        theme="ECON", frequency="DAILY", keywords=("quadruple helix", "SME", "smart city"),
        columns=(
            Column("id", "id", _("Number of the organisation on the portal")),
            Column("name", "name", _("Name of the organisation")),
            Column("slug", "slug", _("Identifier in the portal's addresses")),
            Column("helix", "helix", _("Quadruple helix: industry, academia, government, "
                                       "civil_society")),
            Column("kind", "kind", _("Kind (sme, startup, university, municipality, ...)")),
            Column("country", "country", _("ISO 3166-1 alpha-2 country code")),
            Column("nuts_region", "nuts_region", _("NUTS region code")),
            Column("city", "city__name", _("City")),
            Column("website", "website", _("Website")),
            Column("size", "size", _("Size class")),
            Column("employees", "employees", _("Number of employees, if given")),
            Column("verified", "verified", _("true when city staff verified the organisation")),
            Column("created_at", "created_at", _("Registered on the portal (ISO 8601)")),
            Column("updated_at", "updated_at", _("Last change (ISO 8601)")),
        ),
    ))
