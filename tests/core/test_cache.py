"""The parse cache: unchanged digests come from it, changed ones never show stale papers."""
from __future__ import annotations

import logging
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tui_reader.core.library.cache import CACHE_FILE_NAME, ParseCache
from tui_reader.core.library.load import find_digest_files, load_library, read_digest_file, read_digests
from tui_reader.core.model import paper_record


def digest_text(papers: list[tuple[str, str, str]], extra: str = "") -> str:
    """A digest in the current template; papers are (arXiv id, title, section)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    for paper_id, title, section in papers:
        sections.setdefault(section, []).append((paper_id, title))
    out = ["<div id=toc></div>\n\n# Table of Contents\n\n"]
    out += [f"- [{cat}](#{cat}) [Total: {len(items)}]\n" for cat, items in sections.items()]
    number = 0
    for cat, items in sections.items():
        out.append(f"\n\n<div id='{cat}'></div>\n\n# {cat} [[Back]](#toc)\n\n")
        for paper_id, title in items:
            number += 1
            out.append(
                f"### [{number}] [{title}](https://arxiv.org/abs/{paper_id})\n*Ann Example,Bo Sample*\n\n"
                f"Main category: {cat}\n\nTL;DR: A short summary of {title}.\n\n\n<details>\n"
                f"  <summary>Details</summary>\nMotivation: Why {title} matters.\n\n"
                f"Method: How {title} works.\n\nResult: What {title} found.\n\n"
                f"Conclusion: What {title} means.\n\nAbstract: The abstract of {title}.\n"
                f"  It continues on a second line.\n\n</details>\n\n\n"
            )
    return "".join(out) + extra


class CountingReader:
    """read_digest_file that remembers which files it was asked to parse."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, path: Path):
        self.calls.append(Path(path).name)
        return read_digest_file(path)


def write(path: Path, papers: list[tuple[str, str, str]], extra: str = "") -> Path:
    path.write_text(digest_text(papers, extra), encoding="utf-8")
    return path


def titles(library) -> set[str]:
    return {paper.title for paper in library.papers.values()}


def snapshot(library) -> tuple:
    """Everything a user can see of a library: papers as dumped, per-digest facts, warnings."""
    return (
        [paper_record(p, str) for p in library.sorted_papers()],
        [(d.source, d.date, d.format, d.declared_totals, [p.id for p in d.papers]) for d in library.digests],
        library.warnings,
    )


def parse_count(folder: Path, cache: ParseCache) -> list[str]:
    reader = CountingReader()
    for _ in read_digests(find_digest_files([folder], []), reader, cache):
        pass
    return reader.calls


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "digests"
    folder.mkdir()
    write(folder / "2025-03-03.md", [("2503.00001", "Alpha Paper", "cs.CV"), ("2503.00002", "Beta Paper", "cs.CL")])
    write(folder / "2025-03-04.md", [("2503.00101", "Gamma Paper", "cs.LG")])
    return folder


@pytest.fixture
def cache(tmp_path: Path):
    with ParseCache.open(tmp_path / "cache") as opened:
        yield opened


def test_second_load_parses_nothing_and_gives_the_same_library(library_dir, cache):
    first = load_library([library_dir], cache=cache)
    assert parse_count(library_dir, cache) == []
    second = load_library([library_dir], cache=cache)
    assert snapshot(second) == snapshot(first) == snapshot(load_library([library_dir]))


def test_cache_survives_closing_and_reopening(library_dir, tmp_path):
    with ParseCache.open(tmp_path / "c") as cache:
        load_library([library_dir], cache=cache)
    with ParseCache.open(tmp_path / "c") as cache:
        assert parse_count(library_dir, cache) == []


def test_touched_file_alone_is_read_again(library_dir, cache):
    load_library([library_dir], cache=cache)
    target = library_dir / "2025-03-04.md"
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert parse_count(library_dir, cache) == ["2025-03-04.md"]
    assert parse_count(library_dir, cache) == []


def test_edited_file_shows_its_new_content(library_dir, cache):
    load_library([library_dir], cache=cache)
    write(library_dir / "2025-03-04.md", [("2503.00101", "Gamma Revised", "cs.LG"), ("2503.00102", "Delta", "cs.AI")])
    library = load_library([library_dir], cache=cache)
    assert titles(library) == {"Alpha Paper", "Beta Paper", "Gamma Revised", "Delta"}


