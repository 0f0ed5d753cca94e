"""What matchmaking stores about people (the privacy registry): who said "not interested"."""

from django.utils.translation import gettext_lazy as _

from ecosystem.privacy import registry
from ecosystem.privacy.registry import ANONYMISE, PersonalData

from .models import NotInterested


def register():
    registry.register(PersonalData(
        model=NotInterested, fields=("user",),
        export_fields=("id", "kind", "target_id", "created_at"),
        erase=ANONYMISE, anonymise={"user": None},
        purpose=_("Suggestions you marked as not interesting for your organisation, so they "
                  "are not suggested again."),
        seen_by=_("You and your organisation's members (as hidden suggestions)."),
        kept=_("The organisation's choice stays, without your name."),
    ))
