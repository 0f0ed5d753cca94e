"""Re-read every searchable row into the index, in batches, safe while the portal serves:
documents are upserted in place and stale ones deleted at the end of each kind, so searches
keep answering (with the old text) until their row's batch is written."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from ecosystem.search import index
from ecosystem.search.registry import all_kinds


class Command(BaseCommand):
    help = "Rebuild the search index of every registered kind (or only --kind KEY ...)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", default=[],
                            help="a registered kind, e.g. procurement.call (repeatable)")
        parser.add_argument("--batch-size", type=int, default=index.BATCH)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, kind, batch_size, no_progress, **options):
        kinds = {k.key: k for k in all_kinds()}
        unknown = [key for key in kind if key not in kinds]
        if unknown:
            raise CommandError(f"Unknown kind(s): {', '.join(unknown)}. "
                               f"Registered: {', '.join(kinds)}")
        chosen = [kinds[key] for key in kind] or list(kinds.values())
        started = time.perf_counter()
        interactive = not no_progress and self.stdout.isatty() if hasattr(self.stdout, "isatty") \
            else False

        def progress(kind, done, total):
            if no_progress:
                return
            width = 30
            filled = width * done // total if total else width
            line = f"{kind.key:<28} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            if interactive:
                sys.stdout.write("\r" + line)
                sys.stdout.flush()
                if done >= total:
                    sys.stdout.write("\n")
            elif done >= total or done % (batch_size * 20) == 0:
                self.stdout.write(line)

        counts = index.rebuild(chosen, batch_size=batch_size, progress=progress)
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(
            f"Indexed {total} documents of {len(counts)} kinds in "
            f"{time.perf_counter() - started:.1f} s."))
