"""What procurement contributes to pages of other apps (see ecosystem/sections.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.sections import Section

from . import selectors
from .models import Call


def open_calls(*, viewer) -> Section | None:
    calls = list(
        selectors.call_list(viewer=viewer)
        .filter(status=Call.Status.PUBLISHED, submission_deadline__gt=timezone.now())
        .order_by("submission_deadline", "id")[:3]
    )
    if not calls:
        return None
    return Section(
        title=_("Calls open for applications"), template="procurement/sections/open_calls.html",
        context={"calls": calls}, order=20, url=reverse("procurement:call-list"),
    )


def my_applications(*, viewer) -> Section | None:
    """My portal: the applications of the person's organisations, latest first."""
    applications = list(selectors.applications_of(viewer=viewer)[:5])
    if not applications:
        return None
    return Section(
        title=_("Your applications"), template="procurement/sections/my_applications.html",
        context={"applications": applications}, order=20,
        url=reverse("procurement:my-applications"),
    )


def my_evaluations(*, viewer) -> Section | None:
    """My portal, for evaluators only: the calls they evaluate."""
    from . import permissions

    calls = list(permissions.calls_evaluated_by(viewer).select_related("buyer")
                 .order_by("submission_deadline")[:5])
    if not calls:
        return None
    return Section(
        title=_("Your evaluations"), template="procurement/sections/my_evaluations.html",
        context={"calls": calls}, order=25, url=reverse("procurement:my-evaluations"),
    )
