from rest_framework.routers import DefaultRouter

from .views import EventViewSet, MeetingRequestViewSet, RegistrationViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("events", EventViewSet, basename="event")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("meeting-requests", MeetingRequestViewSet, basename="meeting-request")

urlpatterns = router.urls
