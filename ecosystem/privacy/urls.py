from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.privacy_page, name="privacy"),
    path("account/data/", views.account_data, name="account-data"),
    path("account/data/exports/", views.export_create, name="export-create"),
    path("account/data/exports/<int:pk>/download/", views.export_download,
         name="export-download"),
    path("account/erase/", views.account_erase, name="account-erase"),
]
