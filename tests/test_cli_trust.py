"""Issue 12 at the command line: lookalike links and non-ASCII ids refused by `mark`; a lone
surrogate in a digest or a file name never stops `dump` or `export`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui_reader.cli import main


@pytest.mark.parametrize("text", [
    "https://arx\u0131v.org/abs/2512.90009",
    "\uff12\uff15\uff11\uff12.\uff12\uff10\uff17\uff13\uff15",
    "2512.2073",
])
def test_mark_refuses_a_lookalike_link_or_an_impossible_id_and_writes_nothing(home, capsys, text):
    assert main(["mark", "--star", text]) == 2
    assert "nothing was marked" in capsys.readouterr().err
    assert not (home / "state.sqlite3").exists()


def _run(home: Path, *argv: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TUI_READER_HOME": str(home), "TMPDIR": str(cwd)}
    return subprocess.run([sys.executable, "-m", "tui_reader", *argv], capture_output=True, env=env,
                          cwd=cwd, timeout=120)


@pytest.mark.parametrize("argv", [["dump"], ["dump", "-q", "bad"], *(["export", "-f", f] for f in
                                  ("bibtex", "markdown", "json", "csv"))], ids=" ".join)
def test_a_digest_with_a_lone_surrogate_is_written_out_whole(home, tmp_path, argv):
    lines = [json.dumps({"id": "2512.20735", "title": "Bad \ud800 title", "summary": "abs"}),
             json.dumps({"id": "2512.20736", "title": "bad title two", "summary": "after"})]
    digest = tmp_path / "2025-12-25.jsonl"
    digest.write_text("\n".join(lines), encoding="utf-8")
    result = _run(home, *argv, str(digest), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert b"internal error" not in result.stderr and b"2512.20736" in result.stdout
    result.stdout.decode("utf-8")


def test_a_file_name_that_is_not_utf8_does_not_stop_dump(home, tmp_path):
    folder = tmp_path / "digests"
    folder.mkdir()
    name = os.fsencode(folder) + b"/2025-12-25-\xff.md"
    with open(name, "w", encoding="utf-8") as fh:
        fh.write("### [1] [T](https://arxiv.org/abs/2512.20735)\n*A*\n\nTL;DR: x\n")
    result = _run(home, "dump", str(folder), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert b"internal error" not in result.stderr and b"2512.20735" in result.stdout
    result.stdout.decode("utf-8")


def test_state_import_of_a_backup_with_a_lone_surrogate_keeps_it_as_a_replacement_character(home, tmp_path):
    backup = tmp_path / "backup.json"
    backup.write_text('{"format": "tui-reader-state", "version": 1, "marks": [{"id": "2512.20735",'
                      ' "note": "half \\ud800 pair", "note_changed_at": "2025-01-01T00:00:00Z"}]}')
    result = _run(home, "state", "import", str(backup), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    exported = _run(home, "state", "export", "-", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "half \ufffd pair" in exported.stdout.decode("utf-8")
