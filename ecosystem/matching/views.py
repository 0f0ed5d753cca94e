from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.errors import InvalidInput, NotFound

from . import services


@login_required
@require_POST
def not_interested(request):
    """The "Not interested" button (a plain form: works without JavaScript)."""
    try:
        organisation_id = int(request.POST.get("organisation") or 0) or None
        target_id = int(request.POST.get("target_id", ""))
    except ValueError:
        raise Http404 from None
    try:
        services.dismiss(viewer=request.user, kind=request.POST.get("kind", ""),
                         target_id=target_id, organisation_id=organisation_id)
    except NotFound:
        raise Http404 from None
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Hidden. We will suggest fewer items like it."))
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    return redirect(target)
