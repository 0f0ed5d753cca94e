"""Quality of matchmaking on a labelled set: precision@5, recall@10 and nDCG@10 per kind.

    .venv/bin/python bench/bench_matching_quality.py

Loads bench/matching_eval/eval.yaml (organisations, calls and events of the source documents
plus invented ones, with the relevant calls, events and partners judged by hand) into a
throwaway SQLite file, runs the nightly refresh and reads the stored recommendations exactly
as the "For you" page does. Two baselines see the same candidates after the same hard rules:
"newest first" and "count of shared themes" (ties: newest). An organisation counts for a kind
only if it has at least one relevant item of that kind.

Held-out split (deterministic): an organisation is *held out* when the first byte of the
SHA-1 of its key (its slug in eval.yaml) modulo 3 is 0, about a third of the set; the rest is
the *tuning* part. The split depends on the key alone, so adding an organisation never moves
another one between parts. Weights and thresholds may be changed only by looking at the
tuning part (``--part=tuning``); the held-out figures are the ones to quote. Calls, events and
partners are the same for both parts: what is split is the organisations asking.
"""

import hashlib
import math
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
DB = os.environ.get("BENCH_MATCHING_DB", f"/tmp/bench_matching_quality_{os.getpid()}.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecosystem.settings.dev")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ["REDIS_URL"] = ""
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from ecosystem.matching import registry, services  # noqa: E402
from ecosystem.matching.models import Recommendation  # noqa: E402
from ecosystem.models import Theme  # noqa: E402
from events.models import Event  # noqa: E402
from procurement.models import Call  # noqa: E402
from stakeholders.models import City, Organisation, OrganisationKind  # noqa: E402

KINDS = ("call", "event", "partner")
PARTS = ("held-out", "tuning", "all")


def part_of(slug: str) -> str:
    return "held-out" if hashlib.sha1(slug.encode()).digest()[0] % 3 == 0 else "tuning"


def load(data):
    now = timezone.now()
    themes = {slug: Theme.objects.create(slug=slug, name=name, group=group)
              for slug, (name, group) in data["themes"].items()}
    cities = {slug: City.objects.create(slug=slug, name=name, country=country, nuts_region=nuts)
              for slug, (name, country, nuts) in data["cities"].items()}
    orgs = {}
    for slug, spec in data["organisations"].items():
        city = cities[spec["city"]]
        org = Organisation.objects.create(
            slug=slug, name=spec["name"], kind=spec["kind"],
            helix=OrganisationKind.helix_of(spec["kind"]), size=spec.get("size", ""),
            country=city.country, nuts_region=city.nuts_region, city=city,
            description=spec.get("description", ""), cpv_interests=spec.get("cpv", []),
            verified=spec.get("verified", True),
            partner_suggestions_opt_out=spec.get("opt_out", False))
        org.themes.set([themes[t] for t in spec.get("themes", [])])
        orgs[slug] = org
    calls = {}
    for slug, spec in data["calls"].items():
        published = now - timedelta(days=spec["days_ago"])
        call = Call.objects.create(
            slug=slug, title=spec["title"], challenge=spec["challenge"], buyer=orgs[spec["buyer"]],
            procedure=Call.Procedure.PRE_COMMERCIAL, cpv_codes=spec.get("cpv", []),
            smes_only=spec.get("smes_only", False), allowed_countries=spec.get("countries", []),
            status=Call.Status.PUBLISHED, publication_date=published, created_at=published,
            clarification_deadline=now + timedelta(days=10),
            submission_deadline=now + timedelta(days=30))
        call.themes.set([themes[t] for t in spec["themes"]])
        calls[slug] = call
    events = {}
    for slug, spec in data["events"].items():
        starts = now + timedelta(days=spec["days_ahead"])
        online = spec.get("mode") == "online"
        event = Event.objects.create(
            slug=slug, title=spec["title"], description=spec["description"],
            kind=spec.get("kind", Event.Kind.WORKSHOP),
            mode=Event.Mode.ONLINE if online else Event.Mode.IN_PERSON,
            online_url="https://meet.example.org/room" if online else "",
            city=None if online else cities[spec["city"]], starts_at=starts,
            ends_at=starts + timedelta(hours=4), publication=Event.Publication.PUBLISHED,
            published_at=now - timedelta(days=spec["days_ahead"]),
            created_at=now - timedelta(days=spec["days_ahead"]))
        event.organisers.set([orgs[o] for o in spec["organisers"]])
        event.themes.set([themes[t] for t in spec["themes"]])
        events[slug] = event
    return orgs, {"call": calls, "event": events, "partner": orgs}


