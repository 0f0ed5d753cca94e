from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView

from . import views
from .api.docs import ApiDocsView

admin.site.site_header = _("Smart City Innovation Ecosystem — staff")
admin.site.site_title = _("Ecosystem admin")
admin.site.index_title = _("Run programmes, events and calls")

api_v1 = [
    path("", include("ecosystem.api.urls")),
    path("", include("stakeholders.api.urls")),
    path("", include("ecosystem.notifications.api.urls")),
    path("", include("ecosystem.matching.api.urls")),
    path("", include("events.api.urls")),
    path("", include("procurement.api.urls")),
    path("", include("projects.api.urls")),
    path("", include("ecosystem.search.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.my_portal, name="my-portal"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/", include("ecosystem.i18n.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("stakeholders.urls")),
    path("", include("ecosystem.notifications.urls")),
    path("", include("ecosystem.privacy.urls")),
    path("", include("ecosystem.opendata.urls")),
    path("", include("ecosystem.matching.urls")),
    path("", include("events.urls")),
    path("", include("procurement.urls")),
    path("", include("projects.urls")),
    path("", include("ecosystem.search.urls")),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler400 = "ecosystem.views.bad_request"
handler403 = "ecosystem.views.permission_denied"
handler404 = "ecosystem.views.page_not_found"
handler500 = "ecosystem.views.server_error"
