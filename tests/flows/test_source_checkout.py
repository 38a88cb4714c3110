"""The reader runs from a source checkout that was never installed (issue 23): `python -m
tui_reader` in a copy of the checkout, with the dependencies importable but no tui_reader
installed, finds its stylesheets in the checkout's `styles/` and shows the library."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pty")
pytest.importorskip("pyte")

ROOT = Path(__file__).resolve().parents[2]
DAY = ROOT / "tests" / "fixtures" / "ui" / "2025-01-06.md"
START_TIMEOUT = 60.0
"""Seconds to wait for the first screen: the machine running the tests may be busy."""


def _uninstalled_checkout(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the checkout (package and styles only) and an environment in which Python
    sees the dependencies but not the installed tui_reader: `-S` skips the .pth files (an
    editable install's finder is one), and PYTHONPATH names the copy and the folders the
    dependencies are installed in."""
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "tui_reader", checkout / "tui_reader", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "styles", checkout / "styles")
    dependencies = [path for path in sys.path if path.endswith(("site-packages", "dist-packages"))]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "PYTHONPATH": os.pathsep.join([str(checkout), *dependencies])}
    return checkout, env


def test_the_reader_runs_from_a_checkout_that_was_never_installed(tmp_path: Path, terminals) -> None:
    checkout, env = _uninstalled_checkout(tmp_path)
    found = subprocess.run([sys.executable, "-S", "-c", "import tui_reader.ui.app as app; print(app.__file__); "
                            "print(app.STYLES)"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == [str(checkout / "tui_reader" / "ui" / "app.py"), str(checkout / "styles")]
    home = tmp_path / "home"
    home.mkdir()
    term = terminals([sys.executable, "-S", "-m", "tui_reader", str(DAY)], size=(120, 30), home=home, env=env,
                     cwd=checkout)
    screen = term.wait_for("Alpha Parsing of Reader Fixtures", timeout=START_TIMEOUT)
    # The stylesheet was read: the tree and the list stand side by side (For you beside the
    # first paper), which only reader.tcss lays out; without it they would stack.
    assert screen.row_of("For you") == screen.row_of("Alpha Parsing of Reader Fixtures"), screen
    assert term.quit("q") == 0
