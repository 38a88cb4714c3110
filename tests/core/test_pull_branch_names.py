"""Issue 24 (Low): a source whose branch has an odd name (one git accepts as a ref but that
reads as an option, a revision or a commit id) pulls that branch, or fails with a line that
says why; never "no message", never another branch's days."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator_repo import GeneratorRepo, day_papers, needs_git
from tui_reader.core.sources.pull import PullResult, pull_sources
from tui_reader.core.sources.source import Source

pytestmark = needs_git()

ODD_NAMES = ["-x", "--upload-pack=touch", "-", "@", "HEAD", "FETCH_HEAD", "refs/heads/x", "tags/v1",
             "a" * 40, "données-ünï", "x" * 200, "origin/main"]


@pytest.mark.parametrize("name", ODD_NAMES, ids=lambda name: name[:20])
def test_a_branch_with_an_odd_name_pulls_its_own_days(tmp_path: Path, name: str) -> None:
    repo = GeneratorRepo(tmp_path / "upstream")
    repo.add_day("2025-01-07", day_papers("2025-01-07", 2))  # on `data`
    repo.git("checkout", "-q", "-b", "odd-branch")
    odd_tip = repo.add_day("2025-01-08", day_papers("2025-01-08", 3))
    repo.git("update-ref", f"refs/heads/{name}", odd_tip)
    repo.git("checkout", "-q", "data")
    repo.git("branch", "-q", "-D", "odd-branch")
    outcome = pull_sources([Source("odd", repo.url, branch=name)], tmp_path / "library")[0]
    assert isinstance(outcome, PullResult), outcome.summary()
    pulled = sorted(p.name for p in (tmp_path / "library" / "odd").glob("2025-*"))
    assert pulled == ["2025-01-07.jsonl", "2025-01-07_AI_enhanced_English.jsonl",
                      "2025-01-08.jsonl", "2025-01-08_AI_enhanced_English.jsonl"]
    assert outcome.branch == name


def test_a_git_failure_without_output_still_names_the_command(tmp_path: Path) -> None:
    from tui_reader.core.sources.git_fetch import GitError, GitRepo, find_git

    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "mirror")], check=True)
    with pytest.raises(GitError) as caught:
        GitRepo(tmp_path / "mirror", find_git()).text("rev-parse", "--verify", "--quiet", "nothing^{commit}")
    assert str(caught.value) == "git rev-parse failed (exit status 1) without saying why"
