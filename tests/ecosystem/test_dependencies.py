"""Dependencies point one way: the platform (``ecosystem``) never imports a feature app."""

import ast
from pathlib import Path

import ecosystem

FEATURE_APPS = {"stakeholders", "projects", "events", "procurement"}
ROOT = Path(ecosystem.__file__).parent


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def test_ecosystem_never_imports_a_feature_app():
    files = [path for path in ROOT.rglob("*.py") if "migrations" not in path.parts]
    assert len(files) > 30
    offending = [f"{path.relative_to(ROOT.parent)}:{line} imports {module}"
                 for path in files for line, module in _imports(path)
                 if module.split(".")[0] in FEATURE_APPS]
    assert offending == []


def test_the_walk_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from procurement.models import Call\n")
    assert [module for _line, module in _imports(sample)] == ["procurement.models"]


def test_services_queue_by_task_name_and_never_import_tasks():
    """Tasks import services; services (and what they use) never import tasks: no circle."""
    project = ROOT.parent
    writers = [path for pattern in ("*/services.py", "*/*/services.py", "*/*/outbox.py",
                                    "*/*/digests.py", "*/selectors.py", "*/*/selectors.py")
               for path in project.glob(pattern) if ".venv" not in path.parts]
    assert len(writers) >= 8
    offending = []
    for path in writers:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [alias.name for alias in node.names]
                if any(name == "tasks" or name.endswith(".tasks") for name in names):
                    offending.append(f"{path.relative_to(project)}:{node.lineno}")
    assert offending == []
