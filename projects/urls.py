from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list, name="project-list"),
    path("projects/suggest/", views.project_suggest, name="project-suggest"),
    path("projects/<slug:slug>/", views.project_detail, name="project-detail"),
    path("projects/<slug:slug>/edit/", views.project_edit, name="project-edit"),
    path("projects/<slug:slug>/status/", views.project_status, name="project-status"),
    path("projects/<slug:slug>/follow/", views.project_follow, name="project-follow"),
    path("projects/<slug:slug>/call-for-partners/answer/", views.project_partner_interest,
         name="project-partner-interest"),
    path("projects/<slug:slug>/partners/<int:organisation_id>/contact/",
         views.project_partner_contact, name="project-partner-contact"),
    path("projects/<slug:slug>/results/<int:pk>/", views.result_progress, name="result-progress"),
    path("pilots/", views.pilot_index, name="pilot-index"),
    path("pilots/map/", views.pilot_map, name="pilot-map"),
    path("pilots/feedback/moderation/", views.moderation_queue, name="moderation"),
    path("pilots/feedback/<int:pk>/moderate/", views.feedback_moderate, name="feedback-moderate"),
    path("pilots/<slug:slug>/", views.pilot_detail, name="pilot-detail"),
    path("pilots/<slug:slug>/edit/", views.pilot_edit, name="pilot-edit"),
    path("pilots/<slug:slug>/news/", views.pilot_news, name="pilot-news"),
    path("pilots/<slug:slug>/feedback/", views.pilot_feedback, name="pilot-feedback"),
    path("pilots/<slug:slug>/follow/", views.pilot_follow, name="pilot-follow"),
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme-detail"),
    path("programmes/<slug:slug>/cities/<slug:city_slug>/", views.city_dashboard,
         name="city-dashboard"),
    path("programmes/<slug:slug>/cities/<slug:city_slug>/roadmap/", views.roadmap_edit,
         name="roadmap-edit"),
    path("programmes/<slug:slug>/cities/<slug:city_slug>/actions/<int:pk>/", views.action_edit,
         name="action-edit"),
    path("programmes/<slug:slug>/cities/<slug:city_slug>/measurements/", views.measurement_add,
         name="measurement-add"),
    path("programmes/<slug:slug>/cities/<slug:city_slug>/comments/", views.roadmap_comment,
         name="roadmap-comment"),
]
