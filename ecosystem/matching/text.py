"""Text similarity without a search engine: tokens folded (accents, case), stop words of the
four portal languages dropped, a light suffix stemmer, TF-IDF vectors and their cosine.
Term frequencies are saturated and length-normalised as in BM25 (``k1``, ``b``): a short
text that repeats its few words ("Parking fee collection ... parking meters") no longer
outweighs a longer one sharing more distinct words with the reader.

Pure Python and database-independent, so SQLite development and PostgreSQL production rank
alike. ``TextIndex`` learns document frequencies from a corpus and turns texts into unit
vectors (``dict`` term -> weight); ``cosine`` of two unit vectors is their dot product.
"""

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache

WORD_RE = re.compile(r"[a-z0-9]+")

STOP_WORDS = frozenset("""
a an and are as at be by for from has have in into is it its of on or our that the their this
to we with will you your can all more new use using used also not which who how what
der die das und ist im in den dem des ein eine einer eines mit fur von zu auf bei als auch
sich wir sie es oder nicht aus dass wie werden wird sind zum zur uber nach
i u na za je se od do da su ili iz s sa kao koji koja koje te pri ne po o
il lo la le gli i di da del della dei delle e ed un una per con su nel nella che non sono al
alla si come
""".split())

# Longest first: the stemmer removes the first that leaves at least four letters.
SUFFIXES = sorted("""
ations ation ement ments ment ness ities ity ings ing ies ers er ed es s ly al
ungen ung heit keit lich isch en ern
ama ima ija ije om em ovi ove ski ska sko
zione zioni mente ita
""".split(), key=len, reverse=True)


def fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    """Lower case without accents: "Čakovec" and "cakovec", "Straße" and "strasse" agree."""
    text = text.replace("ß", "ss").replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    if len(word) < 6:
        return word
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[tuple[str, str]]:
    """(stem, surface word) pairs of the text's content words."""
    return [(stem(word), word) for word in WORD_RE.findall(fold(text or ""))
            if len(word) >= 3 and word not in STOP_WORDS and not word.isdigit()]


@lru_cache(maxsize=10_000)
def _document_tokens(text: str) -> tuple[tuple[str, str], ...]:
    """``tokens`` of a corpus document, kept while the process lives: a worker rebuilding
    the index of 5,000 open calls for each published call tokenises only the new ones.
    Bounded (10,000 documents, some tens of MB): the partner corpus of a refresh (every
    verified organisation) passes through without holding memory."""
    return tuple(tokens(text))


def terms(text: str) -> Counter:
    return Counter(term for term, _ in tokens(text))


class TextIndex:
    """Document frequencies of a corpus; vectors of texts against them."""

    K1 = 1.2  # BM25 term-frequency saturation
    B = 0.75  # BM25 length normalisation (0: none, 1: full)

    def __init__(self, documents=(), *, max_terms: int = 40):
        self.df: Counter = Counter()
        self.count = 0
        self.length = 0  # content words in the corpus, for the average length
        self.surface: dict[str, str] = {}
        self.max_terms = max_terms
        for text in documents:
            self.add(text)

    def add(self, text: str) -> None:
        self.count += 1
        seen = set()
        found = _document_tokens(text)
        self.length += len(found)
        for term, word in found:
            if term not in seen:
                seen.add(term)
                self.df[term] += 1
            current = self.surface.get(term)
            if current is None or len(word) < len(current) or (
                    len(word) == len(current) and word < current):
                self.surface[term] = word

    def copy(self) -> "TextIndex":
        found = TextIndex(max_terms=self.max_terms)
        found.df, found.count, found.length = Counter(self.df), self.count, self.length
        found.surface = dict(self.surface)
        return found

    def idf(self, term: str) -> float:
        return math.log(1 + (self.count + 1) / (self.df.get(term, 0) + 1))

    def vector(self, text: str) -> dict[str, float]:
        """A unit vector of the text's ``max_terms`` heaviest terms: IDF times the BM25
        term frequency ``tf (k1 + 1) / (tf + k1 (1 - b + b len / average len))``."""
        counts = terms(text)
        if not counts:
            return {}
        average = self.length / self.count if self.count and self.length else 20.0
        pivot = self.K1 * (1 - self.B + self.B * sum(counts.values()) / average)
        weights = {t: n * (self.K1 + 1) / (n + pivot) * self.idf(t) for t, n in counts.items()}
        top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[: self.max_terms]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        return {t: w / norm for t, w in top}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


def shared_terms(a: dict[str, float], b: dict[str, float], index: TextIndex, limit: int = 3):
    """The words that weigh most in both vectors, as people wrote them."""
    if len(a) > len(b):
        a, b = b, a
    common = [(-w * b[t], t) for t, w in a.items() if t in b]
    common.sort()
    return [index.surface.get(t, t) for _, t in common[:limit]]
