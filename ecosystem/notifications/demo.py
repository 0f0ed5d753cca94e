"""Demo notifications for the demo accounts: staff announcements sent through the real path
(``announcement_send`` -> ``notify`` -> outbox), follows, and some already read.

``seed_demo`` runs this app's seed after every feature app's, so the organisations and people it needs are there.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Announcement, Notification
from .services import announcement_send, follow

ANNOUNCEMENTS = [
    # subject, body, filters, themes
    ("Welcome to the Smart City Innovation Ecosystem portal",
     "Follow the organisations, events, calls and pilots you care about and choose in your "
     "e-mail preferences how often we write to you.",
     {"all_people": True}, []),
    ("Intelligent Cities Challenge: SMEs wanted for mobility pilots",
     "Rijeka and Karlsruhe are looking for companies to test parking sensors and eBike "
     "charging in real streets. The matchmaking session is on the programme of Smart City "
     "Week.", {"helix": "industry"}, ["mobility"]),
    ("Open data workshop with Comune di Trento",
     "Researchers and civic-tech groups are invited to a two-day code sprint on the city's "
     "open data.", {"verified_only": True, "country": "IT"}, ["open-data"]),
]

FOLLOWS = [
    ("ana@adriatic-sensors.example", "city-of-rijeka"),
    ("luka@adriatic-sensors.example", "cekom-smart-cities"),
    ("jonas@fahrradwerk.example", "city-of-karlsruhe"),
    ("citizen@example.org", "city-of-karlsruhe"),
    ("marko@uniri.example", "cekom-smart-cities"),
]


def seed(demo) -> None:
    from ecosystem.models import Theme

    from .registry import followable_model

    User = get_user_model()
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    sent = 0
    for subject, body, filters, theme_slugs in ANNOUNCEMENTS:
        announcement, created = Announcement.objects.get_or_create(
            subject=subject, defaults={"body": body, "created_by": staff, **filters}
        )
        if created:
            announcement.themes.set(Theme.objects.filter(slug__in=theme_slugs))
        if announcement.status == Announcement.Status.DRAFT:
            sent += announcement_send(announcement=announcement, actor=staff)
    for email, slug in FOLLOWS:
        user = User.objects.filter(email=email).first()
        organisations = followable_model("stakeholders.organisation")
        organisation = organisations and organisations._default_manager.filter(slug=slug).first()
        if user and organisation:
            follow(user=user, target=organisation)
    # Ana has already read the welcome message.
    Notification.objects.filter(
        recipient__email="ana@adriatic-sensors.example", read_at__isnull=True,
        subject=ANNOUNCEMENTS[0][0],
    ).update(read_at=timezone.now())
    demo.log(f"notifications: {sent} notifications sent, {len(FOLLOWS)} follows")
