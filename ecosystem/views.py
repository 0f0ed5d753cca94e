from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from ecosystem.api.errors import error_body

from .sections import home_sections, personal_links, portal_sections

API_PREFIX = "/api/"


def home(request):
    return render(request, "home.html", {"sections": home_sections.build(viewer=request.user)})


@login_required
def my_portal(request):
    """The signed-in person's start page: their registrations, applications, evaluations..."""
    return render(request, "my_portal.html", {
        "sections": portal_sections.build(viewer=request.user),
        "links": personal_links.for_viewer(request.user),
    })


@never_cache
@require_GET
def healthz(request):
    """The process is alive: no dependency is touched."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Ready to serve: the database answers, and Redis too when it is configured."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {exc.__class__.__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks},
                        status=200 if ready else 503)


# Error pages: JSON in the API's one format under /api/, HTML pages extending base.html elsewhere.

def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


@requires_csrf_token
def bad_request(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body(_("Bad request."), "bad_request"), status=400)
    return defaults.bad_request(request, exception)


@requires_csrf_token
def permission_denied(request, exception=None):
    if _is_api(request):
        return JsonResponse(
            error_body(_("You are not allowed to do this."), "permission_denied"), status=403
        )
    return defaults.permission_denied(request, exception)


@requires_csrf_token
def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body(_("Not found."), "not_found"), status=404)
    return defaults.page_not_found(request, exception)


@requires_csrf_token
def server_error(request):
    """Renders without context processors: whatever broke must not break the error page."""
    if _is_api(request):
        return JsonResponse(
            error_body(_("A server error occurred. It has been logged."), "server_error"),
            status=500,
        )
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"SITE_NAME": settings.SITE_NAME}))
