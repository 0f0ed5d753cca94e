"""Open Contracting Data Standard 1.1: one release per change of a call, and packages.

Releases are built from the call's state at the moment of the change and stored as published
(``Release.data``); serving them never rebuilds anything. Tenderers and awards appear only once
the call is awarded. No personal data: parties are organisations, never people.
"""

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from .models import Application, Call, cpv_label

TENDER_STATUS = {
    Call.Status.DRAFT: "planning",
    Call.Status.PUBLISHED: "active",
    Call.Status.EVALUATION: "active",
    Call.Status.AWARDED: "complete",
    Call.Status.COMPLETED: "complete",
    Call.Status.CANCELLED: "cancelled",
    Call.Status.UNSUCCESSFUL: "unsuccessful",
}
METHOD = {
    Call.Procedure.OPEN_INNOVATION: "open",
    Call.Procedure.PRE_COMMERCIAL: "selective",
    Call.Procedure.INNOVATION_PARTNERSHIP: "selective",
    Call.Procedure.CHALLENGE_PRIZE: "open",
    Call.Procedure.SMALL_VALUE: "limited",
}
PUBLISHER = {"name": settings.SITE_NAME, "uri": settings.SITE_URL}
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def _date(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "hour"):
        return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return f"{value.isoformat()}T00:00:00Z"


def _amount(value) -> float | None:
    return None if value is None else float(Decimal(value))


def _party_id(organisation_id: int) -> str:
    return f"{settings.OCDS_PREFIX}-org-{organisation_id}"


def _party(organisation, roles: list[str]) -> dict:
    party = {
        "id": _party_id(organisation.pk),
        "name": organisation.name,
        "roles": roles,
        "address": {"countryName": str(organisation.get_country_display())},
    }
    if organisation.nuts_region:
        party["address"]["region"] = organisation.nuts_region
    return party


