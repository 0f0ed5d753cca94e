from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.errors import InvalidInput

from . import services
from .selectors import viewer_organisation_ids


@login_required
@require_POST
def not_interested(request):
    """The "Not interested" button (a plain form: works without JavaScript)."""
    mine = viewer_organisation_ids(request.user)
    try:
        organisation_id = int(request.POST.get("organisation") or (mine[0] if mine else 0))
        target_id = int(request.POST.get("target_id", ""))
    except ValueError:
        raise Http404 from None
    if organisation_id and organisation_id not in mine:
        raise Http404
    kind = request.POST.get("kind", "")
    try:
        if organisation_id:
            services.not_interested(organisation_id=organisation_id, user=request.user,
                                    kind=kind, target_id=target_id)
        else:  # a person who acts for no organisation: hidden for them
            services.person_not_interested(user=request.user, kind=kind, target_id=target_id)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Hidden. We will suggest fewer items like it."))
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    return redirect(target)
