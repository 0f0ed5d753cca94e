"""Reason codes -> plain sentences in the reader's language (rendered when read)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import registry

HELIX_PARTNER = {
    "industry": gettext_lazy("industry"),
    "academia": gettext_lazy("research"),
    "public": gettext_lazy("public-authority"),
    "civil": gettext_lazy("civil-society"),
}


def join_names(names) -> str:
    names = [str(name) for name in names]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _helix(code: str) -> str:
    return str(HELIX_PARTNER.get(code, code))


def render(reason: dict) -> str:
    code = reason.get("code")
    params = reason.get("params") or {}
    if code == "themes":
        return _("Shares %(themes)s with you") % {"themes": join_names(params.get("themes", []))}
    if code == "cpv":
        return _("Matches the CPV codes you work with (%(code)s)") % {"code": params.get("code")}
    if code == "text":
        return _("Speaks of what you do: %(terms)s") % {"terms": ", ".join(params.get("terms", []))}
    if code == "offers":
        return _("Offers what you requested: %(offer)s") % {"offer": params.get("offer", "")}
    if code == "city":
        return _("In %(city)s, your city") % {"city": params.get("city", "")}
    if code == "region":
        return _("In your region (%(nuts)s)") % {"nuts": params.get("nuts", "")}
    if code == "country":
        return _("In %(country)s, your country") % {
            "country": registry.label("country", params.get("country", ""))}
    if code == "behaviour":
        return _("From %(owner)s, whose calls or events you took part in") % {
            "owner": params.get("owner", "")}
    if code == "helix_missing":
        return _("Your consortium has no %(helix)s partner yet") % {
            "helix": _helix(params.get("helix", ""))}
    if code == "helix_new":
        return _("A %(helix)s partner: a helix you do not work with yet") % {
            "helix": _helix(params.get("helix", ""))}
    if code == "helix_other":
        return _("A %(helix)s partner, complementing your helix") % {
            "helix": _helix(params.get("helix", ""))}
    if code == "seeks_helix":
        return _("Looks for a %(helix)s partner like you") % {
            "helix": _helix(params.get("helix", ""))}
    return ""


def render_all(reasons) -> list[str]:
    return [text for text in (render(reason) for reason in reasons or []) if text]
