"""core/ is sub-packages by concern (issue 23): few modules left at its top, each package says what it holds."""
from __future__ import annotations

import ast
from pathlib import Path

import tui_reader.core

CORE = Path(tui_reader.core.__file__).parent
MOST_TOP_LEVEL_MODULES = 10


def test_at_most_ten_modules_sit_directly_under_core() -> None:
    top = sorted(p.name for p in CORE.glob("*.py") if p.name != "__init__.py")
    assert len(top) <= MOST_TOP_LEVEL_MODULES, top


def test_every_core_package_opens_with_a_docstring_naming_its_concern() -> None:
    packages = [p for p in CORE.iterdir() if (p / "__init__.py").is_file()]
    assert len(packages) >= 7
    for package in packages:
        docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
        assert docstring, f"{package.name}/__init__.py has no docstring"


def test_no_flat_prefixed_module_names_come_back() -> None:
    """`rank_*.py`, `query_*.py`, `library_*.py` … at the top were packages in disguise."""
    prefixes = ("library_", "query_", "rank_", "store_", "sync_", "source", "cache", "export")
    strays = [p.name for p in CORE.glob("*.py") if p.name.startswith(prefixes)]
    assert strays == []
