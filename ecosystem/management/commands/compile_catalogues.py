"""``manage.py compile_catalogues``: the .mo files from locale/*/LC_MESSAGES/*.po, in pure
Python (polib), so neither a fresh machine nor the image needs GNU gettext."""

from django.core.management.base import BaseCommand

from ecosystem.i18n.catalogues import catalogues, compile_catalogue


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po to .mo) without GNU gettext."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Recompile current ones too.")

    def handle(self, *args, force=False, **options):
        written = [path for path in catalogues() if compile_catalogue(path, force=force)]
        for path in written:
            self.stdout.write(f"compiled {path.with_suffix('.mo')}")
        self.stdout.write(f"{len(written)} catalogue(s) compiled, "
                          f"{len(catalogues()) - len(written)} already current.")
