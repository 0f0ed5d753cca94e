from django.urls import path

from . import views

urlpatterns = [
    path("setlang/", views.set_language, name="set_language"),
    path("js/", views.javascript_catalog, name="javascript-catalog"),
]
