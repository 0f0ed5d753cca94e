from django.conf import settings


def site(request):
    from .sections import personal_links

    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL,
            "personal_links": personal_links.all()}
