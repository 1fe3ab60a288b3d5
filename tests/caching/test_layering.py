"""`caching` and the Wagtail internals module sit below every app: they import none of
them (the apps import them to invalidate what they change)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = {"learners", "workshops", "home", "config", "accounts", "health", "demo"}
FILES = [*sorted((ROOT / "caching").glob("*.py")), ROOT / "common" / "wagtail_internals.py"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_no_app(path):
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & APPS, f"{path.name} imports {sorted(imported & APPS)}"
