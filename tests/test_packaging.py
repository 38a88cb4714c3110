"""A non-editable install ships every package of the source tree (pyproject.toml lists them by hand)."""
from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_with_an_init_is_listed_for_setuptools() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    on_disk = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "tui_reader").rglob("__init__.py")
               if "__pycache__" not in init.parts}
    missing = sorted(on_disk - listed)
    assert not missing, f"packages left out of a `pip install .` (add them to [tool.setuptools] packages): {missing}"
