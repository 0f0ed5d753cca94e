from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="page"),
    path("search/suggestions/", views.suggestions, name="suggestions"),
    path("search/saved/", views.saved_search_list, name="saved-list"),
    path("search/saved/new/", views.saved_search_create, name="saved-create"),
    path("search/saved/<int:pk>/", views.saved_search_edit, name="saved-edit"),
    path("search/saved/<int:pk>/delete/", views.saved_search_delete, name="saved-delete"),
]
