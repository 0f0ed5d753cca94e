"""What the directory asks of city staff, on the admin dashboard (``ecosystem.staff``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecosystem.staff import StaffTask

from .models import Organisation


def organisations_to_verify(*, viewer, now) -> StaffTask:
    count = Organisation.objects.filter(verified=False).count()
    return StaffTask(title=_("Organisations to verify"), count=count, order=50,
                     url=reverse("admin:stakeholders_organisation_changelist")
                     + "?verified__exact=0")


def register() -> None:
    from ecosystem.staff import admin_groups, staff_tasks

    staff_tasks.register("stakeholders.verify", organisations_to_verify)
    admin_groups.place_app("stakeholders", "organisations")
