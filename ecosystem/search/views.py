"""The search page, suggestions as you type, and the person's saved searches."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ecosystem.errors import DomainError

from . import selectors, services
from .forms import SavedSearchCreateForm, SavedSearchForm
from .models import SavedSearch

FACET_TITLES = {
    "kind": _("Type"), "theme": _("Theme"), "city": _("City"), "country": _("Country"),
    "helix": _("Helix"), "year": _("Year"),
}


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), selectors.MAX_PAGE))
    except (TypeError, ValueError):
        return 1


def _toggled(params, name: str, value: str) -> str:
    query = params.copy()
    query.pop("page", None)
    if query.get(name) == value:
        query.pop(name, None)
    else:
        query[name] = value
    return query.urlencode()


@require_GET
def search_page(request):
    query = request.GET.get("q", "")[:selectors.text.MAX_QUERY_LENGTH]
    filters = {name: request.GET.get(name, "") for name in selectors.FACETS}
    result = None
    facets = []
    if query.strip():
        result = selectors.search(viewer=request.user, query=query, filters=filters,
                                  page=_page_number(request.GET.get("page")))
        for name in selectors.FACETS:
            values = [{"value": f.value, "label": f.label, "count": f.count,
                       "selected": f.selected, "query": _toggled(request.GET, name, f.value)}
                      for f in result.facets.get(name, [])]
            if values:
                facets.append({"name": name, "title": FACET_TITLES[name], "values": values})
    base = request.GET.copy()
    base.pop("page", None)
    return render(request, "search/search.html", {
        "query": query, "result": result, "facets": facets, "page_query": base.urlencode(),
        "filtered": any(filters.values()),
    })


@require_GET
def suggestions(request):
    """JSON for the header's combobox; the same data as ``/api/v1/search/suggestions/``."""
    query = request.GET.get("q", "")[:selectors.text.MAX_QUERY_LENGTH]
    hits = selectors.suggest(viewer=request.user, query=query) if len(query.strip()) >= 2 else []
    response = JsonResponse({"query": query, "results": [
        {"title": hit.title, "url": hit.url, "kind": hit.kind, "kind_label": hit.kind_label}
        for hit in hits]})
    response["Cache-Control"] = "private, max-age=30"
    return response


@login_required
def saved_search_list(request):
    saved = list(request.user.saved_searches.all())
    forms = [(item, SavedSearchForm(initial={"name": item.name, "frequency": item.frequency},
                                    prefix=f"s{item.pk}")) for item in saved]
    return render(request, "search/saved_search_list.html", {"forms": forms})


@login_required
@require_POST
def saved_search_create(request):
    form = SavedSearchCreateForm(request.POST)
    back = request.POST.get("path", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) \
            or not back.startswith("/"):
        back = "search:saved-list"
    if not form.is_valid():
        messages.error(request, _("The search could not be saved: give it a name."))
        return redirect(back)
    data = form.cleaned_data
    try:
        services.saved_search_create(owner=request.user, name=data["name"], path=data["path"],
                                     query_string=data["query_string"],
                                     frequency=data["frequency"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(f"{back}?{data['query_string']}" if data["query_string"] else back)
    messages.success(request, _("Saved. We will tell you when something new matches."))
    return redirect("search:saved-list")


@login_required
@require_POST
def saved_search_edit(request, pk):
    saved = get_object_or_404(SavedSearch, pk=pk, owner=request.user)
    form = SavedSearchForm(request.POST, prefix=f"s{saved.pk}")
    if form.is_valid():
        try:
            services.saved_search_update(saved_search=saved, actor=request.user,
                                         **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your saved search is changed."))
    else:
        messages.error(request, _("Give the search a name and choose how often."))
    return redirect("search:saved-list")


@login_required
@require_POST
def saved_search_delete(request, pk):
    saved = get_object_or_404(SavedSearch, pk=pk, owner=request.user)
    services.saved_search_delete(saved_search=saved, actor=request.user)
    messages.success(request, _("The saved search is deleted."))
    return redirect("search:saved-list")
