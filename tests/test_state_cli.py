"""The state commands end to end: mark, export, state export/import and stats."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
import os
import stat
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_reader.cli import main
from tui_reader.core.state.store import Store

# Later than any mark the test makes, yet within the day ahead a change time may be (further
# ahead is refused as forged: issue 24).
SOON = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()

DIGEST = """\
# cs.AI [[Back]](#toc)

### [1] [Invented Paper About Braces {and} 100% Escapes](https://arxiv.org/abs/2502.10001v1)
*Ana Ortiz,Ben Holm*

Main category: cs.AI

TL;DR: An invented summary for the tests.


### [2] [A Second Invented Paper](https://arxiv.org/abs/2502.10002)
*Carla Dunn*

Main category: cs.AI

TL;DR: Another invented summary.


# cs.RO [[Back]](#toc)

### [3] [Robots, Invented](https://arxiv.org/abs/2502.10003)
*Dev Rao*

Main category: cs.RO

TL;DR: A third invented summary.
"""


@pytest.fixture
def digest(tmp_path: Path) -> Path:
    path = tmp_path / "digests" / "2025-02-14.md"
    path.parent.mkdir()
    path.write_text(DIGEST, encoding="utf-8")
    return path


def state_marks(home: Path) -> dict:
    path = home / "state.sqlite3"
    if not path.exists():
        return {}
    with Store.open(path) as store:
        return {k: v for k, v in store.marks().items() if v.read or v.starred or v.note or v.tags}


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_mark_accepts_ids_versions_and_urls_and_keeps_unknown_papers(home: Path, capsys) -> None:
    code, out, _ = run(capsys, "mark", "--star", "2502.10002v3", "https://arxiv.org/abs/2409.99999",
                       "arXiv:hep-th/9901001")
    assert code == 0 and "3 papers" in out
    assert set(state_marks(home)) == {"2502.10002", "2409.99999", "hep-th/9901001"}
    run(capsys, "mark", "--unstar", "2409.99999")
    assert not state_marks(home).get("2409.99999")


def test_mark_with_a_malformed_id_exits_2_and_writes_nothing(home: Path, capsys) -> None:
    run(capsys, "mark", "--read", "2502.10001")
    before = state_marks(home)
    code, out, err = run(capsys, "mark", "--star", "2502.10002", "not/an id", "2502.10003")
    assert code == 2
    assert err.count("\n") == 1 and "not/an id" in err
    assert state_marks(home) == before


def test_mark_creates_a_private_state_file(tmp_path: Path, capsys) -> None:
    home = tmp_path / "fresh-home"
    assert run(capsys, "mark", "--read", "2502.10001", "--home", str(home))[0] == 0
    assert stat.S_IMODE((home / "state.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_mark_no_repair_refuses_a_damaged_file(home: Path, capsys) -> None:
    (home / "state.sqlite3").write_bytes(b"not sqlite at all" * 100)
    code, _, err = run(capsys, "mark", "--read", "2502.10001", "--no-repair")
    assert code == 1 and "damaged" in err and err.count("\n") == 1
    code, _, err = run(capsys, "mark", "--read", "2502.10001")
    assert code == 0 and "damaged" in err
    assert list(home.glob("state.sqlite3.damaged-*"))
    assert state_marks(home)["2502.10001"].read


def test_export_starred_bibtex_parses_back(home: Path, digest: Path, capsys) -> None:
    run(capsys, "mark", "--star", "2502.10003", "2502.10001")
    code, out, _ = run(capsys, "export", str(digest), "--starred", "--format", "bibtex")
    assert code == 0
    parsed = bibtexparser.parse_string(out)
    assert not parsed.failed_blocks
    assert [e["eprint"] for e in parsed.entries] == ["2502.10003", "2502.10001"]


def test_export_json_and_csv_carry_notes_and_marks(home: Path, digest: Path, capsys) -> None:
    run(capsys, "mark", "--read", "2502.10002")
    with Store.open(home / "state.sqlite3") as store:
        store.set_note("2502.10002", "a note, with a comma")
        store.set_tags("2502.10002", ["t1"])
    code, out, _ = run(capsys, "export", str(digest), "--read", "-f", "json")
    assert code == 0
    [record] = json.loads(out)
    assert record["id"] == "2502.10002" and record["note"] == "a note, with a comma"
    code, out, _ = run(capsys, "export", str(digest), "--unread", "-f", "csv")
    assert sorted(r["id"] for r in csv.DictReader(io.StringIO(out))) == ["2502.10001", "2502.10003"]


def test_export_output_never_overwrites_without_force(home: Path, digest: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "list.md"
    target.write_text("precious")
    code, _, err = run(capsys, "export", str(digest), "-o", str(target))
    assert code == 1 and "--force" in err
    assert target.read_text() == "precious"
    assert run(capsys, "export", str(digest), "-o", str(target), "--force")[0] == 0
    assert "# Reading list (3 papers)" in target.read_text()
    assert sorted(os.listdir(tmp_path)) == ["digests", "home", "list.md"]  # no temp file left


def test_state_backup_moves_marks_to_another_home(home: Path, tmp_path: Path, capsys) -> None:
    run(capsys, "mark", "--star", "2502.10001", "2502.10002")
    backup = tmp_path / "backup.json"
    assert run(capsys, "state", "export", str(backup))[0] == 0
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    code, _, err = run(capsys, "state", "export", str(backup))
    assert code == 1 and "--force" in err
    other = tmp_path / "other"
    run(capsys, "mark", "--read", "2502.10003", "--home", str(other))
    code, out, _ = run(capsys, "state", "import", str(backup), "--home", str(other))
    assert code == 0 and "2 papers added" in out
    assert set(state_marks(other)) == {"2502.10001", "2502.10002", "2502.10003"}
    code, out, _ = run(capsys, "state", "import", str(backup), "--home", str(other))
    assert "nothing to change" in out


def test_state_import_of_a_later_unstar_wins(home: Path, tmp_path: Path, capsys) -> None:
    run(capsys, "mark", "--star", "2502.10001")
    backup = tmp_path / "b.json"
    backup.write_text(json.dumps({"format": "tui-reader-state", "version": 1, "marks": [
        {"id": "2502.10001", "starred_at": None, "star_changed_at": SOON}]}))
    code, out, _ = run(capsys, "state", "import", str(backup))
    assert code == 0 and "starred 1" in out
    assert "2502.10001" not in state_marks(home)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.binary(max_size=300) | st.recursive(
    st.none() | st.integers() | st.text(max_size=20),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(
        ["format", "version", "marks", "id", "read_at", "tags", "note"]), c, max_size=4),
    max_leaves=12).map(lambda v: json.dumps(v).encode()))
def test_state_import_of_arbitrary_input_never_crashes_and_never_writes_on_error(
        home: Path, tmp_path: Path, capsys, data: bytes) -> None:
    target = tmp_path / "input.json"
    target.write_bytes(data)
    before = state_marks(home)
    code = main(["state", "import", str(target)])
    _, err = capsys.readouterr()
    assert code in (0, 2)
    assert "Traceback" not in err and "internal error" not in err
    if code == 2:
        assert err.count("\n") == 1
        assert state_marks(home) == before


def test_stats_counts_papers_read_and_starred_per_day_and_category(home: Path, digest: Path, capsys) -> None:
    run(capsys, "mark", "--read", "2502.10001", "2502.10003")
    run(capsys, "mark", "--star", "2502.10002", "2409.99999")
    code, out, _ = run(capsys, "stats", str(digest))
    assert code == 0
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "papers 3" in lines and "read 2 (66%)" in lines and "starred 1" in lines
    assert "marked papers not in these digests: 1" in lines
    assert "2025-02-14 3 papers 2 read 1 unread 1 starred 0 dismissed" in lines
    assert "cs.AI 2 papers 1 read 1 unread 1 starred 0 dismissed" in lines
    assert "cs.RO 1 papers 1 read 0 unread 0 starred 0 dismissed" in lines


def test_a_dismissed_paper_leaves_the_unread_count_of_stats(home: Path, digest: Path, capsys) -> None:
    run(capsys, "mark", "--dismiss", "2502.10002")
    code, out, _ = run(capsys, "stats", str(digest))
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert code == 0 and "unread 2" in lines and "dismissed 1" in lines and "read 0 (0%)" in lines
    assert "cs.AI 2 papers 0 read 1 unread 0 starred 1 dismissed" in lines
    run(capsys, "mark", "--undismiss", "2502.10002")
    _, out, _ = run(capsys, "stats", str(digest))
    assert "unread 3" in [" ".join(line.split()) for line in out.splitlines()]


def test_mark_refuses_a_newer_schema_with_one_line_and_changes_nothing(home: Path, capsys) -> None:
    import sqlite3

    run(capsys, "mark", "--read", "2502.10001")
    db = sqlite3.connect(home / "state.sqlite3")
    db.execute("PRAGMA user_version = 1000")
    db.commit()
    db.close()
    before = (home / "state.sqlite3").read_bytes()
    code, _, err = run(capsys, "mark", "--star", "2502.10001")
    assert code == 1 and "newer" in err and err.count("\n") == 1
    assert (home / "state.sqlite3").read_bytes() == before


def test_mark_in_an_unwritable_place_fails_with_one_line(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "mark", "--read", "2502.10001", "--home", str(blocker))
    assert code == 1 and "not saved" in err and err.count("\n") == 1


def test_state_commands_import_neither_textual_nor_rich(home: Path) -> None:
    import subprocess
    import sys

    code = ("import sys; from tui_reader.cli import main; "
            "main(['mark', '--read', '2502.10001']); main(['stats']); "
            "main(['export', '-f', 'bibtex']); "
            "print(sorted(m for m in ('textual', 'rich') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "TUI_READER_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_export_query_sees_the_reading_marks(home: Path, digest: Path, capsys) -> None:
    run(capsys, "mark", "--star", "2502.10003")
    code, out, _ = run(capsys, "export", str(digest), "--query", "is:starred", "-f", "json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == ["2502.10003"]
    code, _, err = run(capsys, "export", str(digest), "--query", "ti:(")
    assert code == 2 and err.count("\n") == 1
