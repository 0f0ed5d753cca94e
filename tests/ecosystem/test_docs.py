"""The README's configuration table lists every environment variable the settings read."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_every_environment_variable_is_documented():
    source = "\n".join(path.read_text() for path in (ROOT / "ecosystem" / "settings").glob("*.py"))
    read = set(re.findall(r"""env(?:\.\w+)?\(\s*["'](\w+)["']""", source))
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= read
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- BEGIN operations -->")[1].split("<!-- END operations -->")[0]
    documented = set(re.findall(r"^\| `(\w+)` \|", block, re.MULTILINE))
    assert read - documented == set(), "add these to the README configuration table"
    assert documented - read == set(), "the README documents variables nothing reads"
