"""How much the REST API costs over the data it serves.

On 100,000 organisations, interleave requests to /api/v1/organisations/ with requests to a bare
view that builds the same JSON page (next, previous, 20 rows with city, themes and
competences) from ``.values()`` with the same keyset (cursor) query and returns a JsonResponse.
Pages 1, 2, 3, 50, 500, the middle and the last are reached by their cursors. Both go through the same Django
test client and middleware; the CPU time (time.process_time) of each request is measured and
the median of the paired ratios API/bare is printed. Target: 1.3 or less.

    .venv/bin/python bench/bench_api_organisations.py [--scale 100000] [--pairs 200] [--fresh]

The database is a SQLite file under bench/results/ (kept between runs; --fresh rebuilds it and
times ``seed_demo --scale``), or DATABASE_URL when it is set (seeded once if it lacks the rows).
"""

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))


def configure(scale: int, fresh: bool) -> Path | None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecosystem.settings.dev"
    os.environ["DEBUG"] = "false"  # no query log, no debug pages: measure what production runs
    os.environ["API_THROTTLE_ANON"] = "1000000/min"  # throttled as usual, never refused
    os.environ.setdefault("REDIS_URL", "")
    if os.environ.get("DATABASE_URL"):
        return None
    db_file = RESULTS / f"bench_api_organisations_{scale}.sqlite3"
    if fresh and db_file.exists():
        db_file.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    return db_file


def seed(scale: int) -> float | None:
    """Migrate, load the demo data and add ``scale`` synthetic organisations when missing.
    Returns the seconds ``seed_demo --scale`` took, or None when the rows were already there."""
    from django.core.management import call_command

    from stakeholders.models import Organisation

    call_command("migrate", verbosity=0, interactive=False)
    if Organisation.objects.filter(slug__startswith="synthetic-").count() >= scale:
        return None
    Organisation.objects.filter(slug__startswith="synthetic-").delete()
    started = time.perf_counter()
    call_command("seed_demo", scale=scale, quiet_accounts=True, stdout=open(os.devnull, "w"))
    elapsed = time.perf_counter() - started
    (RESULTS / f"seed_{scale}.json").write_text(json.dumps({"scale": scale, "seconds": elapsed}))
    return elapsed


def bare_view(request):
    """The floor: the same page of the same rows, no serializer, no DRF, the same keyset
    (cursor) query as the API's pagination."""
    from urllib.parse import quote

    from django.http import JsonResponse

    from ecosystem.api.pagination import Key, after_cursor, decode_cursor, encode_cursor
    from stakeholders.models import Organisation

    page_size = 20
    keys = [Key("name", False, False), Key("id", False, False)]
    queryset = Organisation.objects.order_by("name", "id")
    cursor = request.GET.get("cursor")
    if cursor:
        values, _reverse = decode_cursor(cursor, len(keys))
        queryset = queryset.filter(after_cursor(keys, values, False))
    rows = list(
        queryset.values(
            "id", "slug", "name", "helix", "kind", "country", "nuts_region", "city__slug",
            "website", "description", "logo", "size", "employees", "verified", "created_at",
            "updated_at",
        )[:page_size + 1]
    )
    more, rows = len(rows) > page_size, rows[:page_size]
    ids = [row["id"] for row in rows]
    themes, competences = {}, {}
    for organisation_id, slug in (
        Organisation.themes.through.objects.filter(organisation_id__in=ids)
        .order_by("theme__name").values_list("organisation_id", "theme__slug")
    ):
        themes.setdefault(organisation_id, []).append(slug)
    for organisation_id, slug in (
        Organisation.competences.through.objects.filter(organisation_id__in=ids)
        .order_by("competence__name").values_list("organisation_id", "competence__slug")
    ):
        competences.setdefault(organisation_id, []).append(slug)
    base = request.build_absolute_uri(request.path)
    for row in rows:
        row["url"] = f"/organisations/{row['slug']}/"
        row["city"] = row.pop("city__slug")
        row["logo"] = row["logo"] or None
        row["themes"] = themes.get(row["id"], [])
        row["competences"] = competences.get(row["id"], [])

    def link(row, reverse):
        return f"{base}?cursor={quote(encode_cursor([row['name'], row['id']], reverse))}"

    return JsonResponse({
        "next": link(rows[-1], False) if more and rows else None,
        "previous": link(rows[0], True) if cursor and rows else None,
        "results": rows,
    })


