"""Reason codes -> plain sentences in the reader's language (rendered when read)."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from . import registry

HELIX_PARTNER = {
    "industry": gettext_lazy("industry"),
    "academia": gettext_lazy("research"),
    "public": gettext_lazy("public-authority"),
    "civil": gettext_lazy("civil-society"),
}


# The same helices with the English article, for the sentences that begin with one ("An
# industry partner, ..."); other languages translate them as the labels above.
A_HELIX_PARTNER = {
    "industry": pgettext_lazy("helix, with its article", "an industry"),
    "academia": pgettext_lazy("helix, with its article", "a research"),
    "public": pgettext_lazy("helix, with its article", "a public-authority"),
    "civil": pgettext_lazy("helix, with its article", "a civil-society"),
}


def join_names(names) -> str:
    names = [str(name) for name in names]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _helix(code: str) -> str:
    return str(HELIX_PARTNER.get(code, code))


def _a_helix(code: str) -> str:
    return str(A_HELIX_PARTNER.get(code, code))


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
        # Translators: helix is "an industry", "a research", ... (with its article in English).
        return capfirst(_("%(helix)s partner: a helix you do not work with yet") % {
            "helix": _a_helix(params.get("helix", ""))})
    if code == "helix_other":
        # Translators: helix is "an industry", "a research", ... (with its article in English).
        return capfirst(_("%(helix)s partner, complementing your helix") % {
            "helix": _a_helix(params.get("helix", ""))})
    if code == "seeks_helix":
        # Translators: helix is "an industry", "a research", ... (with its article in English).
        return _("Looks for %(helix)s partner like you") % {
            "helix": _a_helix(params.get("helix", ""))}
    return ""


def render_all(reasons) -> list[str]:
    return [text for text in (render(reason) for reason in reasons or []) if text]
