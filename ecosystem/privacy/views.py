"""Pages of personal data rights: the privacy page, the account's data page (download my
data, with progress), the download, and erasing one's account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.errors import DomainError

from . import permissions, registry, selectors, services
from .forms import EraseAccountForm
from .models import DataExport


def privacy_page(request):
    return render(request, "privacy/privacy.html", {
        "sections": selectors.privacy_sections(),
        "retention": registry.retention_rules(),
        "export_days": services.export_expiry().days,
    })


@login_required
def account_data(request):
    exports = list(selectors.exports_of(user=request.user)[:5])
    busy = any(e.status in (DataExport.Status.PENDING, DataExport.Status.RUNNING)
               for e in exports)
    return render(request, "privacy/account_data.html", {
        "exports": exports, "busy": busy, "export_days": services.export_expiry().days,
    })


@login_required
@require_POST
def export_create(request):
    services.export_request(user=request.user, actor=request.user)
    messages.success(request, _("Your data is being prepared. This page shows the progress; "
                                "you also get an e-mail when it is ready."))
    return redirect("privacy:account-data")


@login_required
def export_download(request, pk):
    export = get_object_or_404(permissions.exports_downloadable_by(request.user), pk=pk)
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, content_type="application/zip",
                        filename=f"my-data-{export.created_at:%Y-%m-%d}.zip")


@login_required
def account_erase(request):
    blockers = services.erase_blockers(user=request.user)
    form = EraseAccountForm(request.POST or None)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            services.account_erase_request(user=request.user,
                                           password=form.cleaned_data["password"])
        except DomainError as error:
            form.add_error("password" if error.fields.get("password") else None, error.message)
        else:
            logout(request)
            messages.success(request, _("Your account is being erased. You have been signed "
                                        "out and cannot sign in again."))
            return redirect("home")
    return render(request, "privacy/account_erase.html", {"form": form, "blockers": blockers},
                  status=400 if request.method == "POST" else 200)
