"""What matchmaking stores about people (the privacy registry): who said "not interested",
and what is suggested to people who act for no organisation."""

from django.utils.translation import gettext_lazy as _

from ecosystem.privacy import registry
from ecosystem.privacy.registry import ANONYMISE, DELETE, PersonalData

from .models import NotInterested, PersonNotInterested, PersonRecommendation


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
    registry.register(PersonalData(
        model=PersonRecommendation, fields=("person",),
        export_fields=("id", "kind", "target_id", "score", "reasons", "computed_at"),
        erase=DELETE,
        purpose=_("Events suggested to you, computed from the events you registered for and "
                  "what you follow."),
        seen_by=_("You only."),
        retention=_("Recomputed every night; deleted with your account."),
    ))
    registry.register(PersonalData(
        model=PersonNotInterested, fields=("person",),
        export_fields=("id", "kind", "target_id", "created_at"),
        erase=DELETE,
        purpose=_("Suggestions you marked as not interesting, so they are not suggested "
                  "again."),
        seen_by=_("You only."),
        retention=_("Until you erase your account."),
    ))
