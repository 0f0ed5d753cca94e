from django.urls import path

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/mine/", views.my_organisations, name="my-organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
]
