"""The notification centre, preferences, one-click unsubscribe and follow/unfollow.
Views are thin: fetch through ``selectors`` (someone else's notification is a 404), then
call the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ecosystem.errors import DomainError

from . import selectors, services
from .forms import FollowForm, PreferencesForm
from .registry import followable_queryset

PAGE_SIZE = 20


@login_required
def notification_list(request):
    show = request.GET.get("show", "all")
    notifications = selectors.notifications_of(request.user)
    if show == "unread":
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {
        "page": page, "show": show, "query": f"show={show}" if show == "unread" else "",
        "unread": selectors.unread_count(request.user),
    })


def _back(request, fallback: str):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(selectors.notifications_of(request.user), pk=pk)
    services.notification_mark_read(notification=notification, user=request.user)
    if request.POST.get("open") and notification.url:
        return redirect(notification.url)
    return _back(request, "notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notifications:list")


@login_required
def preferences(request):
    current = services.effective_preferences(user=request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_update(user=request.user, frequencies=form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your e-mail preferences are saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: mail clients POST without a session; the signed token authorises
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows a confirm button (link scanners must not unsubscribe anyone); POST does it,
    also as the one-click ``List-Unsubscribe-Post`` from the mail client."""
    from django.core import signing

    from . import emails
    from .registry import get_kind

    if request.method == "GET":
        try:
            _user_id, scope = emails.read_unsubscribe_token(token)
        except signing.BadSignature:
            return render(request, "notifications/unsubscribe_invalid.html", status=400)
        if scope in emails.DIGEST_SCOPE.values():
            what = _("the daily digest") if scope.endswith("daily") else _("the weekly digest")
        else:
            try:
                what = str(get_kind(scope).label)
            except LookupError:
                return render(request, "notifications/unsubscribe_invalid.html", status=400)
        return render(request, "notifications/unsubscribe_confirm.html", {"what": what})
    try:
        user, kinds = services.unsubscribe(token=token)
    except DomainError:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    return render(request, "notifications/unsubscribe_done.html", {"kinds": kinds})


@login_required
@require_POST
def follow_toggle(request):
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That cannot be followed."))
        return redirect("home")
    queryset = followable_queryset(form.cleaned_data["target_type"], request.user)
    if queryset is None:
        raise Http404
    try:
        target = queryset.get(pk=form.cleaned_data["target_id"])
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc
    if form.cleaned_data["action"] == "follow":
        services.follow(user=request.user, target=target)
        messages.success(request, _("You now follow %(target)s.") % {"target": target})
    else:
        services.unfollow(user=request.user, target=target)
        messages.success(request, _("You no longer follow %(target)s.") % {"target": target})
    fallback = target.get_absolute_url() if hasattr(target, "get_absolute_url") else "home"
    return _back(request, fallback)
