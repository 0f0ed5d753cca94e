from urllib.parse import urlencode

from django.conf import settings


def languages(request):
    """``language_alternates`` for ``<link rel="alternate" hreflang>`` (the same page with
    ``?lang=``) and ``language_next``: the current page without ``lang``, where the footer's
    language switcher returns to (so the new choice is not overridden by the old ``?lang``)."""
    query = request.GET.copy()
    query.pop("lang", None)
    rest = query.urlencode()
    here = settings.SITE_URL + request.path
    alternates = [
        {"code": code, "url": here + "?" + urlencode({"lang": code}) + ("&" + rest if rest else "")}
        for code, _name in settings.LANGUAGES
    ]
    return {
        "language_alternates": alternates,
        "language_default_url": here + ("?" + rest if rest else ""),
        "language_next": request.path + ("?" + rest if rest else ""),
    }