def ndcg(ranked, relevant, k=10):
    dcg = sum(1 / math.log2(i + 2) for i, item in enumerate(ranked[:k]) if item in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def metrics(rankings, truth):
    """rankings, truth: {org: [ids]} / {org: set(ids)} -> (P@5, R@10, nDCG@10)."""
    rows = [(rankings.get(org, []), rel) for org, rel in truth.items() if rel]
    p5 = sum(len(set(r[:5]) & rel) / 5 for r, rel in rows) / len(rows)
    r10 = sum(len(set(r[:10]) & rel) / len(rel) for r, rel in rows) / len(rows)
    n10 = sum(ndcg(r, rel) for r, rel in rows) / len(rows)
    return p5, r10, n10, len(rows)


def ceiling(truth):
    """The best any ranking can do (P@5 cannot reach 1 with fewer than 5 relevant items)."""
    rows = [rel for rel in truth.values() if rel]
    return sum(min(5, len(rel)) / 5 for rel in rows) / len(rows), 1.0, 1.0


def baselines(orgs):
    """The same candidates after the same hard rules, ordered two naive ways."""
    profiles = registry.load_profiles([o.pk for o in orgs.values()])
    newest, shared = {}, {}
    for key in KINDS:
        kind = registry.get_kind(key)
        candidates = kind.load(kind.queryset())
        for profile in profiles.values():
            allowed = [c for c in candidates if profile.id not in c.owner_ids
                       and kind.eligible(c, profile)]
            newest[(key, profile.id)] = [c.id for c in sorted(
                allowed, key=lambda c: (-c.newest, c.id))]
            shared[(key, profile.id)] = [c.id for c in sorted(
                allowed, key=lambda c: (-len(set(c.themes) & set(profile.themes)), -c.newest,
                                        c.id))]
    return newest, shared


def main():
    from django.conf import settings
    from django.test.utils import override_settings

    for arg in sys.argv[1:]:
        if arg.startswith("--set="):  # e.g. --set=MIN_SCORE=0.05 (try a setting)
            name, value = arg[len("--set="):].split("=", 1)
            # override_settings tells the engine, which reads each setting once.
            override_settings(MATCHING={**settings.MATCHING, name: float(value)}).enable()
    if os.path.exists(DB):
        os.remove(DB)
    started = time.perf_counter()
    if "--profile" in sys.argv:
        import cProfile
        import pstats
    call_command("migrate", verbosity=0)
    data = yaml.safe_load((BASE_DIR / "bench/matching_eval/eval.yaml").read_text())
    orgs, items = load(data)
    print(f"loaded {len(orgs)} organisations, {len(items['call'])} calls, "
          f"{len(items['event'])} events ({time.perf_counter() - started:.1f} s incl. migrate)")
    t = time.perf_counter()
    if "--profile" in sys.argv:
        profiler = cProfile.Profile()
        profiler.runcall(services.recommendations_refresh_all)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    services.recommendations_refresh_all()
    print(f"engine refresh: {time.perf_counter() - t:.2f} s, "
          f"{Recommendation.objects.count()} stored rows")
    truth = {key: {} for key in KINDS}
    for slug, spec in data["organisations"].items():
        for key in KINDS:
            rel = (spec.get("relevant") or {}).get(key) or {}
            truth[key][orgs[slug].pk] = {items[key][r].pk for r in rel}
    engine = {key: {} for key in KINDS}
    for row in Recommendation.objects.order_by("organisation", "kind", "-score", "target_id"):
        if row.kind in engine:
            engine[row.kind].setdefault(row.organisation_id, []).append(row.target_id)
    newest, shared = baselines(orgs)
    slug_of = {o.pk: slug for slug, o in orgs.items()}
    show = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--part=")] or [
        "held-out", "all"]
    beaten = {}
    for part in show:
        print()
        print(f"== {part} part: " + {"held-out": "organisations never looked at when tuning",
                                     "tuning": "organisations weights may be tuned on",
                                     "all": "every organisation"}[part])
        print(f"{'kind':8} {'metric':8} {'engine':>7} {'newest':>7} {'shared':>7} {'best':>6}"
              f" {'vs newest':>10} {'vs shared':>10}  orgs  verdict")
        beaten[part] = True
        for key in KINDS:
            sub = {o: rel for o, rel in truth[key].items()
                   if part == "all" or part_of(slug_of[o]) == part}
            if not any(sub.values()):
                continue
            e = metrics(engine[key], sub)
            n = metrics({o: newest[(key, o)] for o in sub}, sub)
            c = metrics({o: shared[(key, o)] for o in sub}, sub)
            best = ceiling(sub)
            for i, metric in enumerate(("P@5", "R@10", "nDCG@10")):
                # Better than both, or every method at the ceiling (nothing can beat it).
                if e[i] > n[i] + 1e-9 and e[i] > c[i] + 1e-9:
                    verdict = "beats both"
                elif e[i] >= best[i] - 1e-9 and c[i] >= best[i] - 1e-9:
                    verdict = "saturated (all at best)" if n[i] >= best[i] - 1e-9 else (
                        "tie at best with shared")
                else:
                    verdict = "NOT BEATEN"
                    beaten[part] = False
                print(f"{key:8} {metric:8} {e[i]:7.3f} {n[i]:7.3f} {c[i]:7.3f} {best[i]:6.3f}"
                      f" {e[i] - n[i]:+10.3f} {e[i] - c[i]:+10.3f}  {e[3]:4}  {verdict}")
    if "--misses" in sys.argv:
        names = {key: {obj.pk: slug for slug, obj in items[key].items()} for key in KINDS}
        org_names = {o.pk: slug for slug, o in orgs.items()}
        for key in KINDS:
            for org, rel in truth[key].items():
                top = engine[key].get(org, [])[:10]
                missed = [names[key][i] for i in rel - set(top)]
                wrong = [names[key][i] for i in top[:5] if i not in rel]
                if missed or wrong:
                    print(f"{key:8} {org_names[org]:26} missed {missed} top-5 not relevant {wrong}")
    print()
    for part, ok in beaten.items():
        print(f"{part}: engine beats both baselines on every kind and metric (ties only "
              f"where the engine and a baseline are both at the best possible value):",
              "yes" if ok else "NO")
    os.remove(DB)
    return 0 if all(beaten.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
