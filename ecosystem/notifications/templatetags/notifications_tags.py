from django import template

from ..registry import is_followable
from ..services import is_following

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_state(context, target):
    """For ``notifications/includes/follow_button.html``: whether the viewer follows
    ``target`` and the ``app_label.model`` it is posted as (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if target is None or not is_followable(target):
        return None
    return {
        "type": target._meta.label_lower,
        "id": target.pk,
        "following": is_following(user=user, target=target) if user else False,
        "signed_in": bool(getattr(user, "is_authenticated", False)),
    }
