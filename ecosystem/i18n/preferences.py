"""A person's language: kept on the profile (``User.language``), used for the pages after they
sign in and for every e-mail and notification written to them."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import get_supported_language_variant


def supported(code: str | None) -> str | None:
    """The portal language for ``code`` ("hr", "de-AT" -> "de"), or None."""
    if not code:
        return None
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return None


@transaction.atomic
def user_language_set(*, user, language: str) -> None:
    """Keep ``language`` on the person's profile (a no-op when unchanged or unsupported)."""
    language = supported(language)
    if language and language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
