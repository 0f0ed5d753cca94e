from django.urls import path

from . import views

urlpatterns = [
    path("me/recommendations/", views.MyRecommendationsApi.as_view(), name="my-recommendations"),
    path("me/recommendations/not-interested/", views.NotInterestedApi.as_view(),
         name="my-recommendations-not-interested"),
]