def test_edit_keeping_size_and_mtime_is_still_seen(library_dir, cache):
    target = library_dir / "2025-03-04.md"
    load_library([library_dir], cache=cache)
    before = target.stat()
    write(target, [("2503.00101", "Gamma Pager", "cs.LG")])  # same length as "Gamma Paper"
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    assert "Gamma Pager" in titles(load_library([library_dir], cache=cache))


def test_deleted_file_takes_its_papers_with_it(library_dir, cache):
    load_library([library_dir], cache=cache)
    (library_dir / "2025-03-03.md").unlink()
    library = load_library([library_dir], cache=cache)
    assert titles(library) == {"Gamma Paper"}
    assert [Path(d.source).name for d in library.digests] == ["2025-03-04.md"]


def test_added_file_brings_its_papers(library_dir, cache):
    load_library([library_dir], cache=cache)
    write(library_dir / "2025-03-05.md", [("2503.00201", "Epsilon", "cs.MA")])
    library = load_library([library_dir], cache=cache)
    assert "Epsilon" in titles(library)
    assert library.papers["2503.00201"].date == "2025-03-05"
    assert parse_count(library_dir, cache) == []


def test_unreadable_digest_is_a_warning_from_cache_and_without(library_dir, cache):
    (library_dir / "2025-03-06.md").write_text("just some notes, no papers\n", encoding="utf-8")
    expected = load_library([library_dir]).warnings
    assert any("2025-03-06.md" in w for w in expected)
    assert load_library([library_dir], cache=cache).warnings == expected
    assert load_library([library_dir], cache=cache).warnings == expected


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_damaged_cache_file_is_rebuilt_with_a_log_line(library_dir, tmp_path, caplog, damage):
    folder = tmp_path / "c"
    with ParseCache.open(folder) as cache:
        expected = snapshot(load_library([library_dir], cache=cache))
    file = folder / CACHE_FILE_NAME
    data = file.read_bytes()
    if damage == "garbage":
        file.write_bytes(b"this is not a database at all \x00\xff" * 300)
    elif damage == "truncated":
        file.write_bytes(data[: len(data) // 2])
    else:
        file.write_bytes(b"")
    caplog.set_level(logging.INFO, logger="tui_reader.core.library.cache")
    with ParseCache.open(folder) as cache:
        assert snapshot(load_library([library_dir], cache=cache)) == expected
    with ParseCache.open(folder) as cache:
        assert parse_count(library_dir, cache) == []
    if damage != "empty":  # an empty file is simply a new database
        assert any("parse cache" in r.getMessage() for r in caplog.records)


def test_damaged_entry_is_read_again(library_dir, tmp_path):
    with ParseCache.open(tmp_path / "c") as cache:
        expected = snapshot(load_library([library_dir], cache=cache))
    with sqlite3.connect(tmp_path / "c" / CACHE_FILE_NAME) as db:
        db.execute("UPDATE blobs SET data = x'00ff10'")
    with ParseCache.open(tmp_path / "c") as cache:
        assert snapshot(load_library([library_dir], cache=cache)) == expected


def test_cache_of_another_version_is_discarded(library_dir, tmp_path):
    with ParseCache.open(tmp_path / "c") as cache:
        load_library([library_dir], cache=cache)
    with sqlite3.connect(tmp_path / "c" / CACHE_FILE_NAME) as db:
        db.execute("UPDATE meta SET value = 'some older version' WHERE key = 'version'")
    with ParseCache.open(tmp_path / "c") as cache:
        assert sorted(parse_count(library_dir, cache)) == ["2025-03-03.md", "2025-03-04.md"]


def test_same_file_names_in_two_folders_never_mix(tmp_path, cache, monkeypatch):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    write(one / "2025-03-03.md", [("2503.00001", "From One", "cs.CV")])
    write(two / "2025-03-03.md", [("2503.00001", "From Two", "cs.CV")])
    first = (one / "2025-03-03.md").stat()
    os.utime(two / "2025-03-03.md", ns=(first.st_atime_ns, first.st_mtime_ns))  # same size and mtime
    assert (two / "2025-03-03.md").stat().st_size == first.st_size
    assert titles(load_library([one], cache=cache)) == {"From One"}
    assert titles(load_library([two], cache=cache)) == {"From Two"}
    monkeypatch.chdir(one)  # the same relative path names another file from another folder
    assert titles(load_library(["2025-03-03.md"], cache=cache)) == {"From One"}
    monkeypatch.chdir(two)
    library = load_library(["2025-03-03.md"], cache=cache)
    assert titles(library) == {"From Two"}
    assert library.papers["2503.00001"].sources == ["2025-03-03.md"]


def test_paths_in_sources_and_warnings_are_the_ones_given_now(tmp_path, cache, monkeypatch):
    folder = tmp_path / "d"
    folder.mkdir()
    bad_link = "### [9] [Not On Arxiv](https://example.org/paper)\n*Someone*\n\nTL;DR: x\n"
    write(folder / "2025-03-03.md", [("2503.00001", "Alpha", "cs.CV")], extra=bad_link)
    monkeypatch.chdir(tmp_path)
    relative = load_library(["d"], cache=cache)
    absolute = load_library([folder], cache=cache)
    assert parse_count(folder, cache) == []
    assert snapshot(absolute) == snapshot(load_library([folder]))
    assert snapshot(relative) == snapshot(load_library(["d"]))
    assert any(w.startswith(str(folder / "2025-03-03.md")) for w in absolute.warnings)


def test_identical_digests_on_two_days_keep_their_own_dates_and_lists(tmp_path, cache):
    folder = tmp_path / "d"
    folder.mkdir()
    friday = [("2503.00001", "Alpha", "cs.CV"), ("2503.00002", "Beta", "cs.CL")]
    write(folder / "2025-03-07.md", friday)
    write(folder / "2025-03-08.md", friday)  # Saturday repeats Friday
    write(folder / "2025-03-10.md", [("2503.00001", "Alpha", "cs.LG")])  # cross-listed later
    load_library([folder], cache=cache)
    library = load_library([folder], cache=cache)
    assert snapshot(library) == snapshot(load_library([folder]))
    assert library.papers["2503.00001"].dates == ["2025-03-07", "2025-03-08", "2025-03-10"]
    saturday = next(d for d in library.digests if d.source.endswith("2025-03-08.md"))
    assert saturday.date == "2025-03-08"
    assert saturday.papers[0].categories == ["cs.CV"]  # the merge into Friday's paper is not shared


def test_progress_is_reported_once_per_file(library_dir, cache):
    write(library_dir / "notes.md", [])
    seen: list[tuple[int, int]] = []
    load_library([library_dir], cache=cache, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_cache_folder_and_file_are_private(library_dir, tmp_path):
    folder = tmp_path / "deep" / "cache"
    with ParseCache.open(folder) as cache:
        load_library([library_dir], cache=cache)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / CACHE_FILE_NAME).stat().st_mode) == 0o600


def test_cache_that_cannot_be_created_only_turns_caching_off(library_dir, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with ParseCache.open(blocker / "cache") as cache:
        assert not cache.enabled
        assert snapshot(load_library([library_dir], cache=cache)) == snapshot(load_library([library_dir]))


def test_many_files_parsed_in_workers_match_a_plain_load(tmp_path, cache, caplog):
    caplog.set_level(logging.INFO, logger="tui_reader.core.library.cache")
    folder = tmp_path / "many"
    folder.mkdir()
    for day in range(1, 13):
        write(folder / f"2025-04-{day:02d}.md", [(f"2504.{day:05d}", f"Paper {day}", "cs.AI"),
                                                  ("2504.99999", "Everywhere", "cs.LG")])
    expected = snapshot(load_library([folder]))
    assert snapshot(load_library([folder], cache=cache)) == expected
    assert snapshot(load_library([folder], cache=cache)) == expected
    assert not [r for r in caplog.records if "parallel parsing" in r.getMessage()]


def test_two_caches_open_on_one_folder_both_work(library_dir, tmp_path):
    with ParseCache.open(tmp_path / "c") as first, ParseCache.open(tmp_path / "c") as second:
        expected = snapshot(load_library([library_dir], cache=first))
        assert snapshot(load_library([library_dir], cache=second)) == expected
        assert parse_count(library_dir, second) == []


def test_entries_of_deleted_files_are_dropped_from_the_cache_file(library_dir, tmp_path):
    with ParseCache.open(tmp_path / "c") as cache:
        load_library([library_dir], cache=cache)
        (library_dir / "2025-03-03.md").unlink()
        load_library([library_dir], cache=cache)
    with sqlite3.connect(tmp_path / "c" / CACHE_FILE_NAME) as db:
        paths = [Path(p).name for (p,) in db.execute("SELECT path FROM entries")]
        blobs = db.execute("SELECT count(*) FROM blobs").fetchone()[0]
    assert paths == ["2025-03-04.md"]
    assert blobs == 1


def test_a_byte_for_byte_copy_is_parsed_once_and_still_gets_its_own_date(tmp_path, cache):
    folder = tmp_path / "d"
    folder.mkdir()
    friday = [("2503.00001", "Alpha", "cs.CV"), ("2503.00002", "Beta", "cs.CL")]
    write(folder / "2025-03-07.md", friday)
    write(folder / "2025-03-08.md", friday)
    write(folder / "2025-03-09.md", friday)
    write(folder / "2025-03-10.md", [("2503.00003", "Gamma", "cs.LG")])
    assert parse_count(folder, cache) == ["2025-03-07.md", "2025-03-10.md"]
    with ParseCache.open(tmp_path / "fresh") as fresh:
        cold = load_library([folder], cache=fresh)
    assert snapshot(cold) == snapshot(load_library([folder]))
    assert cold.papers["2503.00001"].dates == ["2025-03-07", "2025-03-08", "2025-03-09"]


@pytest.mark.parametrize("copy_name", ["friday-copy.md", "2025-03-08.md"])
def test_copies_that_cannot_be_derived_safely_are_parsed_themselves(tmp_path, cache, copy_name):
    folder = tmp_path / "d"
    folder.mkdir()
    bad_link = "### [9] [Not On Arxiv](https://example.org/paper)\n*Someone*\n\nTL;DR: x\n"
    extra = bad_link if copy_name.startswith("2025") else ""  # a warning names its own file
    write(folder / "2025-03-07.md", [("2503.00001", "Alpha", "cs.CV")], extra)
    write(folder / copy_name, [("2503.00001", "Alpha", "cs.CV")], extra)
    assert sorted(parse_count(folder, cache)) == sorted(["2025-03-07.md", copy_name])
    with ParseCache.open(tmp_path / "fresh") as fresh:
        assert snapshot(load_library([folder], cache=fresh)) == snapshot(load_library([folder]))


def test_generated_fortnight_reads_the_same_cold_warm_and_without_cache(tmp_path):
    import sys

    benchmarks = str(Path(__file__).resolve().parents[2] / "benchmarks")
    sys.path.insert(0, benchmarks)
    try:
        from make_library import make_library
    finally:
        sys.path.remove(benchmarks)
    make_library(tmp_path / "lib", 14, seed=5)  # weekends, cross-lists, LaTeX, mojibake
    expected = snapshot(load_library([tmp_path / "lib"]))
    with ParseCache.open(tmp_path / "c") as cache:
        assert snapshot(load_library([tmp_path / "lib"], cache=cache)) == expected
        assert snapshot(load_library([tmp_path / "lib"], cache=cache)) == expected


def test_two_processes_filling_one_cache_at_once_both_read_everything(tmp_path):
    import subprocess
    import sys

    folder = tmp_path / "d"
    folder.mkdir()
    for day in range(1, 10):
        write(folder / f"2025-05-{day:02d}.md", [(f"2505.{day:05d}", f"Paper {day}", "cs.AI")])
    script = ("import sys; from tui_reader.core.library.cache import ParseCache; "
              "from tui_reader.core.library.load import load_library; "
              "lib = load_library([sys.argv[2]], ParseCache.open(sys.argv[1])); "
              "print(len(lib.papers), len(lib.warnings))")
    argv = [sys.executable, "-c", script, str(tmp_path / "c"), str(folder)]
    runs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        assert out.split() == ["9", "0"]
    with ParseCache.open(tmp_path / "c") as cache:
        assert parse_count(folder, cache) == []
