from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI served from /static/ (drf-spectacular-sidecar), with no inline script or
    style, so it works offline and under the portal's Content-Security-Policy."""

    template_name = "includes/api_docs.html"
