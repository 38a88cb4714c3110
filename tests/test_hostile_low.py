"""Issue 24's low items: small hostile inputs to the command line, each one clear line.

Real git repositories via file:// where a repository is needed; the CLI through main() or
a real process where a hang is the failure."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator_repo import GeneratorRepo, day_papers, needs_git, run_cli
from tui_reader.cli import main

pytestmark = needs_git()
run = run_cli


@pytest.fixture
def fork(tmp_path: Path) -> GeneratorRepo:
    repo = GeneratorRepo(tmp_path / "repos" / "fork")
    repo.add_day("2025-01-01", day_papers("2025-01-01", 2))
    return repo


@pytest.mark.parametrize("name", ["x\n", "daily\n", "a\tb"])
def test_a_source_name_with_a_line_break_or_control_is_refused(home: Path, fork, capsys, name) -> None:
    code, _out, err = run(capsys, "source", "add", fork.url, "--name", name)
    assert code == 2 and "source name" in err and len(err.strip().splitlines()) == 1, err
    assert not (home / "library").exists() or not any((home / "library").iterdir())


@pytest.mark.parametrize("url", ["-oProxyCommand=touch pwned", "--upload-pack=touch pwned"])
def test_a_url_starting_with_a_dash_is_one_clear_line(home: Path, capsys, url, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(capsys, "source", "add", "--", url)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "usage" not in err.lower() and "URL" in err
    assert not (tmp_path / "pwned").exists()


def test_an_fd_transport_url_fails_at_once_instead_of_hanging(tmp_path: Path) -> None:
    env = {**os.environ, "TUI_READER_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-m", "tui_reader", "source", "add", "fd::17"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode != 0 and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_huge_url_gives_a_short_line(home: Path, capsys) -> None:
    code, _out, err = run(capsys, "source", "add", "https://example.invalid/" + "a" * 900_000)
    assert code != 0 and len(err) < 2000, len(err)


def test_a_deeply_nested_config_is_one_line_for_every_command(home: Path, capsys) -> None:
    (home / "config.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    code, _out, err = run(capsys, "source", "list")
    assert code == 2 and "config.toml" in err and len(err.strip().splitlines()) == 1, err
    code, _out, err = run(capsys, "sync")
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 2, err


@pytest.mark.skipif(os.geteuid() != 0, reason="planting a link owned by another user needs root")
def test_export_force_never_follows_a_link_another_user_planted(home: Path, tmp_path: Path, capsys) -> None:
    digest = tmp_path / "2025-03-03.md"
    digest.write_text("# cs.CL\n\n### [1] [An Invented Paper](https://arxiv.org/abs/2503.00001)\n"
                      "*A. Author*\n\nMain category: cs.CL\n\nTL;DR: T.\n", encoding="utf-8")
    victim = tmp_path / "victims-own-file.txt"
    victim.write_text("precious")
    shared = tmp_path / "group-writable"
    shared.mkdir()
    link = shared / "out.md"
    link.symlink_to(victim)
    os.lchown(link, 65534, 65534)  # the link belongs to someone else (nobody)
    code, _out, err = run(capsys, "export", str(digest), "-o", str(link), "--force")
    assert code == 1 and "link" in err and len(err.strip().splitlines()) == 1, err
    assert victim.read_text() == "precious"
