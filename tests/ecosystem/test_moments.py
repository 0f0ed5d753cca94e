"""Dates and times as each language writes them, a deadline always with its zone."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from ecosystem.zones import in_zone

DEADLINE = datetime(2026, 12, 2, 13, 0, tzinfo=ZoneInfo("UTC"))  # 14:00 in Zagreb


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load when %}" + source).render(Context(context)).strip()


@pytest.mark.parametrize("language, expected", [
    ("hr", "2. prosinca 2026. u 14:00 CET"),
    ("de", "2. Dezember 2026, 14:00 Uhr CET"),
    ("it", "2 dicembre 2026, 14:00 CET"),
    ("en", "2 December 2026, 14:00 CET"),
])
def test_a_deadline_in_each_language_with_its_zone(settings, language, expected):
    settings.TIME_ZONE = "Europe/Zagreb"
    assert render("{{ when|moment }}", language, when=DEADLINE) == expected


def test_an_event_time_stays_in_the_event_zone_with_its_weekday(settings):
    settings.TIME_ZONE = "Europe/Zagreb"
    lisbon = in_zone(DEADLINE, "Europe/Lisbon")
    assert render('{{ when|moment:"weekday,nozone" }}', "hr", when=lisbon) == (
        "srijeda, 2. prosinca 2026. u 13:00")
    assert render('{{ when|moment:"weekday,short,nozone" }}', "de", when=lisbon) == (
        "Mi, 02.12.2026, 13:00 Uhr")


def test_no_template_spells_its_own_date_pattern():
    """English word order ("j M Y, H:i") or a nominative month ("j F Y") is wrong in Croatian:
    every template uses the language's formats (one token alone, a calendar's "F", is fine)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    own_pattern = re.compile(r"""\|date:["'](?!(?:DATE|DATETIME|SHORT_DATE|SHORT_DATETIME|"""
                             r"""YEAR_MONTH|MONTH_DAY)_FORMAT["']|[cUYlDjFN]["']|Y-m-d["'])""")
    offenders = [f"{path.relative_to(root)}: {match.group(0)}"
                 for path in root.rglob("*.*") if path.suffix in (".html", ".txt")
                 for match in own_pattern.finditer(path.read_text())]
    assert offenders == []
