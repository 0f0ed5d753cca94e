from rest_framework.routers import DefaultRouter

from .views import FeedbackModerationViewSet, PilotViewSet, ProgrammeViewSet, ProjectViewSet

app_name = "projects-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("projects", ProjectViewSet, basename="project")
router.register("pilots/feedback", FeedbackModerationViewSet, basename="feedback")
router.register("pilots", PilotViewSet, basename="pilot")
router.register("programmes", ProgrammeViewSet, basename="programme")

urlpatterns = router.urls
