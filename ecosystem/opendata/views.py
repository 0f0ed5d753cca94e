"""The open-data catalogue page, the dataset files (streamed, conditional) and the DCAT-AP
catalogue. Everything here is public and read-only."""

import csv
import json
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from . import dcat, registry
from .selectors import dataset_etag, dataset_state

BATCH = 500
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@require_safe
def catalogue(request):
    entries = []
    for dataset in registry.datasets():
        rows, modified = dataset_state(dataset)
        entries.append({"dataset": dataset, "rows": rows, "modified": modified})
    return render(request, "opendata/catalogue.html", {
        "entries": entries,
        "licence_url": settings.OPEN_DATA_LICENCE_URL,
        "licence_name": settings.OPEN_DATA_LICENCE_NAME,
    })


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _csv_stream(dataset):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(dataset.column_names())
    batch = []
    for row in dataset.rows():
        batch.append(writer.writerow([_csv_cell(value) for value in row.values()]))
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def _json_stream(dataset):
    yield "["
    batch, first = [], True
    for row in dataset.rows():
        batch.append(("\n" if first else ",\n") + json.dumps(row, cls=DjangoJSONEncoder,
                                                              ensure_ascii=False))
        first = False
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    yield "".join(batch) + "\n]\n"


def _version_headers(response, etag, modified):
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    response["Cache-Control"] = "public, max-age=300"
    response["Link"] = f'<{settings.OPEN_DATA_LICENCE_URL}>; rel="license"'
    return response


@require_safe
def dataset_file(request, key, fmt):
    dataset = registry.get(key)
    if dataset is None or fmt not in CONTENT_TYPES:
        raise Http404
    rows, modified = dataset_state(dataset)
    etag = quote_etag(dataset_etag(dataset, fmt, rows, modified))
    not_modified = get_conditional_response(
        request, etag=etag,
        last_modified=int(modified.timestamp()) if modified is not None else None)
    if not_modified is not None:
        return _version_headers(not_modified, etag, modified)
    stream = _csv_stream(dataset) if fmt == "csv" else _json_stream(dataset)
    response = StreamingHttpResponse(stream, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'inline; filename="{dataset.key}.{fmt}"'
    return _version_headers(response, etag, modified)


@require_safe
def catalog_jsonld(request):
    return HttpResponse(dcat.jsonld(dcat.triples()), content_type="application/ld+json")


@require_safe
def catalog_turtle(request):
    return HttpResponse(dcat.turtle(dcat.triples()), content_type="text/turtle; charset=utf-8")
