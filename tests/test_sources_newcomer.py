"""Subscribing as a newcomer does (issue 29), with real git repositories over file:// and
`python -m tui_reader` as a real process: a `since` that admits no day, a URL subscribed
twice, a language the repository lacks, a remote that ignores the partial-clone filter."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator_repo import GeneratorRepo, day_papers
from tui_reader.core.config import parse_config
from tui_reader.core.paths import demo_notice
from tui_reader.core.sources.source import empty_window, repository_key

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="git is not installed")

OLD_DAYS = ("2026-06-30", "2026-07-01")


def tui_reader(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui_reader", *argv], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ))


@pytest.fixture
def old_fork(tmp_path: Path) -> GeneratorRepo:
    """A fork whose newest day is long past (its workflow stopped), with Chinese AI files."""
    repo = GeneratorRepo(tmp_path / "repos" / "daily-arXiv-ai-enhanced")
    for day in OLD_DAYS:
        repo.add_day(day, day_papers(day, 3), language="Chinese")
    return repo


def test_empty_window_names_the_since_that_would_take_the_newest_day() -> None:
    today = date(2026, 12, 5)
    assert empty_window("30d", "2026-07-01", today) == (
        "no day in the last 30 days; the newest is 2026-07-01", "2026-06-01")
    assert empty_window("2w", "2026-07-01", today) == (
        "no day in the last 2 weeks; the newest is 2026-07-01", "2026-06-17")
    assert empty_window("2026-11-01", "2026-07-01", today)[0] == "no day since 2026-11-01; the newest is 2026-07-01"


def test_a_since_after_the_newest_day_is_said_by_add_pull_list_and_the_reader(home: Path, old_fork) -> None:
    newest = OLD_DAYS[-1]
    suggested = (date.fromisoformat(newest) - timedelta(days=30)).isoformat()
    added = tui_reader("source", "add", old_fork.url, "--since", "30d")
    assert added.returncode == 0 and "added source daily-arXiv-ai-enhanced" in added.stdout
    assert f"no day in the last 30 days; the newest is {newest}" in added.stderr
    assert f"--since {suggested}" in added.stderr
    pulled = tui_reader("pull")
    assert pulled.returncode == 0
    assert pulled.stdout == (f"daily-arXiv-ai-enhanced: nothing pulled: no day in the last 30 days; the newest is "
                             f"{newest}: set since = \"{suggested}\" for it in config.toml?\n")
    assert "up to date" not in pulled.stdout + pulled.stderr
    listed = tui_reader("source", "list")
    assert "not pulled yet" not in listed.stdout
    assert f"nothing pulled: no day in the last 30 days; the newest is {newest}" in listed.stdout
    # The reader shows the demo: its notice says why the library stayed empty.
    notice = demo_notice(home / "library")
    assert "source daily-arXiv-ai-enhanced pulled no day" in notice and newest in notice
    # Following the advice pulls the days.
    config = home / "config.toml"
    config.write_text(config.read_text().replace('since = "30d"', f'since = "{suggested}"'))
    again = tui_reader("pull")
    assert again.returncode == 0 and again.stdout == "daily-arXiv-ai-enhanced: 2 new days, 6 papers\n"
    assert "2 days pulled, newest 2026-07-01" in tui_reader("source", "list").stdout


def test_the_demo_notice_points_to_source_add_first(home: Path) -> None:
    notice = demo_notice(home / "library")
    assert notice.index("source add") < notice.index(str(home / "library"))


def test_a_url_already_subscribed_is_said_to_be_there(home: Path, old_fork) -> None:
    assert tui_reader("source", "add", old_fork.url).returncode == 0
    for same in (old_fork.url + "/", str(old_fork.path), str(old_fork.path) + "/"):
        done = tui_reader("source", "add", same)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr == (f"tui-reader: {same} is already subscribed as source 'daily-arXiv-ai-enhanced' "
                               "(see 'tui-reader source list')\n")
    assert [s.name for s in parse_config((home / "config.toml").read_text()).sources] == ["daily-arXiv-ai-enhanced"]


def test_repository_key_tells_one_repository_in_its_spellings() -> None:
    https = repository_key("https://github.com/Owner/daily-arXiv-ai-enhanced")
    assert https == repository_key("https://github.com/Owner/daily-arXiv-ai-enhanced.git/")
    assert https == repository_key("git@github.com:Owner/daily-arXiv-ai-enhanced.git")
    assert https == repository_key("ssh://git@GitHub.com/Owner/daily-arXiv-ai-enhanced")
    assert https != repository_key("https://github.com/Other/daily-arXiv-ai-enhanced")


def test_a_language_the_repository_lacks_is_refused_naming_those_it_has(home: Path, old_fork) -> None:
    done = tui_reader("source", "add", old_fork.url, "--language", "French")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (f"tui-reader: {old_fork.url} has no AI files in language 'French' (its languages: "
                           "Chinese); choose one with --language, or leave it out\n")
    assert not (home / "config.toml").exists() or "French" not in (home / "config.toml").read_text()
    assert not (home / "library" / "daily-arXiv-ai-enhanced").exists()
    assert tui_reader("source", "add", old_fork.url, "--language", "chinese").returncode == 0


def test_a_remote_without_partial_clone_is_said_to_send_every_file(home: Path, old_fork, tmp_path: Path) -> None:
    bare = tmp_path / "repos" / "plain.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(old_fork.path), str(bare)], check=True)
    done = tui_reader("source", "add", bare.as_uri())
    assert done.returncode == 0 and "added source plain" in done.stdout
    assert done.stderr.startswith(f"tui-reader: {bare.as_uri()} does not serve partial clones (git: filtering not "
                                  "recognized by server): every file was downloaded (")
    assert done.stderr.count("\n") == 1
    # A server that filters (as GitHub does) sends commits and trees only: nothing said.
    served = tui_reader("source", "add", old_fork.url)
    assert served.returncode == 0 and served.stderr == ""
