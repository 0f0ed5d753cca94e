"""What procurement asks of city staff, on the admin dashboard (``ecosystem.staff``)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecosystem.staff import StaffTask

from .models import Call, Question

CLOSING_DAYS = 7


def questions_to_answer(*, viewer, now) -> StaffTask:
    count = Question.objects.filter(
        answered_at__isnull=True, call__status=Call.Status.PUBLISHED,
        call__submission_deadline__gt=now).count()
    return StaffTask(title=_("Questions to answer"), count=count, order=20,
                     url=reverse("admin:procurement_question_changelist") + "?to_answer=yes")


def calls_closing(*, viewer, now) -> StaffTask:
    count = Call.objects.filter(
        status=Call.Status.PUBLISHED, submission_deadline__gt=now,
        submission_deadline__lte=now + timedelta(days=CLOSING_DAYS)).count()
    return StaffTask(title=_("Calls closing in 7 days"), count=count, order=30,
                     url=reverse("admin:procurement_call_changelist") + "?closes=7d")


def evaluations_due(*, viewer, now) -> StaffTask:
    count = Call.objects.filter(status=Call.Status.EVALUATION).count()
    return StaffTask(title=_("Calls under evaluation"), count=count, order=40,
                     url=reverse("admin:procurement_call_changelist")
                     + f"?status__exact={Call.Status.EVALUATION}",
                     help=_("Evaluators score them; the chair then awards on the buyer desk."))


def register() -> None:
    from ecosystem.staff import admin_groups, staff_tasks

    staff_tasks.register("procurement.questions", questions_to_answer)
    staff_tasks.register("procurement.closing", calls_closing)
    staff_tasks.register("procurement.evaluations", evaluations_due)
    admin_groups.place_app("procurement", "procurement")
    admin_groups.place("procurement", ["procurement.release"], technical=True)
