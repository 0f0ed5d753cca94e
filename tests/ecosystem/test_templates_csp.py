"""The Content-Security-Policy allows no inline code: no template may rely on it (it would
silently not run in browsers). Scripts and styles live in static files."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    path for pattern in ["templates/**/*.html", "*/templates/**/*.html"]
    for path in ROOT.glob(pattern) if ".venv" not in path.parts
)
INLINE = [
    # Data blocks (JSON-LD, json_script) are never executed, so the CSP lets them be.
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=[\"']application/(?:ld\+)?json)[^>]*>",
                re.IGNORECASE), "inline <script>"),
    (re.compile(r"<style[\s>]", re.IGNORECASE), "<style> element"),
    (re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE), "style attribute"),
    (re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE), "event handler attribute"),
    (re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE), "javascript: URL"),
    (re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE), "asset from another host"),
]
# Links to other sites are fine; assets (scripts, styles, images, fonts) are not.
ASSET_TAG = re.compile(r"<(?:script|link|img|source|iframe)\b[^>]*>", re.IGNORECASE)


def test_templates_are_found():
    assert any(path.name == "base.html" for path in TEMPLATES)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_inline_code_and_no_external_assets(path):
    text = path.read_text()
    problems = []
    for pattern, what in INLINE[:-1]:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"line {line}: {what}: {match.group(0)[:60]}")
    for tag in ASSET_TAG.finditer(text):
        if INLINE[-1][0].search(tag.group(0)) and "rel=\"canonical\"" not in tag.group(0):
            line = text.count("\n", 0, tag.start()) + 1
            problems.append(f"line {line}: asset from another host: {tag.group(0)[:80]}")
    assert not problems, "\n".join(problems)
