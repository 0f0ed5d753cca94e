from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from . import permissions, selectors
from .filters import OrganisationFilter

PAGE_SIZE = 20


def organisation_list(request):
    filterset = OrganisationFilter(request.GET, queryset=selectors.organisation_list(viewer=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "stakeholders/organisation_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


def organisation_detail(request, slug):
    organisation = get_object_or_404(selectors.organisation_list(viewer=request.user), slug=slug)
    return render(
        request,
        "stakeholders/organisation_detail.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_public_members(organisation=organisation),
            "can_change": permissions.can_change_organisation(request.user, organisation),
        },
    )


@login_required
def my_organisations(request):
    memberships = request.user.memberships.select_related("organisation").order_by("organisation__name")
    return render(request, "stakeholders/my_organisations.html", {"memberships": memberships})