def _clean(value):
    """Drop None, empty strings, lists and dicts: OCDS forbids nulls in many places."""
    if isinstance(value, dict):
        cleaned = {key: _clean(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in (None, "", [], {})}
    if isinstance(value, list):
        return [item for item in (_clean(item) for item in value) if item not in (None, "", [], {})]
    return value


def _eligibility(call: Call) -> str:
    parts = []
    if call.smes_only:
        parts.append("Only small and medium-sized enterprises may apply.")
    if call.allowed_helices:
        parts.append("Helices: " + ", ".join(sorted(call.allowed_helices)) + ".")
    if call.allowed_countries:
        parts.append("Countries: " + ", ".join(sorted(call.allowed_countries)) + ".")
    if call.eligibility_notes:
        parts.append(call.eligibility_notes)
    return " ".join(parts)


def build_release(*, call: Call, tags: list[str], sequence: int, now=None) -> dict:
    """The full state of ``call`` as an OCDS release (the caller stores it)."""
    now = now or timezone.now()
    url = settings.SITE_URL + call.get_absolute_url()
    status = call.status
    value = ({"amount": _amount(call.estimated_value), "currency": call.currency}
             if call.estimated_value is not None else None)
    criteria = list(call.criteria.all())
    documents = [
        {
            "id": f"doc-{document.pk}",
            "documentType": document.kind,
            "title": document.title,
            "url": settings.SITE_URL + document.get_absolute_url(),
            "datePublished": _date(document.uploaded_at),
            "format": document.content_type or None,
            "language": "en",
        }
        for document in call.documents.all()
    ]
    if call.questions.filter(answered_at__isnull=False).exists():
        documents.append({
            "id": "clarifications",
            "documentType": "clarifications",
            "title": "Clarification questions and answers",
            "url": url + "#questions",
        })
    amendments = [
        {
            "id": f"amendment-{amendment.pk}",
            "date": _date(amendment.created_at),
            "rationale": amendment.rationale,
            "description": ", ".join(sorted(amendment.changes)) or None,
        }
        for amendment in call.amendments.all()
    ]
    tender = {
        "id": f"{call.ocid}-tender",
        "title": call.title,
        "description": call.challenge,
        "status": TENDER_STATUS[status],
        "procuringEntity": {"id": _party_id(call.buyer_id), "name": call.buyer.name},
        "value": value,
        "procurementMethod": METHOD[call.procedure],
        "procurementMethodDetails": str(Call.Procedure(call.procedure).label),
        "mainProcurementCategory": "services",
        "items": [
            {
                "id": str(index),
                "description": cpv_label(code),
                "classification": {"scheme": "CPV", "id": code.split("-")[0],
                                   "description": cpv_label(code)},
                "deliveryAddress": ({"region": call.nuts_region} if call.nuts_region else None),
            }
            for index, code in enumerate(call.cpv_codes, start=1)
        ],
        "awardCriteria": "ratedCriteria" if criteria else None,
        "awardCriteriaDetails": "; ".join(f"{c.name}: {c.weight}%" for c in criteria) or None,
        "eligibilityCriteria": _eligibility(call) or None,
        "tenderPeriod": {"startDate": _date(call.publication_date),
                         "endDate": _date(call.submission_deadline)},
        "enquiryPeriod": {"startDate": _date(call.publication_date),
                          "endDate": _date(call.clarification_deadline)},
        "awardPeriod": {"startDate": _date(call.submission_deadline),
                        "endDate": _date(call.awarded_at) or _date(call.award_date)},
        "hasEnquiries": call.questions.exists(),
        "documents": documents,
        "amendments": amendments,
    }
    parties = {call.buyer_id: _party(call.buyer, ["buyer", "procuringEntity"])}
    awards, contracts = [], []
    decision = getattr(call, "award_decision", None) if status in (
        Call.Status.AWARDED, Call.Status.COMPLETED) else None
    if decision is not None:
        applications = list(
            call.applications.filter(status=Application.Status.SUBMITTED)
            .select_related("organisation").order_by("organisation__name", "pk")
        )
        tenderers = [app.organisation for app in applications]
        tender["numberOfTenderers"] = len(tenderers)
        tender["tenderers"] = [{"id": _party_id(o.pk), "name": o.name} for o in tenderers]
        for organisation in tenderers:
            parties.setdefault(organisation.pk, _party(organisation, []))
            parties[organisation.pk]["roles"].append("tenderer")
        winners = list(decision.winners.select_related("organisation").order_by("pk"))
        signed = {contract.application_id: contract for contract in call.contracts.all()}
        for winner in winners:
            roles = parties.setdefault(winner.organisation_id, _party(winner.organisation, []))["roles"]
            if "supplier" not in roles:
                roles.append("supplier")
            award_id = f"{call.ocid}-award-{winner.pk}"
            contract = signed.get(winner.pk)
            awards.append({
                "id": award_id,
                "title": f"{call.title} – {winner.organisation.name}",
                "description": decision.reasons,
                "status": "active" if contract else "pending",
                "date": _date(decision.decided_at),
                "value": ({"amount": _amount(contract.value), "currency": contract.currency}
                          if contract else None),
                "suppliers": [{"id": _party_id(winner.organisation_id),
                               "name": winner.organisation.name}],
                "contractPeriod": ({"startDate": _date(contract.start_date),
                                    "endDate": _date(contract.end_date)} if contract else None),
            })
            if contract:
                contracts.append({
                    "id": f"{call.ocid}-contract-{contract.pk}",
                    "awardID": award_id,
                    "title": contract.title,
                    "status": "active",
                    "value": {"amount": _amount(contract.value), "currency": contract.currency},
                    "period": {"startDate": _date(contract.start_date),
                               "endDate": _date(contract.end_date)},
                    "dateSigned": _date(contract.signed_at),
                })
    release = {
        "ocid": call.ocid,
        "id": f"{call.ocid}-{sequence:04d}-{'-'.join(tags)}",
        "date": _date(now),
        "tag": tags,
        "initiationType": "tender",
        "language": "en",
        "parties": list(parties.values()),
        "buyer": {"id": _party_id(call.buyer_id), "name": call.buyer.name},
        "tender": tender,
        "awards": awards,
        "contracts": contracts,
    }
    return _clean(release)


def _package_head(uri: str, published_date) -> dict:
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _date(published_date or timezone.now()),
        "publisher": PUBLISHER,
        "license": LICENSE,
        "publicationPolicy": settings.SITE_URL + "/calls/",
    }


def release_package(*, releases: Iterable[dict], uri: str, published_date=None) -> dict:
    releases = list(releases)
    if published_date is None and releases:
        published_date = max(release["date"] for release in releases)
        head = _package_head(uri, None)
        head["publishedDate"] = published_date
    else:
        head = _package_head(uri, published_date)
    return {**head, "releases": releases}


def package_text(*, releases: list[str], uri: str, published_date=None) -> str:
    """A release package as JSON text around releases that are already JSON text."""
    head = json.dumps(_package_head(uri, published_date), ensure_ascii=False)
    return head[:-1] + ', "releases": [' + ",".join(releases) + "]}"


def stream_release_package(*, rows: Iterator, uri: str) -> Iterator[str]:
    """A release package as JSON text, one release at a time (constant memory). ``rows`` are
    releases as dicts or as JSON text."""
    head = json.dumps(_package_head(uri, None), ensure_ascii=False)
    yield head[:-1] + ', "releases": ['
    first = True
    for data in rows:
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        yield ("" if first else ",") + text
        first = False
    yield "]}"
