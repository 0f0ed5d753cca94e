from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.catalogue, name="catalogue"),
    path("open-data/catalog.jsonld", views.catalog_jsonld, name="catalog-jsonld"),
    path("open-data/catalog.ttl", views.catalog_turtle, name="catalog-turtle"),
    path("open-data/<slug:key>.<str:fmt>", views.dataset_file, name="dataset-file"),
]
