"""Public datasets, registered by the app that owns the data, in its ``AppConfig.ready()``::

    from ecosystem.opendata.registry import Column, Dataset, Link, register
    register(Dataset(
        key="events", title=_("Events"), description=_("Published events ..."),
        queryset=events_public, theme="EDUC", frequency="DAILY",
        columns=(Column("id", "id", _("Number of the event on the portal")),
                 Column("title", "title", _("Title")), ...),
        links=(Link(_("iCalendar feed"), "/events/feed.ics", "text/calendar"),),
    ))

``queryset()`` returns the public rows only; ``Column.source`` is a ``values()`` lookup (a
field, or a relation's field such as ``city__name``), ``Column.name`` the stable column name
of the CSV and JSON files. Never put a person's name or e-mail address in a column:
``tests/opendata`` checks every file. ``theme`` is a code of the EU data theme vocabulary
(http://publications.europa.eu/resource/authority/data-theme), ``frequency`` of the EU
frequency vocabulary (http://publications.europa.eu/resource/authority/frequency).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

THEMES = {"AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI",
          "SOCI", "TECH", "TRAN"}
FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "ANNUAL", "IRREG"}


# Free texts written by people (e.g. citizens' feedback) may quote an e-mail address or a
# phone number despite moderation: columns marked ``free_text`` have them replaced.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"\+?\d[\d ()/.-]{7,}\d")
REDACTED = "[…]"


def redact(value):
    if not isinstance(value, str):
        return value
    return PHONE.sub(REDACTED, EMAIL.sub(REDACTED, value))


@dataclass(frozen=True)
class Column:
    name: str
    source: str
    description: str
    free_text: bool = False


@dataclass(frozen=True)
class Link:
    """Another distribution of the same data served elsewhere (GeoJSON, iCal, OCDS)."""

    title: str
    url: str
    media_type: str
    format: str = ""  # code of the EU file-type vocabulary, when there is one


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    description: str
    queryset: Callable[[], QuerySet]
    columns: tuple[Column, ...]
    theme: str
    frequency: str = "DAILY"
    # Lookup whose maximum is the dataset's last modification (Last-Modified, dct:modified).
    modified: str = "updated_at"
    keywords: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()

    def __post_init__(self):
        if self.theme not in THEMES:
            raise ValueError(f"{self.key}: theme {self.theme!r} is not an EU data theme code")
        if self.frequency not in FREQUENCIES:
            raise ValueError(f"{self.key}: unknown frequency {self.frequency!r}")

    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def rows(self):
        """The public rows as dicts keyed by the stable column names, streamed."""
        sources = [column.source for column in self.columns]
        names = self.column_names()
        free = [index for index, column in enumerate(self.columns) if column.free_text]
        queryset = self.queryset().order_by("pk").values_list(*sources)
        for values in queryset.iterator(chunk_size=2000):
            if free:
                values = list(values)
                for index in free:
                    values[index] = redact(values[index])
            yield dict(zip(names, values, strict=True))


_DATASETS: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    _DATASETS[dataset.key] = dataset
    return dataset


def get(key: str) -> Dataset | None:
    return _DATASETS.get(key)


def datasets() -> list[Dataset]:
    return sorted(_DATASETS.values(), key=lambda dataset: dataset.key)
