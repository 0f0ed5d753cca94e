from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import (
    ApplicationViewSet,
    CallViewSet,
    ConflictDeclarationApi,
    OcdsReleasesApi,
    OcdsReleasesStreamApi,
    ScoresheetViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("calls", CallViewSet, basename="procurement-call")
router.register("applications", ApplicationViewSet, basename="procurement-application")
router.register("scoresheets", ScoresheetViewSet, basename="procurement-scoresheet")

urlpatterns = [
    path("ocds/releases/", OcdsReleasesApi.as_view(), name="ocds-releases"),
    path("ocds/releases/stream/", OcdsReleasesStreamApi.as_view(), name="ocds-releases-stream"),
    path("conflict-declarations/", ConflictDeclarationApi.as_view(),
         name="conflict-declarations"),
    *router.urls,
]
