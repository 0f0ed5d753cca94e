"""The translation catalogues are complete, sound and current (README "Languages").

Until the translations are merged (and after any change to a marked string, until someone runs
``make messages`` and translates), ``test_catalogue_is_complete`` and
``test_catalogues_are_current`` fail on purpose: they are the CI check that no English string
reaches a reader of hr, de or it. Run them alone with
``pytest tests/ecosystem/test_catalogues.py``."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from ecosystem.i18n import catalogues
from ecosystem.i18n.catalogues import catalogue_path, compile_catalogue, msgids, problems

LANGUAGES = ("hr", "de", "it")
DOMAINS = catalogues.DOMAINS
# The command translators run (Makefile `messages`), without the language list.
MAKEMESSAGES = ["makemessages", "-l", "hr", "-l", "de", "-l", "it", "--ignore=.venv",
                "--ignore=staticfiles", "--ignore=node_modules", "--add-location=file"]
NOT_COPIED_AT_TOP = {".venv", ".git", "staticfiles", "node_modules", "locale", "media",
                     "private_media", ".test-media", ".test-private-media", "tmp", "bench"}
NOT_COPIED = {"__pycache__", ".pytest_cache", ".ruff_cache"}


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language, domain):
    path = catalogue_path(language, domain)
    assert path.exists(), f"{path} is missing: run `make messages` and translate it"
    found = problems(path)
    assert not found, f"{len(found)} entries to fix:\n" + "\n".join(map(str, found[:40]))


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_gnu_msgfmt_accepts_the_catalogue(language, domain):
    """polib reads more than GNU gettext does (a stray ``#| msgid_plural`` left by an edit):
    the catalogues must also pass ``msgfmt --check``, which translators' tools use."""
    if not shutil.which("msgfmt"):
        pytest.skip("GNU gettext's msgfmt is needed for this check")
    result = subprocess.run(["msgfmt", "--check", "-o", os.devnull,
                             str(catalogue_path(language, domain))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _copy_of_the_sources(target: Path) -> Path:
    root = Path(settings.BASE_DIR)

    def ignore(directory, names):
        skipped = {n for n in names if n in NOT_COPIED or n.endswith((".sqlite3", ".mo", ".po"))}
        if Path(directory) == root:
            skipped |= {n for n in names if n in NOT_COPIED_AT_TOP}
        return skipped

    copy = target / "src"
    shutil.copytree(root, copy, ignore=ignore)
    return copy


@pytest.fixture(scope="module")
def fresh_extraction(tmp_path_factory):
    """``make messages`` run on a copy of the sources into empty catalogues (xgettext)."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        pytest.skip("GNU gettext (xgettext, msgmerge) is needed to extract messages")
    copy = _copy_of_the_sources(tmp_path_factory.mktemp("extraction"))
    env = {**os.environ, "PYTHONPATH": str(copy),
           "DJANGO_SETTINGS_MODULE": "ecosystem.settings.test"}
    for domain in DOMAINS:
        subprocess.run([sys.executable, "manage.py", *MAKEMESSAGES, "-d", domain], cwd=copy,
                       env=env, check=True, capture_output=True, timeout=300)
    return copy / "locale"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogues_are_current(fresh_extraction, language, domain):
    committed = catalogue_path(language, domain)
    assert committed.exists(), f"{committed} is missing: run `make messages`"
    extracted = msgids(fresh_extraction / language / "LC_MESSAGES" / f"{domain}.po")
    current = msgids(committed)
    new, gone = sorted(extracted - current), sorted(current - extracted)
    assert not new and not gone, (
        f"{committed} is stale, run `make messages` and translate: {len(new)} new strings "
        f"{[m.split(chr(4))[1][:60] for m in new[:15]]}, {len(gone)} no longer in the code "
        f"{[m.split(chr(4))[1][:60] for m in gone[:15]]}"
    )


# --- the checker itself -------------------------------------------------------------------

def _catalogue(tmp_path, entries, flags=()) -> Path:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "hr",
                   "Plural-Forms": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
                                   "n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"}
    for entry in entries:
        po.append(entry)
    path = tmp_path / "hr" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    return path


@pytest.fixture
def locale_in(tmp_path, settings):
    settings.LOCALE_PATHS = [tmp_path]
    return tmp_path


def test_checker_finds_untranslated_fuzzy_and_broken_placeholders(locale_in):
    path = _catalogue(locale_in, [
        polib.POEntry(msgid="Events", msgstr="Događanja"),
        polib.POEntry(msgid="Calls", msgstr=""),
        polib.POEntry(msgid="Pilots", msgstr="Piloti", flags=["fuzzy"]),
        polib.POEntry(msgid="Hello %(name)s", msgstr="Bok %(ime)s", flags=["python-format"]),
        polib.POEntry(msgid="{count} new", msgstr="{count} novih"),
        polib.POEntry(msgid="{count} old", msgstr="{broj} starih"),
        polib.POEntry(msgid="%s of %s", msgstr="%s od", flags=["python-format"]),
        polib.POEntry(msgid="100% in time", msgstr="100 % na vrijeme"),
        polib.POEntry(msgid="%(counter)s unread", msgid_plural="%(counter)s unread",
                      msgstr_plural={0: "%(counter)s nepročitana", 1: "%(counter)s nepročitane",
                                     2: ""}, flags=["python-format"]),
        polib.POEntry(msgid="one day", msgid_plural="%(count)s days",
                      msgstr_plural={0: "jedan dan", 1: "%(count)s dana", 2: "%(count)s dana"},
                      flags=["python-format"]),
    ])
    found = {(p.msgid, p.problem) for p in problems(path)}
    assert found == {
        ("Calls", "untranslated"),
        ("Pilots", "fuzzy"),
        ("Hello %(name)s", "placeholders differ"),
        ("{count} old", "placeholders differ"),
        ("%s of %s", "placeholders differ"),
        ("%(counter)s unread", "untranslated"),
    }


# Held in variables: literals in gettext() calls would be extracted into the real catalogues.
ONLY_HERE, DOUBTFUL = "A test string only this test has", "A doubtful one"


def test_compiled_without_gettext_and_used_by_django(locale_in, settings):
    path = _catalogue(locale_in, [
        polib.POEntry(msgid=ONLY_HERE, msgstr="Probni niz"),
        polib.POEntry(msgid=DOUBTFUL, msgstr="Sumnjivo", flags=["fuzzy"]),
    ])
    assert compile_catalogue(path)
    assert not compile_catalogue(path), "a current .mo is not compiled again"
    translation.trans_real._translations = {}
    translation.trans_real._active = translation.trans_real.Local()
    try:
        with translation.override("hr"):
            assert translation.gettext(ONLY_HERE) == "Probni niz"
            assert translation.gettext(DOUBTFUL) == DOUBTFUL
    finally:
        translation.trans_real._translations = {}
        translation.trans_real._active = translation.trans_real.Local()
