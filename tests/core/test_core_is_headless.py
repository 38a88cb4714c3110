"""The core never imports textual or rich, so dump, mark and export start fast and the
core stays testable without a terminal."""
from __future__ import annotations

import pkgutil
import subprocess
import sys

import tui_reader.core


def test_every_core_module_imports_without_textual_or_rich():
    modules = sorted(
        m.name for m in pkgutil.walk_packages(tui_reader.core.__path__, prefix="tui_reader.core.")
    )
    assert {"tui_reader.core.state.store", "tui_reader.core.search.query", "tui_reader.core.formats.html"} <= set(modules)
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported {out.stdout.strip()}"
