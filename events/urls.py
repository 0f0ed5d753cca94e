from django.urls import path

from . import feeds, views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="event-list"),
    path("events/calendar/", views.event_calendar, name="calendar"),
    path("events/feed.ics", views.feed_ics, name="feed-ics"),
    path("events/feed.rss", feeds.UpcomingEventsFeed(), name="feed-rss"),
    path("events/feed.atom", feeds.UpcomingEventsAtomFeed(), name="feed-atom"),
    path("events/propose/", views.event_propose, name="event-propose"),
    path("events/registrations/", views.my_registrations, name="my-registrations"),
    path("events/registrations/<str:code>/", views.my_registration, name="my-registration"),
    path("events/registrations/<str:code>/cancel/", views.registration_cancel,
         name="registration-cancel"),
    path("events/meetings/", views.my_meetings, name="my-meetings"),
    path("events/meetings/<int:pk>/<str:action>/", views.meeting_request_action,
         name="meeting-request-action"),
    path("events/agenda/", views.agenda, name="agenda"),
    path("events/agenda/new-address/", views.agenda_token_regenerate, name="agenda-token"),
    path("events/agenda/<str:token>.ics", views.agenda_feed, name="agenda-feed"),
    path("events/<slug:slug>.ics", views.event_ics, name="event-ics"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    path("events/<slug:slug>/register/", views.event_register, name="event-register"),
    path("events/<slug:slug>/check-in/", views.checkin, name="checkin"),
    path("events/<slug:slug>/check-in/count/", views.checkin_count, name="checkin-count"),
    path("events/<slug:slug>/attendance.csv", views.attendance_csv, name="attendance-csv"),
    path("events/<slug:slug>/marketplace/", views.marketplace, name="marketplace"),
    path("events/<slug:slug>/marketplace/profile/", views.profile_edit, name="profile-new"),
    path("events/<slug:slug>/marketplace/profile/<int:pk>/", views.profile_edit,
         name="profile-edit"),
    path("events/<slug:slug>/marketplace/people-to-meet/", views.people_to_meet,
         name="people-to-meet"),
    path("events/<slug:slug>/marketplace/<int:profile_pk>/request/",
         views.meeting_request_new, name="meeting-request-new"),
    path("events/<slug:slug>/availability/", views.availability, name="availability"),
    path("events/<slug:slug>/scheduler/", views.scheduler, name="scheduler"),
    path("events/<slug:slug>/scheduler/status/", views.scheduler_status,
         name="scheduler-status"),
]
