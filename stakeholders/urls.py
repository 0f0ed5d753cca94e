from django.urls import path

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/mine/", views.my_organisations, name="my-organisations"),
    path("organisations/suggest/", views.organisation_suggest, name="organisation-suggest"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_update, name="organisation-update"),
    path("organisations/<slug:slug>/members/", views.organisation_members,
         name="organisation-members"),
    path("organisations/<slug:slug>/members/invite/", views.invitation_create,
         name="invitation-create"),
    path("organisations/<slug:slug>/members/<int:pk>/remove/", views.membership_remove,
         name="membership-remove"),
    path("organisations/<slug:slug>/members/<int:pk>/role/", views.membership_role,
         name="membership-role"),
    path("organisations/<slug:slug>/members/<int:pk>/handover/", views.admin_handover,
         name="admin-handover"),
    path("organisations/<slug:slug>/invitations/<int:pk>/revoke/", views.invitation_revoke,
         name="invitation-revoke"),
    path("organisations/<slug:slug>/invitations/<int:pk>/resend/", views.invitation_resend,
         name="invitation-resend"),
    path("memberships/<int:pk>/leave/", views.membership_leave, name="membership-leave"),
    path("memberships/<int:pk>/visibility/", views.membership_visibility,
         name="membership-visibility"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("invitations/<str:token>/decline/", views.invitation_decline, name="invitation-decline"),
]
