"""Compiling and checking the gettext catalogues in ``locale/`` with polib (pure Python).

``make install`` compiles them (``manage.py compile_catalogues``) so a fresh machine needs no
GNU gettext to show a translated portal; ``tests/ecosystem/test_catalogues.py`` checks that
every entry is translated, not fuzzy and keeps the placeholders of its msgid."""

import re
from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings

DOMAINS = ("django", "djangojs")
# %(name)s / %(count)d, bare %s / %d, and {name} / {0} (str.format and JS interpolate).
PLACEHOLDER_RE = re.compile(r"%\((?P<named>\w+)\)[sdif]|%(?P<bare>[sdif])|\{(?P<brace>\w*)\}")


def translated_languages() -> list[str]:
    """Every language of the portal except the one the code is written in."""
    return [code for code, _name in settings.LANGUAGES if code != "en"]


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def catalogue_path(language: str, domain: str) -> Path:
    return locale_dir() / language / "LC_MESSAGES" / f"{domain}.po"


def catalogues() -> list[Path]:
    """Every catalogue to compile: the portal's (``locale/``) and the format words
    (``ecosystem/formats/locale/``)."""
    return sorted(p for d in settings.LOCALE_PATHS for p in Path(d).glob("*/LC_MESSAGES/*.po"))


def compile_catalogue(po_path: Path, *, force: bool = False) -> bool:
    """Write ``<name>.mo`` beside ``po_path`` unless it is newer already; True when written."""
    mo_path = po_path.with_suffix(".mo")
    if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return False
    catalogue = polib.pofile(str(po_path))
    # Like msgfmt: fuzzy entries are left out, so a doubtful translation never shows.
    for entry in catalogue.fuzzy_entries():
        catalogue.remove(entry)
    catalogue.save_as_mofile(str(mo_path))
    return True


def placeholders(text: str, *, percent: bool = True, brace: bool = True) -> list[str]:
    """The placeholders of one text, in order: ``%(name)``, ``%s``, ``{name}``."""
    found = []
    for match in PLACEHOLDER_RE.finditer(text):
        if match.group("named") is not None:
            if percent:
                found.append(f"%({match.group('named')})")
        elif match.group("bare") is not None:
            if percent:
                found.append("%" + match.group("bare"))
        elif brace:
            found.append("{" + match.group("brace") + "}")
    return found


def _kinds(entry) -> dict:
    """Which placeholder syntax the msgid uses: the gettext flags, or an unambiguous name."""
    return {
        "percent": bool({"python-format", "javascript-format"} & set(entry.flags))
        or bool(re.search(r"%\(\w+\)[sdif]", entry.msgid)),
        "brace": "python-brace-format" in entry.flags
        or bool(re.search(r"\{\w+\}", entry.msgid)),
    }


def _placeholders_match(entry, translations: list[str]) -> bool:
    kinds = _kinds(entry)
    if not (kinds["percent"] or kinds["brace"]):
        return True
    if not entry.msgid_plural:
        expected = placeholders(entry.msgid, **kinds)
        got = placeholders(translations[0], **kinds)
        named = [p for p in expected if p.startswith("%(") or p.startswith("{")]
        bare = [p for p in expected if p not in named]
        # Named placeholders may move in the sentence; bare ones must keep their order.
        return sorted(named) == sorted(p for p in got if p.startswith(("%(", "{"))) and bare == [
            p for p in got if not p.startswith(("%(", "{"))
        ]
    # Plural forms: a form may leave the number out ("one item") but may not invent one, and
    # the last form (the general plural) must keep every placeholder of msgid_plural.
    allowed = set(placeholders(entry.msgid, **kinds)) | set(placeholders(entry.msgid_plural, **kinds))
    if not all(set(placeholders(t, **kinds)) <= allowed for t in translations):
        return False
    return sorted(placeholders(translations[-1], **kinds)) == sorted(
        placeholders(entry.msgid_plural, **kinds)
    )


@dataclass(frozen=True)
class Problem:
    catalogue: str
    msgid: str
    problem: str

    def __str__(self):
        return f"{self.catalogue}: {self.problem}: {self.msgid[:80]!r}"


def problems(po_path: Path) -> list[Problem]:
    """Untranslated, fuzzy and placeholder-breaking entries of one catalogue."""
    catalogue = polib.pofile(str(po_path))
    name = f"{po_path.parent.parent.parent.name}/{po_path.parent.parent.name}/{po_path.name}"
    found: list[Problem] = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.fuzzy:
            found.append(Problem(name, entry.msgid, "fuzzy"))
            continue
        translations = (
            [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
            if entry.msgid_plural else [entry.msgstr]
        )
        if not all(t.strip() for t in translations):
            found.append(Problem(name, entry.msgid, "untranslated"))
            continue
        if not _placeholders_match(entry, translations):
            found.append(Problem(name, entry.msgid, "placeholders differ"))
    return found


def msgids(po_path: Path) -> set[str]:
    return {
        (entry.msgctxt or "") + "\x04" + entry.msgid
        for entry in polib.pofile(str(po_path))
        if not entry.obsolete
    }
