"""The calls and awards datasets of the open-data catalogue (what OCDS publishes, as tables;
never applications before the award, never people)."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from ecosystem.opendata.registry import Column, Dataset, Link, register

from .models import Application, Call
from .permissions import calls_visible_to

OCDS = Link(_("OCDS release packages"), "/api/v1/ocds/releases/", "application/json", "JSON")


def _awards():
    return Application.objects.filter(
        outcome=Application.Outcome.SUCCESSFUL,
        call__status__in=[Call.Status.AWARDED, Call.Status.COMPLETED],
        call__in=calls_visible_to(AnonymousUser()))


def register_datasets():
    register(Dataset(
        key="calls", title=_("Calls for innovation procurement"),
        description=_("Published calls of cities and public authorities: the challenge, "
                      "procedure, region, estimated value and deadlines."),
        queryset=lambda: calls_visible_to(AnonymousUser()), theme="GOVE", frequency="DAILY",
        keywords=("public procurement", "innovation procurement", "OCDS"), links=(OCDS,),
        columns=(
            Column("ocid", "ocid", _("Open Contracting ID (OCDS)")),
            Column("id", "id", _("Number of the call on the portal")),
            Column("title", "title", _("Title")),
            Column("slug", "slug", _("Identifier in the call's address")),
            Column("buyer", "buyer__name", _("Buyer (organisation)")),
            Column("buyer_slug", "buyer__slug", _("Buyer's identifier on the portal")),
            Column("procedure", "procedure", _("Procedure")),
            Column("status", "status", _("Status of the call")),
            Column("nuts_region", "nuts_region", _("NUTS region code")),
            Column("estimated_value", "estimated_value", _("Estimated value")),
            Column("currency", "currency", _("ISO 4217 currency code")),
            Column("smes_only", "smes_only", _("true when only SMEs may apply")),
            Column("publication_date", "publication_date", _("Published (ISO 8601)")),
            Column("clarification_deadline", "clarification_deadline",
                   _("Last moment for clarification questions (ISO 8601)")),
            Column("submission_deadline", "submission_deadline",
                   _("Deadline for applications (ISO 8601)")),
            Column("awarded_at", "awarded_at", _("Awarded (ISO 8601), if awarded")),
            Column("updated_at", "updated_at", _("Last change (ISO 8601)")),
        ),
    ))
    register(Dataset(
        key="awards", title=_("Awards of calls"),
        description=_("Which organisation won which call, once awarded."),
        queryset=_awards, theme="GOVE", frequency="WEEKLY", modified="call__awarded_at",
        keywords=("public procurement", "award", "OCDS"), links=(OCDS,),
        columns=(
            Column("ocid", "call__ocid", _("Open Contracting ID of the call (OCDS)")),
            Column("call_id", "call_id", _("Number of the call on the portal")),
            Column("call_title", "call__title", _("Title of the call")),
            Column("buyer", "call__buyer__name", _("Buyer (organisation)")),
            Column("supplier", "organisation__name", _("Awarded organisation")),
            Column("supplier_slug", "organisation__slug",
                   _("Awarded organisation's identifier on the portal")),
            Column("supplier_country", "organisation__country",
                   _("Awarded organisation's country")),
            Column("awarded_at", "call__awarded_at", _("Awarded (ISO 8601)")),
        ),
    ))
