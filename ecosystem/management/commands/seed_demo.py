"""Load the demo data of every app: ``python manage.py seed_demo [--scale N]``.

Each installed app may have a ``demo`` module with ``seed(demo: Demo)``; they run in the
order of INSTALLED_APPS, so features find the themes, organisations and cities they build on,
except the platform's notifications, which run last: they tell people about everything else.
Seeding is idempotent: every ``seed`` looks rows up by a natural key before creating them.
"""

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

RUN_LAST = {"ecosystem.notifications"}


@dataclass
class Demo:
    out: object
    accounts: list[tuple[str, str, str]] = field(default_factory=list)

    def account(self, role: str, email: str, password: str) -> None:
        self.accounts.append((role, email, password))

    def log(self, message: str) -> None:
        self.out.write(message)


class Command(BaseCommand):
    help = "Load realistic demo data (idempotent); --scale N adds N synthetic organisations."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0, help="synthetic organisations to add")
        parser.add_argument("--quiet-accounts", action="store_true", help="do not print accounts")
        parser.add_argument(
            "--send-emails", action="store_true",
            help="really send the e-mails the demo activity causes (default: kept in memory)",
        )

    def handle(self, *args, scale, quiet_accounts, send_emails, **options):
        if send_emails:
            self._seed(scale)
        else:
            # Registrations, awards and announcements of the demo e-mail people; printing
            # thousands of them on the console would bury the accounts below.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                self._seed(scale)
        if self.demo.accounts and not quiet_accounts:
            self.stdout.write(self.style.SUCCESS("\nDemo accounts (e-mail / password):"))
            width = max(len(role) for role, _, _ in self.demo.accounts)
            for role, email, password in self.demo.accounts:
                self.stdout.write(f"  {role.ljust(width)}  {email}  /  {password}")

    def _seed(self, scale):
        self.demo = demo = Demo(out=self.stdout)
        configs = sorted(apps.get_app_configs(), key=lambda config: config.name in RUN_LAST)
        modules = []
        for config in configs:
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            module = import_module(module_name)
            modules.append(module)
            with transaction.atomic():
                module.seed(demo)
        if scale:
            # An app's demo module that can add many more rows says so with ``seed_scale``.
            for module in modules:
                if hasattr(module, "seed_scale"):
                    module.seed_scale(demo, scale)
        from ecosystem.search.index import rebuild

        rebuild()  # the demo writes rows directly; the search index is rebuilt from them
        if not scale:
            # ... and every organisation's recommendations computed, as the nightly job would:
            # "For you" is there on the first visit. (At scale the benchmarks time that job.)
            from ecosystem.matching.services import recommendations_refresh_all

            recommendations_refresh_all()
