"""The shared theme taxonomy (DOMAIN.md)."""

from django.utils.text import slugify

from .i18n.content import translations_set
from .models import Theme

THEMES = {
    Theme.Group.SMART_SPECIALISATION: [
        "Energy and sustainable environment",
        "Transport and mobility",
        "Security",
        "ICT",
    ],
    Theme.Group.CITY: [
        "Mobility",
        "Renewable energy",
        "Clean industry",
        "Green manufacturing",
        "eGovernment",
        "Open data",
        "Skills and employment",
        "Healthcare and safety",
        "Crisis management",
        "Social innovation",
        "Tourism and culture",
        "Circular economy",
    ],
}


# The taxonomy in the portal's other languages (name: hr, de, it).
THEME_TRANSLATIONS = {
    "Energy and sustainable environment": ("Energija i održivi okoliš", "Energie und nachhaltige Umwelt", "Energia e ambiente sostenibile"),
    "Transport and mobility": ("Promet i mobilnost", "Verkehr und Mobilität", "Trasporti e mobilità"),
    "Security": ("Sigurnost", "Sicherheit", "Sicurezza"),
    "ICT": ("IKT", "IKT", "TIC"),
    "Mobility": ("Mobilnost", "Mobilität", "Mobilità"),
    "Renewable energy": ("Obnovljiva energija", "Erneuerbare Energie", "Energia rinnovabile"),
    "Clean industry": ("Čista industrija", "Saubere Industrie", "Industria pulita"),
    "Green manufacturing": ("Zelena proizvodnja", "Grüne Produktion", "Manifattura verde"),
    "eGovernment": ("e-Uprava", "E-Government", "Amministrazione digitale"),
    "Open data": ("Otvoreni podaci", "Offene Daten", "Dati aperti"),
    "Skills and employment": ("Vještine i zapošljavanje", "Kompetenzen und Beschäftigung", "Competenze e occupazione"),
    "Healthcare and safety": ("Zdravstvo i sigurnost", "Gesundheit und Sicherheit", "Sanità e sicurezza"),
    "Crisis management": ("Upravljanje krizama", "Krisenmanagement", "Gestione delle crisi"),
    "Social innovation": ("Društvene inovacije", "Soziale Innovation", "Innovazione sociale"),
    "Tourism and culture": ("Turizam i kultura", "Tourismus und Kultur", "Turismo e cultura"),
    "Circular economy": ("Kružno gospodarstvo", "Kreislaufwirtschaft", "Economia circolare"),
}


def seed(demo) -> None:
    created = 0
    for group, names in THEMES.items():
        for name in names:
            _, was_created = Theme.objects.get_or_create(
                slug=slugify(name), defaults={"name": name, "group": group}
            )
            created += was_created
    translations_set(Theme, {
        slugify(name): {"name": {"en": name, "hr": hr, "de": de, "it": it}}
        for name, (hr, de, it) in THEME_TRANSLATIONS.items()
    })
    demo.log(f"themes: {created} created")
