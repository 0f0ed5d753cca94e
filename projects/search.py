"""What projects, pilots and programmes contribute to the portal's search (``apps.py``)."""

from django.utils.translation import gettext_lazy as _

from ecosystem.search.registry import Document, SearchableKind, register, translations

from . import permissions
from .filters import PilotFilter, ProjectFilter
from .models import ExpectedResult, Feedback, Pilot, Programme, Project

FEEDBACK_TITLE_LENGTH = 80


def project_document(project: Project) -> Document:
    return Document(
        title=f"{project.acronym} – {project.title}" if project.acronym else project.title,
        # A call for partners is found too ("looking for a research partner mobility").
        body=" ".join(filter(None, [project.summary, project.get_funding_programme_display(),
                                    project.partners_wanted])),
        url=project.get_absolute_url(),
        theme_ids=tuple(theme.pk for theme in project.themes.all()),
        date=project.start_date,
        published_at=project.created_at if project.status != Project.Status.DRAFT else None,
        translations=translations(project, title="title", body=("summary",)),
    )


def pilot_document(pilot: Pilot) -> Document:
    city = pilot.city
    return Document(
        title=pilot.title,
        body=" ".join(filter(None, [pilot.summary, pilot.what_is_tested, pilot.results,
                                    pilot.address, city.name if city else ""])),
        url=pilot.get_absolute_url(),
        theme_ids=tuple(theme.pk for theme in pilot.themes.all()),
        city=city.name if city else "",
        country=city.country if city else "",
        date=pilot.start_date,
        published_at=pilot.created_at,
        translations=translations(pilot, title="title",
                                  body=("summary", "what_is_tested", "results")),
    )


def programme_document(programme: Programme) -> Document:
    return Document(
        title=programme.name,
        body=" ".join(filter(None, [programme.acronym, programme.summary,
                                    programme.get_funding_programme_display()])),
        url=programme.get_absolute_url(),
        theme_ids=tuple(theme.pk for theme in programme.themes.all()),
        date=programme.start_date,
        published_at=programme.created_at if programme.status != Programme.Status.DRAFT else None,
        translations=translations(programme, title="name", body=("summary",)),
    )


def result_document(result: ExpectedResult) -> Document:
    project = result.project
    return Document(
        title=result.title,
        body=" ".join(filter(None, [result.description, result.progress_note, project.acronym,
                                    project.title])),
        url=f"{project.get_absolute_url()}#result-{result.pk}",
        theme_ids=tuple(theme.pk for theme in project.themes.all()),
        date=project.start_date,
        published_at=project.created_at if project.status != Project.Status.DRAFT else None,
        translations=translations(result, title="title", body=("description",)),
    )


def feedback_document(feedback: Feedback) -> Document:
    """Published feedback, found by its words and its pilot's; never by its author (who is
    not in the document at all)."""
    pilot = feedback.pilot
    text = " ".join(feedback.body.split())
    title = text if len(text) <= FEEDBACK_TITLE_LENGTH else (
        text[:FEEDBACK_TITLE_LENGTH].rsplit(" ", 1)[0] + " …")
    return Document(
        title=title,
        body=" ".join(filter(None, [feedback.body, pilot.title,
                                    pilot.city.name if pilot.city else ""])),
        url=f"{pilot.get_absolute_url()}#feedback-{feedback.pk}",
        theme_ids=tuple(theme.pk for theme in pilot.themes.all()),
        city=pilot.city.name if pilot.city else "",
        country=pilot.city.country if pilot.city else "",
        date=feedback.created_at.date(),
        published_at=feedback.moderated_at or feedback.created_at,
    )


def published_feedback(viewer=None):
    """What search may show of feedback, to anyone: published, on a pilot the viewer may
    see. Pending and rejected feedback stay with the moderators' queue."""
    return Feedback.objects.filter(status=Feedback.Status.PUBLISHED,
                                   pilot__in=permissions.pilots_visible_to(viewer))


def register_search() -> None:
    register(SearchableKind(
        key="projects.project", label=_("Project"), model=Project, order=30,
        document=project_document, visible_to=permissions.projects_visible_to,
        indexed=lambda: Project.objects.prefetch_related("themes"),
        list_url_name="projects:project-list",
        list_filter=lambda viewer, params: ProjectFilter(
            params, queryset=permissions.projects_visible_to(viewer)).qs,
    ))
    register(SearchableKind(
        key="projects.pilot", label=_("Pilot"), model=Pilot, order=35,
        document=pilot_document, visible_to=permissions.pilots_visible_to,
        indexed=lambda: Pilot.objects.select_related("city").prefetch_related("themes"),
        list_url_name="projects:pilot-map",
        list_filter=lambda viewer, params: PilotFilter(
            params, queryset=permissions.pilots_visible_to(viewer), viewer=viewer).qs,
    ))
    register(SearchableKind(
        key="projects.programme", label=_("Programme"), model=Programme, order=40,
        document=programme_document, visible_to=permissions.programmes_visible_to,
        indexed=lambda: Programme.objects.prefetch_related("themes"),
        list_url_name="projects:programme-list",
    ))
    register(SearchableKind(
        key="projects.result", label=_("Project result"), model=ExpectedResult, order=38,
        document=result_document, visible_to=permissions.results_visible_to,
        indexed=lambda: ExpectedResult.objects.select_related("project").prefetch_related(
            "project__themes"),
    ))
    register(SearchableKind(
        key="projects.feedback", label=_("Feedback on a pilot"), model=Feedback, order=39,
        document=feedback_document, visible_to=published_feedback,
        indexed=lambda: Feedback.objects.filter(status=Feedback.Status.PUBLISHED)
        .select_related("pilot", "pilot__city").prefetch_related("pilot__themes"),
    ))
