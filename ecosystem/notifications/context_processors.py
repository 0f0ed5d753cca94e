from django.utils.functional import SimpleLazyObject

from .selectors import UNREAD_CAP, unread_count


def unread(request):
    """The header's unread count, counted only if a template shows it (one bounded query)."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    count = SimpleLazyObject(lambda: unread_count(user))
    return {"unread_notifications": count, "unread_notifications_cap": UNREAD_CAP}
