"""dump and export into a real `head` that stops reading: quiet, with the usual status, on
every path the papers take (the reader's library snapshot, the stream, the For-you order)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui_reader.core.library.cache import ParseCache
from tui_reader.core.library.loading import LoadWay, load, store_loaded
from tui_reader.core.paths import AppPaths

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _make_library(folder: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from make_library import make_library
    finally:
        sys.path.remove(str(BENCHMARKS))
    make_library(folder, days=6, seed=11)


def _through_head(arguments: str, home: Path, tmp_path: Path) -> tuple[int, int, str, str]:
    """The command's status, head's status, what head printed, and the command's stderr."""
    script = (f"'{sys.executable}' -m tui_reader {arguments} 2>'{tmp_path}/err' | head -1; "
              "echo \"status ${PIPESTATUS[0]} ${PIPESTATUS[1]}\"")
    env = {**os.environ, "TUI_READER_HOME": str(home), "TMPDIR": str(tmp_path)}
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=180)
    *printed, status = result.stdout.splitlines()
    _, command_status, head_status = status.split()
    return int(command_status), int(head_status), "\n".join(printed), (tmp_path / "err").read_text()


@pytest.fixture(params=["stream", "snapshot"])
def library(request, tmp_path: Path) -> tuple[Path, Path]:
    folder, home = tmp_path / "library", tmp_path / "home"
    _make_library(folder)
    home.mkdir()
    if request.param == "snapshot":  # what the reader leaves behind once it has been used
        with ParseCache.open(AppPaths.resolve(str(home)).cache_dir) as cache:
            store_loaded(cache, load([folder], cache, LoadWay.WHOLE))
        assert list(home.rglob("parsed-library.sqlite3"))
    return folder, home


@pytest.mark.parametrize("arguments", [
    "dump {folder}", "dump --sort relevance {folder}", "dump --query 'abs:model' {folder}",
    "export {folder}", "export --format json {folder}", "export --top 50 {folder}",
])
def test_a_head_that_stops_reading_ends_the_command_quietly(library, tmp_path: Path, arguments: str):
    folder, home = library
    command_status, head_status, printed, errors = _through_head(arguments.format(folder=f"'{folder}'"),
                                                                home, tmp_path)
    assert printed.strip(), "head printed the first line"
    # Only the command's own one-line notices (the For-you order's hint), nothing about the pipe.
    assert all(line.startswith("tui-reader: ") for line in errors.splitlines()), errors
    assert "error" not in errors.lower() and "exception" not in errors.lower(), errors
    assert (command_status, head_status) == (0, 0)
    assert not list(tmp_path.glob("tui-reader-crash-*"))
