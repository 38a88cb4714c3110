"""Every third-party module the package imports belongs to a distribution pyproject.toml declares."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imported_top_levels() -> dict[str, str]:
    """Top-level names of absolute imports in tui_reader/, each with one file that imports it."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "tui_reader").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normalise(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in project["dependencies"]}


def test_every_third_party_import_is_a_declared_dependency() -> None:
    distributions = packages_distributions()
    declared = _declared()
    undeclared = []
    for top, where in _imported_top_levels().items():
        if top in sys.stdlib_module_names or top in {"tui_reader", "__future__"}:
            continue
        owners = {_normalise(d) for d in distributions.get(top, [])}
        assert owners, f"{top} (imported in {where}) is not installed in the test environment"
        if not owners & declared:
            undeclared.append(f"{top} from {sorted(owners)} in {where}")
    assert not undeclared, "imported but not declared in pyproject.toml: " + "; ".join(undeclared)
