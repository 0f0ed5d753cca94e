"""The shared theme taxonomy (DOMAIN.md)."""

from django.utils.text import slugify

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


def seed(demo) -> None:
    created = 0
    for group, names in THEMES.items():
        for name in names:
            _, was_created = Theme.objects.get_or_create(
                slug=slugify(name), defaults={"name": name, "group": group}
            )
            created += was_created
    demo.log(f"themes: {created} created")
