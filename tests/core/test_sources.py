"""Pulling real git repositories shaped like the generator's, through file:// URLs."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from generator_repo import GeneratorRepo, day_papers, enhanced, jsonl, paper
from tui_reader.core.sources.git_fetch import GitMissingError, GitRepo, missing_blobs
from tui_reader.core.library.load import load_library
from tui_reader.core.sources.pull import (
    MANIFEST_FILE,
    MIRROR_FOLDER,
    PullError,
    PullFailure,
    PullProgress,
    PullResult,
    probe_source,
    pull_source,
    pull_sources,
)
from tui_reader.core.sources.source import Source

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="git is not installed")

DAYS = ("2025-01-06", "2025-01-07", "2025-01-08")


def visible(folder: Path) -> dict[str, bytes]:
    """The files a reader sees in a source folder (dot files are the pull's own)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def upstream(repo: GeneratorRepo, names: list[str]) -> dict[str, bytes]:
    return {n: (repo.path / "data" / n).read_bytes() for n in names}


@pytest.fixture
def data_repo(tmp_path: Path) -> GeneratorRepo:
    """The upstream layout: an orphan `data` branch, one commit per day, 6 papers a day of
    which the AI file leaves one out."""
    repo = GeneratorRepo(tmp_path / "daily-arXiv-ai-enhanced")
    for day in DAYS:
        repo.add_day(day, day_papers(day, 6), ai_drops=1)
    return repo


def test_first_pull_of_a_data_branch_brings_raw_and_ai_files_of_every_day(data_repo, tmp_path) -> None:
    library = tmp_path / "library"
    seen: list[PullProgress] = []
    result = pull_source(Source("daily", data_repo.url), library, seen.append)
    folder = library / "daily"
    names = [f"{d}{s}" for d in DAYS for s in (".jsonl", "_AI_enhanced_English.jsonl")]
    assert visible(folder) == upstream(data_repo, sorted(names))
    assert result.branch == "data" and result.new_days == list(DAYS) and result.papers == 18
    assert result.summary() == "daily: 3 new days, 18 papers"
    assert [p.stage for p in seen][0] == "checking" and seen[-1].stage == "done"
    loaded = load_library([library])
    assert len(loaded.papers) == 18  # the raw file's filtered paper is still there (union)
    assert sum(1 for p in loaded.papers.values() if p.tldr) == 15


def test_incremental_pull_writes_only_the_new_day(data_repo, tmp_path) -> None:
    library = tmp_path / "library"
    source = Source("daily", data_repo.url)
    pull_source(source, library)
    before = {p.name: p.stat().st_ino for p in (library / "daily").glob("2025-*")}
    data_repo.add_day("2025-01-09", day_papers("2025-01-09", 4))
    result = pull_source(source, library)
    assert result.new_days == ["2025-01-09"] and result.papers == 4
    assert {p.name for p in result.written} == {"2025-01-09.jsonl", "2025-01-09_AI_enhanced_English.jsonl"}
    after = {p.name: p.stat().st_ino for p in (library / "daily").glob("2025-*")}
    assert all(after[n] == ino for n, ino in before.items())  # untouched files were not rewritten
    again = pull_source(source, library)
    assert again.written == [] and again.summary() == "daily: up to date"


def test_fork_with_data_on_the_default_branch_and_markdown_only_pulls_no_code(tmp_path) -> None:
    fork = GeneratorRepo(tmp_path / "fork", layout="default-branch")
    for day in DAYS[:2]:
        fork.add_day(day, day_papers(day, 3), language=None, raw=False, md=True)
    result = pull_source(Source("fork", fork.url), tmp_path / "library")
    folder = tmp_path / "library" / "fork"
    assert result.branch == "main"
    assert visible(folder) == upstream(fork, [f"{d}.md" for d in DAYS[:2]])
    mirror = GitRepo(folder / MIRROR_FOLDER, "git")
    code_blob = fork.git("rev-parse", "HEAD:main.py").strip()
    assert code_blob in missing_blobs(mirror, result_tip(folder))  # the crawler's code never came
    assert len(load_library([folder]).papers) == 6


def result_tip(folder: Path) -> str:
    return json.loads((folder / MANIFEST_FILE).read_text())["tip"]


def test_language_less_ai_suffix_is_found_and_pulled(tmp_path) -> None:
    repo = GeneratorRepo(tmp_path / "nolang")
    repo.add_day("2025-02-03", day_papers("2025-02-03", 2), language="")
    pull_source(Source("nolang", repo.url), tmp_path / "library")
    assert set(visible(tmp_path / "library" / "nolang")) == {"2025-02-03.jsonl", "2025-02-03_AI_enhanced_.jsonl"}


def test_only_the_chosen_language_is_pulled_and_english_is_preferred(tmp_path) -> None:
    repo = GeneratorRepo(tmp_path / "multi")
    papers = day_papers("2025-02-03", 2)
    repo.write("2025-02-03_AI_enhanced_Chinese.jsonl", jsonl([enhanced(e) for e in papers]))
    repo.add_day("2025-02-03", papers, language="English")
    pull_source(Source("auto", repo.url), tmp_path / "library")
    pull_source(Source("zh", repo.url, language="chinese"), tmp_path / "library")
    assert set(visible(tmp_path / "library" / "auto")) == {"2025-02-03.jsonl", "2025-02-03_AI_enhanced_English.jsonl"}
    assert set(visible(tmp_path / "library" / "zh")) == {"2025-02-03.jsonl", "2025-02-03_AI_enhanced_Chinese.jsonl"}


def test_markdown_is_pulled_only_for_a_day_without_json_lines(tmp_path) -> None:
    repo = GeneratorRepo(tmp_path / "mixed")
    repo.add_day("2025-03-03", day_papers("2025-03-03", 2), md=True)
    repo.add_day("2025-03-04", day_papers("2025-03-04", 2), raw=False, language=None, md=True)
    pull_source(Source("mixed", repo.url), tmp_path / "library")
    assert set(visible(tmp_path / "library" / "mixed")) == {
        "2025-03-03.jsonl", "2025-03-03_AI_enhanced_English.jsonl", "2025-03-04.md"}


def test_two_sources_with_overlapping_papers_are_one_library_by_id(tmp_path) -> None:
    mine, colleague = GeneratorRepo(tmp_path / "mine"), GeneratorRepo(tmp_path / "theirs")
    shared = paper("2501.00042", "A paper both forks listed")
    mine.add_day("2025-01-06", [shared, paper("2501.00001", "Only mine")])
    colleague.add_day("2025-01-06", [shared, paper("2501.00002", "Only theirs", "cs.CV")], language="Chinese")
    outcomes = pull_sources([Source("mine", mine.url), Source("theirs", colleague.url)], tmp_path / "library")
    assert all(isinstance(o, PullResult) for o in outcomes)
    loaded = load_library([tmp_path / "library"])
    assert sorted(loaded.papers) == ["2501.00001", "2501.00002", "2501.00042"]
    assert len({a.source for a in loaded.papers["2501.00042"].appearances}) == 4  # raw + AI, in each source


def test_since_limits_the_first_pull_and_never_fetches_older_days(data_repo, tmp_path) -> None:
    library = tmp_path / "library"
    result = pull_source(Source("daily", data_repo.url, since="2025-01-07"), library)
    assert result.new_days == ["2025-01-07", "2025-01-08"]
    mirror = GitRepo(library / "daily" / MIRROR_FOLDER, "git")
    old_blob = data_repo.git("rev-parse", "HEAD:data/2025-01-06.jsonl").strip()
    assert old_blob in missing_blobs(mirror, result_tip(library / "daily"))
    # `1d` counted from a later today: the days pulled before stay (a rolling window never deletes).
    data_repo.add_day("2025-01-09", day_papers("2025-01-09", 2))
    later = pull_source(Source("daily", data_repo.url, since="1d"), library, today=date(2025, 1, 10))
    assert later.new_days == ["2025-01-09"] and later.removed == []
    assert {n[:10] for n in visible(library / "daily")} == {"2025-01-07", "2025-01-08", "2025-01-09"}


def test_a_force_pushed_branch_is_followed_and_said(data_repo, tmp_path) -> None:
    library = tmp_path / "library"
    source = Source("daily", data_repo.url)
    pull_source(source, library)
    first = data_repo.git("rev-list", "--max-parents=0", "HEAD").strip()
    data_repo.git("reset", "-q", "--hard", first)  # history rewritten: only the first day stays
    data_repo.add_day("2025-01-07", day_papers("2025-01-07", 2, start=50))
    result = pull_source(source, library)
    assert result.rewritten and "was rewritten upstream" in result.summary()
    names = sorted(n for n in os.listdir(data_repo.path / "data"))
    assert visible(library / "daily") == upstream(data_repo, names)  # the library matches the remote
    assert {p.name for p in result.removed} == {"2025-01-08.jsonl", "2025-01-08_AI_enhanced_English.jsonl"}
    assert result.changed_days == ["2025-01-07"]


def test_a_rewritten_history_with_the_same_files_is_told_by_ancestry(data_repo, tmp_path) -> None:
    pull_source(Source("daily", data_repo.url), tmp_path / "library")
    data_repo.git("commit", "-q", "--amend", "-m", "update: 2025-01-08 arXiv papers (rerun)")
    result = pull_source(Source("daily", data_repo.url), tmp_path / "library")
    assert result.rewritten and result.written == [] and result.removed == []


def test_a_fast_forward_is_not_called_a_rewrite(data_repo, tmp_path) -> None:
    pull_source(Source("daily", data_repo.url), tmp_path / "library")
    data_repo.add_day("2025-01-09", day_papers("2025-01-09", 1))
    data_repo.add_day("2025-01-10", day_papers("2025-01-10", 1))
    assert not pull_source(Source("daily", data_repo.url), tmp_path / "library").rewritten


def test_a_repository_that_is_not_a_generators_is_refused_in_one_line(tmp_path) -> None:
    other = GeneratorRepo(tmp_path / "some-project", layout="default-branch")  # code only
    with pytest.raises(PullError) as err:
        probe_source(Source("other", other.url), tmp_path / "library")
    message = str(err.value)
    assert "\n" not in message and "looked for a 'data' branch" in message and "'main'" in message
    assert not (tmp_path / "library" / "other").exists()  # the refused probe leaves nothing
    with pytest.raises(PullError):
        pull_source(Source("other", other.url), tmp_path / "library")


def test_a_missing_branch_and_an_unreachable_url_fail_in_one_line(data_repo, tmp_path) -> None:
    with pytest.raises(PullError, match="has no branch 'gh-pages'"):
        pull_source(Source("d", data_repo.url, branch="gh-pages"), tmp_path / "library")
    with pytest.raises(PullError, match="cannot reach") as err:
        pull_source(Source("gone", (tmp_path / "nowhere").as_uri()), tmp_path / "library")
    assert "\n" not in str(err.value)


def test_without_git_on_path_the_pull_says_so(data_repo, tmp_path, monkeypatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(GitMissingError, match="git is not installed"):
        pull_source(Source("daily", data_repo.url), tmp_path / "library")
    outcomes = pull_sources([Source("a", data_repo.url), Source("b", data_repo.url)], tmp_path / "library")
    assert [type(o) for o in outcomes] == [PullFailure, PullFailure]


def test_one_failing_source_does_not_stop_the_others(data_repo, tmp_path) -> None:
    outcomes = pull_sources([Source("gone", (tmp_path / "nowhere").as_uri()), Source("daily", data_repo.url)],
                            tmp_path / "library")
    assert isinstance(outcomes[0], PullFailure) and isinstance(outcomes[1], PullResult)
    assert outcomes[1].new_days == list(DAYS)


def test_a_users_own_file_in_the_source_folder_is_left_alone(data_repo, tmp_path) -> None:
    folder = tmp_path / "library" / "daily"
    folder.mkdir(parents=True)
    (folder / "my-notes.md").write_text("mine")
    pull_source(Source("daily", data_repo.url), tmp_path / "library")
    data_repo.git("rm", "-q", "data/2025-01-06.jsonl")
    data_repo.commit("drop a day")
    pull_source(Source("daily", data_repo.url), tmp_path / "library")
    assert (folder / "my-notes.md").read_text() == "mine" and not (folder / "2025-01-06.jsonl").exists()


def test_stale_git_locks_and_partial_files_of_a_killed_pull_are_cleared(data_repo, tmp_path) -> None:
    library = tmp_path / "library"
    pull_source(Source("daily", data_repo.url), library)
    folder = library / "daily"
    (folder / MIRROR_FOLDER / "shallow.lock").write_text("")
    (folder / MIRROR_FOLDER / "refs" / "heads" / "data.lock").write_text("")
    (folder / ".2025-01-09.jsonl.partial").write_bytes(b'{"id": "half')
    (folder / MANIFEST_FILE).write_text("{not json")
    data_repo.add_day("2025-01-09", day_papers("2025-01-09", 2))
    result = pull_source(Source("daily", data_repo.url), library)
    assert "2025-01-09" in result.new_days
    assert not list(folder.glob(".*.partial"))
    assert visible(folder) == upstream(data_repo, sorted(os.listdir(data_repo.path / "data")))


def test_a_full_disk_mid_pull_fails_in_one_line_and_the_next_pull_finishes(data_repo, tmp_path, monkeypatch) -> None:
    import errno

    from tui_reader.core.sources import pull as source_pull

    real_write = source_pull.replace_atomically
    calls = []

    def write_until_full(target: Path, data: bytes, mode: int | None = None) -> None:
        calls.append(target)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real_write(target, data, mode)

    monkeypatch.setattr(source_pull, "replace_atomically", write_until_full)
    library = tmp_path / "library"
    with pytest.raises(PullError, match="No space left on device") as err:
        pull_source(Source("daily", data_repo.url), library)
    assert "\n" not in str(err.value)
    expected = upstream(data_repo, sorted(os.listdir(data_repo.path / "data")))
    assert len(visible(library / "daily")) == 2
    assert all(expected[name] == data for name, data in visible(library / "daily").items())
    monkeypatch.setattr(source_pull, "replace_atomically", real_write)
    result = pull_source(Source("daily", data_repo.url), library)
    assert visible(library / "daily") == expected and result.papers == 18


_PULL_SCRIPT = """
import sys
from pathlib import Path
from tui_reader.core.sources.source import Source
from tui_reader.core.sources.pull import pull_source
pull_source(Source("big", sys.argv[1]), Path(sys.argv[2]))
"""


@pytest.mark.slow
def test_kill_9_in_the_middle_of_a_pull_leaves_whole_files_and_the_next_pull_recovers(tmp_path) -> None:
    repo = GeneratorRepo(tmp_path / "big")
    filler = "x" * 60_000
    for n in range(1, 13):
        day = f"2025-04-{n:02d}"
        papers = [{**p, "summary": filler} for p in day_papers(day, 40)]  # ~2.4 MB a file
        repo.add_day(day, papers)
    expected = upstream(repo, sorted(os.listdir(repo.path / "data")))
    library = tmp_path / "library"
    folder = library / "big"
    root = Path(__file__).resolve().parents[2]
    killed_while_writing = False
    for attempt in range(3):
        proc = subprocess.Popen([sys.executable, "-c", _PULL_SCRIPT, repo.url, str(library)], cwd=root)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            if folder.is_dir() and any(p.name.endswith(".partial") for p in folder.iterdir()):
                break
            time.sleep(0.002)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed_while_writing = True
        proc.wait()
        # Whatever the moment: every visible file is a whole upstream file.
        for name, data in visible(folder).items() if folder.is_dir() else []:
            assert data == expected[name], f"{name} is visible half written"
        if killed_while_writing:
            break
    assert killed_while_writing, "the pull ended before it could be killed; enlarge the files"
    result = pull_source(Source("big", repo.url), library)
    assert visible(folder) == expected
    assert not list(folder.glob(".*.partial"))
    assert result.summary().startswith("big: ")
