"""Reads of procurement data, shared by pages, the API and the admin."""

import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ecosystem import sealing
from ecosystem.models import AuditEntry, Theme
from stakeholders.models import City

from . import permissions
from .models import (
    CPV_LABELS,
    Application,
    Call,
    Criterion,
    Question,
    Release,
    Score,
    Scoresheet,
    cpv_label,
)

TWO = Decimal("0.01")


def call_list(*, viewer) -> QuerySet[Call]:
    return (
        permissions.calls_visible_to(viewer)
        .select_related("buyer")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("-publication_date", "-id")
    )


def call_visible(*, viewer, call_id) -> Call | None:
    """The call with this id if ``viewer`` may see it (for other apps: a pilot's call)."""
    return permissions.calls_visible_to(viewer).filter(pk=call_id).first()


def call_detail_queryset(*, viewer) -> QuerySet[Call]:
    return call_list(viewer=viewer).prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("position", "id")),
        "lots", "documents", "amendments",
    )


def public_questions(*, call: Call) -> QuerySet[Question]:
    return call.questions.filter(answered_at__isnull=False).order_by("answered_at", "id")


def pending_questions_of(*, call: Call, user, organisations) -> QuerySet[Question]:
    """Unanswered questions the viewer asked, or their organisations asked, on this call."""
    if not user.is_authenticated:
        return call.questions.none()
    return call.questions.filter(answered_at__isnull=True).filter(
        Q(asked_by=user) | Q(organisation__in=organisations)).order_by("asked_at", "id")


def open_questions(*, call: Call) -> QuerySet[Question]:
    return call.questions.filter(answered_at__isnull=True).order_by("asked_at", "id")


def _round(value) -> Decimal:
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


def sheet_total(scores, weights: dict[int, int]) -> Decimal:
    """Weighted total 0–100 of one scoresheet: sum(score / 10 × weight)."""
    return sum((Decimal(s.value) * weights[s.criterion_id] / Score.MAX for s in scores),
               Decimal(0))


def evaluation_results(*, call: Call) -> list[dict]:
    """Per submitted application: mean weighted total over submitted scoresheets, the spread
    between evaluators (min, max, population standard deviation), per-criterion means, rank."""
    criteria = list(call.criteria.order_by("position", "id"))
    weights = {c.pk: c.weight for c in criteria}
    applications = (
        call.applications.filter(status=Application.Status.SUBMITTED)
        .select_related("organisation")
        .prefetch_related(Prefetch(
            "scoresheets",
            queryset=Scoresheet.objects.filter(submitted_at__isnull=False)
            .select_related("assignment__evaluator").prefetch_related("scores"),
            to_attr="submitted_sheets",
        ))
        .order_by("organisation__name", "pk")
    )
    rows = []
    for application in applications:
        sheets = application.submitted_sheets
        totals = [sheet_total(sheet.scores.all(), weights) for sheet in sheets]
        per_criterion = []
        for criterion in criteria:
            values = [s.value for sheet in sheets for s in sheet.scores.all()
                      if s.criterion_id == criterion.pk]
            mean = _round(sum(values) / len(values)) if values else None
            per_criterion.append((criterion.name, mean))
        rows.append({
            "application": application,
            "sheets": len(sheets),
            "totals": [_round(t) for t in totals],
            "total": _round(sum(totals) / len(totals)) if totals else Decimal(0),
            "min": _round(min(totals)) if totals else None,
            "max": _round(max(totals)) if totals else None,
            "stddev": _round(statistics.pstdev(totals)) if len(totals) > 1 else (
                Decimal(0) if totals else None),
            "criteria_named": per_criterion,
        })
    rows.sort(key=lambda row: (-row["total"], row["application"].organisation.name))
    rank = 0
    previous = None
    for index, row in enumerate(rows, start=1):
        if row["total"] != previous:
            rank, previous = index, row["total"]
        row["rank"] = rank
    return rows


def call_audit_trail(*, call: Call, viewer, now=None) -> QuerySet[AuditEntry]:
    """Everything recorded about the call, its applications and their scoresheets, through the
    platform's sealing rule: an entry about an application only once ``viewer`` may see that
    application (after the deadline, and never a withdrawn or unfinished one)."""
    now = now or timezone.now()
    types = ContentType.objects.get_for_models(Call, Application, Scoresheet)
    application_ids = [str(pk) for pk in call.applications.values_list("pk", flat=True)]
    # A scoresheet is about an application: listed only with an application the viewer sees.
    sheet_ids = [str(pk) for pk in Scoresheet.objects.filter(
        application__call=call,
        application__in=permissions.applications_visible_to(viewer, now=now),
    ).values_list("pk", flat=True)]
    query = (
        Q(target_type=types[Call], target_id=str(call.pk))
        | Q(target_type=types[Application], target_id__in=application_ids)
        | Q(target_type=types[Scoresheet], target_id__in=sheet_ids)
    )
    entries = sealing.records_visible_to(AuditEntry.objects.filter(query), viewer,
                                         kind_field="action", now=now)
    return entries.select_related("actor").order_by("created_at", "id")


def applications_of(*, viewer) -> QuerySet[Application]:
    return (
        permissions.applications_of_applicant(viewer)
        .select_related("call", "organisation")
        .order_by("-created_at", "-id")
    )


def releases(*, date_from=None, date_to=None) -> QuerySet[Release]:
    queryset = Release.objects.order_by("date", "id")
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    return queryset


def call_stats(*, call: Call) -> dict:
    return call.applications.aggregate(
        submitted=Count("pk", filter=Q(status=Application.Status.SUBMITTED)),
    )


def pilots_for_call(*, call: Call):
    """Pilots that came out of an awarded call (from the projects app, when it provides them)."""
    try:
        from projects.selectors import pilots_for_call as projects_pilots_for_call
    except ImportError:
        return []
    return projects_pilots_for_call(call=call)


def cpv_lookup(*, query: str, limit: int = 12) -> list[dict]:
    """CPV codes whose code or label matches, from the codes this portal knows and those
    already used by calls (label: the code itself when the portal has no label)."""
    query = query.strip().lower()
    used = set()
    for codes in Call.objects.exclude(cpv_codes=[]).values_list("cpv_codes", flat=True):
        used.update(codes)
    results = []
    for code in sorted(set(CPV_LABELS) | used):
        label = cpv_label(code)
        if not query or code.startswith(query) or query in label.lower():
            results.append({"code": code, "label": label})
    return results[:limit]


def nuts_lookup(*, query: str, limit: int = 12) -> list[dict]:
    """NUTS regions known from the cities (with the city's name) and from calls."""
    query = query.strip()
    cities = City.objects.exclude(nuts_region="").order_by("nuts_region", "name")
    if query:
        cities = cities.filter(Q(nuts_region__istartswith=query) | Q(name__icontains=query))
    found = {}
    for code, name in cities.values_list("nuts_region", "name")[:limit * 2]:
        found.setdefault(code, []).append(name)
    calls = Call.objects.exclude(nuts_region="")
    if query:
        calls = calls.filter(nuts_region__istartswith=query)
    for code in calls.values_list("nuts_region", flat=True).distinct()[:limit]:
        found.setdefault(code, [])
    return [{"code": code, "label": ", ".join(names) or code}
            for code, names in sorted(found.items())][:limit]
