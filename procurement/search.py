"""What procurement contributes to the portal's search (registered in ``apps.py``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.search.registry import Document, SearchableKind, register, translations

from . import permissions
from .filters import CallFilter
from .models import Call


def call_document(call: Call) -> Document:
    buyer = call.buyer
    deadline = call.submission_deadline
    return Document(
        title=call.title,
        body=" ".join(filter(None, [call.challenge, buyer.name, call.eligibility_notes])),
        url=call.get_absolute_url(),
        theme_ids=tuple(theme.pk for theme in call.themes.all()),
        city=buyer.city.name if buyer.city_id else "",
        country=buyer.country,
        date=timezone.localdate(deadline) if deadline else None,
        published_at=(call.publication_date or call.created_at)
        if call.status in Call.PUBLIC_STATES else None,
        translations=translations(call, title="title", body=("challenge",)),
    )


def register_search() -> None:
    register(SearchableKind(
        key="procurement.call", label=_("Call"), model=Call, order=10,
        document=call_document,
        visible_to=permissions.calls_visible_to,
        indexed=lambda: Call.objects.select_related("buyer__city").prefetch_related("themes"),
        list_url_name="procurement:call-list",
        list_filter=lambda viewer, params: CallFilter(
            params, queryset=permissions.calls_visible_to(viewer)).qs,
    ))
