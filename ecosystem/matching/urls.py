from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("recommendations/not-interested/", views.not_interested, name="not-interested"),
]
