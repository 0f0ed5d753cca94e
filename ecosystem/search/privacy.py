"""What search stores about people (the privacy registry): their saved searches."""

from django.utils.translation import gettext_lazy as _

from ecosystem.privacy import registry
from ecosystem.privacy.registry import PersonalData

from .models import SavedSearch


def register():
    registry.register(PersonalData(
        model=SavedSearch, fields=("owner", "name"), person=("owner",),
        export_fields=("id", "name", "path", "query_string", "frequency", "created_at",
                       "last_run_at"),
        purpose=_("Searches you saved, to tell you when something new matches them."),
        seen_by=_("You."),
    ))
