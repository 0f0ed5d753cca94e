"""Validation of OCDS packages against the official 1.1.5 schema, read from the standard's zip
(never copied into the project)."""

import json
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest

ZIP = Path(__file__).resolve().parents[2].parent / "shared" / "standards" / "ocds-1.1.5-schema.zip"
PREFIX = "standard-1__1__5/schema/"


def require_zip() -> Path:
    if not ZIP.exists():
        pytest.skip(f"OCDS 1.1.5 schema zip not found at {ZIP}: cannot validate OCDS output")
    return ZIP


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    with zipfile.ZipFile(require_zip()) as archive:
        package = json.loads(archive.read(PREFIX + "release-package-schema.json"))
        release = json.loads(archive.read(PREFIX + "release-schema.json"))
    resource = Resource.from_contents(release, default_specification=DRAFT4)
    registry = Registry().with_resources([
        (release["id"], resource),
        ("https://standard.open-contracting.org/schema/1__1__5/release-schema.json", resource),
        ("release-schema.json", resource),
    ])
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())


def schema_errors(package: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in _validator().iter_errors(package)]


def cove_errors(package: dict, tmp_path) -> list:
    """Run libcoveocds offline with the standard zip; returns its validation errors."""
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    path = tmp_path / "package.json"
    path.write_text(json.dumps(package))
    config = LibCoveOCDSConfig()
    config.config["standard_zip"] = f"file://{require_zip()}"
    config.config["additional_checks"] = "none"
    config.config["skip_aggregates"] = True
    config.config["context"] = "api"
    result = ocds_json_output(str(tmp_path / "out"), str(path), "1.1", convert=False,
                              lib_cove_ocds_config=config)
    return result.get("validation_errors", [])
