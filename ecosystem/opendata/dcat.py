"""The DCAT-AP 3.0 catalogue of the open datasets, as one list of RDF triples written out as
JSON-LD (a flattened ``@graph``) and as Turtle, so the two can never disagree.

Mandatory DCAT-AP properties: Catalogue dct:title, dct:description, dct:publisher,
dcat:dataset; Dataset dct:title, dct:description; Distribution dcat:accessURL; Agent
foaf:name. Recommended ones given too: licence, format, media type, modified, contact point,
theme (EU data theme vocabulary), frequency, language, homepage, landing page, keywords."""

import json
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from . import registry
from .selectors import dataset_state

PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority/"
LANGUAGES = {"en": "ENG", "hr": "HRV", "de": "DEU", "it": "ITA"}
MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class IRI:
    value: str


@dataclass(frozen=True)
class Literal:
    value: str
    language: str = ""
    datatype: str = ""   # prefixed name, e.g. "xsd:dateTime"


def _site(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def triples() -> list[tuple[str, str, object]]:
    language = translation.get_language() or settings.LANGUAGE_CODE
    lang = language.split("-")[0]
    catalogue = _site(reverse("opendata:catalogue"))
    publisher = f"{catalogue}#publisher"
    contact = f"{catalogue}#contact"
    licence = IRI(settings.OPEN_DATA_LICENCE_URL)
    text = lambda value: Literal(str(value), language=lang)  # noqa: E731
    out = [
        (catalogue, "rdf:type", IRI("dcat:Catalog")),
        (catalogue, "dct:title", text(translation.gettext("%(site)s open data") % {
            "site": settings.SITE_NAME})),
        (catalogue, "dct:description", text(translation.gettext(
            "Public data of the smart-city innovation portal: organisations, events, calls "
            "for innovation procurement and their awards, projects, pilots, indicators and "
            "citizens' moderated feedback. No personal data."))),
        (catalogue, "dct:publisher", IRI(publisher)),
        (catalogue, "foaf:homepage", IRI(_site("/"))),
        (catalogue, "dct:license", licence),
        (catalogue, "dct:language", IRI(f"{EU}language/{LANGUAGES.get(lang, 'ENG')}")),
        (publisher, "rdf:type", IRI("foaf:Agent")),
        (publisher, "foaf:name", Literal(settings.SITE_NAME)),
        (contact, "rdf:type", IRI("vcard:Kind")),
        (contact, "vcard:fn", Literal(settings.SITE_NAME)),
        (contact, "vcard:hasEmail", IRI(f"mailto:{settings.DEFAULT_FROM_EMAIL}")),
    ]
    latest = None
    for dataset in registry.datasets():
        node = f"{catalogue}#{dataset.key}"
        _rows, modified = dataset_state(dataset)
        out += [
            (catalogue, "dcat:dataset", IRI(node)),
            (node, "rdf:type", IRI("dcat:Dataset")),
            (node, "dct:identifier", Literal(dataset.key)),
            (node, "dct:title", text(dataset.title)),
            (node, "dct:description", text(dataset.description)),
            (node, "dct:publisher", IRI(publisher)),
            (node, "dcat:contactPoint", IRI(contact)),
            (node, "dcat:theme", IRI(f"{EU}data-theme/{dataset.theme}")),
            (node, "dct:accrualPeriodicity", IRI(f"{EU}frequency/{dataset.frequency}")),
            (node, "dcat:landingPage", IRI(f"{catalogue}#{dataset.key}")),
            (node, "dct:license", licence),
        ]
        out += [(node, "dcat:keyword", text(keyword)) for keyword in dataset.keywords]
        if modified is not None:
            stamp = Literal(modified.isoformat(), datatype="xsd:dateTime")
            out.append((node, "dct:modified", stamp))
            latest = max(latest, modified) if latest else modified
        distributions = [
            (reverse("opendata:dataset-file", kwargs={"key": dataset.key, "fmt": "csv"}),
             "CSV", "text/csv", "CSV"),
            (reverse("opendata:dataset-file", kwargs={"key": dataset.key, "fmt": "json"}),
             "JSON", "application/json", "JSON"),
        ] + [(link.url, str(link.title), link.media_type, link.format) for link in dataset.links]
        for path, title, media_type, file_type in distributions:
            url = _site(path)
            out += [
                (node, "dcat:distribution", IRI(url)),
                (url, "rdf:type", IRI("dcat:Distribution")),
                (url, "dct:title", text(f"{dataset.title} ({title})")),
                (url, "dcat:accessURL", IRI(url)),
                (url, "dcat:downloadURL", IRI(url)),
                (url, "dcat:mediaType", IRI(f"{MEDIA_TYPES}{media_type}")),
                (url, "dct:license", licence),
            ]
            if file_type:
                out.append((url, "dct:format", IRI(f"{EU}file-type/{file_type}")))
            if modified is not None:
                out.append((url, "dct:modified", Literal(modified.isoformat(),
                                                         datatype="xsd:dateTime")))
    if latest is not None:
        out.append((catalogue, "dct:modified", Literal(latest.isoformat(),
                                                       datatype="xsd:dateTime")))
    return out


def _expand(name: str) -> str:
    prefix, _sep, local = name.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and _sep else name


def jsonld(graph: list[tuple[str, str, object]]) -> str:
    nodes: dict[str, dict] = {}
    for subject, predicate, obj in graph:
        node = nodes.setdefault(subject, {"@id": subject})
        if predicate == "rdf:type":
            node.setdefault("@type", []).append(obj.value)
            continue
        if isinstance(obj, IRI):
            value = {"@id": obj.value}
        elif obj.language:
            value = {"@value": obj.value, "@language": obj.language}
        elif obj.datatype:
            value = {"@value": obj.value, "@type": obj.datatype}
        else:
            value = obj.value
        node.setdefault(predicate, []).append(value)
    context = {prefix: iri for prefix, iri in PREFIXES.items() if prefix != "rdf"}
    return json.dumps({"@context": context, "@graph": list(nodes.values())},
                      ensure_ascii=False, indent=2)


def _turtle_string(value: str) -> str:
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    return f'"{escaped}"'


def _turtle_term(obj) -> str:
    if isinstance(obj, IRI):
        prefix, sep, local = obj.value.partition(":")
        if sep and prefix in PREFIXES and "/" not in local and "#" not in local:
            return obj.value
        return f"<{obj.value}>"
    literal = _turtle_string(obj.value)
    if obj.language:
        return f"{literal}@{obj.language}"
    if obj.datatype:
        return f"{literal}^^{obj.datatype}"
    return literal


def turtle(graph: list[tuple[str, str, object]]) -> str:
    lines = [f"@prefix {prefix}: <{iri}> ." for prefix, iri in PREFIXES.items()]
    by_subject: dict[str, list[tuple[str, object]]] = {}
    for subject, predicate, obj in graph:
        by_subject.setdefault(subject, []).append((predicate, obj))
    for subject, pairs in by_subject.items():
        lines.append("")
        body = " ;\n    ".join(
            f"{'a' if predicate == 'rdf:type' else predicate} {_turtle_term(obj)}"
            for predicate, obj in pairs)
        lines.append(f"<{subject}>\n    {body} .")
    return "\n".join(lines) + "\n"
