"""Pages of projects, pilots (map, detail, feedback, moderation) and programmes. Thin: fetch
through a permission QuerySet (404 when missing), call a service, answer."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ecosystem.errors import DomainError
from ecosystem.notifications.services import is_following
from ecosystem.pagination import capped_page

from . import charts, permissions, selectors, services
from .filters import PilotFilter, ProgrammeFilter, ProjectFilter
from .forms import (
    ActionForm,
    CommentForm,
    FeedbackForm,
    MeasurementForm,
    PartnerInterestForm,
    PilotForm,
    PilotNewsForm,
    ProjectForm,
    ProjectStatusForm,
    RejectForm,
    ResultProgressForm,
    RoadmapForm,
)
from .matching import partner_suggestions
from .models import Feedback, PhaseKind, Pilot, ProgrammeCity

PAGE_SIZE = 20
MAP_LIST_SIZE = 200


def _follow_template():
    return select_template(
        ["notifications/includes/follow_button.html", "projects/includes/follow_button.html"]
    )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _error(request, error: DomainError) -> None:
    messages.error(request, error.message)


# --------------------------------------------------------------------------- projects


@require_GET
def project_list(request):
    filterset = ProjectFilter(request.GET, queryset=selectors.project_list(viewer=request.user))
    page = capped_page(filterset.qs, PAGE_SIZE, request.GET.get("page"))
    for project in page:
        project.balance = selectors.helix_balance_from_counts(
            {helix: getattr(project, f"helix_{helix}") for helix in selectors.HELICES}
        )
    return render(request, "projects/project_list.html", {
        "filter": filterset, "page": page, "query": _query_without_page(request),
    })


@require_GET
def project_suggest(request):
    """Suggestions for the project pickers (``?q=`` at least two letters):
    ``{"results": [{"value": slug, "label": acronym, "detail": title}]}``."""
    return JsonResponse({"results": selectors.project_suggestions(
        viewer=request.user, text=request.GET.get("q", ""))})


def _suggestion_rows(project) -> list[dict]:
    from ecosystem.matching.reasons import HELIX_PARTNER, render_all

    return [
        {"helix": helix, "label": HELIX_PARTNER.get(helix, helix),
         "partners": [{"organisation_id": item.candidate.id, "name": item.candidate.title,
                       "score": item.score, "reasons": render_all(item.reasons)}
                      for item in items]}
        for helix, items in partner_suggestions(project=project).items()
    ]


def _project_page(request, project, *, status=200, progress_errors=None):
    can_edit = permissions.can_edit_project(request.user, project)
    from stakeholders.models import Helix

    return render(request, "projects/project_detail.html", {
        "suggestions": _suggestion_rows(project) if can_edit else [],
        "helices_wanted": [Helix(value).label for value in project.partner_helices_wanted],
        "answerers": list(selectors.partner_search_answerers(project=project,
                                                             viewer=request.user)),
        "project": project,
        "balance": selectors.project_helix_balance(project=project),
        "pilots": selectors.project_pilots(project=project, viewer=request.user),
        "can_edit": can_edit,
        "can_manage": can_edit and permissions.can_manage_project(request.user, project),
        "status_form": ProjectStatusForm(initial={"status": project.status}),
        "following": is_following(user=request.user, target=project),
        "follow_template": _follow_template(),
        "progress_errors": progress_errors or {},
    }, status=status)


@require_GET
def project_detail(request, slug):
    project = selectors.project_detail(viewer=request.user, slug=slug)
    return _project_page(request, project)


@login_required
def project_edit(request, slug):
    project = get_object_or_404(permissions.projects_editable_by(request.user), slug=slug)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            themes = data.pop("themes")
            try:
                services.project_update(project=project, actor=request.user, themes=themes, **data)
            except DomainError as error:
                _error(request, error)
            else:
                messages.success(request, _("The project was saved."))
                return redirect(project.get_absolute_url())
        return render(request, "projects/project_form.html",
                      {"form": form, "project": project}, status=400)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@login_required
@require_POST
def project_status(request, slug):
    project = get_object_or_404(permissions.projects_managed_by(request.user), slug=slug)
    form = ProjectStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect(project.get_absolute_url())
    try:
        services.project_set_status(project=project, actor=request.user,
                                    status=form.cleaned_data["status"])
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("The project's status was changed."))
    return redirect(project.get_absolute_url())


@login_required
@require_POST
def result_progress(request, slug, pk):
    project = get_object_or_404(permissions.projects_editable_by(request.user), slug=slug)
    result = get_object_or_404(project.results, pk=pk)
    form = ResultProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter the progress as a number of 0 or more."))
        return redirect(f"{project.get_absolute_url()}#result-{result.pk}")
    try:
        services.result_update_progress(result=result, actor=request.user,
                                        achieved=form.cleaned_data["achieved"],
                                        note=form.cleaned_data["note"])
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("Progress saved for “%(title)s”.") % {"title": result.title})
    return redirect(f"{project.get_absolute_url()}#result-{result.pk}")


def _follow_toggle(request, target):
    try:
        if request.POST.get("action") == "unfollow":
            services.target_unfollow(user=request.user, target=target)
            messages.success(request, _("You no longer follow this."))
        else:
            services.target_follow(user=request.user, target=target)
            messages.success(request, _("You follow this now: you will be told about updates."))
    except DomainError as error:
        _error(request, error)
    return redirect(target.get_absolute_url())


@login_required
@require_POST
def project_follow(request, slug):
    project = get_object_or_404(permissions.projects_visible_to(request.user), slug=slug)
    return _follow_toggle(request, project)


# --------------------------------------------------------------------------- pilots


@require_GET
def pilot_index(request):
    return redirect("projects:pilot-map")


@require_GET
def pilot_map(request):
    filterset = PilotFilter(request.GET, queryset=selectors.pilot_list(viewer=request.user),
                            viewer=request.user)
    query = _query_without_page(request)
    page = capped_page(filterset.qs, MAP_LIST_SIZE, request.GET.get("page"))
    geojson_url = reverse("projects-api:pilot-geojson") + (f"?{query}" if query else "")
    return render(request, "projects/pilot_map.html", {
        "filter": filterset, "page": page, "query": query, "geojson_url": geojson_url,
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
        "statuses": Pilot.Status.choices,
    })


def _pilot_indicators(pilot) -> list:
    """The pilot's indicators with their numbers written for the language and their progress
    from baseline towards target (None when one of the three is missing)."""
    indicators = list(pilot.indicators.all())
    for indicator in indicators:
        for name in ("baseline", "value", "target"):
            value = getattr(indicator, name)
            setattr(indicator, f"{name}_display", charts.number(value) if value is not None else "")
        complete = None not in (indicator.baseline, indicator.target, indicator.value)
        indicator.progress = (selectors.indicator_progress(indicator, indicator.value)
                              if complete else None)
    return indicators


def _pilot_page(request, pilot, *, feedback_form=None, status=200):
    user = request.user
    indicators = _pilot_indicators(pilot)
    feedback_list = list(selectors.pilot_published_feedback(pilot=pilot)[:100])
    points = [
        {"lat": float(item.latitude), "lon": float(item.longitude),
         "kind": item.get_kind_display(), "text": item.body[:140]}
        for item in feedback_list if item.latitude is not None
    ]
    return render(request, "projects/pilot_detail.html", {
        "pilot": pilot,
        "indicators": indicators,
        "indicators_chart": charts.pilot_indicators_chart(
            _("%(pilot)s: progress towards each target") % {"pilot": pilot.title}, indicators),
        "updates": selectors.pilot_updates(pilot=pilot)[:20],
        "feedback_list": feedback_list,
        "feedback_points": json.dumps(points),
        "tile_url": settings.MAP_TILE_URL,
        "my_feedback": selectors.feedback_of_author(pilot=pilot, author=user),
        "feedback_form": feedback_form or FeedbackForm(),
        "can_edit": permissions.can_edit_pilot(user, pilot),
        "can_feedback": permissions.can_give_feedback(user) and pilot.status != Pilot.Status.STOPPED,
        "following": is_following(user=user, target=pilot),
        "follow_template": _follow_template(),
        "call": selectors.pilot_call(pilot=pilot, viewer=user),
        "feedback_max": services.FEEDBACK_PER_HOUR,
    }, status=status)


@require_GET
def pilot_detail(request, slug):
    return _pilot_page(request, selectors.pilot_detail(viewer=request.user, slug=slug))


@login_required
@require_POST
def pilot_feedback(request, slug):
    pilot = selectors.pilot_detail(viewer=request.user, slug=slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Your feedback could not be sent: please check the form."))
        return _pilot_page(request, pilot, feedback_form=form, status=400)
    try:
        services.feedback_submit(pilot=pilot, author=request.user, **form.cleaned_data)
    except DomainError as error:
        _error(request, error)
        for name, errors in error.fields.items():
            if name in form.fields:
                for message in errors:
                    form.add_error(name, str(message))
        return _pilot_page(request, pilot, feedback_form=form, status=error.status_code)
    messages.success(request, _("Thank you! A moderator will read your feedback before it is "
                                "published; you will be told."))
    return redirect(f"{pilot.get_absolute_url()}#feedback")


@login_required
@require_POST
def pilot_follow(request, slug):
    pilot = selectors.pilot_detail(viewer=request.user, slug=slug)
    return _follow_toggle(request, pilot)


@login_required
def pilot_edit(request, slug):
    pilot = get_object_or_404(permissions.pilots_editable_by(request.user), slug=slug)
    form = PilotForm(request.POST or None, instance=pilot)
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            themes = data.pop("themes")
            news = form.cleaned_data["news"]
            pilot = Pilot.objects.get(pk=pilot.pk)  # the form changed the instance in memory
            try:
                services.pilot_update(pilot=pilot, actor=request.user, themes=themes,
                                      news_body=news, **data)
            except DomainError as error:
                _error(request, error)
            else:
                messages.success(request, _("The pilot was saved; followers were told what changed."))
                return redirect(pilot.get_absolute_url())
        return render(request, "projects/pilot_form.html", {"form": form, "pilot": pilot},
                      status=400)
    return render(request, "projects/pilot_form.html", {"form": form, "pilot": pilot})


@login_required
@require_POST
def pilot_news(request, slug):
    pilot = get_object_or_404(permissions.pilots_editable_by(request.user), slug=slug)
    form = PilotNewsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the news a headline and a text."))
        return redirect(pilot.get_absolute_url())
    try:
        services.pilot_update(pilot=pilot, actor=request.user,
                              news_title=form.cleaned_data["title"],
                              news_body=form.cleaned_data["body"])
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("The news was posted and followers were told."))
    return redirect(pilot.get_absolute_url())


@login_required
@require_GET
def moderation_queue(request):
    if not permissions.can_moderate_any_feedback(request.user):
        raise PermissionDenied
    status = request.GET.get("status", Feedback.Status.PENDING)
    if status not in Feedback.Status.values:
        status = Feedback.Status.PENDING
    queue = selectors.moderation_queue(viewer=request.user, status=status)
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    return render(request, "projects/moderation_queue.html", {
        "page": page, "status": status, "statuses": Feedback.Status.choices,
        "query": f"status={status}", "reject_form": RejectForm(),
    })


@login_required
@require_POST
def feedback_moderate(request, pk):
    feedback = get_object_or_404(permissions.feedback_moderatable_by(request.user), pk=pk)
    try:
        if request.POST.get("decision") == "publish":
            services.feedback_publish(feedback=feedback, actor=request.user)
            messages.success(request, _("Published; the author was told."))
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give a reason: it is sent to the author."))
                return redirect("projects:moderation")
            services.feedback_reject(feedback=feedback, actor=request.user,
                                     reason=form.cleaned_data["reason"])
            messages.success(request, _("Rejected; the author was told why."))
    except DomainError as error:
        _error(request, error)
    return redirect("projects:moderation")


# --------------------------------------------------------------------------- programmes


@require_GET
def programme_list(request):
    filterset = ProgrammeFilter(request.GET, queryset=selectors.programme_list(viewer=request.user))
    page = capped_page(filterset.qs, PAGE_SIZE, request.GET.get("page"))
    return render(request, "projects/programme_list.html", {
        "filter": filterset, "page": page, "query": _query_without_page(request),
    })


@require_GET
def programme_detail(request, slug):
    programme = selectors.programme_detail(viewer=request.user, slug=slug)
    choices = selectors.indicator_choices(programme=programme)
    code = request.GET.get("indicator") or (choices[0][0] if choices else "")
    comparison = []
    if code:
        for indicator in selectors.indicator_comparison(viewer=request.user, programme=programme,
                                                        code=code):
            indicator.progress = selectors.indicator_progress(indicator, indicator.latest_value)
            indicator.baseline_display = charts.number(indicator.baseline)
            indicator.target_display = charts.number(indicator.target)
            indicator.latest_display = (charts.number(indicator.latest_value)
                                        if indicator.latest_value is not None else "")
            comparison.append(indicator)
    phases = list(programme.phases.all())
    return render(request, "projects/programme_detail.html", {
        "programme": programme,
        "phases": phases,
        "current_phase": selectors.current_phase(phases),
        "cohort": selectors.programme_cohort(programme=programme),
        "mentorships": selectors.programme_mentorships(programme=programme),
        "roadmaps": selectors.roadmap_list(viewer=request.user, programme=programme),
        "indicator_choices": choices,
        "indicator_code": code,
        "indicator_name": dict(choices).get(code, ""),
        "comparison": comparison,
        "bar_chart": charts.comparison_chart(dict(choices).get(code, code), comparison),
    })


def _dashboard(request, slug, city_slug, *, forms=None, status=200):
    programme = selectors.programme_detail(viewer=request.user, slug=slug)
    roadmap = selectors.roadmap_for(viewer=request.user, programme=programme, city_slug=city_slug)
    entry = ProgrammeCity.objects.filter(programme=programme, city=roadmap.city).first()
    indicators = list(roadmap.indicators.all())
    for indicator in indicators:
        measurements = list(indicator.measurements.all())
        for measurement in measurements:
            measurement.value_display = charts.number(measurement.value)
        indicator.baseline_display = charts.number(indicator.baseline)
        indicator.target_display = charts.number(indicator.target)
        indicator.chart = charts.indicator_chart(indicator, measurements)
        indicator.series = measurements
        indicator.latest = measurements[-1] if measurements else None
        indicator.progress = selectors.indicator_progress(
            indicator, indicator.latest.value if indicator.latest else None)
    can_edit = permissions.can_edit_roadmap(request.user, roadmap)
    forms = forms or {}
    mentors = [m for m in selectors.programme_mentorships(programme=programme)
               if roadmap.city in m.participants.all()]
    return render(request, "projects/city_dashboard.html", {
        "programme": programme,
        "roadmap": roadmap,
        "city": roadmap.city,
        "entry": entry,
        "cycle": selectors.city_cycle(programme=programme, entry=entry),
        "actions": roadmap.actions.all(),
        "indicators": indicators,
        "comments": roadmap.comments.all(),
        "mentorships": mentors,
        "can_edit": can_edit,
        "can_comment": permissions.can_comment_roadmap(request.user, roadmap),
        "measurement_form": forms.get("measurement") or MeasurementForm(indicators=indicators),
        "comment_form": forms.get("comment") or CommentForm(),
        "roadmap_form": RoadmapForm(initial={
            "vision": roadmap.vision,
            "stage": (entry.stage if entry and entry.stage else "")
            or selectors.current_phase(programme.phases.all()) or PhaseKind.ASSESSMENT,
        }),
    }, status=status)


@require_GET
def city_dashboard(request, slug, city_slug):
    return _dashboard(request, slug, city_slug)


def _editable_roadmap(request, slug, city_slug):
    return get_object_or_404(
        permissions.roadmaps_editable_by(request.user).select_related("programme", "city"),
        programme__slug=slug, city__slug=city_slug,
        programme__in=permissions.programmes_visible_to(request.user).values("pk"),
    )


@login_required
@require_POST
def roadmap_edit(request, slug, city_slug):
    roadmap = _editable_roadmap(request, slug, city_slug)
    form = RoadmapForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the vision and the stage."))
        return redirect(roadmap.get_absolute_url())
    try:
        services.roadmap_update(roadmap=roadmap, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("The roadmap was saved."))
    return redirect(roadmap.get_absolute_url())


@login_required
def action_edit(request, slug, city_slug, pk):
    roadmap = _editable_roadmap(request, slug, city_slug)
    action = get_object_or_404(roadmap.actions, pk=pk)
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.action_update(action=roadmap.actions.get(pk=pk), actor=request.user,
                                       **data)
            except DomainError as error:
                _error(request, error)
            else:
                messages.success(request, _("The action was saved."))
                return redirect(f"{roadmap.get_absolute_url()}#actions")
        return render(request, "projects/action_form.html",
                      {"form": form, "roadmap": roadmap, "action": action}, status=400)
    return render(request, "projects/action_form.html",
                  {"form": form, "roadmap": roadmap, "action": action})


@login_required
@require_POST
def measurement_add(request, slug, city_slug):
    roadmap = _editable_roadmap(request, slug, city_slug)
    indicators = list(roadmap.indicators.all())
    form = MeasurementForm(request.POST, indicators=indicators)
    if not form.is_valid():
        messages.error(request, _("The measurement could not be saved: please check the form."))
        return _dashboard(request, slug, city_slug, forms={"measurement": form}, status=400)
    indicator = roadmap.indicators.get(code=form.cleaned_data["indicator"])
    try:
        services.measurement_record(indicator=indicator, actor=request.user,
                                    date=form.cleaned_data["date"],
                                    value=form.cleaned_data["value"],
                                    note=form.cleaned_data["note"])
    except DomainError as error:
        _error(request, error)
        return _dashboard(request, slug, city_slug, forms={"measurement": form},
                          status=error.status_code)
    messages.success(request, _("The measurement was recorded."))
    return redirect(f"{roadmap.get_absolute_url()}#indicator-{indicator.code}")


@login_required
@require_POST
def roadmap_comment(request, slug, city_slug):
    programme = selectors.programme_detail(viewer=request.user, slug=slug)
    roadmap = get_object_or_404(
        permissions.roadmaps_commentable_by(request.user).select_related("city", "programme"),
        programme=programme, city__slug=city_slug,
    )
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The comment could not be posted: please check it."))
        return _dashboard(request, slug, city_slug, forms={"comment": form}, status=400)
    try:
        services.roadmap_comment_post(roadmap=roadmap, actor=request.user,
                                      body=form.cleaned_data["body"])
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("Your comment was posted."))
    return redirect(f"{roadmap.get_absolute_url()}#comments")


@login_required
@require_POST
def project_partner_interest(request, slug):
    """Answer a project's call for partners for one of your organisations (a plain form)."""
    from stakeholders.models import Organisation

    project = selectors.project_detail(viewer=request.user, slug=slug)
    form = PartnerInterestForm(
        request.POST, organisations=Organisation.objects.filter(memberships__user=request.user))
    if not form.is_valid():
        messages.error(request, _("Choose one of your organisations, and keep the message "
                                  "under 1,000 characters."))
        return redirect(project.get_absolute_url())
    organisation = form.cleaned_data["organisation"]
    try:
        services.project_partner_interest(project=project, organisation=organisation,
                                          actor=request.user,
                                          message=form.cleaned_data["message"])
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("The project's team was told, through the portal."))
    return redirect(project.get_absolute_url())


@login_required
@require_POST
def project_partner_contact(request, slug, organisation_id):
    """One-click "contact" of a suggested partner (a plain form: works without JavaScript)."""
    from stakeholders.models import Organisation

    project = get_object_or_404(permissions.projects_editable_by(request.user), slug=slug)
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    try:
        services.project_partner_contact(project=project, organisation=organisation,
                                         actor=request.user,
                                         message=request.POST.get("message", ""))
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("%(name)s's administrators were told, through the portal.")
                         % {"name": organisation.name})
    return redirect(project.get_absolute_url())
