"""Bad input to the library and to `tui-reader dump`: one-line messages naming the file,
whole papers kept, exit 2 only when nothing could be read, folder walks that end."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tui_reader import cli
from tui_reader.core.library.load import find_digest_files, load_library, read_digest_file


@pytest.fixture
def current(fixtures: Path) -> Path:
    return fixtures / "formats" / "current" / "2024-03-05.md"


def _single_warning_about(library, path: Path) -> str:
    assert len(library.warnings) == 1, library.warnings
    (message,) = library.warnings
    assert str(path) in message
    assert "\n" not in message and "Traceback" not in message
    return message


def test_nonexistent_path_is_named_in_one_line(tmp_path):
    missing = tmp_path / "nowhere" / "2024-01-01.md"
    library = load_library([missing])
    assert "no such file" in _single_warning_about(library, missing)
    assert library.papers == {}


def test_empty_file_is_named(tmp_path):
    empty = tmp_path / "2024-01-01.md"
    empty.write_bytes(b"  \n\n")
    assert "empty" in _single_warning_about(load_library([empty]), empty)


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    bytes(range(32)) * 100,
])
def test_binary_file_is_refused(tmp_path, data):
    binary = tmp_path / "2024-01-01.md"
    binary.write_bytes(data)
    assert "binary" in _single_warning_about(load_library([binary]), binary)


def test_file_that_is_not_a_digest_is_named(fixtures):
    not_digest = fixtures / "formats" / "not-a-digest.md"
    assert "no papers" in _single_warning_about(load_library([not_digest]), not_digest)


def test_unreadable_file_is_named(tmp_path, current, monkeypatch):
    locked = tmp_path / "2024-03-05.md"
    shutil.copy(current, locked)
    real_read = Path.read_bytes

    def refuse(self):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    message = _single_warning_about(load_library([locked]), locked)
    assert "Permission denied" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_in_a_folder_is_skipped_without_blocking(tmp_path, current):
    shutil.copy(current, tmp_path / "2024-03-05.md")
    os.mkfifo(tmp_path / "2024-03-06.md")  # reading it would wait for a writer forever
    library = load_library([tmp_path])
    assert len(library.papers) == 5
    assert any("2024-03-06.md" in w and "not a regular file" in w for w in library.warnings)


def test_whole_papers_are_kept_beside_a_bad_file(tmp_path, current):
    shutil.copy(current, tmp_path / "2024-03-05.md")
    (tmp_path / "2024-03-06.md").write_bytes(b"")
    library = load_library([tmp_path])
    assert len(library.papers) == 5
    assert len(library.warnings) == 1


def test_file_names_with_control_characters_cannot_reach_the_terminal(tmp_path):
    evil = tmp_path / "2024-01-01\x1b[2J\x07.md"
    evil.write_bytes(b"")
    (message,) = load_library([evil]).warnings
    assert "\x1b" not in message and "\x07" not in message


def test_date_comes_from_the_name_then_the_title_then_is_unknown(fixtures, tmp_path):
    fork = fixtures / "formats" / "fork.md"  # titled '# 2024-04-10'
    assert read_digest_file(fork).date == "2024-04-10"
    named = tmp_path / "digest-2024-05-01.md"
    shutil.copy(fork, named)
    assert read_digest_file(named).date == "2024-05-01"
    untitled = tmp_path / "untitled.md"
    untitled.write_text((fixtures / "formats" / "current" / "2024-03-05.md").read_text())
    digest = read_digest_file(untitled)
    assert digest.date is None
    assert digest.papers[0].appearances[0].source == str(untitled)


def test_a_named_file_with_any_extension_is_sniffed(tmp_path, fixtures):
    odd = tmp_path / "2024-03-05.data"
    shutil.copy(fixtures / "formats" / "current" / "2024-03-05_AI_enhanced_English.jsonl", odd)
    assert read_digest_file(odd).format == "jsonl"
    assert find_digest_files([tmp_path], []) == []  # a folder walk only looks at digest names


# --- folder walking ---------------------------------------------------------------------


def test_symlink_loop_is_reported_and_the_walk_ends(tmp_path, current):
    root = tmp_path / "library"
    (root / "2024").mkdir(parents=True)
    shutil.copy(current, root / "2024" / "2024-03-05.md")
    (root / "2024" / "again").symlink_to(root, target_is_directory=True)
    (root / "self.md").symlink_to(root / "self.md")  # a link to itself
    library = load_library([root])
    assert len(library.papers) == 5
    assert any("symlink loop" in w for w in library.warnings)
    assert any("self.md" in w for w in library.warnings)
    assert all("\n" not in w for w in library.warnings)


def test_looping_symlink_given_by_name_is_reported(tmp_path):
    link = tmp_path / "loop.md"
    link.symlink_to(link)
    (message,) = load_library([link]).warnings
    assert "loop.md" in message and "symbolic link" in message


def test_unreadable_subfolder_is_reported_and_the_rest_read(tmp_path, current, monkeypatch):
    shutil.copy(current, tmp_path / "2024-03-05.md")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "2024-03-06.md").write_text("never read")
    real_scandir = os.scandir

    def refuse(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    library = load_library([tmp_path])
    assert len(library.papers) == 5
    assert any(str(locked) in w and "cannot read folder" in w for w in library.warnings)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any folder")
def test_folder_without_permissions_is_reported(tmp_path, current):
    shutil.copy(current, tmp_path / "2024-03-05.md")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        library = load_library([tmp_path])
    finally:
        locked.chmod(0o755)
    assert len(library.papers) == 5
    assert any("locked" in w for w in library.warnings)


# --- tui-reader dump --------------------------------------------------------------------


def test_dump_exits_0_and_prints_papers_when_it_read_something(current, tmp_path, capsys, home):
    missing = tmp_path / "missing.md"
    assert cli.main(["dump", str(current), str(missing)]) == 0
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 5
    assert {r["id"] for r in records} >= {"2403.01001", "cs/0112017"}
    assert err.count("\n") == 1 and "missing.md" in err and "Traceback" not in err


@pytest.mark.parametrize("content", [None, b"", b"\x00" * 100, b"# Notes\n\nno papers here\n"])
def test_dump_exits_2_when_nothing_could_be_read(tmp_path, capsys, home, content):
    path = tmp_path / "2024-01-01.md"
    if content is not None:
        path.write_bytes(content)
    assert cli.main(["dump", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert str(path) in err and err.count("\n") == 1 and "Traceback" not in err


def test_html_page_saved_in_a_declared_legacy_encoding_is_decoded_with_it(tmp_path):
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
            '</head><body><h3><a href="https://arxiv.org/abs/2401.00001">Caf\u00e9 Robots \u2013 A Study</a></h3>'
            '<p><em>Jos\u00e9 N\u00fa\u00f1ez</em></p><p>TL;DR: Short.</p></body></html>')
    path = tmp_path / "2024-01-01.html"
    path.write_bytes(page.encode("cp1252"))
    digest = read_digest_file(path)
    assert digest.warnings == []
    (paper,) = digest.papers
    assert paper.title == "Caf\u00e9 Robots \u2013 A Study"
    assert paper.authors == ["Jos\u00e9 N\u00fa\u00f1ez"]


def test_dump_of_a_folder_without_digests_says_so_and_exits_2(tmp_path, capsys, home):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    assert cli.main(["dump", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert str(tmp_path) in err and "no digest files" in err
