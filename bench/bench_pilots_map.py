"""How fast is the pilots' GeoJSON with 10,000 pilots?

    .venv/bin/python bench/bench_pilots_map.py [--pilots 10000] [--runs 5]

Builds a throwaway SQLite database (or uses DATABASE_URL if set), adds the pilots with themes
in bulk, then requests /api/v1/pilots/geojson/ and /api/v1/pilots/?format=geojson in-process
with the test client and prints the time, size and query count of each response. The target
is one response with every pilot in under 1 s.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecosystem.settings.dev")
_tmp = None
if not os.environ.get("DATABASE_URL"):
    _tmp = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}"
os.environ.setdefault("REDIS_URL", "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pilots", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    call_command("migrate", verbosity=0)

    from ecosystem.models import Theme
    from projects.models import Pilot, Project
    from stakeholders.models import City

    rng = random.Random(6)
    with transaction.atomic():
        Pilot.objects.filter(slug__startswith="bench-").delete()
        themes = [Theme.objects.get_or_create(slug=f"bench-theme-{n}", defaults={
            "name": f"Bench theme {n}", "group": "city"})[0] for n in range(8)]
        cities = [City.objects.get_or_create(slug=f"bench-city-{n}", defaults={
            "name": f"Bench city {n}", "country": "HR", "latitude": Decimal("45.3"),
            "longitude": Decimal("14.4")})[0] for n in range(20)]
        project = Project.objects.get_or_create(slug="bench-project", defaults={
            "acronym": "BENCH", "title": "Benchmark project", "funding_programme": "other",
            "status": "ongoing"})[0]
        statuses = [choice for choice, _ in Pilot.Status.choices]
        started = time.perf_counter()
        pilots = Pilot.objects.bulk_create([
            Pilot(slug=f"bench-{n}", title=f"Pilot number {n} — smart parking & energy",
                  city=rng.choice(cities), project=project if n % 2 else None,
                  status=rng.choice(statuses), address=f"Street {n}",
                  latitude=Decimal(f"{rng.uniform(35, 60):.6f}"),
                  longitude=Decimal(f"{rng.uniform(-9, 30):.6f}"))
            for n in range(args.pilots)
        ], batch_size=2000)
        Link = Pilot.themes.through
        Link.objects.bulk_create([
            Link(pilot_id=pilot.pk, theme_id=theme.pk)
            for pilot in pilots for theme in rng.sample(themes, 2)
        ], batch_size=5000)
        print(f"created {len(pilots)} pilots with 2 themes each in "
              f"{time.perf_counter() - started:.1f} s")

    client = Client()
    for url in ["/api/v1/pilots/geojson/", "/api/v1/pilots/?format=geojson",
                "/api/v1/pilots/geojson/?status=running"]:
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        data = json.loads(response.content)
        assert data["type"] == "FeatureCollection"
        print(f"{url}: {len(data['features'])} features, {len(response.content) / 1e6:.2f} MB, "
              f"{len(queries)} queries, best {min(timings) * 1000:.0f} ms, "
              f"median {statistics.median(timings) * 1000:.0f} ms, "
              f"worst {max(timings) * 1000:.0f} ms over {args.runs} runs "
              f"({'OK' if statistics.median(timings) < 1 else 'SLOWER THAN'} 1 s)")

    if _tmp is not None:
        Path(_tmp.name).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
