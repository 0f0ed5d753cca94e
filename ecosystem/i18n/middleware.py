"""The reader's language, after Django's ``LocaleMiddleware`` (which follows the language
cookie, then the browser's ``Accept-Language``, and sets ``Content-Language``):

- ``?lang=hr`` on any URL shows that one response in that language (the API's explicit
  choice, and the target of the ``hreflang`` alternates); it is not remembered. On a page an
  unknown code is ignored; the API answers it with 400, as its schema lists the codes;
- a signed-in person whose browser has no language cookie yet (a new browser, just signed in)
  gets the language of their profile, and the cookie is set so the next pages keep it.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from ecosystem.api.errors import error_body

from .preferences import supported


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        requested = request.GET.get("lang", "")
        language = supported(requested)
        if requested and not language and request.path.startswith("/api/"):
            return _unknown_language(requested)
        remember = None
        if not language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                language = remember = supported(user.language)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if remember and settings.LANGUAGE_COOKIE_NAME not in response.cookies:
            set_language_cookie(response, remember)
        return response


def set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language,
        max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _unknown_language(code: str) -> JsonResponse:
    codes = ", ".join(code for code, _name in settings.LANGUAGES)
    return JsonResponse(error_body(
        _("The portal is not written in %(code)s.") % {"code": code[:20]}, "invalid",
        {"lang": [_("One of: %(choices)s.") % {"choices": codes}]}), status=400)
