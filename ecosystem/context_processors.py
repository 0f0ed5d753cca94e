from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    from .sections import personal_links

    user = getattr(request, "user", None)
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL,
            # Asked only when a page draws the signed-in person's menu.
            "personal_links": SimpleLazyObject(lambda: personal_links.for_viewer(user))}
