"""What events ask of city staff, on the admin dashboard (``ecosystem.staff``)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecosystem.staff import StaffTask

from .models import Event


def events_this_week(*, viewer, now) -> StaffTask:
    count = Event.objects.filter(starts_at__gte=now, starts_at__lt=now + timedelta(days=7)).count()
    return StaffTask(title=_("Events in the next 7 days"), count=count, order=60,
                     url=reverse("admin:events_event_changelist") + "?when=week")


def register() -> None:
    from ecosystem.staff import admin_groups, staff_tasks

    staff_tasks.register("events.week", events_this_week)
    admin_groups.place_app("events", "events")
    admin_groups.place("events", ["events.agendatoken"], technical=True)
