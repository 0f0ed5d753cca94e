"""``{% alert_me %}``: on a list (or the search page), signed-in people get "Alert me" (save
this search with its filters), anonymous visitors the list's feed if it has one."""

from django import template
from django.urls import NoReverseMatch, reverse

from ..registry import kind_for_list
from ..services import IGNORED_PARAMETERS

register = template.Library()


@register.inclusion_tag("search/includes/alert_me.html", takes_context=True)
def alert_me(context, title=""):
    request = context["request"]
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    kind = kind_for_list(view_name)
    query = request.GET.copy()
    for name in IGNORED_PARAMETERS:
        query.pop(name, None)
    feed_url = ""
    if kind and kind.feed_url_name:
        try:
            feed_url = reverse(kind.feed_url_name)
        except NoReverseMatch:
            feed_url = ""
    saveable = view_name == "search:page" and bool(query.get("q", "").strip()) or (
        kind is not None and kind.list_filter is not None)
    return {
        "request": request, "user": context.get("user"), "saveable": saveable,
        "path": request.path, "query_string": query.urlencode(), "feed_url": feed_url,
        "default_name": (query.get("q") or title or (kind.label if kind else ""))[:120],
        "csrf_token": context.get("csrf_token"),
    }
