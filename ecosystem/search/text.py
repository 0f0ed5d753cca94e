"""Text handling shared by both backends: accent and case folding, words, stems, typo
distance and the highlighting of matched words (escape first, then mark)."""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WORD = re.compile(r"\w+", re.UNICODE)
# Letters that are not a base letter plus a combining accent, so NFKD leaves them alone.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ß": "ss", "ø": "o", "Ø": "o", "ł": "l",
                              "Ł": "l", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i"})
STEM_LANGUAGES = {"en": "english", "de": "german", "it": "italian"}
MAX_QUERY_WORDS = 8
MAX_QUERY_LENGTH = 200


def fold(text: str) -> str:
    """Lower case without accents: "Čakovec" -> "cakovec", "Đakovo" -> "dakovo"."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_EXTRA_FOLDS))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def query_words(query: str) -> list[str]:
    """The distinct folded words of a query, in order (at most ``MAX_QUERY_WORDS``)."""
    seen = []
    for word in words((query or "")[:MAX_QUERY_LENGTH]):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_QUERY_WORDS]


@lru_cache(maxsize=8)
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEM_LANGUAGES[language])


@lru_cache(maxsize=20000)
def stems(word: str) -> tuple[str, ...]:
    """The word's stems in every language we stem (English, German, Italian), without the
    word itself: "mobility" -> ("mobil",), "energie" -> ("energi",)."""
    found = []
    for language in STEM_LANGUAGES:
        stem = _stemmer(language).stemWord(word)
        if stem and stem != word and stem not in found:
            found.append(stem)
    return tuple(found)


def stem_text(text: str) -> str:
    """Every stem of every word of ``text`` (already folded words), for the SQLite index."""
    seen: dict[str, None] = {}
    for word in words(text):
        for stem in stems(word):
            seen.setdefault(stem, None)
    return " ".join(seen)


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count 1), stopping early past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


@lru_cache(maxsize=50000)
def _fold_word(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=512)
def _marker(terms: tuple[str, ...]) -> tuple[frozenset, tuple[str, ...]]:
    """What marks a word: equal to a term, or starting with a term (3+ letters) or with one of
    its stems (4+ letters)."""
    prefixes = {term for term in terms if len(term) >= 3}
    prefixes |= {stem for term in terms if len(term) >= 4 for stem in stems(term) if len(stem) >= 4}
    return frozenset(terms), tuple(sorted(prefixes))


def _matches(token: str, terms) -> bool:
    exact, prefixes = _marker(tuple(terms))
    folded = _fold_word(token)
    return folded in exact or bool(prefixes) and folded.startswith(prefixes)


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` escaped, with the words that match ``terms`` (folded query words, their
    corrections) wrapped in ``<mark>``. Safe for any input: escaping comes first."""
    # Unmatched text is escaped in one piece up to the next mark, not word by word.
    out, last = [], 0
    for match in WORD.finditer(text or ""):
        token = match.group()
        if _matches(token, terms):
            out.append(f"{escape(text[last:match.start()])}<mark>{escape(token)}</mark>")
            last = match.end()
    out.append(escape((text or "")[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above was escaped


def snippet(text: str, terms: list[str], *, length: int = 220) -> SafeString:
    """A window of ``text`` around its first matched word, highlighted."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return highlight(text, terms)
    start = 0
    for match in WORD.finditer(text):
        if _matches(match.group(), terms):
            start = max(0, match.start() - length // 3)
            break
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = highlight(text[start:end], terms)
    return mark_safe(("… " if start else "") + piece + (" …" if end < len(text) else ""))  # noqa: S308
