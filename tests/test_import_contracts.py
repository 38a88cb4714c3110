"""The import contracts of pyproject.toml hold: the core stays headless, the UI never imports
the command line, and no two sibling modules import each other in a circle."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports() -> str:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    return found


def test_every_import_contract_is_kept() -> None:
    result = subprocess.run([_lint_imports()], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_the_contracts_catch_a_core_module_that_imports_the_ui(tmp_path: Path) -> None:
    """The same contracts, over a copy of the package with one forbidden import added, fail."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "tui_reader", copy / "tui_reader", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    with open(copy / "tui_reader" / "core" / "paths.py", "a", encoding="utf-8") as fh:
        fh.write("\n\ndef _forbidden() -> None:\n    from ..ui import app  # noqa: F401\n")
    result = subprocess.run([_lint_imports()], cwd=copy, capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(copy)})
    assert result.returncode != 0
    assert "The core is pure Python" in result.stdout and "BROKEN" in result.stdout
