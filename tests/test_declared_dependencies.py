"""Every third-party module the package imports belongs to a distribution pyproject.toml
declares; every one the tests and benchmarks import, to one it declares or its test extra."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imported_top_levels(*folders: str) -> dict[str, str]:
    """Top-level names of absolute imports in `folders` (tui_reader/ by default), each with
    one file that imports it."""
    found: dict[str, str] = {}
    for path in sorted(path for folder in folders or ("tui_reader",) for path in (ROOT / folder).rglob("*.py")):
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


def _declared(*extras: str) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = [*project["dependencies"], *(spec for extra in extras for spec in project["optional-dependencies"][extra])]
    return {_normalise(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in specs}


def test_every_third_party_import_is_a_declared_dependency() -> None:
    assert _undeclared(_imported_top_levels(), _declared(), local=set()) == []


def test_every_third_party_import_of_the_tests_and_benchmarks_is_declared_with_the_test_extra() -> None:
    # Their own helpers, imported by bare name (pytest and the scripts put their folders on sys.path).
    local = {path.stem for folder in ("tests", "benchmarks") for path in (ROOT / folder).rglob("*.py")}
    imported = _imported_top_levels("tests", "benchmarks")
    assert _undeclared(imported, _declared("test"), local | {"tests", "benchmarks"}) == []


def _undeclared(imported: dict[str, str], declared: set[str], local: set[str]) -> list[str]:
    """What `imported` names that no `declared` distribution provides, with where."""
    distributions = packages_distributions()
    undeclared = []
    for top, where in imported.items():
        if top in sys.stdlib_module_names or top in {"tui_reader", "__future__"} | local:
            continue
        owners = {_normalise(d) for d in distributions.get(top, [])}
        assert owners, f"{top} (imported in {where}) is not installed in the test environment"
        if not owners & declared:
            undeclared.append(f"{top} from {sorted(owners)} in {where}")
    return undeclared
