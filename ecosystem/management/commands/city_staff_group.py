from django.core.management.base import BaseCommand

from ecosystem.staff import city_staff_group


class Command(BaseCommand):
    help = ("Create or update the 'City staff' group: every task model of the admin, no "
            "technical model, no right to grant rights. Put city staff (is_staff, not "
            "superusers) in it.")

    def handle(self, *args, **options):
        group = city_staff_group()
        self.stdout.write(f"{group.name}: {group.permissions.count()} permissions")
