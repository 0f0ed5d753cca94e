from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.SearchApi.as_view(), name="search"),
    path("search/suggestions/", views.SuggestionsApi.as_view(), name="search-suggestions"),
    path("me/saved-searches/", views.SavedSearchListApi.as_view(), name="saved-search-list"),
    path("me/saved-searches/<int:pk>/", views.SavedSearchDetailApi.as_view(),
         name="saved-search-detail"),
]
