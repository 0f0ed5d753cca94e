from rest_framework.routers import DefaultRouter

from .views import CityViewSet, MyMembershipViewSet, OrganisationViewSet, ThemeViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("themes", ThemeViewSet, basename="theme")
router.register("cities", CityViewSet, basename="city")
router.register("me/memberships", MyMembershipViewSet, basename="my-membership")

urlpatterns = router.urls
