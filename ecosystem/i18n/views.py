from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog
from django.views.i18n import set_language as django_set_language

from .preferences import supported, user_language_set


@require_POST
def set_language(request):
    """Django's ``set_language`` (cookie, safe redirect), and the profile of a signed-in
    person, so their e-mails and their next sign-in elsewhere use the same language."""
    response = django_set_language(request)
    language = supported(request.POST.get("language", ""))
    if language and request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    return response


# The JavaScript catalogue (djangojs domain) as a same-origin script: CSP-safe, no inline code.
# base.html asks for it with ?lang=<language>, so each language has its own cacheable URL.
javascript_catalog = cache_control(public=True, max_age=3600)(
    JavaScriptCatalog.as_view(domain="djangojs")
)
