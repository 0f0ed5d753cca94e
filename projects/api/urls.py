from django.urls import path
from rest_framework.routers import DefaultRouter

from .matching import ProjectPartnerContactApi, ProjectPartnerSuggestionsApi
from .views import FeedbackModerationViewSet, PilotViewSet, ProgrammeViewSet, ProjectViewSet

app_name = "projects-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("projects", ProjectViewSet, basename="project")
router.register("pilots/feedback", FeedbackModerationViewSet, basename="feedback")
router.register("pilots", PilotViewSet, basename="pilot")
router.register("programmes", ProgrammeViewSet, basename="programme")

urlpatterns = [
    path("projects/<slug:slug>/partner-suggestions/", ProjectPartnerSuggestionsApi.as_view(),
         name="project-partner-suggestions"),
    path("projects/<slug:slug>/partner-suggestions/<int:organisation_id>/contact/",
         ProjectPartnerContactApi.as_view(), name="project-partner-contact"),
    *router.urls,
]
