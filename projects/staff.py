"""What projects ask of city staff, on the admin dashboard (``ecosystem.staff``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecosystem.staff import StaffTask

from .models import Feedback


def feedback_to_moderate(*, viewer, now) -> StaffTask:
    count = Feedback.objects.filter(status=Feedback.Status.PENDING).count()
    return StaffTask(title=_("Feedback to moderate"), count=count, order=10,
                     url=reverse("admin:projects_feedback_changelist")
                     + f"?status__exact={Feedback.Status.PENDING}")


def register() -> None:
    from ecosystem.staff import admin_groups, staff_tasks

    staff_tasks.register("projects.feedback", feedback_to_moderate)
    admin_groups.place_app("projects", "programmes")
