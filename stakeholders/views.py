"""Server-rendered pages. Each view fetches through a permission QuerySet (missing permission:
404), calls one service and answers with a redirect and a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ecosystem.errors import DomainError
from ecosystem.pagination import MAX_PAGES, capped_page

from . import permissions, selectors, services
from .filters import OrganisationFilter
from .forms import InvitationForm, OrganisationForm, RoleForm, VisibilityForm
from .models import Competence, Helix, Invitation, Membership, Organisation
from .profile import profile_sections

PAGE_SIZE = 20


def organisation_list(request):
    filterset = OrganisationFilter(
        request.GET, queryset=selectors.organisation_list(viewer=request.user)
    )
    for name, field in filterset.form.fields.items():
        field.widget.attrs.setdefault("id", f"filter-{name}")
    page = capped_page(filterset.qs, PAGE_SIZE, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    active = [name for name, value in filterset.form.data.items() if value and name != "page"]
    return render(
        request,
        "stakeholders/organisation_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode(), "filtered": bool(active),
         "helix_counts": _helix_counts(request)},
    )


@require_GET
def organisation_suggest(request):
    """Suggestions for the organisation pickers (``?q=`` at least two letters, ``?helix=``):
    ``{"results": [{"value": slug, "label": name, "detail": city}]}``."""
    helix = request.GET.get("helix", "")
    if helix and helix not in Helix.values:
        return JsonResponse({"message": _("Unknown helix."), "code": "invalid",
                             "fields": {"helix": [_("Unknown helix.")]}}, status=400)
    results = selectors.organisation_suggestions(viewer=request.user,
                                                 text=request.GET.get("q", ""), helix=helix)
    return JsonResponse({"results": results})


def _helix_counts(request) -> list[dict]:
    """How the current results spread over the four helices (ignoring the helix filter), with
    the link that selects each one: the directory makes the quadruple-helix mix visible.

    Each helix is counted up to the list's own cap (``capped`` past it), one small query per
    helix through the helix index: a GROUP BY over the whole directory would read every row
    on every page."""
    data = request.GET.copy()
    data.pop("helix", None)
    data.pop("page", None)
    filterset = OrganisationFilter(data, queryset=permissions.organisations_visible_to(request.user))
    valid = filterset.is_valid()
    cap = PAGE_SIZE * MAX_PAGES
    rows = []
    for value, label in Helix.choices:
        count = filterset.qs.filter(helix=value).order_by()[:cap + 1].count() if valid else 0
        data["helix"] = value
        rows.append({"value": value, "label": label, "count": min(count, cap),
                     "capped": count > cap, "query": data.urlencode(),
                     "selected": request.GET.get("helix") == value})
    return rows


def organisation_detail(request, slug):
    queryset = selectors.organisation_list(viewer=request.user).prefetch_related(
        Prefetch("competences", queryset=Competence.objects.order_by("name")),
        Prefetch("cluster_members", queryset=Organisation.objects.order_by("name")),
    ).select_related("governed_city")
    organisation = get_object_or_404(queryset, slug=slug)
    can_change = permissions.can_change_organisation(request.user, organisation)
    return render(
        request,
        "stakeholders/organisation_detail.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_public_members(organisation=organisation),
            "cluster_members": organisation.cluster_members.all(),
            "sections": profile_sections(organisation=organisation, viewer=request.user),
            "can_change": can_change,
            "my_membership": Membership.objects.filter(
                organisation=organisation, user=request.user
            ).first() if request.user.is_authenticated else None,
        },
    )


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.user,
                themes=form.cleaned_data["themes"],
                competences=form.cleaned_data["competences"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(name)s is registered. City staff will check and verify it; until then the "
                  "profile is shown as unverified.") % {"name": organisation.name},
            )
            return redirect(organisation)
    return render(request, "stakeholders/organisation_form.html", {"form": form, "creating": True})


def _administered(request, slug):
    return get_object_or_404(permissions.organisations_administered_by(request.user), slug=slug)


@login_required
def organisation_update(request, slug):
    organisation = _administered(request, slug)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_update(
                organisation=organisation,
                actor=request.user,
                themes=list(form.cleaned_data["themes"]),
                competences=list(form.cleaned_data["competences"]),
                **form.service_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect(organisation)
    organisation.refresh_from_db()
    return render(
        request,
        "stakeholders/organisation_form.html",
        {"form": form, "creating": False, "organisation": organisation},
    )


@login_required
def organisation_members(request, slug):
    organisation = _administered(request, slug)
    return _render_members(request, organisation, InvitationForm())


def _render_members(request, organisation, form, status=200):
    return render(
        request,
        "stakeholders/organisation_members.html",
        {
            "organisation": organisation,
            "memberships": selectors.organisation_members(organisation=organisation),
            "invitations": selectors.organisation_invitations(organisation=organisation),
            "form": form,
            "roles": Membership.Role.choices,
            "is_admin_member": organisation.memberships.filter(
                user=request.user, role=Membership.Role.ADMIN
            ).exists(),
        },
        status=status,
    )


def _members_url(organisation):
    return reverse("stakeholders:organisation-members", kwargs={"slug": organisation.slug})


@login_required
@require_POST
def invitation_create(request, slug):
    organisation = _administered(request, slug)
    form = InvitationForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error("email" if "email" in exc.fields or exc.code in (
                "already_member", "invitation_pending") else None, str(exc.message))
            status = exc.status_code
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link is valid for 7 days.")
                % {"email": invitation.email},
            )
            return redirect(_members_url(organisation))
    return _render_members(request, organisation, form, status)


def _invitation_action(request, slug, pk, service, success):
    organisation = _administered(request, slug)
    invitation = get_object_or_404(Invitation, organisation=organisation, pk=pk)
    try:
        service(invitation=invitation, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success % {"email": invitation.email})
    return redirect(_members_url(organisation))


@login_required
@require_POST
def invitation_revoke(request, slug, pk):
    return _invitation_action(request, slug, pk, services.invitation_revoke,
                              _("The invitation to %(email)s is withdrawn."))


@login_required
@require_POST
def invitation_resend(request, slug, pk):
    return _invitation_action(request, slug, pk, services.invitation_resend,
                              _("The invitation to %(email)s is sent again, valid for 7 days."))


def _membership_of(request, slug, pk):
    organisation = _administered(request, slug)
    return organisation, get_object_or_404(
        organisation.memberships.select_related("user"), pk=pk
    )


@login_required
@require_POST
def membership_remove(request, slug, pk):
    organisation, membership = _membership_of(request, slug, pk)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if membership.user_id == request.user.pk:
            messages.success(request, _("You left %(name)s.") % {"name": organisation.name})
            return redirect("stakeholders:my-organisations")
        messages.success(request, _("%(person)s is no longer a member.") % {"person": membership.user})
    return redirect(_members_url(organisation))


@login_required
@require_POST
def membership_role(request, slug, pk):
    organisation, membership = _membership_of(request, slug, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect(_members_url(organisation))
    try:
        services.membership_set_role(
            membership=membership, actor=request.user, role=form.cleaned_data["role"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(person)s is now: %(role)s.") % {
            "person": membership.user, "role": Membership.Role(form.cleaned_data["role"]).label})
    if not permissions.can_manage_members(request.user, organisation):
        return redirect(organisation)
    return redirect(_members_url(organisation))


@login_required
@require_POST
def admin_handover(request, slug, pk):
    organisation, membership = _membership_of(request, slug, pk)
    try:
        services.admin_handover(organisation=organisation, actor=request.user, to=membership)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_members_url(organisation))
    messages.success(
        request,
        _("%(person)s is now the administrator; you are a member.") % {"person": membership.user},
    )
    if permissions.can_manage_members(request.user, organisation):
        return redirect(_members_url(organisation))
    return redirect("stakeholders:my-organisations")


@login_required
def my_organisations(request):
    memberships = selectors.memberships_of(user=request.user)
    return render(
        request,
        "stakeholders/my_organisations.html",
        {
            "memberships": memberships,
            "invitations": [
                (invitation, selectors.invitation_url(invitation))
                for invitation in selectors.invitations_for(user=request.user)
            ],
        },
    )


def _own_membership(request, pk):
    return get_object_or_404(
        Membership.objects.select_related("organisation"), pk=pk, user=request.user
    )


@login_required
@require_POST
def membership_leave(request, pk):
    membership = _own_membership(request, pk)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You left %(name)s.") % {"name": membership.organisation.name})
    return redirect("stakeholders:my-organisations")


@login_required
@require_POST
def membership_visibility(request, pk):
    membership = _own_membership(request, pk)
    form = VisibilityForm(request.POST)
    form.is_valid()
    is_public = form.cleaned_data.get("is_public", False)
    services.membership_set_visibility(membership=membership, actor=request.user, is_public=is_public)
    if is_public:
        messages.success(request, _("You are shown on the public profile of %(name)s.")
                         % {"name": membership.organisation.name})
    else:
        messages.success(request, _("You are no longer shown on the public profile of %(name)s.")
                         % {"name": membership.organisation.name})
    return redirect("stakeholders:my-organisations")


def _invitation_problem(request, exc: DomainError):
    return render(
        request, "stakeholders/invitation_invalid.html",
        {"message": exc.message, "code": exc.code}, status=exc.status_code,
    )


def invitation_accept(request, token):
    """Anyone with the link sees what it is; the invited person, signed in, accepts it."""
    try:
        invitation = selectors.invitation_from_token(token)
    except DomainError as exc:
        return _invitation_problem(request, exc)
    organisation = invitation.organisation
    if permissions.is_member(request.user, organisation):
        messages.info(request, _("You are a member of %(name)s.") % {"name": organisation.name})
        return redirect(organisation)
    try:
        selectors.check_invitation_open(invitation)
    except DomainError as exc:
        return _invitation_problem(request, exc)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = services.invitation_accept(token=token, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("Welcome to %(name)s.") % {"name": organisation.name})
            return redirect(membership.organisation)
    owns_email = request.user.is_authenticated and selectors.user_owns_email(
        request.user, invitation.email
    )
    return render(
        request,
        "stakeholders/invitation_accept.html",
        {"invitation": invitation, "organisation": organisation, "owns_email": owns_email,
         "next": request.get_full_path(), "token": token},
        status=status,
    )


@login_required
@require_POST
def invitation_decline(request, token):
    try:
        invitation = services.invitation_decline(token=token, actor=request.user)
    except DomainError as exc:
        return _invitation_problem(request, exc)
    messages.success(request, _("You declined the invitation from %(name)s.")
                     % {"name": invitation.organisation.name})
    return redirect("stakeholders:my-organisations")
