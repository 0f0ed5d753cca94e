"""allauth's and Django's sign-up and sign-in signals (receivers connected in
``EcosystemConfig.ready``), so the profile keeps the language a person last chose: the one
they registered in, or the one they picked in this browser before signing in. (A browser
without a choice gets the profile's language from ``LanguageMiddleware``.)"""

from django.conf import settings
from django.utils import translation

from .preferences import user_language_set


def remember_signup_language(sender, request, user, **kwargs):
    user_language_set(user=user, language=translation.get_language())


def remember_chosen_language(sender, request, user, **kwargs):
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) if request is not None else None
    if chosen:
        user_language_set(user=user, language=chosen)
