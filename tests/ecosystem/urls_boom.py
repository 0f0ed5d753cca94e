"""The portal's URLs plus views that fail, to test the error handlers."""

from django.urls import path

from ecosystem.urls import *  # noqa: F401,F403
from ecosystem.urls import urlpatterns as portal_urlpatterns


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("api/v1/boom/", boom),
    path("boom/", boom),
    *portal_urlpatterns,
]