def cursors_for(pages: list[int]) -> dict[int, str]:
    """The cursor a client holds for page N after following N-1 next links."""
    from ecosystem.api.pagination import encode_cursor
    from stakeholders.models import Organisation

    ordered = Organisation.objects.order_by("name", "id").values_list("name", "id")
    return {page: encode_cursor(list(ordered[(page - 1) * 20 - 1]), False)
            for page in pages if page > 1}


def url_for(base: str, cursors: dict, page: int) -> str:
    from urllib.parse import quote

    return f"{base}?cursor={quote(cursors[page])}" if page in cursors else base


def mount_bare_view() -> str:
    from django.urls import clear_url_caches, path

    import ecosystem.urls

    ecosystem.urls.urlpatterns.insert(0, path("bench/bare/organisations/", bare_view))
    clear_url_caches()
    return "/bench/bare/organisations/"


def cpu(client, url) -> float:
    started = time.process_time()
    response = client.get(url)
    elapsed = time.process_time() - started
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return elapsed


def measure(pairs: int, pages: list[int]) -> dict:
    from django.test import Client

    client = Client()
    bare = mount_bare_view()
    api = "/api/v1/organisations/"
    cursors = cursors_for(pages)
    # Same rows, same order, same page shape: the comparison is fair.
    a = client.get(url_for(api, cursors, pages[1])).json()
    b = client.get(url_for(bare, cursors, pages[1])).json()
    assert [r["slug"] for r in a["results"]] == [r["slug"] for r in b["results"]]
    assert set(a) == set(b) and bool(a["next"]) == bool(b["next"])
    for _ in range(3):  # warm up: imports, caches, the database page cache
        for page in pages:
            cpu(client, url_for(api, cursors, page))
            cpu(client, url_for(bare, cursors, page))
    ratios, api_times, bare_times = [], [], []
    for number in range(pairs):
        page = pages[number % len(pages)]
        if number % 2:  # alternate which goes first
            api_time = cpu(client, url_for(api, cursors, page))
            bare_time = cpu(client, url_for(bare, cursors, page))
        else:
            bare_time = cpu(client, url_for(bare, cursors, page))
            api_time = cpu(client, url_for(api, cursors, page))
        api_times.append(api_time)
        bare_times.append(bare_time)
        ratios.append(api_time / bare_time)
    return {
        "pairs": pairs,
        "pages": pages,
        "api_ms_median": statistics.median(api_times) * 1000,
        "bare_ms_median": statistics.median(bare_times) * 1000,
        "ratio_median": statistics.median(ratios),
        "ratio_p90": statistics.quantiles(ratios, n=10)[-1],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--fresh", action="store_true", help="rebuild the SQLite database")
    args = parser.parse_args()

    warnings.filterwarnings("ignore", message="No directory at")
    db_file = configure(args.scale, args.fresh)
    import django

    django.setup()
    from django.db import connection

    from stakeholders.models import Organisation

    seconds = seed(args.scale)
    total = Organisation.objects.count()
    print(f"database: {connection.vendor} {db_file or '(DATABASE_URL)'}; {total:,} organisations")
    if seconds is None:
        previous = RESULTS / f"seed_{args.scale}.json"
        if previous.exists():
            recorded = json.loads(previous.read_text())["seconds"]
            print(f"seed_demo --scale {args.scale}: {recorded:.1f} s (recorded when the database "
                  "was built; --fresh to measure again)")
    else:
        print(f"seed_demo --scale {args.scale}: {seconds:.1f} s (target: under 180 s)")

    last_page = (total + 19) // 20
    pages = sorted({page for page in [1, 2, 3, 50, 500, last_page // 2, last_page]
                    if 1 <= page <= last_page})
    result = measure(args.pairs, pages)
    print(f"pages {pages}, {result['pairs']} interleaved pairs, CPU time per request:")
    print(f"  API  /api/v1/organisations/  median {result['api_ms_median']:.2f} ms")
    print(f"  bare JsonResponse(.values()) median {result['bare_ms_median']:.2f} ms")
    print(f"  median paired ratio API/bare: {result['ratio_median']:.2f} "
          f"(p90 {result['ratio_p90']:.2f}; target 1.3 or less)")
    (RESULTS / "api_organisations.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
